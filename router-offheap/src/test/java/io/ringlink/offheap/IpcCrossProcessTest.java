package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.ChildJvm;
import io.ringlink.test.Threads;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rings between real JVMs: throughput and order, many producers, and processes killed with {@code kill -9}.
 */
class IpcCrossProcessTest
{
    private static final Pattern COMMITTED = Pattern.compile("committed (\\d+)");

    @TempDir
    Path dir;

    static EndpointProvider ipcProvider()
    {
        return ServiceLoader.load(EndpointProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter((candidate) -> candidate.schemes().contains("ipc"))
            .findFirst().orElseThrow();
    }

    /**
     * Writes longs 0..count-1 through the sink of an {@code ipc:} URI.
     */
    public static final class UriProducer
    {
        public static void main(final String[] args) throws Exception
        {
            final long count = Long.parseLong(args[1]);
            @SuppressWarnings("unchecked")
            final Sink<Long> sink = (Sink<Long>)ipcProvider().sink(EndpointUri.parse(args[0]));
            try (sink)
            {
                for (long i = 0; i < count; i++)
                {
                    sink.onMessage(i);
                }
            }
            System.out.println("done");
        }
    }

    @Test
    @Timeout(180)
    void shouldCarryAMillionMessagesFromOneJvmToAnotherInOrder() throws Exception
    {
        final int count = 1_000_000;
        final String uri = "ipc:" + dir.resolve("million") + "?capacity=4m&codec=longs&wait=yielding";
        final AtomicLong expected = new AtomicLong();
        final AtomicReference<String> error = new AtomicReference<>();
        final Sink<Object> checker = (message) ->
        {
            final long next = expected.getAndIncrement();
            if ((Long)message != next && error.get() == null)
            {
                error.set("expected " + next + " but got " + message);
            }
        };
        final long start = System.nanoTime();
        // a source never creates what it reads: the ring exists before either side opens it
        IpcRing.builder(dir.resolve("million")).capacity(4 << 20).codec("longs").create().close();
        try (Router<Object> router = Router.builder().name("ipc-million").ringSize(1 << 14)
            .waitStrategy(WaitStrategy.YIELDING).build();
            ChildJvm producer = ChildJvm.start(dir, UriProducer.class, uri, String.valueOf(count)))
        {
            // A reader never creates the ring: wait for the child to make it.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("million")));
            final Source<?> source = ipcProvider().source(EndpointUri.parse(uri));
            router.read(source);
            router.write(checker);
            await().atMost(Duration.ofSeconds(150)).until(() -> expected.get() >= count || error.get() != null);
            assertThat(error.get()).isNull();
            assertThat(producer.awaitExit(Duration.ofSeconds(30))).as(producer.output()).isZero();
            assertThat(producer.stdout()).contains("done");
        }
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        System.out.println("1M longs JVM to JVM through ipc: in " + elapsedMs + " ms");
        assertThat(expected.get()).isEqualTo(count);
        Threads.assertNoThreadsNamed("ringlink-ipc-million-");
        assertThat(RingFileTestSupport.mappingsOf(dir.resolve("million"))).isZero();
    }

    /**
     * Writes (producer id, sequence) pairs as longs into a many-to-one ring.
     */
    public static final class TaggedProducer
    {
        public static void main(final String[] args) throws Exception
        {
            final long id = Long.parseLong(args[1]);
            final long count = Long.parseLong(args[2]);
            try (IpcRingSink<Long> sink = IpcRingSink.of(IpcRing.open(Path.of(args[0]), "longs"), Codecs.longs(),
                WaitStrategy.YIELDING))
            {
                for (long i = 0; i < count; i++)
                {
                    sink.put(id << 32 | i);
                }
            }
            System.out.println("done");
        }
    }

    @Test
    @Timeout(180)
    void shouldKeepEachProducersOrderWithThreeProducerJvms() throws Exception
    {
        final int perProducer = 200_000;
        final Path file = dir.resolve("many");
        final long[] next = new long[3];
        final AtomicReference<String> error = new AtomicReference<>();
        try (IpcRingSource<Long> source = IpcRingSource.of(IpcRing.builder(file).kind(RingKind.MANY_TO_ONE)
            .capacity(1 << 20).codec("longs").create(), Codecs.longs(), WaitStrategy.YIELDING);
            ChildJvm a = ChildJvm.start(dir, TaggedProducer.class, file.toString(), "0", String.valueOf(perProducer));
            ChildJvm b = ChildJvm.start(dir, TaggedProducer.class, file.toString(), "1", String.valueOf(perProducer));
            ChildJvm c = ChildJvm.start(dir, TaggedProducer.class, file.toString(), "2", String.valueOf(perProducer)))
        {
            long received = 0;
            final long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (received < 3L * perProducer && System.nanoTime() < deadline)
            {
                received += source.read((message) ->
                {
                    final int id = (int)(message >>> 32);
                    final long sequence = message & 0xFFFF_FFFFL;
                    if (sequence != next[id] && error.get() == null)
                    {
                        error.set("producer " + id + ": expected " + next[id] + " but got " + sequence);
                    }
                    next[id] = sequence + 1;
                }, 1000);
                source.onDelivered(received);
            }
            for (final ChildJvm child : new ChildJvm[]{a, b, c})
            {
                assertThat(child.awaitExit(Duration.ofSeconds(30))).as(child.output()).isZero();
            }
            assertThat(source.read((message) -> error.set("extra message " + message), 10)).isZero();
            assertThat(error.get()).isNull();
            assertThat(received).isEqualTo(3L * perProducer);
            assertThat(next).containsExactly(perProducer, perProducer, perProducer);
            assertThat(source.ring().producedCount()).isEqualTo(3L * perProducer);
            assertThat(source.ring().size()).isZero();
        }
    }

    /**
     * Writes records (sequence, then sequence % 100 bytes of a pattern) until killed, reporting progress.
     */
    public static final class EndlessProducer
    {
        public static void main(final String[] args) throws Exception
        {
            try (IpcRing ring = IpcRing.open(Path.of(args[0]), "bytes"))
            {
                final UnsafeBuffer record = new UnsafeBuffer(new byte[128]);
                for (long sequence = 0; ; sequence++)
                {
                    final int length = fill(record, sequence);
                    while (!ring.offer(record, 0, length))
                    {
                        Thread.yield();
                    }
                    if (sequence % 1000 == 0)
                    {
                        System.out.println("committed " + sequence);
                        System.out.flush();
                    }
                }
            }
        }

        static int fill(final UnsafeBuffer record, final long sequence)
        {
            record.putLong(0, sequence);
            final int filler = (int)(sequence % 100);
            for (int i = 0; i < filler; i++)
            {
                record.putByte(8 + i, (byte)(sequence + i));
            }
            return 8 + filler;
        }
    }

    @Test
    @Timeout(120)
    void shouldSeeOnlyWholeMessagesAndEveryCommittedOneWhenTheProducerIsKilled() throws Exception
    {
        final Path file = dir.resolve("killed-producer");
        final long[] next = new long[1];
        final AtomicReference<String> error = new AtomicReference<>();
        final RecordHandler verifier = (buffer, offset, length) ->
        {
            final long sequence = buffer.getLong(offset);
            if (error.get() == null && (sequence != next[0] || !whole(buffer, offset, length, sequence)))
            {
                error.set("record " + next[0] + ": got sequence " + sequence + " with length " + length);
            }
            next[0] = sequence + 1;
        };
        try (IpcRing ring = IpcRing.builder(file).kind(RingKind.MANY_TO_ONE).capacity(1 << 16).codec("bytes")
            .unblockTimeout(Duration.ofMillis(300)).create();
            ChildJvm producer = ChildJvm.start(dir, EndlessProducer.class, file.toString()))
        {
            long lastCheck = 0;
            while (producer.process().isAlive())
            {
                ring.read(verifier, 1000);
                if (System.nanoTime() - lastCheck > 50_000_000L)
                {
                    lastCheck = System.nanoTime();
                    if (lastCommitted(producer.stdout()) >= 30_000)
                    {
                        producer.kill();
                    }
                }
            }
            final long committed = lastCommitted(producer.stdout());
            final long quietSince = System.nanoTime();
            long lastRead = quietSince;
            while (System.nanoTime() - lastRead < 1_000_000_000L)
            {
                if (ring.read(verifier, 1000) > 0)
                {
                    lastRead = System.nanoTime();
                }
                Thread.yield();
            }
            assertThat(error.get()).isNull();
            assertThat(next[0]).as("messages seen, with %d reported committed", committed).isGreaterThan(committed);
            assertThat(ring.hasRecords()).isFalse();
        }
    }

    static boolean whole(final DirectBuffer buffer, final int offset, final int length, final long sequence)
    {
        if (length != 8 + (int)(sequence % 100))
        {
            return false;
        }
        for (int i = 0; i < length - 8; i++)
        {
            if (buffer.getByte(offset + 8 + i) != (byte)(sequence + i))
            {
                return false;
            }
        }
        return true;
    }

    static long lastCommitted(final String output)
    {
        long last = -1;
        final Matcher matcher = COMMITTED.matcher(output);
        while (matcher.find())
        {
            last = Long.parseLong(matcher.group(1));
        }
        return last;
    }

    /**
     * Claims a record in a many-to-one ring and hangs without committing it, to be killed mid-record.
     */
    public static final class ClaimAndHang
    {
        public static void main(final String[] args) throws Exception
        {
            final MappedByteBuffer mapped = IpcRingTest.map(Path.of(args[0]));
            final RingBuffer ring = IpcRingTest.ringOver(mapped, RingKind.MANY_TO_ONE);
            final int index = ring.tryClaim(IpcRing.MESSAGE_TYPE_ID, 100);
            ring.buffer().putLong(index, -1L);
            System.out.println("claimed " + index);
            System.out.flush();
            Thread.sleep(120_000);
        }
    }

    @Test
    @Timeout(60)
    void shouldUnblockARecordOfAProducerKilledMidRecordAndLoseNothingAfterIt() throws Exception
    {
        final Path file = dir.resolve("mid-record");
        try (IpcRing ring = IpcRing.builder(file).kind(RingKind.MANY_TO_ONE).capacity(1 << 16).codec("bytes")
            .unblockTimeout(Duration.ofMillis(300)).create())
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[8]);
            record.putLong(0, 1);
            assertThat(ring.offer(record, 0, 8)).isTrue();
            try (ChildJvm child = ChildJvm.start(dir, ClaimAndHang.class, file.toString()))
            {
                await().atMost(Duration.ofSeconds(30)).until(() -> child.stdout().contains("claimed"));
                child.kill();
            }
            for (long i = 2; i <= 3; i++)
            {
                record.putLong(0, i);
                assertThat(ring.offer(record, 0, 8)).isTrue();
            }
            final StringBuilder seen = new StringBuilder();
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                ring.read((buffer, offset, length) -> seen.append(buffer.getLong(offset)), 10);
                return seen.length() >= 3;
            });
            assertThat(seen.toString()).isEqualTo("123");
            assertThat(ring.unblockedCount()).isOne();
            assertThat(ring.producedCount()).isEqualTo(3);
        }
    }

    /**
     * Consumes longs slowly and appends each, before the ring counts it consumed, to a file; exits after
     * {@code last}.
     */
    public static final class RecordingConsumer
    {
        public static void main(final String[] args) throws Exception
        {
            final long last = Long.parseLong(args[2]);
            try (IpcRing ring = IpcRing.open(Path.of(args[0]), "longs");
                FileChannel out = FileChannel.open(Path.of(args[1]), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND))
            {
                final ByteBuffer value = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                final boolean[] done = new boolean[1];
                final RecordHandler recorder = (buffer, offset, length) ->
                {
                    final long message = buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
                    value.clear();
                    value.putLong(0, message);
                    try
                    {
                        out.write(value);
                    }
                    catch (final IOException ex)
                    {
                        throw new java.io.UncheckedIOException(ex);
                    }
                    done[0] |= message == last;
                    LockSupport.parkNanos(1_000);
                };
                try
                {
                    while (!done[0])
                    {
                        if (ring.read(recorder, 16) == 0)
                        {
                            Thread.yield();
                        }
                    }
                }
                catch (final IllegalStateException ex)
                {
                    System.out.println("refused: " + ex.getMessage());
                    System.out.flush();
                    System.exit(3);
                }
            }
            System.out.println("done");
        }
    }

    @Test
    @Timeout(120)
    void shouldLetANewConsumerJvmContinueAfterTheConsumerIsKilled() throws Exception
    {
        final int count = 100_000;
        final Path file = dir.resolve("killed-consumer");
        final Path first = dir.resolve("first.bin");
        final Path second = dir.resolve("second.bin");
        try (IpcRingSink<Long> sink = IpcRingSink.of(IpcRing.builder(file).capacity(1 << 14).codec("longs").create(),
            Codecs.longs(), WaitStrategy.YIELDING))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final CountDownLatch firstConsumerKilled = new CountDownLatch(1);
            final Thread producer = new Thread(() ->
            {
                try
                {
                    for (long i = 0; i < count; i++)
                    {
                        if (i == count / 4)
                        {
                            firstConsumerKilled.await();
                        }
                        sink.put(i);
                    }
                }
                catch (final Throwable ex)
                {
                    failure.set(ex);
                }
            }, "test-producer");
            producer.start();
            try (ChildJvm consumer = ChildJvm.start(dir, RecordingConsumer.class, file.toString(), first.toString(),
                String.valueOf(count - 1)))
            {
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(first) && Files.size(first) >= 160_000);
                try (ChildJvm intruder = ChildJvm.start(dir, RecordingConsumer.class, file.toString(),
                    dir.resolve("intruder.bin").toString(), String.valueOf(count - 1)))
                {
                    assertThat(intruder.awaitExit(Duration.ofSeconds(30))).as(intruder.output()).isEqualTo(3);
                    assertThat(intruder.stdout()).contains("already has a consumer: process " +
                        consumer.process().pid());
                }
                firstConsumerKilled.countDown();
                final long before = Files.size(first);
                await().atMost(Duration.ofSeconds(30)).until(() -> Files.size(first) >= before + 8_000);
                consumer.kill();
            }
            try (ChildJvm consumer = ChildJvm.start(dir, RecordingConsumer.class, file.toString(), second.toString(),
                String.valueOf(count - 1)))
            {
                assertThat(consumer.awaitExit(Duration.ofSeconds(90))).as(consumer.output()).isZero();
            }
            producer.join(30_000);
            assertThat(producer.isAlive()).isFalse();
            assertThat(failure.get()).isNull();

            final BitSet seen = new BitSet(count);
            int duplicates = 0;
            for (final Path output : new Path[]{first, second})
            {
                final ByteBuffer values = ByteBuffer.wrap(Files.readAllBytes(output)).order(ByteOrder.LITTLE_ENDIAN);
                while (values.remaining() >= 8)
                {
                    final int value = (int)values.getLong();
                    duplicates += seen.get(value) ? 1 : 0;
                    seen.set(value);
                }
            }
            assertThat(seen.cardinality()).as("distinct messages seen").isEqualTo(count);
            assertThat(duplicates).as("messages seen twice (at most one read's worth)").isLessThanOrEqualTo(16);
        }
    }
}
