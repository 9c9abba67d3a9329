package io.ringlink.internal;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * ({@code String}, decoded per the options), whole lines as their bytes ({@link RawLines}, {@code lines=raw}) or
 * {@code byte[]} chunks ({@code codec=bytes}; with {@code lines=raw} too, each read as one {@link RawLines} in a
 * reused buffer, so that at most a pool of reads is in memory whatever the ring size). The channel is opened by the
 * first read, so a FIFO waiting for its writer blocks the pump, never {@code link()}. A read of 0 bytes (a followed
 * file at its end, an empty reusable FIFO) is waited out briefly.
 * {@link #close()} closes the channel only if the link owns it, and wakes an open still waiting. Input bytes that
 * decoded lines do not carry as they were are counted ({@link ChangedBytes}) and reported when the source closes.
 * <p>
 * A regular file that is not followed and shows a size never makes a read wait (its end is the end; a kernel file of
 * procfs or tracefs shows none, and some of those wait: {@code /proc/kmsg}), so such a source of chunks or of
 * {@code lines=raw} (one message per read, within any limit; decoded lines are many per read) {@linkplain
 * #readsWithoutBlocking() reads without blocking}: in {@code SHARED} a delivery agent runs it, and its
 * {@link #readAvailable} is the same read with no wait (a full pool of {@code lines=raw} buffers is "nothing now").
 * What the file holds past the last read is not held by the source ({@link #backlog()} 0): a stop does not read on.
 */
class ChannelSource implements Source<Object>, ChangedBytes
{
    private static final Logger NOTICES = LoggerFactory.getLogger(TextNotices.LOGGER);
    private static final long FOLLOW_POLL_MILLIS = 50;
    private static final char REPLACEMENT = '\uFFFD';

    private final String name;
    private final Object endpoint;
    private final ChannelOpener<? extends ReadableByteChannel> opener;
    private final boolean owned;
    private final boolean follow;
    private final boolean polled;
    private final boolean chunks;
    private final boolean raw;
    private final boolean replaceMalformed;
    private final ByteBuffer bytes;
    private final CharBuffer chars;
    private final CharsetDecoder decoder;
    private final LineSplitter lines;
    private final RawLineReader rawLines;
    private volatile ReadableByteChannel channel;
    private volatile boolean closed;
    private volatile long replacedBytes;
    private boolean ended;

    /**
     * A source of the channel the opener opens.
     *
     * @param name     for metrics and logs.
     * @param endpoint the object read, for cycle detection.
     * @param opener   opens the channel on the first read.
     * @param owned    whether closing this source closes the channel.
     * @param follow   a read of 0 bytes or the end of input waits for more (a followed file).
     * @param polled   a read never waits: {@link #readsWithoutBlocking()} (see {@link #ofRegularFile}).
     * @param options  how bytes become messages.
     * @return the source; with {@code lines=raw} one that wants delivery reports (its buffers are reused).
     */
    static ChannelSource of(
        final String name,
        final Object endpoint,
        final ChannelOpener<? extends ReadableByteChannel> opener,
        final boolean owned,
        final boolean follow,
        final boolean polled,
        final EndpointOptions options)
    {
        return options.rawLines() ?
            new Acknowledged(name, endpoint, opener, owned, follow, polled, options) :
            new ChannelSource(name, endpoint, opener, owned, follow, polled, options);
    }

    /**
     * A source of a regular file, opened: of chunks or of {@code lines=raw}, it reads without blocking unless
     * followed.
     *
     * @param name     for metrics and logs.
     * @param path     the file, for cycle detection.
     * @param channel  the open file.
     * @param follow   a read of 0 bytes or the end of input waits for more.
     * @param options  how bytes become messages.
     * @return the source.
     */
    static ChannelSource ofRegularFile(
        final String name,
        final Object path,
        final ReadableByteChannel channel,
        final boolean follow,
        final EndpointOptions options)
    {
        // a read hands one message (a chunk, the whole lines of a buffer), within any limit; decoded lines do not
        final boolean polled = !follow && (options.chunks() || options.rawLines());
        return of(name, path, () -> channel, true, follow, polled, options);
    }

    private ChannelSource(
        final String name,
        final Object endpoint,
        final ChannelOpener<? extends ReadableByteChannel> opener,
        final boolean owned,
        final boolean follow,
        final boolean polled,
        final EndpointOptions options)
    {
        this.name = name;
        this.endpoint = endpoint;
        this.opener = opener;
        this.owned = owned;
        this.follow = follow;
        this.polled = polled;
        this.chunks = options.chunks();
        this.raw = options.rawLines();
        this.replaceMalformed = options.replaceMalformed();
        this.bytes = raw ? null : ByteBuffer.allocate(options.chunkSize());
        this.rawLines = raw ? new RawLineReader(options.chunkSize(), chunks) : null;
        if (chunks || raw)
        {
            this.chars = null;
            this.decoder = null;
            this.lines = null;
        }
        else
        {
            this.chars = CharBuffer.allocate(Math.max(16, options.chunkSize()));
            this.decoder = options.charset().newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
            this.lines = new LineSplitter(options.maxLineLength(), options.splitLongLines(), name);
        }
    }

    @Override
    public int read(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        return read(handler, true);
    }

    /** On a regular file, not followed: the same read, never waiting. Otherwise nothing (the source holds nothing). */
    @Override
    public int readAvailable(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        if (!polled)
        {
            return ended || closed ? END_OF_STREAM : 0;
        }
        return read(handler, false);
    }

    @Override
    public boolean readsWithoutBlocking()
    {
        return polled;
    }

    /** A polled file holds nothing beyond what it handed over: the rest of the file is not read at a stop. */
    @Override
    public long backlog()
    {
        return polled ? 0 : -1;
    }

    private int read(final MessageHandler<? super Object> handler, final boolean mayWait) throws Exception
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
            if (raw)
            {
                return readLines(in, handler, mayWait);
            }
            final int read = in.read(bytes);
            if (read < 0)
            {
                return onEndOfInput(handler);
            }
            if (read == 0)
            {
                pause(mayWait);
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

    private int readLines(final ReadableByteChannel in, final MessageHandler<? super Object> handler,
        final boolean mayWait) throws IOException, InterruptedException
    {
        final ByteBuffer buffer = rawLines.buffer(mayWait);
        if (buffer == null)
        {
            return 0;
        }
        final int read = in.read(buffer);
        if (read < 0 && !follow)
        {
            ended = true;
            return rawLines.handOver(handler, true);
        }
        if (read <= 0)
        {
            pause(mayWait);
            return 0;
        }
        return rawLines.handOver(handler, false);
    }

    /** After a read of nothing: a short wait (the poll of a followed file), unless the caller may not wait. */
    private void pause(final boolean mayWait) throws InterruptedException
    {
        if (mayWait)
        {
            TimeUnit.MILLISECONDS.sleep(follow ? FOLLOW_POLL_MILLIS : 1);
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
            if (result.isError() && replaceMalformed)
            {
                // Counted, then replaced as CodingErrorAction.REPLACE would.
                replacedBytes += result.length();
                bytes.position(bytes.position() + result.length());
                if (!chars.hasRemaining())
                {
                    count += handOverChars(handler);
                }
                chars.put(REPLACEMENT);
                continue;
            }
            count += handOverChars(handler);
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

    private int handOverChars(final MessageHandler<? super Object> handler) throws IOException
    {
        chars.flip();
        final int count = lines.onChars(chars, handler);
        chars.clear();
        return count;
    }

    /** The followed file ({@code follow}), once the first read opened it; else {@code null}. */
    FollowedFile followed()
    {
        return channel instanceof FollowedFile ? (FollowedFile)channel : null;
    }

    void onDelivered(final long messages)
    {
        rawLines.onDelivered(messages);
    }

    @Override
    public long changedBytes()
    {
        return lines == null ? 0 : replacedBytes + lines.changed();
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
        final long changed = changedBytes();
        if (changed > 0)
        {
            NOTICES.warn("{}: {} input bytes were not carried as they were ({} malformed {} bytes replaced by " +
                "U+FFFD; the rest line ends and splits)", name, changed, replacedBytes, decoder.charset().name());
        }
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

    /** A {@code lines=raw} source: the router's delivery reports free its buffers. */
    private static final class Acknowledged extends ChannelSource implements AcknowledgingSource<Object>
    {
        Acknowledged(
            final String name,
            final Object endpoint,
            final ChannelOpener<? extends ReadableByteChannel> opener,
            final boolean owned,
            final boolean follow,
            final boolean polled,
            final EndpointOptions options)
        {
            super(name, endpoint, opener, owned, follow, polled, options);
        }

        @Override
        public void onDelivered(final long messages)
        {
            super.onDelivered(messages);
        }
    }
}
