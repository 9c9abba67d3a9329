package io.ringlink.offheap;

import io.ringlink.Sink;
import io.ringlink.offheap.internal.chronicle.ChronicleSupport;
import io.ringlink.offheap.internal.chronicle.CycleFiles;
import io.ringlink.offheap.internal.chronicle.DocumentDescriptor;
import io.ringlink.offheap.internal.chronicle.RawDocuments;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableDirectByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Appends each message as one document to a Chronicle Queue in a directory: a persistent, replayable link that any
 * number of {@link ChronicleSource}s, in this or other JVMs, read at their own pace.
 * <pre>{@code
 * try (ChronicleSink<String> sink = ChronicleSink.builder(Path.of("/var/tmp/prices"), Codecs.utf8())
 *     .retention(Duration.ofHours(6))
 *     .build())
 * {
 *     sink.onMessage("hello");
 * }
 * }</pre>
 * Each document holds one format byte and the encoded message (see {@code DocumentDescriptor}); a document becomes
 * visible to readers only once complete: a writer killed mid-write leaves nothing readers see, and a codec that
 * fails leaves nothing (a message is encoded before its document opens). One sink is meant for one thread at a time
 * (the router serialises calls); several sinks, in any JVMs, may append to the same queue. A sink from
 * {@link #rawBuilder(Path)} writes plain Chronicle text or bytes documents instead, for Chronicle's own tools.
 * <p>
 * With a retention, cycle files older than it that no named reader still needs are deleted when the appender rolls
 * to a new cycle (and when the sink opens).
 *
 * @param <T> type of message.
 */
public final class ChronicleSink<T> implements Sink<T>
{
    private static final int SCRATCH_INITIAL_CAPACITY = 256;

    private final Path dir;
    private final Codec<T> codec;
    /** Plain Chronicle documents (text or bytes), without the format byte: see {@link #rawBuilder(Path)}. */
    private final boolean raw;
    private final SingleChronicleQueue queue;
    private final ExcerptAppender appender;
    private final CycleFiles files;
    private final ExpandableDirectByteBuffer scratch = new ExpandableDirectByteBuffer(SCRATCH_INITIAL_CAPACITY);
    /** The document being written, in place in the mapped cycle file. */
    private final UnsafeBuffer target = new UnsafeBuffer(0, 0);
    /** A raw {@code byte[]} message, wrapped for the one write path. */
    private final UnsafeBuffer rawBytes = new UnsafeBuffer(0, 0);
    private int cycle = Integer.MIN_VALUE;
    private boolean closed;

    private ChronicleSink(final Builder<T> builder) throws IOException
    {
        this.dir = builder.dir.toAbsolutePath().normalize();
        this.codec = builder.codec;
        this.raw = builder.codec == null;
        this.files = new CycleFiles(dir, builder.retention);
        this.queue = ChronicleSupport.open(dir, builder.rollCycle, files, true);
        try
        {
            this.appender = queue.createAppender();
            appender.singleThreadedCheckDisabled(true);
            files.ownerOnlyAll();
            files.sweep(queue, queue.time().currentTimeMillis());
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    /**
     * Starts building a sink for a queue directory, created owner-only (0700) if it does not exist.
     *
     * @param dir   the queue directory.
     * @param codec turns messages into the documents' bytes.
     * @param <T>   type of message.
     * @return the builder.
     */
    public static <T> Builder<T> builder(final Path dir, final Codec<T> codec)
    {
        return new Builder<>(dir, Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Starts building a sink that appends plain Chronicle documents, without RingLink's format byte, that Chronicle's
     * own tools and code read ({@code ChronicleReaderMain}, {@code tailer.readText()}, {@code readBytes}): a
     * {@code CharSequence} message becomes a text document as {@code appender.writeText} writes it, a {@code byte[]}
     * a document of just those bytes as {@code appender.writeBytes} writes it. The URI form is {@code codec=raw}.
     *
     * @param dir the queue directory.
     * @return the builder.
     */
    public static Builder<Object> rawBuilder(final Path dir)
    {
        return new Builder<>(dir, null);
    }

    /**
     * Appends the message as one document.
     *
     * @param message the message.
     * @throws CodecException        if the codec cannot encode it; nothing is appended.
     * @throws IllegalStateException if the sink is closed.
     */
    @Override
    public void onMessage(final T message)
    {
        checkOpen();
        if (raw)
        {
            writeRaw(message);
            return;
        }
        // Encoded before the document opens: a codec that fails part-way leaves nothing in the queue.
        final int length = codec.encode(message, scratch, 0);
        write(scratch, 0, length, null);
    }

    /** A plain Chronicle text or bytes document, checked before the document opens. */
    private void writeRaw(final Object message)
    {
        RawDocuments.check(dir, message);
        if (message instanceof CharSequence)
        {
            write(null, 0, 0, (CharSequence)message);
        }
        else
        {
            final byte[] bytes = (byte[])message;
            rawBytes.wrap(bytes);
            write(rawBytes, 0, bytes.length, null);
        }
    }

    /**
     * Appends bytes that already hold an encoded message as one document, without encoding: the zero-copy producer
     * path, the peer of {@link ChronicleSource#read(RecordHandler, int)}. Readers decode the bytes with this sink's
     * codec, so they must be what the codec would have written; a raw sink appends them as a bytes document.
     *
     * @param buffer holds the encoded message: a {@code byte[]}, a heap or direct {@code ByteBuffer}, or memory.
     * @param offset where the message starts in the buffer.
     * @param length its length in bytes.
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie within the buffer.
     * @throws IllegalStateException     if the sink is closed.
     */
    public void append(final DirectBuffer buffer, final int offset, final int length)
    {
        checkOpen();
        if (offset < 0 || length < 0)
        {
            throw new IndexOutOfBoundsException("offset " + offset + " and length " + length + " must not be negative");
        }
        buffer.boundsCheck(offset, length);
        if (raw)
        {
            RawDocuments.checkLength(dir, length);
        }
        write(buffer, offset, length, null);
    }

    /**
     * Appends one document: a raw text value when {@code text} is given, else the format byte (unless raw) and
     * {@code length} bytes copied from the buffer.
     */
    private void write(final DirectBuffer buffer, final int offset, final int length, final CharSequence text)
    {
        final DocumentContext document = appender.writingDocument();
        try
        {
            if (text != null)
            {
                document.wire().getValueOut().text(text);
            }
            else
            {
                final Bytes<?> bytes = document.wire().bytes();
                if (!raw)
                {
                    bytes.writeByte(DocumentDescriptor.FORMAT_V1);
                }
                bytes.writeSkip(length);
                // The single-argument form is safe for a contiguous write up to Chronicle's overlap, as its
                // unsafeWrite.
                target.wrap(bytes.addressForWrite(bytes.writePosition() - length), length);
                buffer.getBytes(offset, target, 0, length);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            document.rollbackOnClose();
            throw ex;
        }
        finally
        {
            document.close();
        }
        final int current = appender.cycle();
        if (current != cycle)
        {
            cycle = current;
            files.onNewCycle(appender.currentFile());
            files.sweep(queue, queue.time().currentTimeMillis());
        }
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("chronicle sink " + dir + " is closed");
        }
    }

    /**
     * The index of the last document this sink appended.
     *
     * @return the Chronicle index.
     * @throws IllegalStateException if it appended nothing yet.
     */
    public long lastIndexAppended()
    {
        return appender.lastIndexAppended();
    }

    /**
     * Cycle files deleted by retention through this sink.
     *
     * @return the count.
     */
    public long cycleFilesDeleted()
    {
        return files.deleted();
    }

    /**
     * The queue directory, for cycle detection: a source and a sink on the same directory are the same endpoint.
     *
     * @return the absolute directory.
     */
    @Override
    public Object endpoint()
    {
        return dir;
    }

    @Override
    public String name()
    {
        return "chronicle:" + dir;
    }

    /**
     * Closes the appender and the queue; the files stay.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            appender.close();
            queue.close();
        }
    }

    /**
     * Options of a {@link ChronicleSink}; validated once in {@link #build()}.
     *
     * @param <T> type of message.
     */
    public static final class Builder<T>
    {
        private final Path dir;
        private final Codec<T> codec;
        private RollCycle rollCycle = RollCycles.DEFAULT;
        private Duration retention;

        /** With a {@code null} codec: raw documents. */
        private Builder(final Path dir, final Codec<T> codec)
        {
            this.dir = Objects.requireNonNull(dir, "dir");
            this.codec = codec;
        }

        /**
         * The roll cycle of a new queue (an existing queue keeps its own): how much time one cycle file covers.
         *
         * @param rollCycle Chronicle's roll cycle, {@link RollCycles#DEFAULT} (daily) unless set.
         * @return this builder.
         */
        public Builder<T> rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
            return this;
        }

        /**
         * Deletes cycle files once their cycle ended longer ago than this and no named reader needs them. Unset, every
         * cycle is kept.
         *
         * @param retention how long finished cycles are kept, not negative.
         * @return this builder.
         */
        public Builder<T> retention(final Duration retention)
        {
            this.retention = retention;
            return this;
        }

        /**
         * Opens the queue, creating the directory (and its missing parents, owner-only) if needed.
         *
         * @return the sink.
         * @throws IOException              if the directory cannot be created.
         * @throws IllegalArgumentException if the retention is negative or the path is a file, not a directory.
         * @throws IllegalStateException    if the JVM lacks flags Chronicle needs, naming them.
         */
        public ChronicleSink<T> build() throws IOException
        {
            if (retention != null && retention.isNegative())
            {
                throw new IllegalArgumentException("retention must not be negative: " + retention);
            }
            ChronicleSupport.checkJvmFlags();
            return new ChronicleSink<>(this);
        }
    }
}
