package io.ringlink.cli;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.EndpointOptions;
import io.ringlink.internal.Endpoints;
import io.ringlink.internal.LineCounter;
import io.ringlink.internal.RawLines;
import io.ringlink.offheap.IpcRingSink;
import io.ringlink.offheap.IpcRingSource;
import io.ringlink.offheap.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Lines between byte endpoints through an {@code ipc:} ring of the {@code utf8} codec without making a
 * {@code String} of each: the ring still holds one line per record (its UTF-8 bytes, without the {@code \n}), as the
 * codec's readers expect, but the writer copies each line of a {@link RawLines} message straight into the ring and
 * the reader copies records (each followed by {@code \n}) straight into the buffers of a {@code lines=raw} source.
 * A line that is not valid UTF-8 is written with U+FFFD in place of its malformed bytes (the codec's readers would
 * skip it), and counted; so is a line end added to a last line that had none.
 */
final class IpcLineRecords
{
    private static final String UTF8 = "utf8";

    private IpcLineRecords()
    {
    }

    /** Carrying lines with their own ends and the command's own channel, what a {@code lines=raw} source needs. */
    private static final EndpointOptions RAW_LINES = new EndpointOptions(StandardCharsets.UTF_8, false, 64 * 1024,
        1024 * 1024, true, true, false, false, false, true, false, false, false, true);

    /** Whether a URI names an endpoint of bytes: stdin/stdout, a file, a FIFO, a command. */
    static boolean isByteEndpoint(final String uri)
    {
        return uri.equals("-") || uri.startsWith("file:") || uri.startsWith("fifo:") || uri.startsWith("exec:");
    }

    /** Whether a sink writes to an {@code ipc:} ring of text lines (the {@code utf8} codec). */
    static boolean holdsLines(final Sink<?> sink)
    {
        return sink instanceof IpcRingSink<?> ipc && ipc.ring().codecName().equals(UTF8);
    }

    /** The sink as it takes {@link RawLines}: a text ring's writes each line as a record; the others as they are. */
    static Sink<?> forLines(final Sink<?> sink)
    {
        return holdsLines(sink) ? new LineRecordSink((IpcRingSink<?>)sink) : sink;
    }

    /**
     * The source of a {@code lines=raw} link: a byte endpoint opened with {@code lines=raw}, or a text ring's records
     * read as lines of bytes.
     */
    static Source<?> lineBytesSource(final String uri, final String codec, final EndpointResolver resolver)
    {
        if (!uri.startsWith("ipc:"))
        {
            return new EndpointResolver(Map.of("codec", codec, "lines", "raw")).source(uri);
        }
        final Source<?> source = resolver.source(uri);
        if (source instanceof IpcRingSource<?> ipc && ipc.ring().codecName().equals(UTF8))
        {
            return Endpoints.source(new LineRecordChannel(ipc), RAW_LINES);
        }
        return source;
    }

    /** Writes every line of a {@link RawLines} message as one record; other messages go to the wrapped sink. */
    static final class LineRecordSink implements Sink<Object>, ChangedBytes
    {
        private final IpcRingSink<Object> sink;
        private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        private final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
        private final CharsetDecoder validator = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private volatile long changed;

        @SuppressWarnings("unchecked")
        LineRecordSink(final IpcRingSink<?> sink)
        {
            this.sink = (IpcRingSink<Object>)sink;
        }

        @Override
        public void onMessage(final Object message) throws Exception
        {
            if (!(message instanceof RawLines lines))
            {
                sink.onMessage(message);
                return;
            }
            final byte[] bytes = lines.bytes();
            final int length = lines.length();
            view.wrap(bytes);
            final boolean ascii = LineCounter.isAscii(bytes, 0, length);
            int start = 0;
            while (start < length)
            {
                final int end = LineCounter.indexOf(bytes, start, length);
                if (end == length)
                {
                    // A last line without its end, or a piece of a line longer than a read: the reader adds a '\n'.
                    changed++;
                }
                if (ascii || isValid(bytes, start, end))
                {
                    offer(view, start, end - start);
                }
                else
                {
                    final byte[] replaced = new String(bytes, start, end - start, StandardCharsets.UTF_8)
                        .getBytes(StandardCharsets.UTF_8);
                    changed += malformedBytes(bytes, start, end);
                    offer(new UnsafeBuffer(replaced), 0, replaced.length);
                }
                start = end + 1;
            }
        }

