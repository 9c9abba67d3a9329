package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.ChildJvm;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.BitSet;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash chaos (issue 11): child JVMs producing into or consuming from an {@code ipc:} ring (both kinds) or a
 * {@link SharedQueue} are killed with {@code kill -9} at random moments, {@code ringlink.chaos.kills} times per role
 * (10 by default; {@code -Dringlink.chaos.kills=50} for the long mode), with exact accounting after each kill: nothing
 * committed lost, no partial message, duplicates within the documented bound, counters exact ({@code size()} equals
 * what a drain then takes, and is 0 exactly when a poll finds nothing). The seed of the random moments is printed and
 * can be replayed with {@code -Dringlink.chaos.seed=N}.
 */
class OffHeapChaosTest
{
    static final int KILLS = Integer.getInteger("ringlink.chaos.kills", 10);
    static final long SEED = Long.getLong("ringlink.chaos.seed", System.nanoTime());
    static final Duration UNBLOCK = Duration.ofMillis(150);
    static final int ROUTER_RING = 1024;
    /** What a killed router reader may repeat: its ring in flight plus the pump's read batch. */
    static final int IPC_DUPLICATE_BOUND = ROUTER_RING + 256;
    static final int BATCH = 3_000;

    /** What is killed and recovered. */
    enum Target
    {
        IPC_ONE_TO_ONE, IPC_MANY_TO_ONE, SHARED_QUEUE
    }

    @TempDir
    Path dir;

    static int fill(final UnsafeBuffer record, final int id, final int sequence)
    {
        record.putInt(0, id);
        record.putInt(4, sequence);
        final int filler = sequence % 40;
        for (int i = 0; i < filler; i++)
        {
            record.putByte(8 + i, (byte)(sequence + i));
        }
        return 8 + filler;
    }

