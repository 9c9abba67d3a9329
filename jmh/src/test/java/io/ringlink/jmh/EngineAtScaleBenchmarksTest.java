package io.ringlink.jmh;

import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.results.ScalarResult;
import org.openjdk.jmh.runner.IterationType;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The idle-cost, fixed-rate and stalled-sink benchmarks measure what they say: the router's own threads and their
 * CPU, every delivery timed at the offered rate, the fast sinks whole beside a stalled one, and nothing left behind.
 */
@Timeout(60)
class EngineAtScaleBenchmarksTest
{
    private static final IterationParams MEASUREMENT =
        new IterationParams(IterationType.MEASUREMENT, 1, TimeValue.seconds(1), 1);

    @Test
    void shouldCountTheIdleRoutersThreadsAndTheirCpuAndLeaveNoneBehind()
    {
        final RouterIdleBenchmark.IdleCost cost = new RouterIdleBenchmark.IdleCost();
        cost.setUp(MEASUREMENT);
        final RouterIdleBenchmark.RouterIdle dedicated = idle("2x3", ThreadingMode.DEDICATED, WaitStrategy.BLOCKING);
        try
        {
            new RouterIdleBenchmark().router(dedicated, cost);
            assertThat(cost.threads).isEqualTo(6);
            assertThat(cost.cores).isBetween(0.0, 0.2);
        }
        finally
        {
            dedicated.tearDown();
        }
        assertThat(dedicated.threads.count()).isZero();

        final RouterIdleBenchmark.RouterIdle shared = idle("4x4", ThreadingMode.SHARED, WaitStrategy.YIELDING);
        try
        {
            new RouterIdleBenchmark().router(shared, cost);
            assertThat(cost.threads).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(cost.cores).isGreaterThan(0.01);
            assertThat(cost.processCores).isGreaterThan(0.01);
        }
        finally
        {
            shared.tearDown();
        }
        assertThat(shared.threads.count()).isZero();
    }

    @Test
    void shouldRefuseToSpinAThreadPerSourceAndSink()
    {
        final RouterIdleBenchmark.RouterIdle idle = new RouterIdleBenchmark.RouterIdle();
        idle.shape = "2x2";
        idle.threading = ThreadingMode.DEDICATED;
        idle.waitStrategy = WaitStrategy.BUSY_SPIN;
        assertThatThrownBy(idle::setUp).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BUSY_SPIN");

        final RouterIdleBenchmark.SpinningRouterIdle spinning = new RouterIdleBenchmark.SpinningRouterIdle();
        spinning.layout = "DEDICATED:2x2";
        assertThatThrownBy(spinning::setUp).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1x1");
    }

    @Test
    void shouldTimeEveryDeliveryAtTheOfferedRate()
    {
        final HdrLatencyProfiler profiler = new HdrLatencyProfiler();
        final RouterLatencyBenchmark.RouterPath path = new RouterLatencyBenchmark.RouterPath();
        path.shape = "2x2";
        path.threading = ThreadingMode.SHARED;
        path.waitStrategy = WaitStrategy.BLOCKING;
        path.rate = 20_000;
        final RouterLatencyBenchmark.Delivered window = new RouterLatencyBenchmark.Delivered();
        window.setUp(MEASUREMENT);
        path.setUp();
        final Map<String, Double> results;
        final long before;
        final long after;
        try
        {
            profiler.beforeIteration(null, MEASUREMENT);
            before = received(path);
            new RouterLatencyBenchmark().router(path, window);
            after = received(path);
            results = profiler.afterIteration(null, MEASUREMENT, null).stream()
                .collect(Collectors.toMap(ScalarResult::getLabel, ScalarResult::getScore));
        }
        finally
        {
            path.tearDown();
        }
        // About 4,000 messages offered in the 200 ms window, each timed once by each of the two sinks.
        assertThat(window.published).isBetween(0.5, 1.5);
        assertThat(window.delivered).isBetween(0.5, 1.5);
        assertThat(results.get("rtt.count")).isGreaterThanOrEqualTo(after - before);
        assertThat(results.get("rtt.p50")).isPositive();
        assertThat(results.get("rtt.p999")).isGreaterThanOrEqualTo(results.get("rtt.p50"));
    }

    @Test
    void shouldGiveTheFastSinksEveryMessageUnderEachPolicyAndLeaveNoQueueOrThreadBehind(@TempDir final Path dir)
        throws IOException
    {
        for (final String policy : new String[] {"drop", "disconnect=10ms", "spill"})
        {
            final SlowSinkBenchmark.StalledPath path = new SlowSinkBenchmark.StalledPath();
            path.policy = policy;
            path.waitStrategy = WaitStrategy.BLOCKING;
            path.spillParent = dir;
            path.setUp();
            try
            {
                for (int batch = 0; batch < 2; batch++)
                {
                    path.stall();
                    new SlowSinkBenchmark().fastSinks(path);
                    path.unstall();
                }
                // One first message per stall, then the batch.
                assertThat(path.fastA.received()).as(policy).isEqualTo(2L * Harness.MILLION + 2);
                assertThat(path.fastB.received()).as(policy).isEqualTo(2L * Harness.MILLION + 2);
            }
            finally
            {
                path.tearDown();
            }
            assertThat(path.spillRoot).as(policy).doesNotExist();
        }
    }

    private static RouterIdleBenchmark.RouterIdle idle(
        final String shape, final ThreadingMode threading, final WaitStrategy waitStrategy)
    {
        final RouterIdleBenchmark.RouterIdle idle = new RouterIdleBenchmark.RouterIdle();
        idle.shape = shape;
        idle.threading = threading;
        idle.waitStrategy = waitStrategy;
        idle.setUp();
        return idle;
    }

    private static long received(final RouterLatencyBenchmark.RouterPath path)
    {
        long total = 0;
        for (final LatencySink sink : path.sinks)
        {
            total += sink.received();
        }
        return total;
    }
}
