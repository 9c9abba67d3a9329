package io.ringlink.internal;

import io.ringlink.Sink;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.Flushable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A byte destination counts the messages it handed to the operating system whole, also when its reader goes away in
 * the middle of a batch: that is what the command reports as written after a broken pipe.
 */
class ChannelSinkWrittenMessagesTest
{
    private static final int MESSAGE = 10 * 1024;

    @Test
    void shouldCountOnlyMessagesWrittenWholeBeforeTheChannelBroke() throws Exception
    {
        // Takes one 64 KiB buffer (six 10 KiB messages and part of the seventh), then the reader goes away.
        final BreakingChannel channel = new BreakingChannel(64 * 1024);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        final WrittenMessages counted = (WrittenMessages)sink;
        int handed = 0;
        try
        {
            while (handed < 100)
            {
                sink.onMessage(new byte[MESSAGE]);
                handed++;
            }
        }
        catch (final IOException ex)
        {
            assertThat(ex).hasMessageContaining("Broken pipe");
        }
        assertThat(channel.taken).isEqualTo(64 * 1024);
        assertThat(handed).as("messages the sink took before a write failed").isEqualTo(12);
        assertThat(counted.messagesWritten()).isEqualTo(6);
    }

    @Test
    void shouldCountEveryMessageOfAFlushedBatch() throws Exception
    {
        final BreakingChannel channel = new BreakingChannel(1024 * 1024);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        for (int i = 0; i < 3; i++)
        {
            sink.onMessage("line " + i);
        }
        assertThat(((WrittenMessages)sink).messagesWritten()).as("still in the buffer").isZero();
        sink.onEndOfBatch();
        assertThat(((WrittenMessages)sink).messagesWritten()).isEqualTo(3);
        assertThat(channel.taken).isEqualTo("line 0\nline 1\nline 2\n".length());
    }

    @Test
    void shouldNotCountAMessageWhoseFlushFailed() throws Exception
    {
        final BreakingChannel channel = new BreakingChannel(0);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        sink.onMessage("lost");
        assertThatThrownBy(sink::onEndOfBatch).hasMessageContaining("Broken pipe");
        assertThat(((WrittenMessages)sink).messagesWritten()).isZero();
    }

    @Test
    void shouldWriteLargeMessagesInOrderBetweenBufferedOnes() throws Exception
    {
        // Messages of 20 KiB are written as they are, those of 10 bytes through the buffer: the order must hold.
        final BreakingChannel channel = new BreakingChannel(Integer.MAX_VALUE);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 40; i++)
        {
            final byte[] message = new byte[i % 3 == 0 ? 20 * 1024 : 10];
            Arrays.fill(message, (byte)('a' + i % 26));
            sink.onMessage(message);
            expected.write(message);
        }
        sink.onEndOfBatch();
        assertThat(channel.received.toByteArray()).isEqualTo(expected.toByteArray());
        assertThat(((WrittenMessages)sink).messagesWritten()).isEqualTo(40);
    }

    @Test
    void shouldWritePooledMessagesWholeEachTimeTheirBufferComesBack() throws Exception
    {
        // Two pooled buffers taken in turn, as a source's pool is, refilled with other bytes and lengths each time:
        // the view kept for each must show exactly what the message holds now.
        final BreakingChannel channel = new BreakingChannel(Integer.MAX_VALUE);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        final RawLines[] pool = {RawLines.allocate(64 * 1024), RawLines.allocate(64 * 1024)};
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++)
        {
            final RawLines message = pool[i % 2];
            final int length = 16 * 1024 + 997 * i;
            Arrays.fill(message.bytes(), 0, length, (byte)('a' + i));
            message.bytes()[length - 1] = '\n';
            message.set(length, 1);
            sink.onMessage(message);
            expected.write(message.bytes(), 0, length);
        }
        sink.onEndOfBatch();
        assertThat(channel.received.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void shouldCountOnlyWholeLargeMessagesWhenTheChannelBreaks() throws Exception
    {
        // Two messages of 20 KiB are taken; the third write breaks the pipe.
        final BreakingChannel channel = new BreakingChannel(40 * 1024);
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        int handed = 0;
        try
        {
            while (handed < 10)
            {
                sink.onMessage(new byte[20 * 1024]);
                handed++;
            }
        }
        catch (final IOException ex)
        {
            assertThat(ex).hasMessageContaining("Broken pipe");
        }
        assertThat(handed).isEqualTo(2);
        assertThat(((WrittenMessages)sink).messagesWritten()).as("each written whole, at once").isEqualTo(2);
        assertThat(channel.taken).isEqualTo(40 * 1024);
    }

    @Test
    void shouldFlushALargeMessageWrittenPastTheBufferAtTheEndOfItsBatch() throws Exception
    {
        final FlushCountingChannel channel = new FlushCountingChannel();
        final Sink<Object> sink = Endpoints.sink(channel, EndpointOptions.DEFAULTS);
        sink.onMessage(new byte[32 * 1024]);
        assertThat(((WrittenMessages)sink).messagesWritten()).as("not flushed yet").isZero();
        sink.onEndOfBatch();
        assertThat(channel.flushes).isEqualTo(1);
        assertThat(channel.taken).isEqualTo(32 * 1024);
        assertThat(((WrittenMessages)sink).messagesWritten()).isEqualTo(1);
        sink.onEndOfBatch();
        assertThat(channel.flushes).as("nothing new to flush").isEqualTo(1);
    }

    /** A buffering channel, as the command's stdout is: what it took reaches the reader only when flushed. */
    private static final class FlushCountingChannel implements WritableByteChannel, Flushable
    {
        private int taken;
        private int flushes;

        @Override
        public int write(final ByteBuffer src)
        {
            final int length = src.remaining();
            src.position(src.limit());
            taken += length;
            return length;
        }

        @Override
        public void flush()
        {
            flushes++;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public void close()
        {
        }
    }

    /** Takes bytes up to a capacity, then fails as a pipe whose reader went away. */
    private static final class BreakingChannel implements WritableByteChannel
    {
        private final int capacity;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private int taken;

        BreakingChannel(final int capacity)
        {
            this.capacity = capacity;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            if (taken + src.remaining() > capacity)
            {
                throw new IOException("Broken pipe");
            }
            final int length = src.remaining();
            if (received.size() < 4 * 1024 * 1024)
            {
                final byte[] bytes = new byte[length];
                src.get(bytes);
                received.write(bytes, 0, length);
            }
            src.position(src.limit());
            taken += length;
            return length;
        }

        @Override
        public boolean isOpen()
        {
            return true;
        }

        @Override
        public void close()
        {
        }
    }
}
