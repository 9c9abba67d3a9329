package io.ringlink.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The profiler reports the percentiles of what was recorded in a measurement iteration, and nothing otherwise.
 */
class HdrLatencyProfilerTest
{
    private final HdrLatencyProfiler profiler = new HdrLatencyProfiler();

    @Test
    void shouldReportPercentilesOfTheMeasurementIteration()
    {
        final IterationParams measurement = iteration(IterationType.MEASUREMENT);
        profiler.beforeIteration(null, measurement);
        for (int i = 1; i <= 1000; i++)
        {
            LatencyRecorder.record(i * 10L);
        }

        final Map<String, Double> results = profiler.afterIteration(null, measurement, null).stream()
            .collect(Collectors.toMap(ScalarResult::getLabel, ScalarResult::getScore));

        assertThat(results.get("rtt.p50")).isCloseTo(5_000, within(10.0));
        assertThat(results.get("rtt.p99")).isCloseTo(9_900, within(20.0));
        assertThat(results.get("rtt.max")).isCloseTo(10_000, within(20.0));
        assertThat(results.get("rtt.count")).isEqualTo(1000);
    }

    @Test
    void shouldReportNothingForWarmupOrWhenNothingWasRecorded()
    {
        final IterationParams warmup = iteration(IterationType.WARMUP);
        profiler.beforeIteration(null, warmup);
        LatencyRecorder.record(100);
        assertThat(profiler.afterIteration(null, warmup, null)).isEmpty();

        final IterationParams measurement = iteration(IterationType.MEASUREMENT);
        profiler.beforeIteration(null, measurement);
        assertThat(profiler.afterIteration(null, measurement, null)).isEmpty();
    }

    private static IterationParams iteration(final IterationType type)
    {
        return new IterationParams(type, 1, TimeValue.seconds(1), 1);
    }
}
