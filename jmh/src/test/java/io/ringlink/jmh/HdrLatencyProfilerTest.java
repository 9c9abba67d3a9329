package io.ringlink.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The profiler reports the percentiles of what was recorded in a measurement iteration, and nothing otherwise; values
 * recorded by other threads through writers of their own are added in, a closed writer's last ones once.
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

    @Test
    @Timeout(30)
    void shouldAddTheWritersOfOtherThreadsAndAClosedWritersLastValuesOnce() throws InterruptedException
    {
        final IterationParams measurement = iteration(IterationType.MEASUREMENT);
        profiler.beforeIteration(null, measurement);
        final LatencyRecorder.Writer first = LatencyRecorder.writer();
        final LatencyRecorder.Writer second = LatencyRecorder.writer();
        final Thread low = new Thread(() -> recordRange(first, 1, 500));
        final Thread high = new Thread(() -> recordRange(second, 501, 1000));
        low.start();
        high.start();
        low.join(10_000);
        high.join(10_000);
        assertThat(low.isAlive() || high.isAlive()).isFalse();
        // As JMH does, the trial is torn down (the sinks closed) before the last iteration is read.
        first.close();

        final Map<String, Double> results = results(measurement);
        assertThat(results.get("rtt.count")).isEqualTo(1000);
        assertThat(results.get("rtt.p50")).isCloseTo(5_000, within(10.0));
        assertThat(results.get("rtt.max")).isCloseTo(10_000, within(20.0));

        profiler.beforeIteration(null, measurement);
        first.record(123_456);
        second.record(7);
        second.close();
        final Map<String, Double> next = results(measurement);
        assertThat(next.get("rtt.count")).isEqualTo(1);
        assertThat(next.get("rtt.max")).isEqualTo(7);
        profiler.beforeIteration(null, measurement);
        second.record(9);
        assertThat(profiler.afterIteration(null, measurement, null)).isEmpty();
    }

    private static void recordRange(final LatencyRecorder.Writer writer, final int from, final int to)
    {
        for (int i = from; i <= to; i++)
        {
            writer.record(i * 10L);
        }
    }

    private Map<String, Double> results(final IterationParams iteration)
    {
        return profiler.afterIteration(null, iteration, null).stream()
            .collect(Collectors.toMap(ScalarResult::getLabel, ScalarResult::getScore));
    }

    private static IterationParams iteration(final IterationType type)
    {
        return new IterationParams(type, 1, TimeValue.seconds(1), 1);
    }
}
