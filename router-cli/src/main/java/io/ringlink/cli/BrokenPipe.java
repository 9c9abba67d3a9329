package io.ringlink.cli;

import java.io.IOException;
import java.util.Locale;

/**
 * The reader of an output went away: {@code EPIPE} on a write to a pipe (standard output read by {@code head}, the
 * input of an {@code exec:} command that exited). The JVM ignores {@code SIGPIPE}, so the write fails with an
 * {@link IOException} whose message is the system's text for {@code EPIPE}.
 * <p>
 * The command then ends at once with {@value #EXIT_STATUS}, the status a shell shows for {@code cat} killed by
 * {@code SIGPIPE} (128 + 13), so {@code set -o pipefail} scripts see the same as with {@code cat}.
 */
final class BrokenPipe
{
    /** 128 + SIGPIPE (13). */
    static final int EXIT_STATUS = 141;

    private BrokenPipe()
    {
    }

    /**
     * Whether a failure, or one of its causes, is a broken pipe.
     *
     * @param failure the failure.
     * @return {@code true} for {@code EPIPE}.
     */
    static boolean is(final Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause())
        {
            if (cause instanceof IOException && cause.getMessage() != null &&
                cause.getMessage().toLowerCase(Locale.ROOT).contains("broken pipe"))
            {
                return true;
            }
            if (cause.getCause() == cause)
            {
                break;
            }
        }
        return false;
    }
}
