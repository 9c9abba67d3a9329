package io.ringlink.internal;

import io.ringlink.Sink;

import java.io.Flushable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptibleChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Writes messages to a byte channel (a stream, a file, a FIFO, a process's input): {@code byte[]}, {@code ByteBuffer}
 * and {@link RawLines} as they are, anything else as text in the charset followed by {@code \n}. Output is buffered and
 * written and flushed at the end of every batch, so a reader sees each message promptly. The channel is opened by
 * the first message, on the delivery thread. {@link #close()} flushes; it closes the channel only if the link owns it,
 * and wakes an open still waiting for its peer (what that delivery held is then dropped: it was abandoned).
 */
final class ChannelSink implements Sink<Object>, WrittenMessages
{
    private static final int BUFFER_SIZE = 64 * 1024;
    /** Bytes of one message from which it is written as it is rather than copied into the buffer first. */
    private static final int DIRECT_WRITE = BUFFER_SIZE / 4;
    private static final int VIEWS = 16;

    private final String name;
    private final Object endpoint;
    private final ChannelOpener<? extends WritableByteChannel> opener;
    private final boolean owned;
    private final CharsetEncoder encoder;
    /** ASCII text is its own encoding in this charset. */
    private final boolean asciiCompatible;
    private final ByteBuffer out = ByteBuffer.allocate(BUFFER_SIZE);
    private char[] text = new char[256];
    private CharBuffer textBuffer = CharBuffer.wrap(text);
    private volatile WritableByteChannel channel;
    private volatile boolean closed;
    private volatile Thread writing;
    /**
     * Views of the pooled arrays last written as they are, reused: the sources of {@link RawLines} cycle through pools
     * of {@value #VIEWS} buffers of 64 KiB, so a write needs no new view (at most 1 MiB of their buffers is kept).
     */
    private final ByteBuffer[] views = new ByteBuffer[VIEWS];
    private int nextView;
    /** Whether bytes were written since the last flush. */
    private boolean unflushed;
    /** Messages whose bytes are all in {@link #out} or written. */
    private long placed;
    /** Messages whose bytes were all handed to the channel (and, for a buffering channel, flushed). */
    private long written;

    ChannelSink(
        final String name,
        final Object endpoint,
        final ChannelOpener<? extends WritableByteChannel> opener,
        final boolean owned,
        final EndpointOptions options)
    {
        this.name = name;
        this.endpoint = endpoint;
        this.opener = opener;
        this.owned = owned;
        final Charset charset = options.charset();
        this.asciiCompatible = charset.equals(StandardCharsets.UTF_8) || charset.equals(StandardCharsets.US_ASCII) ||
            charset.equals(StandardCharsets.ISO_8859_1);
        this.encoder = charset.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    }

    @Override
    public void onMessage(final Object message) throws IOException
    {
        boolean wroteThrough = false;
        if (message instanceof RawLines)
        {
            final RawLines lines = (RawLines)message;
            wroteThrough = put(lines.bytes(), 0, lines.length(), true);
        }
        else if (message instanceof byte[])
        {
            final byte[] bytes = (byte[])message;
            wroteThrough = put(bytes, 0, bytes.length, false);
        }
        else if (message instanceof ByteBuffer)
        {
            final ByteBuffer bytes = ((ByteBuffer)message).duplicate();
            while (bytes.hasRemaining())
            {
                if (!out.hasRemaining())
                {
                    drain();
                }
                final int length = Math.min(out.remaining(), bytes.remaining());
                bytes.get(out.array(), out.arrayOffset() + out.position(), length);
                out.position(out.position() + length);
            }
        }
        else
        {
            putLine(message instanceof CharSequence ? (CharSequence)message : String.valueOf(message));
        }
        placed++;
        if (wroteThrough && !(channel instanceof Flushable))
        {
            // The message went to the channel whole: written already, as the channel does not buffer.
            written = placed;
        }
    }

    /**
     * Places bytes: copied into the buffer, or, from {@value #DIRECT_WRITE} bytes on, written from where they are
     * after what the buffer holds (the channel copies them once more in any case).
     *
     * @param pooled whether the array is one of a source's pooled buffers ({@link RawLines}), whose view is kept for
     *               its next write; a message's own array is not kept (it may be large, and it is the caller's).
     * @return {@code true} if they were written as they are.
     */
    private boolean put(final byte[] bytes, final int offset, final int length, final boolean pooled)
        throws IOException
    {
        if (length >= DIRECT_WRITE)
        {
            if (out.position() > 0)
            {
                drain();
            }
            final ByteBuffer view = pooled ? view(bytes) : ByteBuffer.wrap(bytes);
            view.limit(offset + length).position(offset);
            write(view);
            return true;
        }
        int done = 0;
        while (done < length)
        {
            if (!out.hasRemaining())
            {
                drain();
            }
            final int n = Math.min(out.remaining(), length - done);
            out.put(bytes, offset + done, n);
            done += n;
        }
        return false;
    }

    /** A view of the whole array: one kept from an earlier write, or a new one that replaces the oldest kept. */
    private ByteBuffer view(final byte[] bytes)
    {
        for (final ByteBuffer view : views)
        {
            if (view != null && view.array() == bytes)
            {
                return view.clear();
            }
        }
        final ByteBuffer view = ByteBuffer.wrap(bytes);
        views[nextView] = view;
        nextView = (nextView + 1) % VIEWS;
        return view;
    }

    private void putLine(final CharSequence line) throws IOException
    {
        final int length = line.length();
        if (asciiCompatible && line instanceof String && length < out.remaining() && putAscii((String)line, length))
        {
            return;
        }
        if (text.length < length + 1)
        {
            text = new char[Math.max(length + 1, text.length * 2)];
            textBuffer = CharBuffer.wrap(text);
        }
        if (line instanceof String)
        {
            ((String)line).getChars(0, length, text, 0);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                text[i] = line.charAt(i);
            }
        }
        text[length] = '\n';
        textBuffer.clear().limit(length + 1);
        encoder.reset();
        encode(false);
        encode(true);
    }

    /** Copies a line of ASCII chars and its {@code \n} straight into the buffer; {@code false} at the first other. */
    private boolean putAscii(final String line, final int length)
    {
        final byte[] array = out.array();
        final int start = out.arrayOffset() + out.position();
        for (int i = 0; i < length; i++)
        {
            final char c = line.charAt(i);
            if (c >= 0x80)
            {
                return false;
            }
            array[start + i] = (byte)c;
        }
        array[start + length] = '\n';
        out.position(out.position() + length + 1);
        return true;
    }

    private void encode(final boolean flush) throws IOException
    {
        while (true)
        {
            final CoderResult result = flush ? encoder.flush(out) : encoder.encode(textBuffer, out, true);
            if (result.isOverflow())
            {
                drain();
                continue;
            }
            if (result.isError())
            {
                result.throwException();
            }
            return;
        }
    }

    private void drain() throws IOException
    {
        out.flip();
        try
        {
            write(out);
        }
        finally
        {
            out.clear();
        }
    }

    /** Writes all the bytes, marked as writing (for {@link #close()}). */
    private void write(final ByteBuffer bytes) throws IOException
    {
        writing = Thread.currentThread();
        try
        {
            writeAll(bytes);
        }
        finally
        {
            writing = null;
        }
    }

    /**
     * Writes all the bytes, opening the channel first if this is the first write; then, for a channel that does not
     * buffer, counts what {@link #placed} counts as written.
     */
    private void writeAll(final ByteBuffer bytes) throws IOException
    {
        WritableByteChannel target = channel;
        if (target == null)
        {
            target = opener.open();
            channel = target;
            if (closed)
            {
                target.close();
                throw new AsynchronousCloseException();
            }
        }
        try
        {
            while (bytes.hasRemaining())
            {
                if (target.write(bytes) == 0)
                {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(name + ": interrupted while writing", ex);
        }
        unflushed = true;
        if (!(target instanceof Flushable))
        {
            // A message cut by this drain is not counted: placed counts only messages wholly in the buffer.
            written = placed;
        }
    }

    @Override
    public void onEndOfBatch() throws IOException
    {
        if (out.position() > 0)
        {
            drain();
        }
        if (unflushed)
        {
            unflushed = false;
            if (channel instanceof Flushable)
            {
                writing = Thread.currentThread();
                try
                {
                    ((Flushable)channel).flush();
                }
                finally
                {
                    writing = null;
                }
            }
        }
        written = placed;
    }

    @Override
    public long messagesWritten()
    {
        return written;
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
        final Thread writer = writing;
        final boolean writingElsewhere = writer != null && writer != Thread.currentThread();
        final WritableByteChannel target = channel;
        if (writingElsewhere && target != null && !(target instanceof InterruptibleChannel))
        {
            // An abandoned delivery is blocked writing to a stream: flushing or closing it would wait on its lock.
            closed = true;
            throw new IOException(name + " is still blocked writing; left open");
        }
        try
        {
            if (target != null && !writingElsewhere)
            {
                onEndOfBatch();
            }
        }
        finally
        {
            closed = true;
            try
            {
                if (target != null && owned)
                {
                    target.close();
                }
            }
            finally
            {
                opener.release(target != null);
            }
        }
    }
}
