package io.ringlink.aeron;

import io.ringlink.offheap.Codecs;
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
