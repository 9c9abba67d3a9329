package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pump that waits for room in a full ring (its sink is stuck) holds a message it has taken from its source. Given
 * up by a stop or by the unregistering of its source, it ends within the timeout and the message it held is counted
 * as undelivered, never dropped silently.
 */
@Timeout(60)
class PumpAbandonTest
{
    private static final int RING = 4;
    private static final int ITEMS = 100;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldCountTheMessageAPumpHeldWhenAStopAbandonsIt(final boolean queue) throws Exception
    {
        final Stuck stuck = new Stuck("held-at-stop", queue);
        final StopResult result = stuck.router.stop(Duration.ofMillis(300));
        stuck.release();

        assertThat(result.isClean()).isFalse();
        assertThat(result.undelivered()).as("taken from the queue and never delivered: " + result)
            .isEqualTo(stuck.taken() - stuck.delivered.get());
        Threads.assertNoThreadsNamed("ringlink-held-at-stop-");
    }

    @Test
    void shouldEndAPumpBlockedOnAFullRingWhenItsSourceIsUnregistered() throws Exception
    {
        final Stuck stuck = new Stuck("held-at-unregister", true);
        final long start = System.nanoTime();
        assertThat(stuck.router.unregister(stuck.source)).isTrue();
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("unregister waits at most the stop timeout, then gives up")
            .isLessThan(Duration.ofSeconds(5));
        Threads.assertNoThreadsNamed("ringlink-held-at-unregister-pump-");
        final long takenAtUnregister = stuck.taken();

        stuck.release();
        final StopResult result = stuck.router.stop(Duration.ofSeconds(5));
        assertThat(stuck.taken()).as("nothing more is taken from an unregistered source").isEqualTo(takenAtUnregister);
        assertThat(stuck.delivered.get() + result.undelivered()).as(result.toString()).isEqualTo(takenAtUnregister);
        Threads.assertNoThreadsNamed("ringlink-held-at-unregister-");
    }

    /**
     * A router whose only sink blocks on its first message, fed by a source that fills the ring and waits: a queue, or
     * a source that hands over one message per read and counts them.
     */
    private static final class Stuck
    {
        final BlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
        final AtomicLong handedOver = new AtomicLong();
        final CountDownLatch latch = new CountDownLatch(1);
        final AtomicLong delivered = new AtomicLong();
        final Router<Integer> router;
        final SourceId source;
        final boolean fromQueue;

        Stuck(final String name, final boolean fromQueue) throws InterruptedException
        {
            router = Router.builder().name(name).ringSize(RING).stopTimeout(Duration.ofMillis(300)).build();
            router.write((Consumer<Integer>)(message) ->
            {
                try
                {
                    latch.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ex);
                }
                delivered.incrementAndGet();
            });
            for (int i = 0; i < ITEMS; i++)
            {
                queue.put(i);
            }
            source = router.read(fromQueue ? queue : new Source<Integer>()
            {
                @Override
                public int read(final MessageHandler<? super Integer> handler, final int limit)
                {
                    final long next = handedOver.incrementAndGet();
                    handler.onMessage((int)next);
                    return 1;
                }
            });
            this.fromQueue = fromQueue;
            // The ring is full (the sink holds its first message) and the pump waits for room with the next.
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sources().get(0).backlog() == RING);
        }

        long taken()
        {
            return fromQueue ? ITEMS - queue.size() : handedOver.get();
        }

        void release()
        {
            latch.countDown();
        }
    }
}
