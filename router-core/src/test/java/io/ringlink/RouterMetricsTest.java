package io.ringlink;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Metrics are snapshots that count what happened, change nothing when read, and show backlog and lag.
 */
@Timeout(60)
class RouterMetricsTest
{
    @Test
    void shouldCountWhatWasDeliveredAndGiveTheSameSnapshotTwice()
    {
        final BlockingQueue<String> a = new LinkedBlockingQueue<>();
        final BlockingQueue<String> b = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().name("metrics").build())
        {
            final SinkId idA = router.write(a);
            router.write(b);
            final Publisher<String> publisher = router.publisher("p");
            for (int i = 0; i < 500; i++)
            {
                publisher.publish("m" + i);
            }
            assertThat(router.awaitDrained(Duration.ofSeconds(10))).isTrue();
            final RouterMetrics first = router.metrics();
            final RouterMetrics second = router.metrics();
            assertThat(second).isEqualTo(first);
            assertThat(first.router()).isEqualTo("metrics");
            assertThat(first.published()).isEqualTo(500);
            assertThat(first.delivered()).isEqualTo(1000).isEqualTo((long)a.size() + b.size());
            assertThat(first.sources()).singleElement().satisfies((source) ->
            {
                assertThat(source.id()).isEqualTo(publisher.id());
                assertThat(source.published()).isEqualTo(500);
                assertThat(source.backlog()).isZero();
            });
            assertThat(first.sinks()).hasSize(2);
            assertThat(first.sinks().get(0).id()).isEqualTo(idA);
            assertThat(first.sinks().get(0).delivered()).isEqualTo(500);
            assertThat(first.latency()).isEqualTo(RouterMetrics.Latency.NONE);
        }
    }

    @Test
    void shouldShowBacklogAndLagOfABlockedSink()
    {
        final BlockingQueue<Integer> full = new ArrayBlockingQueue<>(5);
        try (Router<Integer> router = Router.builder().name("lag").ringSize(64)
            .stopTimeout(Duration.ofMillis(200)).build())
        {
            router.write(full);
            final Publisher<Integer> publisher = router.publisher("p");
            for (int i = 0; i < 20; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> full.size() == 5);
            final RouterMetrics metrics = router.metrics();
            // Five in the queue; the sixth is in the sink's hands, blocked; fourteen wait in the ring.
            assertThat(metrics.sinks().get(0).delivered()).isEqualTo(5);
            assertThat(metrics.sinks().get(0).lag()).isEqualTo(15);
            assertThat(metrics.sources().get(0).backlog()).isEqualTo(15);
            assertThat(router.isDrained()).isFalse();
        }
    }

    @Test
    void shouldReportQueueSourceBacklog() throws InterruptedException
    {
        final BlockingQueue<Integer> in = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().name("pending").build())
        {
            router.read(in);
            in.put(1);
            in.put(2);
            assertThat(router.metrics().sources().get(0).pending()).isEqualTo(2);
            assertThat(router.metrics().backlog()).isEqualTo(2);
            assertThat(router.isDrained()).isFalse();
        }
    }

    @Test
    void shouldRecordPublishToDeliveryLatencyWhenAskedTo()
    {
        final BlockingQueue<Integer> out = new LinkedBlockingQueue<>();
        try (Router<Integer> router = Router.builder().name("latency").recordLatency(true).build())
        {
            router.write(out);
            final Publisher<Integer> publisher = router.publisher("p");
            for (int i = 0; i < 1000; i++)
            {
                publisher.publish(i);
            }
            assertThat(router.awaitDrained(Duration.ofSeconds(10))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().latency().count() == 1000);
            final RouterMetrics.Latency latency = router.metrics().latency();
            assertThat(latency.p50()).isPositive();
            assertThat(latency.p50()).isLessThanOrEqualTo(latency.p99());
            assertThat(latency.p99()).isLessThanOrEqualTo(latency.p999());
            assertThat(latency.p999()).isLessThanOrEqualTo(latency.max());
            assertThat(router.metrics().latency()).isEqualTo(latency);
        }
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldNeverLoseTheCountOfASourceThatRetiresWhileMetricsAreRead(final ThreadingMode threading)
        throws Exception
    {
        try (Router<Integer> router = Router.builder().name("retiring-" + threading).threading(threading)
            .deliveryThreads(1).build())
        {
            final LinkedBlockingQueue<Integer> sink = new LinkedBlockingQueue<>();
            router.write(sink);
            final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
            final AtomicLong highest = new AtomicLong();
            final AtomicBoolean reading = new AtomicBoolean(true);
            final AtomicInteger expected = new AtomicInteger();
            final Thread reader = new Thread(() ->
            {
                while (reading.get())
                {
                    // Delivered before it was read, so published by then: the count may not be lower.
                    final int floor = expected.get();
                    final long published = router.metrics().published();
                    // Published by the round running now at most, whose end is set only after its delivery.
                    final int ceiling = expected.get() + 10;
                    if (published < floor)
                    {
                        lowest.accumulateAndGet(published - floor, Math::min);
                    }
                    highest.accumulateAndGet(published - ceiling, Math::max);
                }
            }, "metrics-reader");
            reader.start();
            try
            {
                // Each round: a source publishes 10, is delivered, then ends and retires while metrics are read.
                for (int round = 0; round < 200; round++)
                {
                    final Publisher<Integer> publisher = router.publisher("p" + round);
                    for (int i = 0; i < 10; i++)
                    {
                        publisher.publish(i);
                    }
                    final int total = (round + 1) * 10;
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> sink.size() == total);
                    expected.set(total);
                    publisher.close();
                    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
                        .until(() -> router.metrics().sources().isEmpty());
                }
            }
            finally
            {
                reading.set(false);
                reader.join(10_000);
            }
            assertThat(lowest.get()).as("published below what was delivered, at worst by").isEqualTo(Long.MAX_VALUE);
            assertThat(highest.get()).as("published above what was published, at worst by").isLessThanOrEqualTo(0);
            assertThat(router.metrics().published()).isEqualTo(2_000);
        }
    }
}
