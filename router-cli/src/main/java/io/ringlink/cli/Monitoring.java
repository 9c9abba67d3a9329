package io.ringlink.cli;

import io.ringlink.Router;

import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * How the command builds its routers: live counters ({@code ringlink stat}) and JMX on, but a counters file that
 * cannot be created (a counters directory that is not this user's, a full {@code /dev/shm}) costs a warning, never
 * the link.
 */
final class Monitoring
{
    private Monitoring()
    {
    }

    /**
     * Builds the router with counters and JMX on, or with neither (and a warning) when the counters file fails.
     *
     * @param builder the router's other settings.
     * @param err     where the warning goes.
     * @param <T>     type of message.
     * @return the running router.
     */
    static <T> Router<T> build(final Router.Builder builder, final PrintStream err)
    {
        try
        {
            return builder.counters(true).jmx(true).build();
        }
        catch (final UncheckedIOException ex)
        {
            err.println("ringlink: live counters off (ringlink stat will not list this link): " + Main.oneLine(ex));
            return builder.counters(false).jmx(false).build();
        }
    }
}
