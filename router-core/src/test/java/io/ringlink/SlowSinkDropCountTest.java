package io.ringlink;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code drop()} counts every message it misses, also those a producer skipped before the sink's delivery read its
 * first batch: a delivery is added (a source registered, or a sink written) while the thread that is to run it cannot
 * start it yet, and a producer floods the small ring meanwhile, pushing the new delivery's gating sequence ahead. What
 * the sink should have seen since its start (every message published after it was added) is then exactly what it
 * received plus what it dropped. The delivery is kept from starting without timing: in {@code DEDICATED} it waits for
 * its fan-in handshake with a sibling delivery stalled in the same sink; in {@code SHARED} its one agent is stalled in
 * a sink.
 */
@Timeout(60)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class SlowSinkDropCountTest
{
    private static final int RING = 64;
    /** Messages the producer publishes while the new delivery cannot start: many times the ring. */
    private static final int FLOOD = RING * 20;

    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private Router<Long> router(final String name)
    {
        return Router.builder().threading(threading).deliveryThreads(1).name(name + "-" + threading)
            .ringSize(RING).waitStrategy(WaitStrategy.BLOCKING).stopTimeout(Duration.ofSeconds(5)).build();
    }

    private static RouterMetrics.SinkMetrics metricsOf(final Router<?> router, final SinkId id)
    {
        return router.metrics().sinks().stream().filter((sink) -> sink.id().equals(id)).findFirst().orElseThrow();
    }

    /** Waits until the sink has caught up with its rings, then checks received plus dropped against expected. */
    private static void assertEverythingCounted(final Router<Long> router, final SinkId id, final HeldSink sink,
        final long expected)
    {
        await().atMost(Duration.ofSeconds(20)).until(() -> metricsOf(router, id).lag() == 0);
        final RouterMetrics.SinkMetrics metrics = metricsOf(router, id);
        assertThat(metrics.delivered()).as("delivered").isEqualTo(sink.count());
        assertThat(metrics.delivered() + metrics.dropped())
            .as("delivered %d + dropped %d, of %d published since the sink started", metrics.delivered(),
                metrics.dropped(), expected)
            .isEqualTo(expected);
    }

    @Test
    void aSourceRegisteredWhileTheDropSinkIsBusyCountsWhatItsProducerSkippedBeforeTheFirstBatch() throws Exception
    {
        final HeldSink sink = new HeldSink();
        try (Router<Long> router = router("drop-late-source"))
        {
            final SinkId id = router.write(sink, SinkOptions.drop());
            final Publisher<Long> first = router.publisher("first");
            first.publish(-1L);
            sink.awaitHeld();
            // The new source's delivery into the held sink cannot start until the sink returns.
            final Publisher<Long> flood = router.publisher("flood");
            for (long i = 0; i < FLOOD; i++)
            {
                flood.publish(i);
            }
            sink.release();
            assertEverythingCounted(router, id, sink, 1 + FLOOD);
        }
    }

    @Test
    void aDropSinkWrittenWhileItsAgentIsBusyCountsWhatTheProducerSkippedBeforeTheFirstBatch() throws Exception
    {
        Assumptions.assumeTrue(threading == ThreadingMode.SHARED, "a dedicated delivery thread starts at once");
        final HeldSink busy = new HeldSink();
        final HeldSink late = new HeldSink();
        try (Router<Long> router = router("drop-late-sink"))
        {
            final SinkId busyId = router.write(busy, SinkOptions.drop());
            final Publisher<Long> publisher = router.publisher("flood");
            publisher.publish(-1L);
            busy.awaitHeld();
            // The one agent is held in the first sink: the new sink's delivery cannot start until it returns.
            final SinkId lateId = router.write(late, SinkOptions.drop());
            for (long i = 0; i < FLOOD; i++)
            {
                publisher.publish(i);
            }
            busy.release();
            late.release();
            assertEverythingCounted(router, lateId, late, FLOOD);
            assertEverythingCounted(router, busyId, busy, 1 + FLOOD);
        }
    }

    /** Holds its first message until released, then takes the rest at full speed, counting what it received. */
    private static final class HeldSink implements Sink<Long>
    {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final AtomicLong count = new AtomicLong();

        @Override
        public void onMessage(final Long message) throws InterruptedException
        {
            count.incrementAndGet();
            if (held.getCount() > 0)
            {
                held.countDown();
                if (!released.await(30, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("never released");
                }
            }
        }

        void awaitHeld() throws InterruptedException
        {
            assertThat(held.await(10, TimeUnit.SECONDS)).as("the sink got its first message").isTrue();
        }

        void release()
        {
            released.countDown();
        }

        long count()
        {
            return count.get();
        }
    }
}