    /** The record's (id, sequence) as a long, or -1 if it is not whole. */
    static long check(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 8)
        {
            return -1;
        }
        final int sequence = buffer.getInt(offset + 4);
        if (length != 8 + sequence % 40)
        {
            return -1;
        }
        for (int i = 0; i < length - 8; i++)
        {
            if (buffer.getByte(offset + 8 + i) != (byte)(sequence + i))
            {
                return -1;
            }
        }
        return (long)buffer.getInt(offset) << 32 | sequence;
    }

    /**
     * Produces records {@code (id, 0, 1, ...)} until killed, printing how far offers returned.
     */
    public static final class Producer
    {
        public static void main(final String[] args) throws Exception
        {
            final Path path = Path.of(args[0]);
            final int id = Integer.parseInt(args[2]);
            final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
            final boolean queue = Target.valueOf(args[1]) == Target.SHARED_QUEUE;
            try (IpcRing ring = queue ? null : IpcRing.open(path, "bytes");
                SharedQueue<byte[]> shared = queue ? SharedQueue.open(path, Codecs.bytes()) : null)
            {
                System.out.println("started");
                System.out.flush();
                for (int sequence = 0; ; sequence++)
                {
                    final int length = fill(record, id, sequence);
                    if (queue)
                    {
                        final byte[] bytes = new byte[length];
                        record.getBytes(0, bytes);
                        shared.put(bytes);
                    }
                    else
                    {
                        while (!ring.offer(record, 0, length))
                        {
                            Thread.yield();
                        }
                    }
                    if ((sequence & 255) == 0)
                    {
                        System.out.println("committed " + sequence);
                        System.out.flush();
                    }
                }
            }
        }
    }

    /**
     * Consumes until killed: an {@code ipc:} source through a router into a slow sink, or a queue's takes; appends
     * each (id, sequence) to a file before the next, or -1 for a partial record.
     */
    public static final class Consumer
    {
        public static void main(final String[] args) throws Exception
        {
            final Path path = Path.of(args[0]);
            try (FileChannel out = FileChannel.open(Path.of(args[2]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND))
            {
                final ByteBuffer value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                final Sink<Object> sink = (message) ->
                {
                    final byte[] bytes = (byte[])message;
                    value.clear();
                    value.putLong(0, check(new UnsafeBuffer(bytes), 0, bytes.length));
                    out.write(value);
                    LockSupport.parkNanos(50_000);
                };
                if (Target.valueOf(args[1]) == Target.SHARED_QUEUE)
                {
                    try (SharedQueue<byte[]> queue = SharedQueue.open(path, Codecs.bytes()))
                    {
                        System.out.println("started");
                        System.out.flush();
                        while (true)
                        {
                            sink.onMessage(queue.take());
                        }
                    }
                }
                try (Router<Object> router = Router.builder().name("chaos").ringSize(ROUTER_RING)
                    .waitStrategy(WaitStrategy.BLOCKING).build())
                {
                    final Source<?> source = IpcCrossProcessTest.ipcProvider()
                        .source(EndpointUri.parse("ipc:" + path + "?codec=bytes"));
                    router.read(source);
                    router.write(sink);
                    System.out.println("started");
                    System.out.flush();
                    Thread.sleep(120_000);
                }
            }
        }
    }

    /** The parent's side of a target: one object that produces or consumes in this JVM. */
    private static final class Local implements AutoCloseable
    {
        private final IpcRing ring;
        private final SharedQueue<byte[]> queue;
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);

        Local(final Target target, final Path path) throws Exception
        {
            ring = target == Target.SHARED_QUEUE ? null : IpcRing.builder(path).codec("bytes").unblockTimeout(UNBLOCK)
                .open();
            queue = target == Target.SHARED_QUEUE ? SharedQueue.builder(path).codec(Codecs.bytes())
                .unblockTimeout(UNBLOCK).open() : null;
        }

        static void create(final Target target, final Path path, final int capacity) throws Exception
        {
            if (target == Target.SHARED_QUEUE)
            {
                SharedQueue.create(path, capacity, Codecs.bytes()).close();
            }
            else
            {
                IpcRing.builder(path).kind(target == Target.IPC_ONE_TO_ONE ? RingKind.ONE_TO_ONE :
                    RingKind.MANY_TO_ONE).capacity(capacity).codec("bytes").create().close();
            }
        }

        /** Takes what is there now; each record as (id, sequence) or -1; returns how many. */
        int poll(final LongConsumer each)
        {
            if (ring != null)
            {
                return ring.read((buffer, offset, length) -> each.accept(check(buffer, offset, length)), 256);
            }
            int taken = 0;
            for (byte[] bytes = queue.poll(); bytes != null && taken < 256; bytes = taken < 255 ? queue.poll() : null)
            {
                view.wrap(bytes);
                each.accept(check(view, 0, bytes.length));
                taken++;
            }
            return taken;
        }

        void put(final UnsafeBuffer record, final int length) throws InterruptedException
        {
            if (ring != null)
            {
                assertThat(ring.offer(record, 0, length)).isTrue();
            }
            else
            {
                final byte[] bytes = new byte[length];
                record.getBytes(0, bytes);
                assertThat(queue.offer(bytes)).isTrue();
            }
        }

        long size()
        {
            return ring != null ? ring.size() : queue.size();
        }

        @Override
        public void close() throws java.io.IOException
        {
            if (ring != null)
            {
                ring.close();
            }
            if (queue != null)
            {
                queue.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    @Timeout(600)
    void shouldLoseNothingCommittedWhenProducersAreKilledAtRandom(final Target target) throws Exception
    {
        System.out.println("chaos " + target + " producer kills: " + KILLS + ", seed " + SEED);
        final Random random = new Random(SEED);
        final Path path = dir.resolve("producers-" + target);
        Local.create(target, path, 1 << 16);
        try (Local consumer = new Local(target, path))
        {
            for (int id = 0; id < KILLS; id++)
            {
                final int producer = id;
                final long[] next = {0};
                final String[] error = {null};
                final LongConsumer verify = (record) ->
                {
                    if (error[0] == null && (record != ((long)producer << 32 | next[0])))
                    {
                        error[0] = "producer " + producer + ": expected sequence " + next[0] + " but got " +
                            (record < 0 ? "a partial record" : (record >>> 32) + "/" + (int)record);
                    }
                    next[0]++;
                };
                try (ChildJvm child = ChildJvm.start(dir, Producer.class, path.toString(), target.name(),
                    String.valueOf(id)))
                {
                    await().atMost(Duration.ofSeconds(60)).until(() -> child.stdout().contains("started") ||
                        !child.process().isAlive());
                    final long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(300));
                    while (System.nanoTime() < killAt)
                    {
                        consumer.poll(verify);
                    }
                    assertThat(child.process().isAlive()).as(child.output()).isTrue();
                    child.kill();
                    final long committed = IpcCrossProcessTest.lastCommitted(child.stdout());
                    drain(consumer, verify);
                    assertThat(error[0]).as("round %d", id).isNull();
                    assertThat(next[0]).as("round %d: taken, with %d reported committed", id, committed)
                        .isGreaterThan(committed);
                    assertThat(consumer.size()).as("round %d: size once a poll finds nothing", id).isZero();
                    assertThat(consumer.poll(verify)).isZero();
                }
            }
        }
    }

    private static void drain(final Local consumer, final LongConsumer each)
    {
        // a record the producer left half-written holds the rest back until the unblock timeout
        long quietSince = System.nanoTime();
        while (System.nanoTime() - quietSince < UNBLOCK.toNanos() * 4)
        {
            if (consumer.poll(each) > 0)
            {
                quietSince = System.nanoTime();
            }
            else
            {
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    @Timeout(600)
    void shouldLoseNothingCommittedWhenConsumersAreKilledAtRandom(final Target target) throws Exception
    {
        System.out.println("chaos " + target + " consumer kills: " + KILLS + ", seed " + SEED);
        final Random random = new Random(SEED);
        final Path path = dir.resolve("consumers-" + target);
        Local.create(target, path, 1 << 20);
        final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
        final int lossBound = target == Target.SHARED_QUEUE ? 1 : 0;
        final int duplicateBound = target == Target.SHARED_QUEUE ? 1 : IPC_DUPLICATE_BOUND;
        try (Local producer = new Local(target, path))
        {
            for (int round = 0; round < KILLS; round++)
            {
                for (int sequence = 0; sequence < BATCH; sequence++)
                {
                    producer.put(record, fill(record, round, sequence));
                }
                final Path out = dir.resolve("taken-" + target + "-" + round);
                final int killAfter = 50 + random.nextInt(BATCH / 2);
                try (ChildJvm child = ChildJvm.start(dir, Consumer.class, path.toString(), target.name(),
                    out.toString()))
                {
                    await().atMost(Duration.ofSeconds(60)).until(() -> !child.process().isAlive() ||
                        Files.exists(out) && Files.size(out) >= (long)killAfter * Long.BYTES);
                    assertThat(child.process().isAlive()).as(child.output()).isTrue();
                    child.kill();
                }
                final BitSet seen = new BitSet(BATCH);
                final ByteBuffer taken = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i + Long.BYTES <= taken.limit(); i += Long.BYTES)
                {
                    final long value = taken.getLong(i);
                    assertThat(value).as("round %d: a record the killed consumer took", round)
                        .isEqualTo((long)round << 32 | (int)value);
                    seen.set((int)value);
                }
                final int[] again = new int[1];
                final long[] drained = new long[1];
                final long sizeAfterKill;
                try (Local consumer = new Local(target, path))
                {
                    sizeAfterKill = consumer.size();
                    final int current = round;
                    drain(consumer, (value) ->
                    {
                        assertThat(value).as("round %d: a record left by the killed consumer", current)
                            .isEqualTo((long)current << 32 | (int)value);
                        again[0] += seen.get((int)value) ? 1 : 0;
                        seen.set((int)value);
                        drained[0]++;
                    });
                    assertThat(consumer.size()).as("round %d: size once a poll finds nothing", round).isZero();
                }
                assertThat(sizeAfterKill).as("round %d: size after the kill, against what a drain took", round)
                    .isEqualTo(drained[0]);
                assertThat(BATCH - seen.cardinality()).as("round %d: committed records lost", round)
                    .isLessThanOrEqualTo(lossBound);
                assertThat(again[0]).as("round %d: records taken again", round).isLessThanOrEqualTo(duplicateBound);
            }
        }
    }
}
