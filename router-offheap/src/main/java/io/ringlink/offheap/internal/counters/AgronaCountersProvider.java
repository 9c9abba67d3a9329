package io.ringlink.offheap.internal.counters;

import io.ringlink.Router;
import io.ringlink.spi.CountersProvider;

import java.io.IOException;

/**
 * Publishes a router's counters in an Agrona counters file ({@link CountersDescriptor}) in the
 * {@link CountersDirectory}, updated by the JVM's {@link CountersSampler}. Found by {@link java.util.ServiceLoader}.
 */
public final class AgronaCountersProvider implements CountersProvider
{
    /**
     * Created by {@link java.util.ServiceLoader}.
     */
    public AgronaCountersProvider()
    {
    }

    @Override
    public AutoCloseable publish(final Router<?> router) throws IOException
    {
        final int capacity = intProperty(CountersDescriptor.CAPACITY_PROP_NAME, CountersDescriptor.CAPACITY_DEFAULT,
            16, CountersDescriptor.CAPACITY_MAX);
        final int intervalMs = intProperty(CountersSampler.INTERVAL_PROP_NAME, CountersSampler.INTERVAL_DEFAULT_MS,
            1, 60_000);
        final CountersFile file = CountersFile.create(CountersDirectory.path(), router.name(), capacity, intervalMs,
            System.currentTimeMillis());
        CountersSampler.add(router, file, intervalMs);
        return new Registration(file);
    }

    private static int intProperty(final String name, final int defaultValue, final int min, final int max)
    {
        final String text = System.getProperty(name);
        if (text == null)
        {
            return defaultValue;
        }
        try
        {
            final int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max)
            {
                return value;
            }
        }
        catch (final NumberFormatException ignore)
        {
            // Reported below.
        }
        throw new IllegalArgumentException("-D" + name + "=" + text + " must be an integer from " + min + " to " + max);
    }

    /** Stops sampling and deletes the file. */
    private record Registration(CountersFile file) implements AutoCloseable
    {
        @Override
        public void close()
        {
            CountersSampler.remove(file);
        }

        @Override
        public String toString()
        {
            return "counters file " + file.path();
        }
    }
}
