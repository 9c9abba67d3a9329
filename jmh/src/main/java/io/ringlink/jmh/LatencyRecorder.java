package io.ringlink.jmh;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.concurrent.TimeUnit;

/**
 * Round-trip times of the benchmark thread, in nanoseconds, for {@link HdrLatencyProfiler} to read per iteration. A
 * {@link SingleWriterRecorder}: the benchmark thread records wait-free, the profiler swaps the interval histogram.
 */
final class LatencyRecorder
{
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final SingleWriterRecorder RECORDER = new SingleWriterRecorder(HIGHEST_NANOS, 3);
    private static Histogram spare;

    private LatencyRecorder()
    {
    }

    /**
     * Records one round trip.
     *
     * @param nanos its duration.
     */
    static void record(final long nanos)
    {
        RECORDER.recordValue(Math.min(nanos, HIGHEST_NANOS));
    }

    /**
     * What was recorded since the last call; the histogram is valid until the next call.
     *
     * @return the interval histogram, reused between calls so that reading allocates nothing after the first time.
     */
    static synchronized Histogram interval()
    {
        final Histogram histogram = spare == null ? RECORDER.getIntervalHistogram() :
            RECORDER.getIntervalHistogram(spare);
        spare = histogram;
        return histogram;
    }
}
