package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IpcRingDescriptor;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;
import io.ringlink.test.Threads;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class IpcRingTest
{
    private static final int CAPACITY = 64 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldHandRecordsInPlaceWithoutAllocatingPerMessage() throws IOException
    {
        try (IpcRing ring = IpcRing.builder(dir.resolve("ring")).capacity(CAPACITY).create())
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final long[] sum = new long[1];
            final RecordHandler handler = (buffer, offset, length) -> sum[0] += buffer.getLong(offset) + length;
            for (int i = 0; i < 20_000; i++)
            {
                message.putLong(0, i);
                assertThat(ring.offer(message, 0, 64)).isTrue();
                assertThat(readOne(ring, handler)).isOne();
            }
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            sum[0] = 0;
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            for (int i = 0; i < 10_000; i++)
            {
                message.putLong(0, i);
                ring.offer(message, 0, 64);
                readOne(ring, handler);
            }
            final long allocated = threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
            assertThat(sum[0]).isEqualTo(10_000L * 9_999 / 2 + 64 * 10_000L);
            assertThat(allocated).as("bytes allocated by 10,000 offers and reads").isLessThan(10_000);
        }
    }

    @Test
    void shouldRefuseAMessageOverTheMaximumBeforeWritingAnything() throws Exception
    {
        try (IpcRing ring = IpcRing.builder(dir.resolve("ring")).capacity(CAPACITY).codec("utf8").create();
            IpcRingSink<String> sink = IpcRingSink.of(IpcRing.open(dir.resolve("ring"), "utf8"), Codecs.utf8(),
                WaitStrategy.YIELDING))
        {
            final String big = "x".repeat(CAPACITY / 8 + 1);
            assertThatThrownBy(() -> sink.put(big))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("message of 8193 bytes is longer than the maximum of 8192 bytes");
            assertThatThrownBy(() -> sink.offer(big)).isInstanceOf(MessageTooLargeException.class);
            assertThatThrownBy(() -> ring.offer(new UnsafeBuffer(new byte[9000]), 0, 9000))
                .isInstanceOf(MessageTooLargeException.class);
            assertThat(ring.hasRecords()).isFalse();
            assertThat(ring.producedCount()).isZero();
            assertThat(ring.remainingBytes()).isEqualTo(CAPACITY);
            sink.put("x".repeat(CAPACITY / 8));
            assertThat(ring.size()).isOne();
        }
    }

    @Test
    @Timeout(30)
    void shouldReturnFalseWhenFullAndGiveUpATimedOfferButNeverDrop() throws Exception
    {
        try (IpcRing ring = IpcRing.builder(dir.resolve("ring")).capacity(CAPACITY).codec("longs").create();
            IpcRingSink<Long> sink = IpcRingSink.of(IpcRing.open(dir.resolve("ring"), "longs"), Codecs.longs(),
                WaitStrategy.YIELDING))
        {
            long accepted = 0;
            while (sink.offer(accepted))
            {
                accepted++;
            }
            assertThat(accepted).as("16-byte records in a %d-byte ring", CAPACITY)
                .isBetween(CAPACITY / 16L - 1, CAPACITY / 16L);
            final long start = System.nanoTime();
            assertThat(sink.offer(-1L, 100, TimeUnit.MILLISECONDS)).isFalse();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
            assertThat(ring.size()).isEqualTo(accepted);

            final List<Long> received = new ArrayList<>();
            try (IpcRingSource<Long> source = IpcRingSource.of(IpcRing.open(dir.resolve("ring"), "longs"),
                Codecs.longs(), WaitStrategy.YIELDING))
            {
                while (source.read(received::add, 1000) > 0)
                {
                    // used alone, the source frees records when told they were handled
                    source.onDelivered(received.size());
                }
            }
            assertThat(received).hasSize((int)accepted);
            for (int i = 0; i < received.size(); i++)
            {
                assertThat(received.get(i)).isEqualTo(i);
            }
            assertThat(ring.size()).isZero();
        }
    }

    @Test
    @Timeout(30)
    void shouldWaitInPutUntilTheConsumerMakesRoom() throws Exception
    {
        final Path file = dir.resolve("ring");
        try (IpcRingSink<Long> sink = IpcRingSink.of(IpcRing.builder(file).capacity(1024).codec("longs").create(),
            Codecs.longs(), WaitStrategy.BLOCKING);
            IpcRingSource<Long> source = IpcRingSource.of(IpcRing.open(file, "longs"), Codecs.longs(),
                WaitStrategy.BLOCKING))
        {
            final Thread producer = new Thread(() ->
            {
                try
                {
                    for (long i = 0; i < 10_000; i++)
                    {
                        sink.put(i);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            final List<Long> received = new ArrayList<>();
            while (received.size() < 10_000)
            {
                source.read(received::add, 100);
                source.onDelivered(received.size());
            }
            producer.join();
            for (int i = 0; i < 10_000; i++)
            {
                assertThat(received.get(i)).isEqualTo(i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    @Timeout(30)
    void shouldSkipARecordADeadProducerLeftHalfWrittenAfterTheUnblockTimeout(final RingKind kind) throws Exception
    {
        final Path file = dir.resolve("ring");
        try (IpcRing ring = IpcRing.builder(file).kind(kind).capacity(CAPACITY).codec("bytes")
            .unblockTimeout(Duration.ofMillis(200)).create())
        {
            final MappedByteBuffer mapped = map(file);
            final RingBuffer deadProducer = ringOver(mapped, kind);
            final int claimed = deadProducer.tryClaim(IpcRing.MESSAGE_TYPE_ID, 16);
            assertThat(claimed).isPositive();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[]{42});
            assertThat(kind == RingKind.MANY_TO_ONE ? ring.offer(message, 0, 1) :
                deadProducer.write(IpcRing.MESSAGE_TYPE_ID, message, 0, 1)).isTrue();

            final List<Byte> received = new ArrayList<>();
            final long start = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                ring.read((buffer, offset, length) -> received.add(buffer.getByte(offset)), 10);
                return !received.isEmpty();
            });
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
            assertThat(received).containsExactly((byte)42);
            assertThat(ring.unblockedCount()).isOne();
            org.agrona.IoUtil.unmap(mapped);
        }
    }

    @Test
    void shouldRefuseASecondConsumerWhileTheFirstHoldsTheRing() throws IOException
    {
        final Path file = dir.resolve("ring");
        final IpcRing first = IpcRing.builder(file).capacity(CAPACITY).create();
        try (IpcRing second = IpcRing.open(file, null))
        {
            first.read((buffer, offset, length) -> { }, 1);
            assertThat(first.consumerPid()).isEqualTo(ProcessHandle.current().pid());
            assertThatThrownBy(() -> second.read((buffer, offset, length) -> { }, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + " already has a consumer: another IpcRing in this process")
                .hasMessageContaining("one consumer at a time");
            first.close();
            assertThat(second.read((buffer, offset, length) -> { }, 1)).isZero();
            assertThat(second.consumerPid()).isEqualTo(ProcessHandle.current().pid());
        }
    }

    @Test
    void shouldSkipCountAndLogRecordsThatDoNotDecode() throws Exception
    {
        final Path file = dir.resolve("ring");
        try (IpcRing ring = IpcRing.builder(file).kind(RingKind.MANY_TO_ONE).capacity(CAPACITY).codec("values")
            .create();
            IpcRingSource<Object> source = IpcRingSource.of(IpcRing.open(file, "values"), Codecs.values(),
                WaitStrategy.YIELDING))
        {
            final UnsafeBuffer record = new UnsafeBuffer(new byte[64]);
            record.putByte(0, (byte)99);
            assertThat(ring.offer(record, 0, 1)).isTrue();
            record.putByte(0, (byte)0);
            assertThat(ring.offer(record, 0, 1)).isTrue();
            final int length = Codecs.values().encode(List.of(1L, "two"), record, 0);
            assertThat(ring.offer(record, 0, length)).isTrue();

            final List<Object> received = new ArrayList<>();
            assertThat(source.read(received::add, 10)).isOne();
            source.onDelivered(1);
            assertThat(received).containsExactly(List.of(1L, "two"));
            assertThat(source.malformedCount()).isEqualTo(2);
            assertThat(ring.size()).isZero();
        }
    }

    @Test
    void shouldRefuseASecondProducerOfAOneToOneRing() throws IOException
    {
        final Path file = dir.resolve("ring");
        final UnsafeBuffer message = new UnsafeBuffer(new byte[8]);
        final IpcRing first = IpcRing.builder(file).capacity(CAPACITY).create();
        try (IpcRing second = IpcRing.open(file, null);
            IpcRing many = IpcRing.builder(dir.resolve("many")).kind(RingKind.MANY_TO_ONE).capacity(CAPACITY).create();
            IpcRing manyAgain = IpcRing.open(dir.resolve("many"), null))
        {
            assertThat(first.offer(message, 0, 8)).isTrue();
            assertThatThrownBy(() -> second.offer(message, 0, 8))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + " already has a producer")
                .hasMessageContaining("one producer at a time");
            first.close();
            assertThat(second.offer(message, 0, 8)).isTrue();
            assertThat(second.size()).isEqualTo(2);

            assertThat(many.offer(message, 0, 8)).isTrue();
            assertThat(manyAgain.offer(message, 0, 8)).isTrue();
            assertThat(many.size()).isEqualTo(2);
        }
    }

    @Test
    @Timeout(60)
    void shouldLinkRoutersThroughIpcUris() throws Exception
    {
        final EndpointProvider provider = ServiceLoader.load(EndpointProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter((candidate) -> candidate.schemes().contains("ipc"))
            .findFirst().orElseThrow();
        final String uri = "ipc:" + dir.resolve("link") + "?capacity=64k&kind=many-to-one&codec=utf8&wait=yielding";
        final LinkedBlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Router<Object> producer = Router.builder().name("ipc-producer").build();
            Router<Object> consumer = Router.builder().name("ipc-consumer").build())
        {
            final Sink<?> sink = provider.sink(EndpointUri.parse(uri));
            final Source<?> source = provider.source(EndpointUri.parse(uri));
            assertThat(sink.endpoint()).isEqualTo(dir.resolve("link"));
            producer.write(sink);
            consumer.read(source);
            consumer.write(out);
            final var publisher = producer.publisher("test");
            for (int i = 0; i < 10_000; i++)
            {
                publisher.publish("m" + i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> out.size() == 10_000);
            assertThat(out.peek()).isEqualTo("m0");
        }
        Threads.assertNoThreadsNamed("ringlink-ipc-producer-");
        Threads.assertNoThreadsNamed("ringlink-ipc-consumer-");
        assertThat(RingFileTestSupport.mappingsOf(dir.resolve("link"))).isZero();

        try (Source<?> first = provider.source(EndpointUri.parse("ipc:" + dir.resolve("link"))))
        {
            assertThat(first.backlog()).isZero();
            assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + dir.resolve("link"))))
                .isInstanceOf(RingRoleException.class).hasMessageContaining("already has a consumer")
                .satisfies((ex) -> assertThat(((RingRoleException)ex).holderPid())
                    .isEqualTo(ProcessHandle.current().pid()));
        }
        assertThat(RingFileTestSupport.mappingsOf(dir.resolve("link"))).isZero();
        assertThatThrownBy(() -> provider.source(EndpointUri.parse("ipc:" + dir.resolve("link") + "?codec=longs")))
            .isInstanceOf(RingFileException.class).hasMessageContaining("holds codec 'utf8'");
        assertThatThrownBy(() -> provider.sink(EndpointUri.parse("ipc:" + dir.resolve("x") + "?codec=java")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec 'java'");
    }

    @Test
    @Timeout(30)
    void shouldRefreshTheHeartbeatWhileTheConsumerPollsAnEmptyRingFastOrSlowly() throws IOException
    {
        try (IpcRing ring = IpcRing.builder(dir.resolve("ring")).capacity(CAPACITY).create())
        {
            final RecordHandler handler = (buffer, offset, length) -> { };
            assertThat(ring.read(handler, 10)).isZero();
            final Instant first = ring.consumerHeartbeat();
            assertThat(first).isNotNull();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1)).until(() ->
            {
                for (int i = 0; i < 100_000; i++)
                {
                    ring.read(handler, 10);
                }
                return ring.consumerHeartbeat().isAfter(first);
            });
            final Instant second = ring.consumerHeartbeat();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
            {
                ring.read(handler, 10);
                return ring.consumerHeartbeat().isAfter(second);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    @Timeout(60)
    void shouldCloseSafelyWhileOtherThreadsOfferAndPoll(final RingKind kind) throws Exception
    {
        for (int round = 0; round < 20; round++)
        {
            final Path file = dir.resolve("ring-" + round);
            final IpcRing ring = IpcRing.builder(file).kind(kind).capacity(CAPACITY).deleteOnClose(true).create();
            final AtomicLong offered = new AtomicLong();
            final AtomicLong polled = new AtomicLong();
            final List<Throwable> failures = new CopyOnWriteArrayList<>();
            final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
            final Thread producer = new Thread(() -> loopUntilClosed(failures, () ->
            {
                if (ring.offer(message, 0, 32))
                {
                    offered.incrementAndGet();
                }
            }), "offerer");
            final RecordHandler handler = (buffer, offset, length) -> polled.incrementAndGet();
            final Thread consumer = new Thread(() -> loopUntilClosed(failures, () -> ring.read(handler, 10)), "poller");
            producer.start();
            consumer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> offered.get() > 0 && polled.get() > 0);
            ring.close();
            producer.join(10_000);
            consumer.join(10_000);
            assertThat(producer.isAlive() || consumer.isAlive()).isFalse();
            assertThat(failures).isEmpty();
            assertThat(RingFileTestSupport.mappingsOf(file)).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(RingKind.class)
    void shouldCountProducedAndConsumedRecordsExactly(final RingKind kind) throws IOException
    {
        final Path file = dir.resolve("ring");
        try (IpcRing ring = IpcRing.builder(file).kind(kind).capacity(CAPACITY).create())
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[16]);
            for (int i = 0; i < 5; i++)
            {
                assertThat(ring.offer(message, 0, 16)).isTrue();
            }
            assertThat(ring.read((buffer, offset, length) -> { }, 2)).isEqualTo(2);
            assertThat(ring.producedCount()).isEqualTo(5);
            assertThat(ring.consumedCount()).isEqualTo(2);
            assertThat(ring.size()).isEqualTo(3);
        }
        try (IpcRing reopened = IpcRing.open(file, null))
        {
            assertThat(reopened.offer(new UnsafeBuffer(new byte[16]), 0, 16)).isTrue();
            assertThat(reopened.producedCount()).as("a later producer continues the count").isEqualTo(6);
            assertThat(reopened.size()).isEqualTo(4);
        }
    }

    private static void loopUntilClosed(final List<Throwable> failures, final Runnable call)
    {
        try
        {
            while (true)
            {
                call.run();
            }
        }
        catch (final IllegalStateException ex)
        {
            if (!String.valueOf(ex.getMessage()).endsWith("is closed"))
            {
                failures.add(ex);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failures.add(ex);
        }
    }

    private static int readOne(final IpcRing ring, final RecordHandler handler)
    {
        int read = 0;
        while (read == 0)
        {
            read = ring.read(handler, 10);
        }
        return read;
    }

    static MappedByteBuffer map(final Path file) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, channel.size());
        }
    }

    static RingBuffer ringOver(final MappedByteBuffer mapped, final RingKind kind)
    {
        final UnsafeBuffer records = new UnsafeBuffer(mapped, IpcRingDescriptor.HEADER_LENGTH,
            mapped.capacity() - IpcRingDescriptor.HEADER_LENGTH);
        assertThat(records.capacity() - RingBufferDescriptor.TRAILER_LENGTH).isPositive();
        return kind == RingKind.ONE_TO_ONE ? new OneToOneRingBuffer(records) : new ManyToOneRingBuffer(records);
    }
}
