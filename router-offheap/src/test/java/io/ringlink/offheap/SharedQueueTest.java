package io.ringlink.offheap;

import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedQueueTest
{
    @TempDir
    Path dir;

    @Test
    void shouldBehaveLikeABlockingQueue() throws Exception
    {
        try (SharedQueue<Object> queue = SharedQueue.create(dir.resolve("q"), 4096, Codecs.values()))
        {
            assertThat(queue.isEmpty()).isTrue();
            assertThat(queue.poll()).isNull();
            assertThatThrownBy(queue::remove).isInstanceOf(NoSuchElementException.class).hasMessageContaining("empty");

            queue.put(Map.of("id", 1L));
            assertThat(queue.isEmpty()).isFalse();
            assertThat(queue.size()).isOne();
            assertThat(queue.add(List.of("a", "b"))).isTrue();
            assertThat(queue.offer("c")).isTrue();
            assertThat(queue.offer("d", 10, TimeUnit.MILLISECONDS)).isTrue();
            assertThat(queue.size()).isEqualTo(4);
            assertThat(queue.remainingCapacity()).isLessThan(4096).isGreaterThan(4096 - 200);

            assertThat(queue.take()).isEqualTo(Map.of("id", 1L));
            assertThat(queue.remove()).isEqualTo(List.of("a", "b"));
            assertThat(queue.poll()).isEqualTo("c");
            assertThat(queue.poll(10, TimeUnit.MILLISECONDS)).isEqualTo("d");
            assertThat(queue.size()).isZero();
            assertThat(queue.remainingCapacity()).isEqualTo(4096);
            assertThatThrownBy(() -> queue.put(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> queue.offer(null)).isInstanceOf(NullPointerException.class);
        }
    }

    @Test
    @Timeout(20)
    void shouldRefuseAddWhenFullAndTimeOutPollAndOffer() throws Exception
    {
        try (SharedQueue<Long> queue = SharedQueue.create(dir.resolve("q"), 1024, Codecs.longs()))
        {
            int added = 0;
            while (queue.offer((long)added))
            {
                added++;
            }
            assertThat(queue.size()).isEqualTo(added);
            assertThat(queue.isEmpty()).isFalse();
            assertThatThrownBy(() -> queue.add(99L)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is full");
            long start = System.nanoTime();
            assertThat(queue.offer(99L, 100, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            for (int i = 0; i < added; i++)
            {
                assertThat(queue.take()).isEqualTo(i);
            }
            start = System.nanoTime();
            assertThat(queue.poll(150, TimeUnit.MILLISECONDS)).isNull();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
        }
    }

    @Test
    @Timeout(20)
    void shouldCompleteTakeAsyncWhenAnElementArrivesAndCancelItOnClose() throws Exception
    {
        final CompletableFuture<String> pending;
        try (SharedQueue<String> queue = SharedQueue.create(dir.resolve("q"), 4096, Codecs.utf8()))
        {
            final CompletableFuture<String> first = queue.takeAsync();
            final CompletableFuture<String> second = queue.takeAsync();
            assertThat(first).isNotDone();
            queue.put("one");
            queue.put("two");
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("one");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("two");
            pending = queue.takeAsync();
        }
        assertThat(pending.handle((value, failure) -> failure).get(10, TimeUnit.SECONDS))
            .isInstanceOf(CancellationException.class)
            .hasMessageContaining("closed");
        Threads.assertNoThreadsNamed("ringlink-sharedqueue-");
    }

    @Test
    @Timeout(60)
    void shouldDeliverEveryElementExactlyOnceWithManyThreadsPuttingAndTaking() throws Exception
    {
        final int producers = 4;
        final int perProducer = 20_000;
        final List<Long> taken = Collections.synchronizedList(new ArrayList<>());
        try (SharedQueue<Long> queue = SharedQueue.create(dir.resolve("q"), 1 << 12, Codecs.longs()))
        {
            final List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < producers; p++)
            {
                final long id = p;
                threads.add(new Thread(() ->
                {
                    try
                    {
                        for (long i = 0; i < perProducer; i++)
                        {
                            queue.put(id << 32 | i);
                        }
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, "test-producer-" + p));
            }
            for (int c = 0; c < 2; c++)
            {
                threads.add(new Thread(() ->
                {
                    try
                    {
                        for (Long element = queue.poll(1, TimeUnit.SECONDS); element != null;
                            element = queue.poll(1, TimeUnit.SECONDS))
                        {
                            taken.add(element);
                        }
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }, "test-consumer-" + c));
            }
            threads.forEach(Thread::start);
            for (final Thread thread : threads)
            {
                thread.join(50_000);
                assertThat(thread.isAlive()).as(thread.getName()).isFalse();
            }
            assertThat(queue.size()).isZero();
        }
        assertThat(taken).hasSize(producers * perProducer);
        final long[] next = new long[producers];
        for (final long element : taken.stream().sorted().toList())
        {
            final int id = (int)(element >>> 32);
            assertThat(element & 0xFFFF_FFFFL).isEqualTo(next[id]++);
        }
    }

    @Test
    void shouldLeaveTheFileOnCloseUnlessCreatedDeleteOnClose() throws Exception
    {
        final Path kept = dir.resolve("kept");
        try (SharedQueue<String> queue = SharedQueue.create(kept, 4096, Codecs.utf8()))
        {
            queue.put("left behind");
        }
        assertThat(kept).exists();
        try (SharedQueue<String> queue = SharedQueue.open(kept, Codecs.utf8()))
        {
            assertThat(queue.size()).isOne();
            assertThat(queue.poll()).isEqualTo("left behind");
        }
        final Path doomed = dir.resolve("doomed");
        SharedQueue.create(doomed, 4096, Codecs.utf8(), true).close();
        assertThat(doomed).doesNotExist();
        assertThat(RingFileTestSupport.fileNames(dir)).containsExactly("kept");
    }

    @Test
    void shouldRefuseFilesThatAreNotManyToOneRingsOfItsCodec() throws Exception
    {
        SharedQueue.create(dir.resolve("q"), 4096, Codecs.utf8()).close();
        final byte[] before = Files.readAllBytes(dir.resolve("q"));
        assertThatThrownBy(() -> SharedQueue.open(dir.resolve("q"), Codecs.longs()))
            .isInstanceOf(RingFileException.class).hasMessageContaining("holds codec 'utf8'");
        assertThatThrownBy(() -> SharedQueue.create(dir.resolve("q"), 4096, Codecs.utf8()))
            .isInstanceOf(RingFileException.class).hasMessageContaining("already exists");
        assertThat(Files.readAllBytes(dir.resolve("q"))).isEqualTo(before);
        IpcRing.builder(dir.resolve("o2o")).capacity(4096).codec("utf8").create().close();
        assertThatThrownBy(() -> SharedQueue.open(dir.resolve("o2o"), Codecs.utf8()))
            .isInstanceOf(RingFileException.class).hasMessageContaining("needs MANY_TO_ONE");
        assertThatThrownBy(() -> SharedQueue.create(dir.resolve("odd"), 5000, Codecs.utf8()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("capacity=5000 must be a power of two");
    }
}
