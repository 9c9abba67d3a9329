package io.ringlink.internal;

import io.ringlink.RouterMetrics;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * HdrHistogram behind {@link LatencyProbe}: writers record wait-free into a {@link Recorder}; a snapshot moves the
 * interval into a cumulative histogram, so reading twice gives the same figures.
 */
final class HdrLatencyProbe implements LatencyProbe
{
    private static final long HIGHEST_TRACKABLE_NANOS = 3_600_000_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
    private final Histogram cumulative = new Histogram(HIGHEST_TRACKABLE_NANOS, 3);
    private Histogram interval;

    private HdrLatencyProbe()
    {
    }

    static LatencyProbe create()
    {
        return new HdrLatencyProbe();
    }

    @Override
    public void record(final long nanos)
    {
        recorder.recordValue(Math.min(Math.max(nanos, 0), HIGHEST_TRACKABLE_NANOS));
    }

    @Override
    public synchronized RouterMetrics.Latency snapshot()
    {
        interval = recorder.getIntervalHistogram(interval);
        cumulative.add(interval);
        if (cumulative.getTotalCount() == 0)
        {
            return RouterMetrics.Latency.NONE;
        }
        return new RouterMetrics.Latency(
            cumulative.getTotalCount(),
            cumulative.getValueAtPercentile(50),
            cumulative.getValueAtPercentile(99),
            cumulative.getValueAtPercentile(99.9),
            cumulative.getMaxValue());
    }
}
