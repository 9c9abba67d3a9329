package io.ringlink.cli;

import java.time.Duration;
import java.util.Locale;

/**
 * Human-readable figures: durations in ns/us/ms/s, rates and byte counts with SI or binary prefixes.
 */
final class Units
{
    private Units()
    {
    }

    static String nanos(final long nanos)
    {
        if (nanos < 1_000)
        {
            return nanos + " ns";
        }
        if (nanos < 1_000_000)
        {
            return format(nanos / 1e3, "us");
        }
        if (nanos < 1_000_000_000L)
        {
            return format(nanos / 1e6, "ms");
        }
        return format(nanos / 1e9, "s");
    }

    /** A timeout as the user writes one: {@code 2 s}, or {@code 500 ms} when it is not whole seconds. */
    static String timeout(final Duration timeout)
    {
        final long millis = timeout.toMillis();
        return millis % 1_000 == 0 ? millis / 1_000 + " s" : millis + " ms";
    }

    /** A count per second with an SI prefix and no unit: {@code 12.3 M}; the caller adds what is counted. */
    static String rate(final double perSecond)
    {
        if (perSecond >= 1e9)
        {
            return format(perSecond / 1e9, "G");
        }
        if (perSecond >= 1e6)
        {
            return format(perSecond / 1e6, "M");
        }
        if (perSecond >= 1e3)
        {
            return format(perSecond / 1e3, "k");
        }
        return format(perSecond, "");
    }

    static String bytes(final long bytes)
    {
        if (bytes < 1024)
        {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024)
        {
            return format(bytes / 1024.0, "KiB");
        }
        if (bytes < 1024L * 1024 * 1024)
        {
            return format(bytes / (1024.0 * 1024), "MiB");
        }
        return format(bytes / (1024.0 * 1024 * 1024), "GiB");
    }

    private static String format(final double value, final String unit)
    {
        final String pattern = value >= 100 ? "%.0f %s" : value >= 10 ? "%.1f %s" : "%.2f %s";
        return String.format(Locale.ROOT, pattern, value, unit).trim();
    }
}
