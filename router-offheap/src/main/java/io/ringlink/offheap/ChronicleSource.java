package io.ringlink.offheap;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IdleStrategies;
import io.ringlink.offheap.internal.chronicle.ChronicleSupport;
import io.ringlink.offheap.internal.chronicle.CycleFiles;
import io.ringlink.offheap.internal.chronicle.DeliveredPositions;
import io.ringlink.offheap.internal.chronicle.DocumentDescriptor;
import io.ringlink.offheap.internal.chronicle.RawDocuments;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import net.openhft.chronicle.wire.Wire;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tails a Chronicle Queue directory: from the start (history), from the end (live only), from a given index, or
 * from a <em>named position</em> that survives restarts of the reading JVM.
 * <pre>{@code
 * ChronicleSource<String> source = ChronicleSource.builder(Path.of("/var/tmp/prices"), Codecs.utf8())
 *     .name("reader1")        // resume where "reader1" left off...
 *     .fromStart()            // ...or, the first time, from the start
 *     .build();
 * router.read(source);
 * }</pre>
 * <p>
 * A named position is stored in the queue's {@code metadata.cq4t} and advances only once every sink of the router
 * has received and flushed a message ({@link AcknowledgingSource}): at-least-once. After a stop or close, also one
 * that gave up on a blocked sink, and after an unregister, the name resumes exactly after the last message every sink
 * received. After a crash (kill -9) the messages delivered since the last commit are delivered again: at most what was
 * in flight in the router's ring (its ring size) plus one read batch of the router (256 messages), plus one more read
 * batch when a cycle roll falls inside the last one. The start option applies only while the name has no stored
 * position. Each name is meant for one reader at a time. Chronicle's own named tailers
 * are not used: they store their position as they read, before the sinks have the message.
 * <p>
 * Like a queue, the source never ends by itself; {@link #backlog()} tells how much is left to read. A read waits for
 * the next document per {@link Builder#waitStrategy(WaitStrategy)}; {@link #readAvailable(MessageHandler, int)}
 * never waits.
 * <p>
 * A document a writer has not completed (it was killed mid-write) is never handed over. A document the codec cannot
 * decode fails the source (the router logs it and ends the source); the named position stays before it.
 *
 * @param <T> type of message.
 */
public final class ChronicleSource<T> implements AcknowledgingSource<T>
{
    /** Key prefix of RingLink's named positions in the queue's table store (Chronicle adds {@code index.}). */
    public static final String POSITION_ID_PREFIX = "ringlink.";
    /** Longest a read waits when nothing arrives, so that the pump notices a stop. */
    public static final long IDLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Largest document read, format byte included; a longer length in the queue is refused. */
    public static final int MAX_MESSAGE_LENGTH = 1 << 30;

    private static final Logger LOG = LoggerFactory.getLogger(ChronicleSource.class);

    private final Path dir;
    private final Codec<T> codec;
    /** Plain Chronicle documents (text or bytes), without the format byte: see {@link #rawBuilder(Path)}. */
    private final boolean raw;
    private final String readerName;
    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final LongValue committed;
    private final DeliveredPositions positions;
    /** The current document, in place in the mapped cycle file: valid only until its document context closes. */
    private final UnsafeBuffer document = new UnsafeBuffer(0, 0);
    private final IdleStrategy idle;
    private final Decoder decoder = new Decoder();
    private long handedOver;
    /** Records the current read handed over (their handler returned), and the index of the last. */
    private int batchCount;
    private long batchFirstIndex;
    private long batchLastIndex;
    /** Next index to read, for {@link #backlog()} on other threads: stored with release order (no fence per batch). */
    private final AtomicLong nextIndex = new AtomicLong();
    private volatile boolean closed;

    private ChronicleSource(final Builder<T> builder) throws IOException
    {
        this.dir = builder.dir.toAbsolutePath().normalize();
        this.codec = builder.codec;
        this.raw = builder.codec == null;
        this.readerName = builder.name;
        this.idle = IdleStrategies.of(builder.waitStrategy);
        final CycleFiles files = new CycleFiles(dir, null);
        this.queue = ChronicleSupport.open(dir, builder.rollCycle, files, false);
        try
        {
            this.tailer = queue.createTailer();
            tailer.singleThreadedCheckDisabled(true);
            this.committed = readerName == null ? null : queue.indexForId(POSITION_ID_PREFIX + readerName);
            this.positions = readerName == null ? null : new DeliveredPositions();
            files.ownerOnlyAll();
            position(builder);
            nextIndex.set(tailer.index());
        }
        catch (final RuntimeException ex)
        {
            queue.close();
            throw ex;
        }
    }

    private void position(final Builder<T> builder)
    {
        final long stored = committed == null ? 0 : committed.getVolatileValue();
        if (stored != 0)
        {
            if (!resumeAfter(stored))
            {
                LOG.warn("chronicle {}: reader {} stored position 0x{} is no longer in the queue; reading from the " +
                    "start", dir, readerName, Long.toHexString(stored));
                tailer.toStart();
            }
            return;
        }
        switch (builder.start)
        {
            case END ->
            {
                // A named reader stores its starting point at once: a restart before its first delivery resumes
                // here instead of skipping to the end again.
                final long last = queue.lastIndex();
                if (committed != null && last > 0 && resumeAfter(last))
                {
                    committed.setOrderedValue(last);
                }
                else
                {
                    tailer.toEnd();
                }
            }
            case INDEX ->
            {
                if (!tailer.moveToIndex(builder.startIndex))
                {
                    throw new IllegalArgumentException("chronicle " + dir + ": index " + builder.startIndex +
                        " (0x" + Long.toHexString(builder.startIndex) + ") is not in the queue, which holds 0x" +
                        Long.toHexString(queue.firstIndex()) + "..0x" + Long.toHexString(queue.lastIndex()));
                }
            }
            default -> tailer.toStart();
        }
    }

    /** Positions the tailer just after the document at {@code index}; {@code false} if that index is not there. */
    private boolean resumeAfter(final long index)
    {
        if (!tailer.moveToIndex(index))
        {
            return false;
        }
        try (DocumentContext document = tailer.readingDocument())
        {
            return document.isPresent();
        }
    }

    /**
     * Starts building a source for an existing queue directory: a reader never creates what it reads.
     *
     * @param dir   the queue directory.
     * @param codec turns the documents' bytes into messages.
     * @param <T>   type of message.
     * @return the builder, reading from the start unless told otherwise.
     */
    public static <T> Builder<T> builder(final Path dir, final Codec<T> codec)
    {
        return new Builder<>(dir, Objects.requireNonNull(codec, "codec"));
    }

    /**
     * Starts building a source that reads plain Chronicle documents, as Chronicle's own code writes them, without
     * RingLink's format byte: a document that is one text value ({@code appender.writeText}) becomes a
     * {@code String}, any other document ({@code appender.writeBytes}, a raw {@link ChronicleSink}'s bytes) a
     * {@code byte[]} of its bytes. (A bytes document that happens to be exactly one encoded text value reads as that
     * text.) The URI form is {@code codec=raw}.
     *
     * @param dir the queue directory, an existing queue.
     * @return the builder.
     */
    public static Builder<Object> rawBuilder(final Path dir)
    {
        return new Builder<>(dir, null);
    }

    /**
     * Hands over up to {@code limit} messages; when there are none, waits per the builder's wait strategy up to
     * {@link #IDLE_WAIT_NANOS} for one.
     *
     * @param handler receives each message.
     * @param limit   the most messages to hand over.
     * @return the number handed over, {@code 0} if none arrived, or {@link #END_OF_STREAM} once closed.
     */
    @Override
    public int read(final MessageHandler<? super T> handler, final int limit)
    {
        int count = readDocuments(handler, limit);
        if (count != 0)
        {
            return count;
        }
        final long deadline = System.nanoTime() + IDLE_WAIT_NANOS;
        idle.reset();
        while (count == 0 && System.nanoTime() - deadline < 0)
        {
            idle.idle();
            count = readDocuments(handler, limit);
        }
        return count;
    }

    /**
     * Hands over, without waiting, up to {@code limit} documents already complete in the queue.
     *
     * @param handler receives each message.
     * @param limit   the most messages to hand over.
     * @return the number handed over, {@code 0} when none is there, or {@link #END_OF_STREAM} once closed.
     */
    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        return readDocuments(handler, limit);
    }

    /**
     * {@code true}: {@link #readAvailable(MessageHandler, int)} reads the tailer's next documents and never waits, so
     * in {@code SHARED} this source runs on a delivery agent instead of a pump thread.
     *
     * @return {@code true}.
     */
    @Override
    public boolean readsWithoutBlocking()
    {
        return true;
    }

    private int readDocuments(final MessageHandler<? super T> handler, final int limit)
    {
        decoder.handler = handler;
        try
        {
            return readRecords(decoder, limit);
        }
        finally
        {
            decoder.handler = null;
            if (batchCount > 0)
            {
                handedOver += batchCount;
                if (positions != null)
                {
                    positions.onBatch(handedOver, batchCount, batchFirstIndex, batchLastIndex);
                }
            }
        }
    }

    /**
     * Hands up to {@code limit} records to the handler in place, as the bytes the codec wrote in the mapped cycle
     * file (a raw source: the whole document), without decoding or waiting: the zero-copy path, for use without a
     * router. A named reader commits its position after each batch, up to the last record whose handler returned: a
     * record whose handler threw is skipped by this source but read again by the next reader of that name. Do not mix
     * with a router reading this source.
     *
     * @param handler receives each record's bytes; they are valid only during the call.
     * @param limit   the most records to hand over.
     * @return the number handed over, {@code 0} when none is there, or {@link #END_OF_STREAM} once closed.
     * @throws CodecException if a document is not a RingLink message; the records before it count as read.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        try
        {
            return readRecords(handler, limit);
        }
        finally
        {
            if (batchCount > 0 && committed != null)
            {
                commit(batchLastIndex);
            }
        }
    }

    /**
     * The one loop over documents: hands each data document's message bytes to the handler, in place, while its
     * document is open. {@link #batchCount} and {@link #batchLastIndex} tell, also when the handler threw, how many
     * handler calls returned and the index of the last.
     */
    private int readRecords(final RecordHandler handler, final int limit)
    {
        batchCount = 0;
        if (closed)
        {
            return END_OF_STREAM;
        }
        try
        {
            while (batchCount < limit)
            {
                try (DocumentContext context = tailer.readingDocument())
                {
                    if (!context.isPresent())
                    {
                        break;
                    }
                    if (!context.isData())
                    {
                        continue;
                    }
                    final long index = context.index();
                    if (raw && handler == decoder)
                    {
                        final Wire wire = context.wire();
                        decoder.onRaw(RawDocuments.read(wire, checkedLength(wire.bytes(), index, 0)));
                    }
                    else
                    {
                        final int length = wrap(context.wire().bytes(), index);
                        handler.onRecord(document, raw ? 0 : DocumentDescriptor.MESSAGE_OFFSET, length);
                    }
                    if (batchCount == 0)
                    {
                        batchFirstIndex = index;
                    }
                    batchLastIndex = index;
                    batchCount++;
                }
            }
        }
        finally
        {
            if (batchCount > 0)
            {
                nextIndex.lazySet(batchLastIndex + 1);
            }
        }
        return batchCount;
    }

    /**
     * Points {@link #document} at the document's bytes in the mapped file after checking its length and format byte.
     *
     * @return the length of the message after the format byte.
     */
    private int wrap(final Bytes<?> bytes, final long index)
    {
        final int size = checkedLength(bytes, index, raw ? 0 : DocumentDescriptor.MESSAGE_OFFSET);
        // The two-argument form keeps the whole document contiguous, as Chronicle's own unsafeRead relies on.
        document.wrap(size == 0 ? bytes.addressForRead(bytes.readPosition()) :
            bytes.addressForRead(bytes.readPosition(), size), size);
        if (raw)
        {
            return size;
        }
        final byte format = document.getByte(DocumentDescriptor.FORMAT_OFFSET);
        if (format != DocumentDescriptor.FORMAT_V1)
        {
            throw new CodecException("chronicle " + dir + ": document 0x" + Long.toHexString(index) +
                " is not a RingLink message (format byte 0x" + Integer.toHexString(format & 0xFF) + ", expected 0x" +
                Integer.toHexString(DocumentDescriptor.FORMAT_V1) + ")");
        }
        return size - DocumentDescriptor.MESSAGE_OFFSET;
    }

    private int checkedLength(final Bytes<?> bytes, final long index, final int least)
    {
        final long length = bytes.readRemaining();
        if (length < least || length > MAX_MESSAGE_LENGTH)
        {
            throw new CodecException("chronicle " + dir + ": document 0x" + Long.toHexString(index) + " has length " +
                length + ", outside " + least + ".." + MAX_MESSAGE_LENGTH);
        }
        return (int)length;
    }

    /**
     * Commits the named position up to the last message every sink has passed. Called by the router's pump.
     *
     * @param messages messages passed by every sink, counted from this source's first.
     */
    @Override
    public void onDelivered(final long messages)
    {
        if (positions == null)
        {
            return;
        }
        final long index = positions.onDelivered(messages);
        if (index >= 0)
        {
            commit(index);
        }
    }

    private synchronized void commit(final long index)
    {
        if (!closed)
        {
            committed.setOrderedValue(index);
        }
    }

    /**
     * The committed position of the named reader: the index of the last message every sink has passed.
     *
     * @return the Chronicle index, or {@code 0} when none is stored yet.
     * @throws IllegalStateException if this source has no name.
     */
    public long committedIndex()
    {
        if (committed == null)
        {
            throw new IllegalStateException("chronicle source " + dir + " has no reader name");
        }
        return committed.getVolatileValue();
    }

    /**
     * Messages written to the queue that this source has not read yet.
     *
     * @return the count, or {@code -1} when it cannot be told (closed).
     */
    @Override
    public long backlog()
    {
        if (closed)
        {
            return -1;
        }
        try
        {
            final long last = queue.lastIndex();
            final long stored = nextIndex.get();
            final long next = stored == 0 ? queue.firstIndex() : stored;
            if (last < 0 || next > last)
            {
                return 0;
            }
            final RollCycle rollCycle = queue.rollCycle();
            if (rollCycle.toCycle(last) == rollCycle.toCycle(next))
            {
                return last - next + 1;
            }
            return queue.countExcerpts(next, last) + 1;
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * The queue directory, for cycle detection.
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
        return "chronicle:" + dir + (readerName == null ? "" : "#" + readerName);
    }

    /**
     * Closes the tailer and the queue; the files and the committed position stay.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        tailer.close();
        if (committed != null)
        {
            committed.close();
        }
        queue.close();
    }

    /** Decodes records and hands the messages on; reused, so a read allocates only what the codec does. */
    private final class Decoder implements RecordHandler
    {
        private MessageHandler<? super T> handler;

        @Override
        public void onRecord(final DirectBuffer buffer, final int offset, final int length)
        {
            handler.onMessage(codec.decode(buffer, offset, length));
        }

        /** A raw source's builder made {@code T} {@code Object}: any message is a {@code T}. */
        @SuppressWarnings("unchecked")
        void onRaw(final Object message)
        {
            handler.onMessage((T)message);
        }
    }

    /** Where a source starts when it has no stored named position. */
    private enum Start
    {
        START, END, INDEX
    }

    /**
     * Options of a {@link ChronicleSource}; validated once in {@link #build()}.
     *
     * @param <T> type of message.
     */
    public static final class Builder<T>
    {
        private final Path dir;
        private final Codec<T> codec;
        private RollCycle rollCycle = RollCycles.DEFAULT;
        private Start start = Start.START;
        private long startIndex;
        private String name;
        private WaitStrategy waitStrategy = WaitStrategy.BLOCKING;

        /** With a {@code null} codec: raw documents. */
        private Builder(final Path dir, final Codec<T> codec)
        {
            this.dir = Objects.requireNonNull(dir, "dir");
            this.codec = codec;
        }

        /**
         * Reads the whole history first (the default).
         *
         * @return this builder.
         */
        public Builder<T> fromStart()
        {
            start = Start.START;
            return this;
        }

        /**
         * Reads only what is appended from now on. A named reader stores this starting point at once, so a restart
         * before its first delivery still resumes here.
         *
         * @return this builder.
         */
        public Builder<T> fromEnd()
        {
            start = Start.END;
            return this;
        }

        /**
         * Reads from the document at this index (as {@link ChronicleSink#lastIndexAppended()} returns).
         *
         * @param index a Chronicle index present in the queue.
         * @return this builder.
         */
        public Builder<T> fromIndex(final long index)
        {
            start = Start.INDEX;
            startIndex = index;
            return this;
        }

        /**
         * Names the reader: its position is stored in the queue and survives restarts; the start option applies only
         * while no position is stored under the name.
         *
         * @param name letters, digits, {@code .}, {@code _} or {@code -}, at most 64.
         * @return this builder.
         */
        public Builder<T> name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * How a {@link ChronicleSource#read(MessageHandler, int)} waits for the next document: {@code BUSY_SPIN}
         * polls without pause (lowest latency, one core per source), {@code YIELDING} polls and yields the core,
         * {@code SLEEPING} and {@code BLOCKING} (the default) back off to parking, so a document is seen within about
         * a millisecond when the source was idle.
         *
         * @param waitStrategy how to wait; a router's own wait strategy is a good match.
         * @return this builder.
         */
        public Builder<T> waitStrategy(final WaitStrategy waitStrategy)
        {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /**
         * The roll cycle expected; a source reads an existing queue, which keeps its own (Chronicle logs a warning
         * when they differ).
         *
         * @param rollCycle Chronicle's roll cycle.
         * @return this builder.
         */
        public Builder<T> rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
            return this;
        }

        /**
         * Opens the existing queue and positions the reader; creates nothing (a named reader stores its position in
         * the queue's existing {@code metadata.cq4t}).
         *
         * @return the source.
         * @throws java.nio.file.NoSuchFileException if the directory does not exist (reason {@code no such queue}).
         * @throws IOException                       if the queue cannot be opened.
         * @throws IllegalArgumentException          if the path is not a directory holding a Chronicle queue, the
         *                                           name is malformed or the start index is not in the queue.
         * @throws IllegalStateException             if the JVM lacks flags Chronicle needs, naming them.
         */
        public ChronicleSource<T> build() throws IOException
        {
            if (name != null && !name.matches("[A-Za-z0-9._-]{1,64}"))
            {
                throw new IllegalArgumentException("reader name '" + name +
                    "' must be 1 to 64 letters, digits, '.', '_' or '-'");
            }
            ChronicleSupport.checkJvmFlags();
            return new ChronicleSource<>(this);
        }
    }
}
