package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A sink stalled on a latch beside two fast sinks, one source publishing {@link #MESSAGES} (1M by default; set
 * {@code -Dringlink.slowSinks.messages=N} for more or fewer): under {@code drop} and {@code disconnectAfter} the fast
 * sinks receive everything while the stalled sink is stalled; under {@code block} the producer waits. The spill
 * policy's test needs a persistent queue and lives in router-offheap ({@code SpillSinkTest}).
 */
@Timeout(120)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class SlowSinkPolicyTest
{
    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    static final int MESSAGES = Integer.getInteger("ringlink.slowSinks.messages", 1_000_000);
    private static final int RING = 1024;

    /**
     * In {@code SHARED} each of the three sinks gets its own agent: a sink that blocks (not merely slow) holds the
     * other sinks of its agent whatever its policy, as a blocking handler holds an Agrona agent's other work.
     */
    private Router<Long> router(final String name)
    {
        return Router.builder().threading(threading).deliveryThreads(3)
            .name(name).ringSize(RING).waitStrategy(WaitStrategy.BLOCKING).build();
    }

    private static Publisher<Long> publisher(final Router<Long> router, final boolean concurrent)
    {
        return concurrent ? router.concurrentPublisher("feed") : router.publisher("feed");
    }

    private static RouterMetrics.SinkMetrics metricsOf(final Router<?> router, final SinkId id)
    {
        return router.metrics().sinks().stream().filter((sink) -> sink.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * A pulled source: its pump waits for room before it reads, and that wait relieves a {@code drop} sink as a
     * producer's claim does. A queue (a pump thread) and, in {@code SHARED}, a source that reads without blocking (its
     * pump on the third agent, beside no sink).
     */
    @ParameterizedTest(name = "reads without blocking: {0}")
    @ValueSource(booleans = {false, true})
    void dropLetsTheFastSinkHaveEverythingAPulledSourceHoldsWhileTheStalledOneWaits(final boolean polled)
        throws Exception
    {
        final StalledSink stalled = new StalledSink();
        final SequenceSink fast = new SequenceSink(1);
        final int messages = MESSAGES / 50;
        final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
        queue.add(0L);
        try (Router<Long> router = router("drop-pulled-" + polled))
        {
            final SinkId slowId = router.write(stalled, SinkOptions.drop());
            router.write(fast);
            router.read(polled ? new PolledSource<>(queue) : queue);
            stalled.awaitStalled();
            for (long i = 1; i < messages; i++)
            {
                queue.add(i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> fast.count() == messages);
            assertThat(stalled.count()).isEqualTo(1);
            stalled.release();
            await().atMost(Duration.ofSeconds(30)).until(router::isDrained);
            final RouterMetrics.SinkMetrics slow = metricsOf(router, slowId);
            assertThat(slow.delivered() + slow.dropped()).isEqualTo(messages);
        }
        assertThat(fast.problems()).isEmpty();
        assertThat(stalled.problems()).isEmpty();
        Threads.assertNoThreadsNamed("ringlink-drop-pulled-" + polled + "-");
    }

    @ParameterizedTest(name = "concurrent publisher: {0}")
    @ValueSource(booleans = {false, true})
    void dropLetsTheFastSinksHaveEverythingWhileTheStalledOneMissesWhatItLapped(final boolean concurrent)
        throws Exception
    {
        final StalledSink stalled = new StalledSink();
        final SequenceSink fastA = new SequenceSink(1);
        final SequenceSink fastB = new SequenceSink(1);
        try (Router<Long> router = router("drop-" + concurrent))
        {
            final SinkId slowId = router.write(stalled, SinkOptions.drop());
            router.write(fastA);
            router.write(fastB);
            final Publisher<Long> publisher = publisher(router, concurrent);
            publisher.publish(0L);
            stalled.awaitStalled();
            for (long i = 1; i < MESSAGES; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(60))
                .until(() -> fastA.count() == MESSAGES && fastB.count() == MESSAGES);
            assertThat(stalled.count()).isEqualTo(1);
            assertThat(metricsOf(router, slowId).lag()).isGreaterThanOrEqualTo(RING - 1);

            stalled.release();
            publisher.close();
            await().atMost(Duration.ofSeconds(60)).until(router::isDrained);
            final RouterMetrics.SinkMetrics slow = metricsOf(router, slowId);
            assertThat(stalled.problems()).isEmpty();
            assertThat(slow.delivered()).isEqualTo(stalled.count());
            assertThat(slow.dropped()).isGreaterThanOrEqualTo(MESSAGES - 2L * RING);
            assertThat(slow.delivered() + slow.dropped()).isEqualTo(MESSAGES);
            assertThat(stalled.last()).isEqualTo(MESSAGES - 1);
        }
        assertThat(fastA.problems()).isEmpty();
        assertThat(fastB.problems()).isEmpty();
        Threads.assertNoThreadsNamed("ringlink-drop-" + concurrent + "-");
    }

    @Test
    void dropCountsNothingWhileTheSinkKeepsUp()
    {
        final SequenceSink sink = new SequenceSink(1);
        try (Router<Long> router = router("drop-keeps-up"))
        {
            final SinkId id = router.write(sink, SinkOptions.drop());
            final Publisher<Long> publisher = router.publisher("feed");
            for (long i = 0; i < RING / 2; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == RING / 2);
            assertThat(metricsOf(router, id).dropped()).isZero();
        }
        assertThat(sink.problems()).isEmpty();
    }

    @ParameterizedTest(name = "concurrent publisher: {0}")
    @ValueSource(booleans = {false, true})
    void disconnectAfterRemovesTheStalledSinkAndTheFastSinksHaveEverything(final boolean concurrent) throws Exception
    {
        final StalledSink stalled = new StalledSink();
        final SequenceSink fastA = new SequenceSink(1);
        final SequenceSink fastB = new SequenceSink(1);
        try (Router<Long> router = router("disconnect-" + concurrent))
        {
            final SinkId slowId = router.write(stalled, SinkOptions.disconnectAfter(Duration.ofMillis(200)));
            router.write(fastA);
            router.write(fastB);
            final Publisher<Long> publisher = publisher(router, concurrent);
            publisher.publish(0L);
            stalled.awaitStalled();
            final long start = System.nanoTime();
            for (long i = 1; i < MESSAGES; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(60))
                .until(() -> fastA.count() == MESSAGES && fastB.count() == MESSAGES);
            // It was held at least the timeout before the sink went.
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
            final RouterMetrics metrics = router.metrics();
            assertThat(metrics.disconnectedSinks()).isEqualTo(1);
            assertThat(metrics.sinks()).extracting(RouterMetrics.SinkMetrics::id).doesNotContain(slowId);
            assertThat(stalled.count()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(30)).until(stalled::isClosed);
            assertThat(stalled.wasInterrupted()).isTrue();
        }
        assertThat(stalled.problems()).isEmpty();
        assertThat(fastA.problems()).isEmpty();
        assertThat(fastB.problems()).isEmpty();
        Threads.assertNoThreadsNamed("ringlink-disconnect-" + concurrent + "-");
    }

    @Test
    void disconnectAfterKeepsASinkThatKeepsUp()
    {
        final SequenceSink sink = SequenceSink.slow(1, 2_000);
        try (Router<Long> router = router("disconnect-keeps-up"))
        {
            router.write(sink, SinkOptions.disconnectAfter(Duration.ofSeconds(5)));
            final Publisher<Long> publisher = router.publisher("feed");
            for (long i = 0; i < 20 * RING; i++)
            {
                publisher.publish(i);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 20 * RING);
            assertThat(router.metrics().disconnectedSinks()).isZero();
            assertThat(router.metrics().sinks()).hasSize(1);
        }
        assertThat(sink.problems()).isEmpty();
    }

    @Test
    void blockMakesTheProducerWaitForTheStalledSink() throws Exception
    {
        final StalledSink stalled = new StalledSink();
        final SequenceSink fast = new SequenceSink(1);
        try (Router<Long> router = router("block"))
        {
            router.write(stalled, SinkOptions.block());
            router.write(fast);
            final Publisher<Long> publisher = router.publisher("feed");
            publisher.publish(0L);
            stalled.awaitStalled();
            long published = 1;
            while (publisher.tryPublish(published))
            {
                published++;
            }
            // The stalled sink still holds slot 0's batch: the ring takes exactly one ring of messages.
            assertThat(published).isEqualTo(RING);
            assertThat(publisher.publish(published, Duration.ofMillis(200))).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> fast.count() == RING);

            stalled.release();
            assertThat(publisher.publish(published, Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> stalled.count() == RING + 1 && fast.count() == RING + 1);
        }
        assertThat(stalled.problems()).isEmpty();
        assertThat(fast.problems()).isEmpty();
    }

    @Test
    void parsesTheCommandForm()
    {
        assertThat(SinkOptions.parse("block")).isEqualTo(SinkOptions.block());
        assertThat(SinkOptions.parse("DROP")).isEqualTo(SinkOptions.drop());
        assertThat(SinkOptions.parse("disconnect=250ms"))
            .isEqualTo(SinkOptions.disconnectAfter(Duration.ofMillis(250)));
        assertThat(SinkOptions.parse("disconnect=PT2S")).isEqualTo(SinkOptions.disconnectAfter(Duration.ofSeconds(2)));
        assertThat(SinkOptions.parse("spill=chronicle:/tmp/Q?codec=longs").spillUri())
            .isEqualTo("chronicle:/tmp/Q?codec=longs");
        assertThatThrownBy(() -> SinkOptions.parse("disconnect=soon"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("soon");
        assertThatThrownBy(() -> SinkOptions.parse("lossy"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block, drop");
    }
}
