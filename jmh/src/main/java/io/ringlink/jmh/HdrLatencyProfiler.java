package io.ringlink.jmh;

import org.HdrHistogram.Histogram;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;

import java.util.Collection;
import java.util.List;

/**
 * Adds the HdrHistogram percentiles of the latencies a benchmark recorded ({@link LatencyRecorder}: round trips of
 * the benchmark thread, or publish-to-delivery times recorded by sinks through writers of their own) to JMH's
 * results as secondary metrics: {@code rtt.p50}, {@code rtt.p99}, {@code rtt.p999} (averaged over measurement
 * iterations and forks), {@code rtt.max} (the largest) and {@code rtt.count}, all in nanoseconds. Benchmarks that
 * record nothing get nothing. Enable with {@code -prof io.ringlink.jmh.HdrLatencyProfiler}.
 */
public final class HdrLatencyProfiler implements InternalProfiler
{
    private static final String UNIT = "ns";

    /**
     * Called by JMH, which finds profilers by class name.
     */
    public HdrLatencyProfiler()
    {
    }

    @Override
    public String getDescription()
    {
        return "HdrHistogram percentiles of the latencies recorded by the benchmark";
    }

    @Override
    public void beforeIteration(final BenchmarkParams benchmarkParams, final IterationParams iterationParams)
    {
        LatencyRecorder.interval();
    }

    @Override
    public Collection<ScalarResult> afterIteration(
        final BenchmarkParams benchmarkParams, final IterationParams iterationParams, final IterationResult result)
    {
        final Histogram histogram = LatencyRecorder.interval();
        if (iterationParams.getType() != IterationType.MEASUREMENT || histogram.getTotalCount() == 0)
        {
            return List.of();
        }
        return List.of(
            new ScalarResult("rtt.p50", histogram.getValueAtPercentile(50), UNIT, AggregationPolicy.AVG),
            new ScalarResult("rtt.p99", histogram.getValueAtPercentile(99), UNIT, AggregationPolicy.AVG),
            new ScalarResult("rtt.p999", histogram.getValueAtPercentile(99.9), UNIT, AggregationPolicy.AVG),
            new ScalarResult("rtt.max", histogram.getMaxValue(), UNIT, AggregationPolicy.MAX),
            new ScalarResult("rtt.count", histogram.getTotalCount(), "#", AggregationPolicy.SUM));
    }
}
