package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.WaitStrategy;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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

    /**
     * Reads a queue through a router into a sink that appends each element to a file and then blocks, until killed.
     */
    public static final class RouterReader
    {
        public static void main(final String[] args) throws Exception
        {
            final Path out = Path.of(args[1]);
            try (Router<Object> router = Router.builder().name("queue-reader").ringSize(64)
                .waitStrategy(WaitStrategy.BLOCKING).build())
            {
                router.read(SharedQueue.open(Path.of(args[0]), Codecs.utf8()));
                final Sink<Object> sink = (message) ->
                {
                    Files.writeString(out, message + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    Thread.sleep(120_000);
                };
                router.write(sink);
                Thread.sleep(120_000);
            }
        }
    }

    @Test
    @Timeout(90)
    void shouldRefuseTakesWhileARouterInAnotherJvmReadsTheQueueAndTakeWhatItsSinkDidNotGetOnceItIsKilled()
        throws Exception
    {
        final Path file = dir.resolve("routed");
        final Path out = dir.resolve("sunk.txt");
        try (SharedQueue<String> queue = SharedQueue.create(file, 1 << 16, Codecs.utf8()))
        {
            for (int i = 0; i < 10; i++)
            {
                queue.put("m" + i);
            }
            try (ChildJvm reader = ChildJvm.start(dir, RouterReader.class, file.toString(), out.toString()))
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(out) || !reader.process().isAlive());
                assertThat(reader.process().isAlive()).as(reader.output()).isTrue();
                assertThatThrownBy(queue::poll).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is read by an exclusive consumer")
                    .hasMessageContaining("process " + reader.process().pid());
                reader.kill();
            }
            assertThat(Files.readString(out)).isEqualTo("m0\n");
            final List<String> taken = new ArrayList<>();
            for (String element = queue.poll(); element != null; element = queue.poll())
            {
                taken.add(element);
            }
            // the router freed nothing its sink had not passed: m0 (sunk, not passed) comes again, nothing is lost
            assertThat(taken).containsExactly("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
            assertThat(queue.size()).isZero();
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
