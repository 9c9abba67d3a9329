package io.ringlink.internal;

import io.ringlink.Sink;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

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

    /** Takes bytes up to a capacity, then fails as a pipe whose reader went away. */
    private static final class BreakingChannel implements WritableByteChannel
    {
        private final int capacity;
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
