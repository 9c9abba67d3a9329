package io.ringlink;

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
 * {@link StopResult#undelivered()} counts the messages a sink was handed and never flushed: a sink blocked in
 * {@code onEndOfBatch} (a write to a pipe nobody reads) when the stop gives up on it has lost the whole batch, not
 * only what was still in the ring. Each such message counts once, beside the ring's lag, and a sink that flushed
 * everything costs nothing.
 */
@Timeout(60)
@ParameterizedClass(name = "{0}")
@EnumSource(ThreadingMode.class)
class StopUnflushedTest
{
    /** Handed to the sink in one batch (one batch publish into an empty ring), whose flush then blocks. */
    private static final int HANDED = 100;
    /** Published once the flush is blocked: they wait in the ring. */
    private static final int IN_RING = 7;

    /** Every test runs in both threading modes. */
    @Parameter
    ThreadingMode threading;

    private Router<Long> router(final String name)
    {
        return Router.builder().threading(threading).deliveryThreads(1).name(name + "-" + threading)
            .ringSize(1024).waitStrategy(WaitStrategy.BLOCKING).build();
    }

    private static Long[] messages(final int count)
    {
        final Long[] messages = new Long[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = (long)i;
        }
        return messages;
    }

    @Test
    void aSinkBlockedInItsFlushHasLostWhatItWasHandedAsWellAsWhatWasLeftInTheRing() throws Exception
    {
        final FlushSink sink = new FlushSink(true);
        try (Router<Long> router = router("unflushed"))
        {
            final SinkId id = router.write(sink);
            final Publisher<Long> publisher = router.publisher("p");
            assertThat(publisher.publishBatch(messages(HANDED), 0, HANDED)).isEqualTo(HANDED);
            sink.awaitFlushBlocked();
            for (long i = 0; i < IN_RING; i++)
            {
                publisher.publish(HANDED + i);
            }
            final RouterMetrics.SinkMetrics before = router.metrics().sinks().get(0);
            // Its onMessage returned for each: delivered, in the metrics' sense; and none was flushed.
            assertThat(before.delivered()).isEqualTo(HANDED);
            assertThat(before.lag()).isEqualTo(IN_RING);
            assertThat(sink.received()).isEqualTo(HANDED);

            final StopResult result = router.stop(Duration.ofMillis(200));
            assertThat(sink.flushed()).as("the flush never returned").isZero();
            assertThat(result.drained()).isFalse();
            assertThat(result.abandonedSinks()).containsExactly(id.name());
            assertThat(result.undelivered()).as("handed and not flushed, plus left in the ring")
                .isEqualTo(HANDED + IN_RING);
        }
    }

    @Test
    void aSinkThatFlushedEverythingHasLostNothing() throws Exception
    {
        final FlushSink sink = new FlushSink(false);
        try (Router<Long> router = router("flushed"))
        {
            router.write(sink);
            final Publisher<Long> publisher = router.publisher("p");
            assertThat(publisher.publishBatch(messages(HANDED), 0, HANDED)).isEqualTo(HANDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> sink.flushed() == HANDED);
            final StopResult result = router.stop(Duration.ofMillis(200));
            assertThat(result.undelivered()).isZero();
            assertThat(result.isClean()).isTrue();
            assertThat(router.metrics().delivered()).isEqualTo(HANDED);
        }
    }

    /** Counts what it received and what it had received at its last flush; its first flush may block until stopped. */
    private static final class FlushSink implements Sink<Long>
    {
        private final boolean blockFlush;
        private final CountDownLatch flushBlocked = new CountDownLatch(1);
        private final CountDownLatch never = new CountDownLatch(1);
        private final AtomicLong received = new AtomicLong();
        private final AtomicLong flushed = new AtomicLong();

        FlushSink(final boolean blockFlush)
        {
            this.blockFlush = blockFlush;
        }

        @Override
        public void onMessage(final Long message)
        {
            received.incrementAndGet();
        }

        @Override
        public void onEndOfBatch() throws InterruptedException
        {
            if (blockFlush)
            {
                flushBlocked.countDown();
                // Until the stop interrupts it: a write to a pipe nobody reads.
                assertThat(never.await(30, TimeUnit.SECONDS)).isTrue();
            }
            flushed.set(received.get());
        }

        @Override
        public String name()
        {
            return "flush-sink";
        }

        void awaitFlushBlocked() throws InterruptedException
        {
            assertThat(flushBlocked.await(10, TimeUnit.SECONDS)).as("the sink's flush was called").isTrue();
        }

        long received()
        {
            return received.get();
        }

        long flushed()
        {
            return flushed.get();
        }
    }
}
