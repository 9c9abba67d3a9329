package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link SharedQueue} between real JVMs.
 */
class SharedQueueCrossProcessTest
{
    @TempDir
    Path dir;

    /**
     * Puts {@code m0..m(count-1)} into a queue.
     */
    public static final class Putter
    {
        public static void main(final String[] args) throws Exception
        {
            final int count = Integer.parseInt(args[1]);
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                for (int i = 0; i < count; i++)
                {
                    queue.put("m" + i);
                }
                System.out.println("put " + count + ", size " + queue.size());
            }
        }
    }

    /**
     * Takes one element from a queue, waiting up to a second; reports a refusal.
     */
    public static final class Taker
    {
        public static void main(final String[] args) throws Exception
        {
            try (SharedQueue<String> queue = SharedQueue.open(Path.of(args[0]), Codecs.utf8()))
            {
                System.out.println("took " + queue.poll(1, TimeUnit.SECONDS));
            }
            catch (final IllegalStateException ex)
            {
                System.out.println("refused: " + ex.getMessage());
                System.exit(3);
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldWakeABlockedTakeWhenAnotherJvmPutsAndTimeOutAPollOtherwise() throws Exception
    {
        final Path file = dir.resolve("queue");
        try (SharedQueue<String> queue = SharedQueue.create(file, 1 << 16, Codecs.utf8()))
        {
            final long start = System.nanoTime();
            assertThat(queue.poll(200, TimeUnit.MILLISECONDS)).isNull();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));

            final CompletableFuture<String> taken = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return queue.take();
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            assertThat(taken).isNotDone();
            try (ChildJvm putter = ChildJvm.start(dir, Putter.class, file.toString(), "1"))
            {
                assertThat(taken.get(30, TimeUnit.SECONDS)).isEqualTo("m0");
                assertThat(putter.awaitExit(Duration.ofSeconds(30))).as(putter.output()).isZero();
            }
            assertThat(queue.isEmpty()).isTrue();

            // several consumers: another JVM takes while this one is a consumer too
            queue.put("second");
            try (ChildJvm taker = ChildJvm.start(dir, Taker.class, file.toString()))
            {
                assertThat(taker.awaitExit(Duration.ofSeconds(30))).as(taker.output()).isZero();
                assertThat(taker.stdout()).contains("took second");
            }
            assertThat(queue.poll()).isNull();
        }
        try (ChildJvm taker = ChildJvm.start(dir, Taker.class, file.toString()))
        {
            assertThat(taker.awaitExit(Duration.ofSeconds(30))).as(taker.output()).isZero();
            assertThat(taker.stdout()).contains("took null");
        }
    }

    @Test
    @Timeout(90)
    void shouldKeepSizeExactWhileAnotherJvmPutsAndThisOneTakes() throws Exception
    {
        final int count = 20_000;
        final Path file = dir.resolve("queue");
        final List<String> taken = new ArrayList<>();
        try (SharedQueue<String> queue = SharedQueue.create(file, 1 << 20, Codecs.utf8());
            ChildJvm putter = ChildJvm.start(dir, Putter.class, file.toString(), String.valueOf(count)))
        {
            while (putter.process().isAlive() && taken.size() < count / 2)
            {
                final String element = queue.poll(10, TimeUnit.MILLISECONDS);
                if (element != null)
                {
                    taken.add(element);
                }
                final int size = queue.size();
                assertThat(size).isBetween(0, count - taken.size());
            }
            assertThat(putter.awaitExit(Duration.ofSeconds(60))).as(putter.output()).isZero();
            assertThat(queue.size()).isEqualTo(count - taken.size());
            while (!queue.isEmpty())
            {
                taken.add(queue.take());
                assertThat(queue.size()).isEqualTo(count - taken.size());
            }
            assertThat(queue.poll()).isNull();
        }
        assertThat(taken).hasSize(count);
        for (int i = 0; i < count; i++)
        {
            assertThat(taken.get(i)).isEqualTo("m" + i);
        }
    }
}
