package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15: a {@link SharedQueue} with three producer JVMs and three consumer JVMs. Every element is taken exactly
 * once, the elements one consumer gets from one producer are in that producer's order, and {@code size()} is exact at
 * the quiescent points (everyone paused half way, the consumers paused since a quarter, so that a quarter's worth is
 * waiting; all taken). 1,000,000 elements by default
 * ({@code -Dringlink.queue.messages=N} for another count).
 */
class SharedQueueManyConsumersTest
{
    static final int MESSAGES = Integer.getInteger("ringlink.queue.messages", 1_000_000);
    static final int PRODUCERS = 3;
    static final int CONSUMERS = 3;

    @TempDir
    Path dir;

    /** Waits until a file exists. */
    static void awaitFile(final Path file)
    {
        while (!Files.exists(file))
        {
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Puts {@code id << 32 | sequence} for sequence 0 to count - 1; a quarter of the way says "quarter" and waits for
     * "go" (the consumers are paused meanwhile), half way says "half" and waits for "resume".
     */
    public static final class Producer
    {
        public static void main(final String[] args) throws Exception
        {
            final long id = Long.parseLong(args[1]);
            final int count = Integer.parseInt(args[2]);
            final Path control = Path.of(args[3]);
            try (SharedQueue<Long> queue = SharedQueue.open(Path.of(args[0]), Codecs.longs()))
            {
                for (long sequence = 0; sequence < count; sequence++)
                {
                    if (sequence == count / 4)
                    {
                        System.out.println("quarter");
                        System.out.flush();
                        awaitFile(control.resolve("go"));
                    }
                    if (sequence == count / 2)
                    {
                        System.out.println("half");
                        System.out.flush();
                        awaitFile(control.resolve("resume"));
                    }
                    queue.put(id << 32 | sequence);
                }
            }
            System.out.println("done");
        }
    }

    /**
     * Takes until the "stop" file exists and the queue is empty, keeping what it took in order; pauses while the
     * "pause" file exists (saying "paused N"); writes what it took to its file at the end.
     */
    public static final class Consumer
    {
        public static void main(final String[] args) throws Exception
        {
            final Path control = Path.of(args[2]);
            long[] taken = new long[1 << 16];
            int count = 0;
            boolean paused = false;
            try (SharedQueue<Long> queue = SharedQueue.open(Path.of(args[0]), Codecs.longs()))
            {
                System.out.println("started");
                System.out.flush();
                int polls = 0;
                while (true)
                {
                    final Long element = queue.poll(5, TimeUnit.MILLISECONDS);
                    if ((element == null || (++polls & 255) == 0) && !paused &&
                        Files.exists(control.resolve("pause")))
                    {
                        // no take in progress here from now on: what was taken is counted
                        paused = true;
                        System.out.println("paused " + (count + (element == null ? 0 : 1)));
                        System.out.flush();
                        awaitFile(control.resolve("resume"));
                    }
                    if (element == null)
                    {
                        if (Files.exists(control.resolve("stop")) && queue.isEmpty())
                        {
                            break;
                        }
                        continue;
                    }
                    if (count == taken.length)
                    {
                        taken = java.util.Arrays.copyOf(taken, count * 2);
                    }
                    taken[count++] = element;
                }
            }
            final ByteBuffer bytes = ByteBuffer.allocate(count * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < count; i++)
            {
                bytes.putLong(taken[i]);
            }
            Files.write(Path.of(args[1]), bytes.array());
            System.out.println("took " + count);
        }
    }

    static long[] readLongs(final Path file) throws java.io.IOException
    {
        final ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        final long[] values = new long[bytes.remaining() / Long.BYTES];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = bytes.getLong(i * Long.BYTES);
        }
        return values;
    }

    static int pausedCount(final String stdout)
    {
        final int at = stdout.indexOf("paused ");
        if (at < 0)
        {
            return -1;
        }
        final int end = stdout.indexOf('\n', at);
        return Integer.parseInt(stdout.substring(at + "paused ".length(), end < 0 ? stdout.length() : end).trim());
    }

    @Test
    @Timeout(300)
    void shouldTakeEveryElementOfThreeProducerJvmsExactlyOnceInThreeConsumerJvmsInProducerOrder() throws Exception
    {
        final int perProducer = MESSAGES / PRODUCERS;
        final Path file = dir.resolve("queue");
        final long start = System.nanoTime();
        final List<ChildJvm> children = new ArrayList<>();
        // room for what is put while the consumers are paused (a quarter), 16 bytes a record, twice over
        final int capacity = Math.max(1 << 22, Integer.highestOneBit(MESSAGES / 4 * 16 * 2) << 1);
        try (SharedQueue<Long> queue = SharedQueue.builder(file).codec(Codecs.longs()).capacity(capacity).create())
        {
            final List<ChildJvm> consumers = new ArrayList<>();
            final List<ChildJvm> producers = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++)
            {
                consumers.add(ChildJvm.start(dir, Consumer.class, file.toString(), dir.resolve("taken-" + c)
                    .toString(), dir.toString()));
            }
            for (int p = 0; p < PRODUCERS; p++)
            {
                producers.add(ChildJvm.start(dir, Producer.class, file.toString(), String.valueOf(p),
                    String.valueOf(perProducer), dir.toString()));
            }
            children.addAll(consumers);
            children.addAll(producers);
            // quiescent point 1: every consumer paused once the producers are a quarter of the way (having taken
            // some), then every producer half way and waiting: the second quarter waits in the queue
            await().atMost(Duration.ofSeconds(120)).until(() -> producers.stream().allMatch((child) ->
                child.stdout().contains("quarter") || !child.process().isAlive()));
            Files.createFile(dir.resolve("pause"));
            await().atMost(Duration.ofSeconds(60)).until(() -> consumers.stream().allMatch((child) ->
                pausedCount(child.stdout()) >= 0 || !child.process().isAlive()));
            Files.createFile(dir.resolve("go"));
            await().atMost(Duration.ofSeconds(120)).until(() -> producers.stream().allMatch((child) ->
                child.stdout().contains("half") || !child.process().isAlive()));
            int takenHalfWay = 0;
            for (final ChildJvm consumer : consumers)
            {
                assertThat(consumer.process().isAlive()).as(consumer.output()).isTrue();
                takenHalfWay += pausedCount(consumer.stdout());
            }
            final long put = (long)PRODUCERS * (perProducer / 2);
            assertThat(queue.ring().producedCount()).isEqualTo(put);
            assertThat(put - takenHalfWay).as("elements waiting half way (put since the consumers paused)")
                .isGreaterThanOrEqualTo((long)PRODUCERS * (perProducer / 2 - perProducer / 4));
            assertThat(queue.size()).as("size half way, %d put and %d taken", put, takenHalfWay)
                .isEqualTo((int)(put - takenHalfWay));
            assertThat(queue.isEmpty()).isEqualTo(put == takenHalfWay);
            Files.delete(dir.resolve("pause"));
            Files.createFile(dir.resolve("resume"));
            for (final ChildJvm producer : producers)
            {
                assertThat(producer.awaitExit(Duration.ofSeconds(180))).as(producer.output()).isZero();
            }
            // quiescent point 2: all put, all taken
            await().atMost(Duration.ofSeconds(120)).until(queue::isEmpty);
            Files.createFile(dir.resolve("stop"));
            for (final ChildJvm consumer : consumers)
            {
                assertThat(consumer.awaitExit(Duration.ofSeconds(60))).as(consumer.output()).isZero();
            }
            assertThat(queue.size()).isZero();
            assertThat(queue.ring().producedCount()).isEqualTo((long)PRODUCERS * perProducer);
            assertThat(queue.ring().consumedCount()).isEqualTo((long)PRODUCERS * perProducer);
        }
        finally
        {
            children.forEach(ChildJvm::close);
        }
        final List<long[]> taken = new ArrayList<>();
        final int[] counts = new int[CONSUMERS];
        for (int c = 0; c < CONSUMERS; c++)
        {
            taken.add(readLongs(dir.resolve("taken-" + c)));
            counts[c] = taken.get(c).length;
        }
        System.out.printf("%d elements, %d producer and %d consumer JVMs, taken %s, in %d ms%n", PRODUCERS *
            perProducer, PRODUCERS, CONSUMERS, java.util.Arrays.toString(counts),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        SharedQueueTakeLockTest.verifyExactlyOnceInOrder(PRODUCERS, perProducer, taken, counts);
    }
}
