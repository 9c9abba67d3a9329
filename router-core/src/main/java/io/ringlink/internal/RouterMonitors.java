package io.ringlink.internal;

import io.ringlink.spi.CountersProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * Attaches what {@code Router.builder().counters(true)} and {@code jmx(true)} ask for to a new router, each closed by
 * the router's stop. The counters come from a {@link CountersProvider} on the class path (router-offheap's).
 */
public final class RouterMonitors
{
    private RouterMonitors()
    {
    }

    /**
     * Checks, before any router is built, that {@code counters(true)} can be honoured.
     *
     * @param counters whether counters were asked for.
     * @throws IllegalStateException naming router-offheap when no provider is on the class path.
     */
    public static void check(final boolean counters)
    {
        if (counters && Provider.COUNTERS == null)
        {
            throw new IllegalStateException("counters(true) needs a counters provider on the class path: add " +
                "io.ringlink:router-offheap (it publishes the counters file with Agrona)");
        }
    }

    /**
     * Attaches counters and JMX to a router just built; on failure the router is closed and the failure raised.
     *
     * @param router   the new router.
     * @param counters whether to publish its counters file.
     * @param jmx      whether to register its MXBean.
     * @throws IllegalStateException   if the MXBean name is taken.
     * @throws UncheckedIOException    if the counters file cannot be created.
     */
    public static void attach(final DisruptorRouter<?> router, final boolean counters, final boolean jmx)
    {
        try
        {
            if (jmx)
            {
                router.closeOnStop(RouterJmx.register(router));
            }
            if (counters)
            {
                router.closeOnStop(Provider.COUNTERS.publish(router));
            }
        }
        catch (final IOException ex)
        {
            router.close();
            throw new UncheckedIOException("router " + router.name() + ": cannot publish counters: " + ex, ex);
        }
        catch (final RuntimeException ex)
        {
            router.close();
            throw ex;
        }
    }

    /** The first counters provider on the class path, loaded once. */
    private static final class Provider
    {
        static final CountersProvider COUNTERS = load();

        private static CountersProvider load()
        {
            final Iterator<CountersProvider> providers =
                ServiceLoader.load(CountersProvider.class, RouterMonitors.class.getClassLoader()).iterator();
            return providers.hasNext() ? providers.next() : null;
        }
    }
}
