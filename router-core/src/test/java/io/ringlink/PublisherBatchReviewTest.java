package io.ringlink;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Attacks on {@link Publisher#publishBatch} beyond {@link PublisherBatchTest}: rings of 1, 2 and 4 slots (a run of one
 * slot) with latency stamps; several threads sharing a concurrent publisher while another closes it (every counted
 * message delivered once, in each thread's order, none it did not count, metrics equal to the counts); slow sinks
 * under {@code drop} and {@code disconnectAfter} when the batch finds the ring full; an unregister while a batch waits
 * for room, released in time or not; drain checks right after a batch; a publisher used after the router stopped.
 */
@Timeout(60)
class PublisherBatchReviewTest
{
    static Stream<Arguments> tinyRings()
    {
        final List<Arguments> rings = new ArrayList<>();
        for (final int ringSize : new int[] {1, 2, 4})
        {
            for (final WaitStrategy wait : new WaitStrategy[] {WaitStrategy.BLOCKING, WaitStrategy.YIELDING})
            {
                for (final ThreadingMode threading : ThreadingMode.values())
                {
                    rings.add(Arguments.of(ringSize, wait, threading, false));
                    rings.add(Arguments.of(ringSize, wait, threading, true));
                }
            }
        }
        return rings.stream();
    }

    @ParameterizedTest(name = "ring {0}, {1}, {2}, concurrent {3}")
    @MethodSource("tinyRings")
    void shouldDeliverBatchesWholeOnRingsOfOneTwoAndFourSlotsWithLatencyStamps(final int ringSize,
        final WaitStrategy wait, final ThreadingMode threading, final boolean concurrent)
    {
        final int total = 3_000;
        final List<Integer> received = new CopyOnWriteArrayList<>();
        try (Router<Integer> router = Router.builder().name("batch-tiny").ringSize(ringSize).waitStrategy(wait)
            .threading(threading).deliveryThreads(1).recordLatency(true).stopTimeout(Duration.ofSeconds(10)).build())
        {
            router.write((Sink<Integer>)received::add);
            final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Integer[] messages = PublisherBatchTest.numbers(total);
            int sent = 0;
            while (sent < total)
            {
                final int length = Math.min(total - sent, ThreadLocalRandom.current().nextInt(ringSize * 3 + 2));
                assertThat(publisher.publishBatch(messages, sent, length)).isEqualTo(length);
                sent += length;
            }
            assertThat(router.awaitDrained(Duration.ofSeconds(30))).as("drained").isTrue();
            assertThat(received).as("every message once, in order").containsExactly(messages);
            final RouterMetrics metrics = router.metrics();
            assertThat(metrics.published()).isEqualTo(total);
            assertThat(metrics.delivered()).isEqualTo(total);
            assertThat(metrics.latency().count()).as("a latency per delivery").isEqualTo(total);
        }
    }

    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldBeDrainedAsSoonAsEveryBatchIsDelivered(final ThreadingMode threading, final boolean concurrent)
    {
        final AtomicLong received = new AtomicLong();
        try (Router<Integer> router = router("batch-drained", threading, 16))
        {
            router.write((Sink<Integer>)(message) -> received.incrementAndGet());
            final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Integer[] messages = PublisherBatchTest.numbers(100);
            for (int round = 1; round <= 50; round++)
            {
                assertThat(publisher.publishBatch(messages, 0, messages.length)).isEqualTo(messages.length);
                assertThat(router.awaitDrained(Duration.ofSeconds(10))).as("drained after batch " + round).isTrue();
                assertThat(received.get()).as("delivered when drained, batch " + round)
                    .isEqualTo(round * (long)messages.length);
            }
        }
    }

    /**
     * Three threads share a concurrent publisher, each publishing batches of its own numbers; a fourth closes it (or
     * stops the router) at a random moment. What each call counted arrives once, in that thread's order; nothing else
     * (no skipped slot) arrives; the published metric is the sum of the counts.
     */
    @ParameterizedTest(name = "{0}, stop {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldDeliverExactlyWhatEachThreadCountedWhenAConcurrentPublisherClosesUnderIt(
        final ThreadingMode threading, final boolean stop) throws Exception
    {
        final int threads = 3;
        final int rounds = 40;
        for (int round = 0; round < rounds; round++)
        {
            final List<Object> received = new ArrayList<>();
            final Router<Object> router = Router.builder().name("batch-share").ringSize(8)
                .waitStrategy(round % 2 == 0 ? WaitStrategy.BLOCKING : WaitStrategy.YIELDING).threading(threading)
                .deliveryThreads(1).stopTimeout(Duration.ofSeconds(10)).build();
            router.write((Sink<Object>)received::add);
            final Publisher<Object> publisher = router.concurrentPublisher("shared");
            final long[] counted = new long[threads];
            final Throwable[] failures = new Throwable[threads];
            final CountDownLatch started = new CountDownLatch(threads);
            final List<Thread> producers = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final int thread = t;
                producers.add(new Thread(() ->
                {
                    final Object[] batch = new Object[40];
                    started.countDown();
                    try
                    {
                        while (true)
                        {
                            final int length = 1 + ThreadLocalRandom.current().nextInt(batch.length);
                            for (int i = 0; i < length; i++)
                            {
                                batch[i] = SequenceSink.message(thread, counted[thread] + i);
                            }
                            final int published = publisher.publishBatch(batch, 0, length);
                            counted[thread] += published;
                            if (published < length)
                            {
                                return;
                            }
                        }
                    }
                    catch (final IllegalStateException ex)
                    {
                        // closed before this call: it published nothing
                    }
                    catch (final Throwable ex)
                    {
                        failures[thread] = ex;
                    }
                }, "batch-share-" + t));
            }
            producers.forEach(Thread::start);
            started.await(10, TimeUnit.SECONDS);
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(2_000));
            final StopResult result;
            if (stop)
            {
                result = router.stop(Duration.ofSeconds(10));
            }
            else
            {
                publisher.close();
                result = null;
            }
            for (final Thread producer : producers)
            {
                producer.join(15_000);
                assertThat(producer.isAlive()).as("producer ended, round " + round).isFalse();
            }
            final long sum = counted[0] + counted[1] + counted[2];
            final StopResult stopped = result != null ? result : router.stop(Duration.ofSeconds(10));
            assertThat(stopped.isClean()).as(stopped.toString()).isTrue();
            // Read once the source has retired: while it retires, metrics() may miss it (see the review report).
            assertThat(router.metrics().published()).as("published metric, round " + round).isEqualTo(sum);
            assertThat(failures).as("round " + round).containsOnlyNulls();
            final long[] next = new long[threads];
            for (final Object message : received)
            {
                assertThat(message).as("a user message, round " + round).isInstanceOf(Long.class);
                final long value = (Long)message;
                final int thread = (int)(value >>> SequenceSink.SEQUENCE_BITS);
                assertThat(value & SequenceSink.SEQUENCE_MASK).as("thread " + thread + "'s next, round " + round)
                    .isEqualTo(next[thread]);
                next[thread]++;
            }
            assertThat(next).as("delivered per thread = counted, round " + round).containsExactly(counted);
        }
    }

    static Stream<Arguments> tinyRingCloses()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final int ringSize : new int[] {1, 2})
        {
            for (final ThreadingMode threading : ThreadingMode.values())
            {
                for (final String closer : new String[] {"close", "unregister", "stop"})
                {
                    cases.add(Arguments.of(ringSize, threading, closer));
                }
            }
        }
        return cases.stream();
    }

    /**
     * One owner publishing batches into a ring of one or two slots (a run of one slot, the one-slot fallback on every
     * full ring), with latency stamps, while another thread closes, unregisters or stops: what it counted arrives
     * once and in order, nothing more, and the stop is clean.
     */
    @ParameterizedTest(name = "ring {0}, {1}, {2}")
    @MethodSource("tinyRingCloses")
    void shouldDeliverExactlyWhatTheOwnerCountedWhenATinyRingIsClosedUnderABatch(final int ringSize,
        final ThreadingMode threading, final String closer) throws Exception
    {
        for (int round = 0; round < 30; round++)
        {
            final List<Integer> received = new ArrayList<>();
            final Router<Integer> router = Router.builder().name("batch-tiny-close").ringSize(ringSize)
                .waitStrategy(round % 2 == 0 ? WaitStrategy.BLOCKING : WaitStrategy.YIELDING).threading(threading)
                .deliveryThreads(1).recordLatency(true).stopTimeout(Duration.ofSeconds(10)).build();
            router.write((Sink<Integer>)received::add);
            final Publisher<Integer> publisher = router.publisher("owner");
            final Integer[] messages = PublisherBatchTest.numbers(1_000_000);
            final long[] counted = {0};
            final Throwable[] failure = new Throwable[1];
            final CountDownLatch started = new CountDownLatch(1);
            final Thread owner = new Thread(() ->
            {
                started.countDown();
                try
                {
                    while (counted[0] < messages.length)
                    {
                        final int length = (int)Math.min(messages.length - counted[0],
                            1 + ThreadLocalRandom.current().nextInt(7));
                        final int published = publisher.publishBatch(messages, (int)counted[0], length);
                        counted[0] += published;
                        if (published < length)
                        {
                            return;
                        }
                    }
                }
                catch (final IllegalStateException ex)
                {
                    // closed before this call
                }
                catch (final Throwable ex)
                {
                    failure[0] = ex;
                }
            });
            owner.start();
            started.await(10, TimeUnit.SECONDS);
            TimeUnit.MICROSECONDS.sleep(ThreadLocalRandom.current().nextInt(3_000));
            switch (closer)
            {
                case "close" -> publisher.close();
                case "unregister" -> router.unregister(publisher.id());
                default ->
                {
                }
            }
            final StopResult result = router.stop(Duration.ofSeconds(10));
            owner.join(15_000);
            final String where = "round " + round;
            assertThat(owner.isAlive()).as("owner ended, " + where).isFalse();
            assertThat(failure[0]).as(where).isNull();
            assertThat(result.isClean()).as(result + ", " + where).isTrue();
            assertThat(received).as("exactly what was counted, " + where).hasSize((int)counted[0]);
            for (int i = 0; i < received.size(); i++)
            {
                assertThat(received.get(i)).as("message " + i + ", " + where).isEqualTo(i);
            }
            assertThat(router.metrics().published()).as("published, " + where).isEqualTo(counted[0]);
            assertThat(router.metrics().latency().count()).as("latencies, " + where).isEqualTo(counted[0]);
        }
    }

    /**
     * A sink stuck for good while three threads (or the one owner) wait in batches for room: a stop returns about its
     * timeout, every batch returns, nothing counted twice or out of order reached the sink, and the stop says it
     * left messages undelivered.
     */
    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldStopWithinItsTimeoutWhileBatchesWaitBehindAStuckSink(final ThreadingMode threading,
        final boolean concurrent) throws Exception
    {
        final CountDownLatch never = new CountDownLatch(1);
        final List<Object> received = new CopyOnWriteArrayList<>();
        final Router<Object> router = Router.builder().name("batch-stuck").ringSize(16)
            .waitStrategy(WaitStrategy.BLOCKING).threading(threading).deliveryThreads(1)
            .stopTimeout(Duration.ofSeconds(10)).build();
        router.write((Sink<Object>)(message) ->
        {
            received.add(message);
            if (received.size() == 5)
            {
                never.await(30, TimeUnit.SECONDS);
            }
        });
        final Publisher<Object> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
        final int threads = concurrent ? 3 : 1;
        final long[] counted = new long[threads];
        final Throwable[] failures = new Throwable[threads];
        final List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++)
        {
            final int thread = t;
            producers.add(new Thread(() ->
            {
                final Object[] batch = new Object[100];
                try
                {
                    while (true)
                    {
                        for (int i = 0; i < batch.length; i++)
                        {
                            batch[i] = SequenceSink.message(thread, counted[thread] + i);
                        }
                        final int published = publisher.publishBatch(batch, 0, batch.length);
                        counted[thread] += published;
                        if (published < batch.length)
                        {
                            return;
                        }
                    }
                }
                catch (final IllegalStateException ex)
                {
                    // closed before this call
                }
                catch (final Throwable ex)
                {
                    failures[thread] = ex;
                }
            }));
        }
        producers.forEach(Thread::start);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 5 &&
            producers.stream().allMatch((producer) -> producer.getState() != Thread.State.RUNNABLE));
        final long start = System.nanoTime();
        final StopResult result = router.stop(Duration.ofMillis(500));
        final long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        for (final Thread producer : producers)
        {
            producer.join(5_000);
            assertThat(producer.isAlive()).as("a batch still waiting after the stop").isFalse();
        }
        never.countDown();
        assertThat(stopMillis).as("stop took (ms)").isLessThan(4_000);
        assertThat(failures).containsOnlyNulls();
        assertThat(result.isClean()).as(result.toString()).isFalse();
        assertThat(result.undelivered()).as(result.toString()).isPositive();
        final long[] next = new long[threads];
        for (final Object message : received)
        {
            final long value = (Long)message;
            final int thread = (int)(value >>> SequenceSink.SEQUENCE_BITS);
            assertThat(value & SequenceSink.SEQUENCE_MASK).as("thread " + thread + "'s next").isEqualTo(next[thread]);
            next[thread]++;
        }
        for (int t = 0; t < threads; t++)
        {
            assertThat(next[t]).as("delivered of thread " + t).isLessThanOrEqualTo(counted[t]);
        }
        long sum = 0;
        for (final long c : counted)
        {
            sum += c;
        }
        // the fifth message never returned from the sink: it is not delivered
        assertThat(result.undelivered()).as("undelivered of " + sum + " counted, " + result)
            .isEqualTo(sum - (received.size() - 1));
    }

    /** A sink registered while a batch runs gets an unbroken run of it up to its last message; the first sink, all. */
    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldGiveASinkRegisteredDuringABatchAnUnbrokenRestOfIt(final ThreadingMode threading,
        final boolean concurrent) throws Exception
    {
        final int total = 200_000;
        final SequenceSink first = new SequenceSink(1);
        final SequenceSink late = SequenceSink.startingAnywhere(1);
        final CountDownLatch registered = new CountDownLatch(1);
        try (Router<Long> router = Router.builder().name("batch-late-sink").ringSize(64)
            .waitStrategy(WaitStrategy.YIELDING).threading(threading).deliveryThreads(2)
            .stopTimeout(Duration.ofSeconds(10)).build())
        {
            // holds message 1000 until the late sink is in: the batch is then waiting for room, mid-call
            router.write((Sink<Long>)(message) ->
            {
                first.onMessage(message);
                if (message == 1_000)
                {
                    registered.await(20, TimeUnit.SECONDS);
                }
            });
            final Publisher<Long> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Long[] messages = sequence(total);
            final int[] published = {-1};
            final Thread owner = new Thread(() -> published[0] = publisher.publishBatch(messages, 0, total));
            owner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> first.count() > 1_000);
            router.write(late);
            registered.countDown();
            owner.join(30_000);
            assertThat(published[0]).isEqualTo(total);
            // count() is a volatile read after which the sink's last sequence is seen
            await().atMost(Duration.ofSeconds(20))
                .until(() -> first.count() == total && late.count() > 0 && late.nextExpected(0) == total);
            assertThat(first.problems()).isEmpty();
            assertThat(late.problems()).as("the late sink: an unbroken suffix").isEmpty();
            assertThat(late.count()).as("the late sink came in the middle").isBetween(1L, total - 1_000L);
            assertThat(router.metrics().delivered()).isEqualTo(total + late.count());
        }
    }

    /**
     * A {@code drop} sink that takes a millisecond per message beside a fast sink: a batch of many rings finds the
     * ring full again and again and must get past the slow sink as single publishes do, not wait for it.
     */
    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldGetPastASlowDropSinkWhenTheBatchFindsTheRingFull(final ThreadingMode threading,
        final boolean concurrent)
    {
        final int total = 20_000;
        final SequenceSink fast = new SequenceSink(1);
        final IncreasingSink slow = new IncreasingSink(TimeUnit.MILLISECONDS.toNanos(1));
        try (Router<Long> router = Router.builder().name("batch-drop").ringSize(64)
            .waitStrategy(WaitStrategy.BLOCKING).threading(threading).deliveryThreads(2)
            .stopTimeout(Duration.ofSeconds(10)).build())
        {
            final SinkId slowId = router.write(slow, SinkOptions.drop());
            router.write(fast);
            final Publisher<Long> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Long[] messages = sequence(total);
            // Both deliveries running before the ring fills: a drop push before a delivery's first poll is not
            // counted as dropped (a separate bug in Delivery.begin, reported), which would blur the count below.
            assertThat(publisher.publishBatch(messages, 0, 1)).isEqualTo(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> fast.count() == 1 && slow.count == 1);
            final long start = System.nanoTime();
            assertThat(publisher.publishBatch(messages, 1, total - 1)).isEqualTo(total - 1);
            // at a millisecond each the slow sink would take 20 s; a producer that drops for it takes far less
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("batch took (ms)")
                .isLessThan(8_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> fast.count() == total);
            assertThat(fast.problems()).isEmpty();
            assertThat(slow.problem).as("the slow sink: in order, gaps allowed").isNull();
            assertThat(router.awaitDrained(Duration.ofSeconds(20))).isTrue();
            final RouterMetrics.SinkMetrics slowMetrics = router.metrics().sinks().stream()
                .filter((sink) -> sink.id().equals(slowId)).findFirst().orElseThrow();
            assertThat(slowMetrics.dropped()).as("dropped").isPositive();
            assertThat(slowMetrics.delivered() + slowMetrics.dropped()).as("delivered + dropped").isEqualTo(total);
            assertThat(router.metrics().published()).isEqualTo(total);
        }
    }

    /** A stalled {@code disconnectAfter} sink: the batch waits about its timeout, then the sink goes and it goes on. */
    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldDisconnectAStalledSinkWhileABatchWaitsForRoom(final ThreadingMode threading, final boolean concurrent)
        throws Exception
    {
        final int total = 5_000;
        final StalledSink stalled = new StalledSink();
        final SequenceSink fast = new SequenceSink(1);
        try (Router<Long> router = Router.builder().name("batch-disconnect").ringSize(32)
            .waitStrategy(WaitStrategy.BLOCKING).threading(threading).deliveryThreads(2)
            .stopTimeout(Duration.ofSeconds(10)).build())
        {
            router.write(stalled, SinkOptions.disconnectAfter(Duration.ofMillis(200)));
            router.write(fast);
            final Publisher<Long> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final Long[] messages = sequence(total);
            final long start = System.nanoTime();
            assertThat(publisher.publishBatch(messages, 0, total)).isEqualTo(total);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("batch took (ms)")
                .isLessThan(8_000);
            await().atMost(Duration.ofSeconds(20)).until(() -> fast.count() == total);
            assertThat(fast.problems()).isEmpty();
            assertThat(router.metrics().disconnectedSinks()).isEqualTo(1);
            stalled.release();
            assertThat(router.awaitDrained(Duration.ofSeconds(20))).isTrue();
        }
    }

    /**
     * An unregister from another thread while the batch waits for room behind a stalled sink. Released within the
     * stop timeout: the batch returns its count and exactly that is delivered. Never released: the unregister gives up
     * at its timeout, the batch returns at once, and what was delivered is a prefix of what it counted.
     */
    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldReturnWhatItCountedWhenUnregisteredWhileItWaitsForRoom(final ThreadingMode threading,
        final boolean concurrent) throws Exception
    {
        for (final boolean released : new boolean[] {true, false})
        {
            final List<Integer> received = new CopyOnWriteArrayList<>();
            final CountDownLatch release = new CountDownLatch(1);
            final Router<Integer> router = Router.builder().name("batch-unregister").ringSize(16)
                .waitStrategy(WaitStrategy.BLOCKING).threading(threading).deliveryThreads(1)
                .stopTimeout(Duration.ofSeconds(released ? 10 : 1)).build();
            router.write((Sink<Integer>)(message) ->
            {
                if (message == 50)
                {
                    release.await(20, TimeUnit.SECONDS);
                }
                received.add(message);
            });
            final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
            final int[] published = {-1};
            final Throwable[] failure = new Throwable[1];
            final Thread owner = new Thread(() ->
            {
                try
                {
                    published[0] = publisher.publishBatch(PublisherBatchTest.numbers(1_000), 0, 1_000);
                }
                catch (final Throwable ex)
                {
                    failure[0] = ex;
                }
            });
            owner.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 50 &&
                owner.getState() != Thread.State.RUNNABLE);
            final Thread unregistering = Thread.currentThread();
            final Thread releaser = new Thread(() ->
            {
                // once the unregister has closed the publisher: awaitOwner is called after the close
                Threads.awaitInside(unregistering, "awaitOwner", "endSource");
                if (released)
                {
                    release.countDown();
                }
            });
            releaser.start();
            final long start = System.nanoTime();
            assertThat(router.unregister(publisher.id())).isTrue();
            final long unregisterMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            owner.join(5_000);
            releaser.join(5_000);
            final String where = "released " + released;
            assertThat(owner.isAlive()).as("batch returned, " + where).isFalse();
            assertThat(failure[0]).as(where).isNull();
            assertThat(unregisterMillis).as("unregister took (ms), " + where).isLessThan(released ? 5_000 : 4_000);
            assertThat(published[0]).as("counted, " + where).isBetween(50, 999);
            assertThatThrownBy(() -> publisher.publishBatch(PublisherBatchTest.numbers(1), 0, 1))
                .isInstanceOf(IllegalStateException.class);
            release.countDown();
            if (released)
            {
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == published[0]);
                assertThat(received).as("exactly what the batch counted")
                    .containsExactly(PublisherBatchTest.numbers(published[0]));
            }
            final StopResult result = router.stop(Duration.ofSeconds(10));
            assertThat(received.size()).as("delivered at most what was counted, " + where)
                .isLessThanOrEqualTo(published[0]);
            assertThat(received).as("a prefix, " + where).containsExactly(PublisherBatchTest.numbers(received.size()));
            if (released)
            {
                assertThat(result.isClean()).as(result.toString()).isTrue();
            }
        }
    }

    @ParameterizedTest(name = "{0}, concurrent {1}")
    @MethodSource("io.ringlink.PublisherBatchTest#kinds")
    void shouldRefuseABatchAfterTheRouterStopped(final ThreadingMode threading, final boolean concurrent)
    {
        final List<Integer> received = new CopyOnWriteArrayList<>();
        final Router<Integer> router = router("batch-after-stop", threading, 16);
        router.write((Sink<Integer>)received::add);
        final Publisher<Integer> publisher = concurrent ? router.concurrentPublisher("p") : router.publisher("p");
        assertThat(publisher.publishBatch(PublisherBatchTest.numbers(40), 0, 40)).isEqualTo(40);
        assertThat(router.stop(Duration.ofSeconds(10)).isClean()).isTrue();
        assertThat(received).containsExactly(PublisherBatchTest.numbers(40));
        final Integer[] more = PublisherBatchTest.numbers(40);
        assertThatThrownBy(() -> publisher.publishBatch(more, 0, 40)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> publisher.publishBatch(more, 0, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(received).hasSize(40);
    }

    /** Takes {@code nanos} per message and checks that what it gets increases (gaps allowed: it drops). */
    private static final class IncreasingSink implements Sink<Long>
    {
        private final long nanos;
        private long last = -1;
        volatile long count;
        volatile String problem;

        IncreasingSink(final long nanos)
        {
            this.nanos = nanos;
        }

        @Override
        public void onMessage(final Long message)
        {
            if (message <= last && problem == null)
            {
                problem = "got " + message + " after " + last;
            }
            last = message;
            count = count + 1;
            final long until = System.nanoTime() + nanos;
            while (System.nanoTime() - until < 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private static Router<Integer> router(final String name, final ThreadingMode threading, final int ringSize)
    {
        return Router.builder().name(name).ringSize(ringSize).waitStrategy(WaitStrategy.BLOCKING).threading(threading)
            .deliveryThreads(1).stopTimeout(Duration.ofSeconds(10)).build();
    }

    /** Messages 0 to {@code count - 1} of source 0, as {@link SequenceSink} reads them. */
    private static Long[] sequence(final int count)
    {
        final Long[] messages = new Long[count];
        for (int i = 0; i < count; i++)
        {
            messages[i] = SequenceSink.message(0, i);
        }
        return messages;
    }
}
