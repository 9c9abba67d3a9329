package io.ringlink.internal;

import io.ringlink.MessageHandler;
import io.ringlink.Source;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads a byte channel (a stream, a file, a FIFO, a process's output) on the pump thread and hands over lines
 * ({@code String}, decoded per the options) or {@code byte[]} chunks. The channel is opened by the first read, so a
 * FIFO waiting for its writer blocks the pump, never {@code link()}. {@link #close()} closes the channel only if the
 * link owns it, and wakes an open still waiting.
 */
final class ChannelSource implements Source<Object>
{
    private static final long FOLLOW_POLL_MILLIS = 50;

    private final String name;
    private final Object endpoint;
    private final ChannelOpener<? extends ReadableByteChannel> opener;
    private final boolean owned;
    private final boolean follow;
    private final boolean chunks;
    private final ByteBuffer bytes;
    private final CharBuffer chars;
    private final CharsetDecoder decoder;
    private final LineSplitter lines;
    private volatile ReadableByteChannel channel;
    private volatile boolean closed;
    private boolean ended;

    ChannelSource(
        final String name,
        final Object endpoint,
        final ChannelOpener<? extends ReadableByteChannel> opener,
        final boolean owned,
        final boolean follow,
        final EndpointOptions options)
    {
        this.name = name;
        this.endpoint = endpoint;
        this.opener = opener;
        this.owned = owned;
        this.follow = follow;
        this.chunks = options.chunks();
        this.bytes = ByteBuffer.allocate(options.chunkSize());
        if (chunks)
        {
            this.chars = null;
            this.decoder = null;
            this.lines = null;
        }
        else
        {
            final CodingErrorAction action =
                options.replaceMalformed() ? CodingErrorAction.REPLACE : CodingErrorAction.REPORT;
            this.chars = CharBuffer.allocate(Math.max(16, options.chunkSize()));
            this.decoder = options.charset().newDecoder().onMalformedInput(action).onUnmappableCharacter(action);
            this.lines = new LineSplitter(options.maxLineLength(), options.splitLongLines(), name);
        }
    }

    @Override
    public int read(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        if (ended || closed)
        {
            return END_OF_STREAM;
        }
        try
        {
            ReadableByteChannel in = channel;
            if (in == null)
            {
                in = opener.open();
                channel = in;
                if (closed)
                {
                    in.close();
                    return END_OF_STREAM;
                }
            }
            final int read = in.read(bytes);
            if (read < 0)
            {
                return onEndOfInput(handler);
            }
            if (read == 0)
            {
                TimeUnit.MILLISECONDS.sleep(1);
                return 0;
            }
            return chunks ? handOverChunk(handler) : decode(handler, false);
        }
        catch (final IOException ex)
        {
            if (closed)
            {
                return END_OF_STREAM;
            }
            throw ex;
        }
    }

    private int onEndOfInput(final MessageHandler<? super Object> handler) throws IOException, InterruptedException
    {
        if (follow)
        {
            TimeUnit.MILLISECONDS.sleep(FOLLOW_POLL_MILLIS);
            return 0;
        }
        ended = true;
        if (chunks)
        {
            return 0;
        }
        int count = decode(handler, true);
        final CoderResult result = decoder.flush(chars);
        chars.flip();
        count += lines.onChars(chars, handler);
        chars.clear();
        if (result.isError())
        {
            result.throwException();
        }
        return count + lines.finish(handler);
    }

    private int handOverChunk(final MessageHandler<? super Object> handler)
    {
        bytes.flip();
        handler.onMessage(Arrays.copyOf(bytes.array(), bytes.remaining()));
        bytes.clear();
        return 1;
    }

    private int decode(final MessageHandler<? super Object> handler, final boolean endOfInput) throws IOException
    {
        bytes.flip();
        int count = 0;
        while (true)
        {
            final CoderResult result = decoder.decode(bytes, chars, endOfInput);
            chars.flip();
            count += lines.onChars(chars, handler);
            chars.clear();
            if (result.isError())
            {
                result.throwException();
            }
            if (result.isUnderflow())
            {
                break;
            }
        }
        bytes.compact();
        return count;
    }

    @Override
    public Object endpoint()
    {
        return endpoint;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public void close() throws IOException
    {
        if (closed)
        {
            return;
        }
        closed = true;
        final ReadableByteChannel in = channel;
        try
        {
            if (in != null && owned)
            {
                in.close();
            }
        }
        finally
        {
            opener.release(in != null);
        }
    }
}
