package io.ringlink.internal;

import io.ringlink.RouterMetrics;

/**
 * Records publish-to-delivery latency. Only created when a router is built with latency recording on, so that
 * HdrHistogram stays an optional dependency.
 */
interface LatencyProbe
{
    void record(long nanos);

    /** A cumulative snapshot; never resets what was recorded. */
    RouterMetrics.Latency snapshot();

    static LatencyProbe create()
    {
        try
        {
            Class.forName("org.HdrHistogram.Recorder", false, LatencyProbe.class.getClassLoader());
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException(
                "recordLatency(true) needs org.hdrhistogram:HdrHistogram on the class path", ex);
        }
        return HdrLatencyProbe.create();
    }
}
