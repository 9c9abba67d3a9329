package io.ringlink.jmh;

import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Observation windows of the single-shot benchmarks that watch a running system instead of driving it (idle cost,
 * latency at a fixed offered rate): one invocation is one window during which the benchmark thread only sleeps, so
 * JMH's {@code -r}/{@code -w} times do not apply. A warm-up window lasts what the benchmark asks
 * ({@value #WARMUP_MS_DEFAULT} ms unless it asks more), a measurement window {@value #MEASUREMENT_MS_DEFAULT} ms,
 * unless {@value #WARMUP_MS_PROP_NAME} or {@value #MEASUREMENT_MS_PROP_NAME} say otherwise
 * ({@code jmh/run-benchmarks --long} makes them 1 s).
 */
final class Windows
{
    /** System property: a warm-up window's length in milliseconds. */
    static final String WARMUP_MS_PROP_NAME = "ringlink.jmh.warmupWindowMs";
    /** A warm-up window's length when the property is not set. */
    static final long WARMUP_MS_DEFAULT = 100;
    /** System property: a measurement window's length in milliseconds. */
    static final String MEASUREMENT_MS_PROP_NAME = "ringlink.jmh.windowMs";
    /** A measurement window's length when the property is not set. */
    static final long MEASUREMENT_MS_DEFAULT = 200;

    private static final Long WARMUP_MS = Long.getLong(WARMUP_MS_PROP_NAME);
    private static final long MEASUREMENT_NANOS =
        TimeUnit.MILLISECONDS.toNanos(Long.getLong(MEASUREMENT_MS_PROP_NAME, MEASUREMENT_MS_DEFAULT));

    private Windows()
    {
    }

    /**
     * How long the window of this iteration lasts.
     *
     * @param iteration the iteration JMH is about to run.
     * @return nanoseconds.
     */
    static long length(final IterationParams iteration)
    {
        return length(iteration, WARMUP_MS_DEFAULT);
    }

    /**
     * How long the window of this iteration lasts, for a benchmark whose warm-up needs longer windows.
     *
     * @param iteration the iteration JMH is about to run.
     * @param warmupMs  a warm-up window's length unless {@value #WARMUP_MS_PROP_NAME} is set.
     * @return nanoseconds.
     */
    static long length(final IterationParams iteration, final long warmupMs)
    {
        if (iteration.getType() == IterationType.MEASUREMENT)
        {
            return MEASUREMENT_NANOS;
        }
        return TimeUnit.MILLISECONDS.toNanos(WARMUP_MS != null ? WARMUP_MS : warmupMs);
    }

    /**
     * Sleeps until {@code deadline} ({@link System#nanoTime()} clock), parking rather than spinning.
     *
     * @param deadline when to return.
     */
    static void sleepUntil(final long deadline)
    {
        long left;
        while ((left = deadline - System.nanoTime()) > 0)
        {
            LockSupport.parkNanos(left);
        }
    }
}
