package io.ringlink.aeron;

import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.RecordHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Messages on an {@code aeron:} link: longer than the MTU, on the zero-copy bytes path, from several threads.
 */
class AeronMessagesTest
{
    @TempDir
    Path dir;

    private static byte[] pattern(final int index, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(index * 31 + i);
        }
        return bytes;
    }

    @Test
    @Timeout(60)
    void shouldReassembleMessagesLongerThanTheMtuWholeOnBothReadPaths() throws Exception
    {
        final int length = 10_000;
        final String uri = "aeron:udp?endpoint=localhost:" + AeronTestSupport.freeUdpPort() + "|mtu=1408|stream=41|" +
            "codec=bytes|connect-timeout=20s|dir=" + dir.resolve("d");
        try (AeronSource<byte[]> source = AeronSource.open(uri, Codecs.bytes());
            AeronSink<byte[]> sink = AeronSink.open(uri, Codecs.bytes()))
        {
            final List<byte[]> decoded = new ArrayList<>();
            final List<byte[]> records = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                sink.put(pattern(i, length));
            }
            final UnsafeBuffer raw = new UnsafeBuffer(pattern(20, length));
            sink.put(raw, 0, length);
            await().atMost(Duration.ofSeconds(20)).until(() ->
            {
                source.read(decoded::add, 4);
                return decoded.size() >= 20;
            });
            await().atMost(Duration.ofSeconds(20)).until(() ->
            {
                source.read((buffer, offset, size) ->
                {
                    final byte[] copy = new byte[size];
                    buffer.getBytes(offset, copy);
                    records.add(copy);
                }, 64);
                return !records.isEmpty();
            });
            for (int i = 0; i < 20; i++)
            {
                assertThat(Arrays.equals(decoded.get(i), pattern(i, length))).as("message " + i).isTrue();
            }
            assertThat(records).hasSize(1);
            assertThat(Arrays.equals(records.get(0), pattern(20, length))).isTrue();
            assertThat(source.gaps()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void shouldAllocateNothingPerMessageOnTheBytesPath() throws Exception
    {
        final String uri = "aeron:ipc?stream=43|codec=bytes|dir=" + dir.resolve("d");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (AeronSource<byte[]> source = AeronSource.open(uri, Codecs.bytes());
            AeronSink<byte[]> sink = AeronSink.open(uri, Codecs.bytes()))
        {
            await().atMost(Duration.ofSeconds(10)).until(sink::isConnected);
            final UnsafeBuffer message = new UnsafeBuffer(new byte[32]);
            final long[] sum = {0};
            final RecordHandler handler = (buffer, offset, length) -> sum[0] += buffer.getLong(offset);
            final int rounds = 200_000;
            long allocated = 0;
            for (int pass = 0; pass < 2; pass++)
            {
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < rounds; i++)
                {
                    message.putLong(0, i);
                    while (sink.offer(message, 0, 32) < 0)
                    {
                        Thread.onSpinWait();
                    }
                    while (source.read(handler, 1) == 0)
                    {
                        Thread.onSpinWait();
                    }
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            System.out.println("aeron: bytes path: " + allocated + " bytes allocated in " + rounds + " round trips");
            assertThat(sum[0]).isEqualTo(2L * ((long)rounds * (rounds - 1) / 2));
            assertThat(allocated).as("bytes allocated by " + rounds + " offers and reads after warm-up")
                .isLessThan(rounds / 100);
        }
    }

    @Test
    @Timeout(60)
    void shouldReportTheBacklogFromTheDriversCounters() throws Exception
    {
        final String uri = "aeron:ipc?stream=44|codec=longs|dir=" + dir.resolve("d");
        try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs());
            AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs()))
        {
            assertThat(source.backlog()).isZero();
            for (long i = 0; i < 1000; i++)
            {
                sink.put(i);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> source.backlog() == 1000);
            final long[] read = {0};
            await().atMost(Duration.ofSeconds(10)).until(() ->
            {
                source.read((message) -> read[0]++, 100);
                return read[0] == 1000;
            });
            assertThat(source.backlog()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepEachThreadsOrderOnAConcurrentSink() throws Exception
    {
        final int perThread = 20_000;
        final String uri = "aeron:ipc?stream=42|codec=longs|concurrent=true|connect-timeout=20s|dir=" +
            dir.resolve("d");
        try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs());
            AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs()))
        {
            assertThat(sink.isThreadSafe()).isTrue();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final List<Thread> threads = new ArrayList<>();
            for (long id = 0; id < 2; id++)
            {
                final long producer = id;
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        for (long i = 0; i < perThread; i++)
                        {
                            sink.onMessage(producer << 32 | i);
                        }
                    }
                    catch (final Exception ex)
                    {
                        failure.set(ex);
                    }
                }, "aeron-test-producer-" + id);
                threads.add(thread);
                thread.start();
            }
            final long[] next = new long[2];
            final AtomicReference<String> error = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(40)).until(() ->
            {
                source.read((message) ->
                {
                    final int producer = (int)(message >>> 32);
                    final long sequence = message & 0xFFFF_FFFFL;
                    if (sequence != next[producer]++ && error.get() == null)
                    {
                        error.set("producer " + producer + ": expected " + (next[producer] - 1) + ", got " +
                            sequence);
                    }
                }, 256);
                return next[0] + next[1] >= 2L * perThread || error.get() != null;
            });
            for (final Thread thread : threads)
            {
                thread.join(10_000);
                assertThat(thread.isAlive()).isFalse();
            }
            assertThat(failure.get()).isNull();
            assertThat(error.get()).isNull();
            assertThat(next).containsExactly(perThread, perThread);
        }
    }
}