        private void offer(final DirectBuffer buffer, final int offset, final int length) throws InterruptedException
        {
            idle.reset();
            while (!sink.offer(buffer, offset, length))
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while waiting for room in " + sink.name());
                }
                idle.idle();
            }
        }

        private boolean isValid(final byte[] bytes, final int from, final int to)
        {
            return malformedBytes(bytes, from, to) == 0;
        }

        private long malformedBytes(final byte[] bytes, final int from, final int to)
        {
            final ByteBuffer in = ByteBuffer.wrap(bytes, from, to - from);
            final CharBuffer out = CharBuffer.allocate(Math.max(16, to - from));
            validator.reset();
            long malformed = 0;
            while (true)
            {
                final CoderResult result = validator.decode(in, out, true);
                if (result.isError())
                {
                    malformed += result.length();
                    in.position(in.position() + result.length());
                    continue;
                }
                out.clear();
                if (result.isUnderflow())
                {
                    return malformed;
                }
            }
        }

        @Override
        public long changedBytes()
        {
            return changed;
        }

        @Override
        public Object endpoint()
        {
            return sink.endpoint();
        }

        @Override
        public String name()
        {
            return sink.name();
        }

        @Override
        public void close() throws IOException
        {
            sink.close();
        }
    }

    /**
     * The records of a ring as bytes, each followed by {@code \n}: a channel that a {@code lines=raw} source reads
     * like a file. A read takes what the ring holds and returns 0 when it is empty; a record that does not fit what is
     * left of the buffer waits in a carry for the next read.
     */
    static final class LineRecordChannel implements ReadableByteChannel, RecordHandler
    {
        private static final int RECORDS_PER_READ = 4096;

        private final IpcRingSource<?> source;
        private byte[] carry = new byte[1024];
        private int carried;
        private int carryFrom;
        private ByteBuffer target;

        LineRecordChannel(final IpcRingSource<?> source)
        {
            this.source = source;
        }

        @Override
        public int read(final ByteBuffer dst)
        {
            if (source.ring().isClosed())
            {
                return -1;
            }
            final int start = dst.position();
            if (carried > carryFrom)
            {
                final int length = Math.min(dst.remaining(), carried - carryFrom);
                dst.put(carry, carryFrom, length);
                carryFrom += length;
                if (carryFrom < carried)
                {
                    return dst.position() - start;
                }
                carried = 0;
                carryFrom = 0;
            }
            target = dst;
            try
            {
                source.read(this, RECORDS_PER_READ);
            }
            finally
            {
                target = null;
            }
            return dst.position() - start;
        }

        @Override
        public void onRecord(final DirectBuffer buffer, final int offset, final int length)
        {
            final ByteBuffer dst = target;
            if (carried == 0 && dst.remaining() > length)
            {
                final int at = dst.arrayOffset() + dst.position();
                buffer.getBytes(offset, dst.array(), at, length);
                dst.array()[at + length] = '\n';
                dst.position(dst.position() + length + 1);
                return;
            }
            if (carry.length < carried + length + 1)
            {
                carry = Arrays.copyOf(carry, Math.max(carry.length * 2, carried + length + 1));
            }
            buffer.getBytes(offset, carry, carried, length);
            carry[carried + length] = '\n';
            carried += length + 1;
        }

        @Override
        public boolean isOpen()
        {
            return !source.ring().isClosed();
        }

        @Override
        public void close() throws IOException
        {
            source.close();
        }
    }
}
