package io.ringlink.offheap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code SharedQueue.builder(path).maxSize(n)}: Python's {@code Queue(maxsize)}, in messages, kept in the file.
 */
class SharedQueueMaxSizeTest
{
    @TempDir
    Path dir;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() throws InterruptedException
    {
        executor.shutdownNow();
        assertThat(executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @Timeout(30)
    void shouldRefuseAFourthPutNowaitOnAQueueOfThreeAndBlockAPutUntilATake() throws Exception
    {
        final Path file = dir.resolve("three");
        try (SharedQueue<String> queue = SharedQueue.builder(file).codec(Codecs.utf8()).capacity(1 << 16).maxSize(3)
            .create();
            SharedQueue<String> other = SharedQueue.open(file, Codecs.utf8()))
        {
            assertThat(other.maxSize()).as("kept in the file").isEqualTo(3);
            assertThat(queue.remainingMessages()).isEqualTo(3);
            for (final String element : new String[]{"A", "B", "C"})
            {
                assertThat(queue.isFull()).isFalse();
                assertThat(other.offer(element)).isTrue();
            }
            assertThat(queue.isFull()).isTrue();
            assertThat(queue.remainingMessages()).isZero();
            assertThat(queue.offer("D")).isFalse();
            assertThat(other.offer("D", 100, TimeUnit.MILLISECONDS)).isFalse();
            assertThatThrownBy(() -> queue.add("D")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is full (3 of maxSize 3 messages");
            final CompletableFuture<Void> put = CompletableFuture.runAsync(() ->
            {
                try
                {
                    other.put("D");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !put.isDone());
            assertThat(queue.size()).isEqualTo(3);
            assertThat(queue.take()).isEqualTo("A");
            put.get(10, TimeUnit.SECONDS);
            assertThat(queue.size()).isEqualTo(3);
            assertThat(queue.isFull()).isTrue();
            assertThat(queue.take()).isEqualTo("B");
            assertThat(queue.take()).isEqualTo("C");
            assertThat(queue.take()).isEqualTo("D");
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.remainingMessages()).isEqualTo(3);
        }
    }

    @Test
    @Timeout(120)
    void shouldNeverOvershootMaxSizeWithProducersOfSeparateQueueObjectsOfferingAtOnce() throws Exception
    {
        final int rounds = Integer.getInteger("ringlink.stress.rounds", 300) * 10;
        final Path file = dir.resolve("race");
        // two threads that spin on the round number, so that their offers start within nanoseconds of each other
        final AtomicInteger round = new AtomicInteger(-1);
        final AtomicIntegerArray accepted = new AtomicIntegerArray(rounds);
        final AtomicIntegerArray offered = new AtomicIntegerArray(rounds);
        try (SharedQueue<Long> queue = SharedQueue.builder(file).codec(Codecs.longs()).capacity(1 << 12).maxSize(1)
            .create();
            SharedQueue<Long> first = SharedQueue.open(file, Codecs.longs());
            SharedQueue<Long> second = SharedQueue.open(file, Codecs.longs()))
        {
            final List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (final SharedQueue<Long> object : List.of(first, second))
            {
                // one object each: no producer lock in common, only the file
                producers.add(CompletableFuture.runAsync(() ->
                {
                    for (int r = 0; r < rounds; r++)
                    {
                        for (int spins = 0; round.get() < r; spins++)
                        {
                            if (Thread.currentThread().isInterrupted())
                            {
                                return;
                            }
                            if (spins < 1_000)
                            {
                                Thread.onSpinWait();
                            }
                            else
                            {
                                Thread.yield();
                            }
                        }
                        if (object.offer((long)r))
                        {
                            accepted.incrementAndGet(r);
                        }
                        offered.incrementAndGet(r);
                    }
                }, executor));
            }
            for (int r = 0; r < rounds; r++)
            {
                round.set(r);
                // both offers, unless a producer failed: the first to finish its last offer is done before the
                // other made it, so that waiting "until one is done" drained the last round between the two offers
                while (offered.get(r) < 2 && producers.stream().noneMatch(CompletableFuture::isCompletedExceptionally))
                {
                    Thread.yield();
                }
                assertThat(queue.size()).as("round %d: size of a queue of maxSize 1", r).isEqualTo(1);
                assertThat(queue.poll()).isNotNull();
                assertThat(queue.poll()).isNull();
            }
            for (final CompletableFuture<Void> producer : producers)
            {
                producer.get(30, TimeUnit.SECONDS);
            }
            int total = 0;
            for (int r = 0; r < rounds; r++)
            {
                total += accepted.get(r);
                assertThat(accepted.get(r)).as("round %d: offers accepted into a queue of maxSize 1", r)
                    .isLessThanOrEqualTo(1);
            }
            assertThat(total).isEqualTo(rounds);
        }
    }

    @Test
    void shouldRefuseANegativeMaxSizeAndTreatZeroAsNoLimit() throws Exception
    {
        assertThatThrownBy(() -> SharedQueue.builder(dir.resolve("bad")).maxSize(-1).create())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSize=-1");
        try (SharedQueue<byte[]> queue = SharedQueue.builder(dir.resolve("free")).capacity(1024).create())
        {
            assertThat(queue.maxSize()).isZero();
            assertThat(queue.remainingMessages()).isEqualTo(Integer.MAX_VALUE);
            int accepted = 0;
            while (queue.offer(new byte[8]))
            {
                accepted++;
            }
            assertThat(accepted).as("16-byte records in a 1 KiB ring").isEqualTo(64);
            assertThat(queue.isFull()).isTrue();
        }
    }
}
