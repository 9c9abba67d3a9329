package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A source whose sinks are stuck fills its ring; its pump then waits for room, possibly holding a message it took.
 * Given up by a stop or by the unregistering of its source, it ends within the timeout; what no sink got is counted
 * exactly once per sink, never dropped silently; no thread is alive when the stop returns; the queue stays usable.
 */
@Timeout(60)
class PumpAbandonTest
{
    private static final int RING = 4;
    private static final int ITEMS = 100;

    /** {@code POLLED}: a source that reads without blocking, its pump on an agent of a {@code SHARED} router. */
    enum Kind
    {
        LINKED_QUEUE, ARRAY_QUEUE, TRANSFER_QUEUE, COUNTING_SOURCE, POLLED
    }

    static Stream<Arguments> kindsAndSinks()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final Kind kind : Kind.values())
        {
            arguments.add(Arguments.of(kind, 1));
            arguments.add(Arguments.of(kind, 2));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, {1} sink(s)")
    @MethodSource("kindsAndSinks")
    void shouldCountWhatNoSinkGotWhenAStopAbandonsTheSource(final Kind kind, final int sinks) throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            final String name = "held-at-stop-" + kind.name().toLowerCase() + "-" + sinks + "-" + round;
            final Stuck stuck = new Stuck(name, kind, sinks);
            final StopResult result = stuck.router.stop(Duration.ofMillis(200));
            final List<String> alive = Threads.liveThreadsNamed("ringlink-" + name + "-");
            stuck.release();

            assertThat(alive).as("threads alive when stop returned").isEmpty();
            assertThat(result.isClean()).isFalse();
            assertThat(result.undelivered()).as("(message, sink) pairs taken and never delivered: " + result)
                .isEqualTo(stuck.taken() * sinks - stuck.delivered.get());
        }
    }

    @Test
    void shouldEndAPumpBlockedOnAFullRingWhenItsSourceIsUnregistered() throws Exception
    {
        final Stuck stuck = new Stuck("held-at-unregister", Kind.LINKED_QUEUE, 1);
        final long start = System.nanoTime();
        assertThat(stuck.router.unregister(stuck.source)).isTrue();
        final Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("unregister waits at most the stop timeout, then gives up")
            .isLessThan(Duration.ofSeconds(5));
        assertThat(Threads.liveThreadsNamed("ringlink-held-at-unregister-")).as("pump and halted deliveries").isEmpty();
        final long takenAtUnregister = stuck.taken();

        stuck.release();
        final StopResult result = stuck.router.stop(Duration.ofSeconds(5));
        assertThat(stuck.taken()).as("nothing more is taken from an unregistered source").isEqualTo(takenAtUnregister);
        assertThat(stuck.delivered.get() + result.undelivered()).as(result.toString()).isEqualTo(takenAtUnregister);
        Threads.assertNoThreadsNamed("ringlink-held-at-unregister-");
    }

    @Test
    void shouldKeepDrainChecksAndTheCallersQueueResponsiveWhileThePumpWaitsForRoom() throws Exception
    {
        final Stuck stuck = new Stuck("queue-responsive", Kind.ARRAY_QUEUE, 1);
        try
        {
            final long start = System.nanoTime();
            assertThat(stuck.router.awaitDrained(Duration.ofMillis(200))).isFalse();
            assertThat(stuck.router.metrics().backlog()).isPositive();
            assertThat(stuck.queue.offer(-1, 1, TimeUnit.SECONDS)).as("the caller can still offer").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        }
        finally
        {
            stuck.release();
            stuck.router.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void shouldBoundAStopByItsOwnTimeoutWhileAnotherThreadClosesAStuckPublisher() throws Exception
    {
        final CountDownLatch latch = new CountDownLatch(1);
        final Router<Integer> router = Router.builder().name("bounded-stop").ringSize(RING)
            .stopTimeout(Duration.ofSeconds(5)).build();
        router.write((Consumer<Integer>)(message) -> awaitQuietly(latch));
        final Publisher<Integer> publisher = router.publisher("p");
        final Thread owner = new Thread(() ->
        {
            try
            {
                for (int i = 0; ; i++)
                {
                    publisher.publish(i);
                }
            }
            catch (final IllegalStateException expected)
            {
                // the source ended
            }
        }, "bounded-stop-owner");
        owner.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().backlog() >= RING);
        final Thread closer = new Thread(publisher::close, "bounded-stop-closer");
        closer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> closer.getState() != Thread.State.NEW);

        final long start = System.nanoTime();
        final StopResult result = router.stop(Duration.ofMillis(200));
        final Duration took = Duration.ofNanos(System.nanoTime() - start);
        latch.countDown();
        closer.join(10_000);
        owner.join(10_000);

        assertThat(took).as("stop(200 ms) beside a close(5 s): " + result).isLessThan(Duration.ofMillis(1_500));
        assertThat(closer.isAlive()).isFalse();
        assertThat(owner.isAlive()).isFalse();
    }

    private static void awaitQuietly(final CountDownLatch latch)
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
    }

    /** A router whose sinks block on their first message, fed by a source that fills the ring and waits. */
    private static final class Stuck
    {
        final BlockingQueue<Integer> queue;
        final AtomicLong handedOver = new AtomicLong();
        final CountDownLatch latch = new CountDownLatch(1);
        final AtomicLong delivered = new AtomicLong();
        final Router<Integer> router;
        final SourceId source;
        final Kind kind;

        Stuck(final String name, final Kind kind, final int sinks) throws InterruptedException
        {
            this.kind = kind;
            queue = switch (kind)
            {
                case ARRAY_QUEUE -> new ArrayBlockingQueue<>(ITEMS * 2);
                case TRANSFER_QUEUE -> new LinkedTransferQueue<>();
                default -> new LinkedBlockingQueue<>();
            };
            router = Router.builder().name(name).ringSize(RING).stopTimeout(Duration.ofMillis(300))
                .threading(kind == Kind.POLLED ? ThreadingMode.SHARED : ThreadingMode.DEDICATED).deliveryThreads(1)
                .build();
            for (int s = 0; s < sinks; s++)
            {
                router.write((Consumer<Integer>)(message) ->
                {
                    awaitQuietly(latch);
                    delivered.incrementAndGet();
                });
            }
            for (int i = 0; i < ITEMS; i++)
            {
                queue.put(i);
            }
            source = router.read(kind == Kind.POLLED ? new PolledSource<>(queue) : kind != Kind.COUNTING_SOURCE ?
                queue : new Source<Integer>()
            {
                @Override
                public int read(final MessageHandler<? super Integer> handler, final int limit)
                {
                    // Ignores its limit on purpose: hands two, so that the pump holds one while it waits for room.
                    handler.onMessage((int)handedOver.incrementAndGet());
                    handler.onMessage((int)handedOver.incrementAndGet());
                    return 2;
                }
            });
            // The ring is full (each sink holds its first message).
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sources().get(0).backlog() == RING);
        }

        long taken()
        {
            return kind == Kind.COUNTING_SOURCE ? handedOver.get() : ITEMS - queue.size();
        }

        void release()
        {
            latch.countDown();
        }
    }
}
