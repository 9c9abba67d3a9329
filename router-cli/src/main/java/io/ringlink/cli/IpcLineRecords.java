package io.ringlink.cli;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.RawLines;
import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.IpcRingSink;
import io.ringlink.offheap.IpcRingSource;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Lines between byte endpoints through an {@code ipc:} ring of the {@code utf8} codec without making a
 * {@code String} of each: the ring still holds one line per record (its UTF-8 bytes, without the {@code \n}), as the
 * codec's readers expect ({@code ringlink tail}, {@code IpcRingSource}, another {@code link}), but the writer copies
 * the lines of a {@link RawLines} message straight into the ring, a batch of records per call
 * ({@link IpcRing#offerBatch}), and the reader ({@link RingLineSource}) copies
 * records, each followed by {@code \n}, straight into pooled messages of many lines, freeing them from the ring only
 * once every destination has them (at-least-once, as any {@code ipc:} source in a router).
 * A line that is not valid UTF-8 is written with U+FFFD in place of its malformed bytes (the codec's readers would
 * skip it), and counted; so is a line end added to a last line that had none.
 */
final class IpcLineRecords
{
    private static final String UTF8 = "utf8";
    private static final String BYTES = "bytes";

    private IpcLineRecords()
    {
    }

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

    /**
     * The sink as it takes {@link RawLines}: a text ring's writes each line as a record, a {@code bytes} ring's each
     * chunk; the others as they are.
     */
    static Sink<?> forRawReads(final Sink<?> sink)
    {
        if (holdsLines(sink))
        {
            return new LineRecordSink((IpcRingSink<?>)sink);
        }
        return holdsChunks(sink) ? new ChunkRecordSink((IpcRingSink<?>)sink) : sink;
    }

    /** Whether a sink writes to an {@code ipc:} ring of the {@code bytes} codec (a record is a chunk as it is). */
    static boolean holdsChunks(final Sink<?> sink)
    {
        return sink instanceof IpcRingSink<?> ipc && ipc.ring().codecName().equals(BYTES);
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
        if (source instanceof IpcRingSource<?> ipc && ipc.ring().codecName().equals(codec.equals(BYTES) ? BYTES : UTF8))
        {
            return new RingLineSource(ipc, !codec.equals(BYTES));
        }
        return source;
    }

    /** Writes every line of a {@link RawLines} message as one record. */
    static final class LineRecordSink extends RecordSink implements ChangedBytes
    {
        private final CharsetDecoder validator = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
        private volatile long changed;
        /** The lines of the message being written, not yet in the ring: where each starts and its length. */
        private int[] offsets = new int[1024];
        private int[] lengths = new int[1024];
        private int batched;

        LineRecordSink(final IpcRingSink<?> sink)
        {
            super(sink);
        }

        @Override
        void onRaw(final RawLines lines) throws InterruptedException
        {
            final byte[] bytes = lines.bytes();
            final int length = lines.length();
            view.wrap(bytes);
            // Where the lines end and whether they are all ASCII (valid UTF-8): found once, by the source's read.
            final int[] ends = lines.ends();
            final int found = lines.lineEnds();
            final boolean ascii = lines.isAscii();
            int start = 0;
            for (int i = 0; i < found; i++)
            {
                line(bytes, start, ends[i], ascii);
                start = ends[i] + 1;
            }
            if (start < length)
            {
                // A last line without its end, or a piece of a line longer than a read: the reader adds a '\n'.
                changed++;
                line(bytes, start, length, ascii);
            }
            offerBatch();
        }

        /** Adds the line {@code bytes[start, end)} to the batch, or writes it with U+FFFD if it is not UTF-8. */
        private void line(final byte[] bytes, final int start, final int end, final boolean ascii)
            throws InterruptedException
        {
            if (ascii || Utf8Check.isValid(bytes, start, end))
            {
                add(start, end - start);
                return;
            }
            offerBatch();
            final byte[] replaced = new String(bytes, start, end - start, StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8);
            changed += malformedBytes(bytes, start, end);
            offer(new UnsafeBuffer(replaced), 0, replaced.length);
        }

        private void add(final int offset, final int length)
        {
            if (batched == offsets.length)
            {
                offsets = Arrays.copyOf(offsets, batched * 2);
                lengths = Arrays.copyOf(lengths, batched * 2);
            }
            offsets[batched] = offset;
            lengths[batched] = length;
            batched++;
        }

        /** Writes the lines gathered so far, one record each, in as few calls into the ring as it has room for. */
        private void offerBatch() throws InterruptedException
        {
            final IpcRing ring = sink.ring();
            int written = 0;
            idle.reset();
            while (written < batched)
            {
                final int now = ring.offerBatch(view, offsets, lengths, written, batched);
                if (now > 0)
                {
                    written += now;
                    idle.reset();
                    continue;
                }
                awaitRoom();
            }
            batched = 0;
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
    }

    /**
     * Writes each chunk of a {@link RawLines} message as one record, or as several in order when it is longer than
     * the ring's longest record (a read of 64 KiB into a ring of less than 512 KiB): the bytes are a stream, and
     * where its records begin and end carries nothing.
     */
    static final class ChunkRecordSink extends RecordSink
    {
        ChunkRecordSink(final IpcRingSink<?> sink)
        {
            super(sink);
        }

        @Override
        void onRaw(final RawLines chunk) throws InterruptedException
        {
            final int length = chunk.length();
            final int longest = sink.ring().maxMessageLength();
            view.wrap(chunk.bytes(), 0, length);
            int done = 0;
            do
            {
                final int piece = Math.min(longest, length - done);
                offer(view, done, piece);
                done += piece;
            }
            while (done < length);
        }
    }

    /**
     * A sink that writes {@link RawLines} as records of its own into a ring's sink, waiting (backing off) while the
     * ring is full; other messages go to the wrapped sink.
     */
    private abstract static class RecordSink implements Sink<Object>
    {
        final IpcRingSink<Object> sink;
        final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
        final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);

        @SuppressWarnings("unchecked")
        RecordSink(final IpcRingSink<?> sink)
        {
            this.sink = (IpcRingSink<Object>)sink;
        }

        @Override
        public final void onMessage(final Object message) throws Exception
        {
            if (message instanceof RawLines raw)
            {
                onRaw(raw);
            }
            else
            {
                sink.onMessage(message);
            }
        }

        /** Writes the records of a message of bytes. */
        abstract void onRaw(RawLines raw) throws InterruptedException;

        /** Writes one record, waiting while the ring is full. */
        final void offer(final DirectBuffer buffer, final int offset, final int length) throws InterruptedException
        {
            idle.reset();
            while (!sink.offer(buffer, offset, length))
            {
                awaitRoom();
            }
        }

        /** One wait for room; gives up when the thread is interrupted. */
        final void awaitRoom() throws InterruptedException
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in " + sink.name());
            }
            idle.idle();
        }

        @Override
        public final Object endpoint()
        {
            return sink.endpoint();
        }

        @Override
        public final String name()
        {
            return sink.name();
        }

        @Override
        public final void close() throws IOException
        {
            sink.close();
        }
    }
}
