package io.ringlink.jmh;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Latencies, in nanoseconds, for {@link HdrLatencyProfiler} to read per iteration: the benchmark thread's round trips
 * ({@link #record(long)}), and those of any other thread that records through a {@link Writer} of its own (a sink
 * timing publish-to-delivery). Each is a {@link SingleWriterRecorder}: its one writer records wait-free, the profiler
 * swaps the interval histograms and adds them up.
 */
final class LatencyRecorder
{
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int DIGITS = 3;
    private static final SingleWriterRecorder RECORDER = new SingleWriterRecorder(HIGHEST_NANOS, DIGITS);
    private static final List<Writer> WRITERS = new CopyOnWriteArrayList<>();
    private static Histogram spare;

    private LatencyRecorder()
    {
    }

    /**
     * Records one round trip of the benchmark thread.
     *
     * @param nanos its duration.
     */
    static void record(final long nanos)
    {
        RECORDER.recordValue(clamp(nanos));
    }

    /**
     * A recorder for one more writing thread (or one writer at a time, handed over with a happens-before), whose
     * values {@link #interval()} adds to the benchmark thread's until the first interval after it is
     * {@link Writer#close() closed} (JMH tears a trial down before the profiler reads its last iteration).
     *
     * @return the writer, registered.
     */
    static Writer writer()
    {
        final Writer writer = new Writer();
        WRITERS.add(writer);
        return writer;
    }

    /**
     * What was recorded since the last call, by the benchmark thread and every open writer; the histogram is valid
     * until the next call.
     *
     * @return the interval histogram, reused between calls so that reading allocates little after the first time.
     */
    static synchronized Histogram interval()
    {
        final Histogram histogram = spare == null ? RECORDER.getIntervalHistogram() :
            RECORDER.getIntervalHistogram(spare);
        spare = histogram;
        for (final Writer writer : WRITERS)
        {
            final boolean closed = writer.closed;
            histogram.add(writer.interval());
            if (closed)
            {
                WRITERS.remove(writer);
            }
        }
        return histogram;
    }

    private static long clamp(final long nanos)
    {
        return Math.max(0, Math.min(nanos, HIGHEST_NANOS));
    }

    /** One more thread's recorder. */
    static final class Writer implements AutoCloseable
    {
        private final SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST_NANOS, DIGITS);
        private Histogram spare;
        private volatile boolean closed;

        private Writer()
        {
        }

        /**
         * Records one latency; wait-free, allocates nothing.
         *
         * @param nanos the latency.
         */
        void record(final long nanos)
        {
            recorder.recordValue(clamp(nanos));
        }

        private Histogram interval()
        {
            spare = spare == null ? recorder.getIntervalHistogram() : recorder.getIntervalHistogram(spare);
            return spare;
        }

        /** No more values: the next interval is the last to include this writer's. */
        @Override
        public void close()
        {
            closed = true;
        }
    }
}
