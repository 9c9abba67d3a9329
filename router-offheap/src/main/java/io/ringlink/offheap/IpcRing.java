package io.ringlink.offheap;

import io.ringlink.offheap.internal.IpcRingDescriptor;
import io.ringlink.offheap.internal.ProcessRole;
import io.ringlink.offheap.internal.RingFiles;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_HEARTBEAT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.HEADER_LENGTH;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.UNBLOCKED_COUNT_OFFSET;

/**
 * A ring of byte records in a memory-mapped file that processes on one host share: a small header (see
 * {@link IpcRingDescriptor}) followed by an Agrona {@link OneToOneRingBuffer} or {@link ManyToOneRingBuffer}.
 * <pre>{@code
 * try (IpcRing ring = IpcRing.builder(IpcRing.defaultDirectory().resolve("prices"))
 *     .kind(RingKind.MANY_TO_ONE).capacity(1 << 20).codec("utf8").ifExists(IpcRing.IfExists.REUSE).create())
 * {
 *     ring.offer(buffer, 0, length);                                 // any process, any thread (MANY_TO_ONE)
 *     ring.read((buf, offset, len) -> handle(buf, offset, len), 100); // the one consumer
 * }
 * }</pre>
 * Producers call {@link #offer(DirectBuffer, int, int)}: {@code false} when the ring is full, never a silent drop.
 * One process at a time consumes: the first {@link #read(RecordHandler, int)} takes the consumer role, recorded in the
 * header, and {@link #close()} gives it back; a second consumer is refused while the holder's process is alive. A
 * consumer that finds a record left half-written by a dead producer skips it after the unblock timeout and counts it
 * ({@link #unblockedCount()}).
 * <p>
 * Thread safety: {@code offer} may be called from any thread of a {@code MANY_TO_ONE} ring, from one thread at a time
 * of a {@code ONE_TO_ONE} ring; {@code read} from one thread at a time. {@link #close()} may be called from any thread,
 * also while another thread is inside a call: it waits for calls in progress, then gives back the roles and unmaps
 * the file; any later call raises {@link IllegalStateException}.
 * <p>
 * How close stays safe while the hot paths stay cheap: {@code read} and the {@code offer} of a {@code ONE_TO_ONE}
 * ring have one caller at a time each, so each marks itself busy in a field of its own with one volatile store, reads
 * the {@code closed} flag (a volatile read), and clears the mark with a release store (a plain store on x86) when it
 * returns. {@code close()} sets {@code closed} with a volatile store, then waits until both marks are clear. Two
 * volatile stores, each followed by a volatile read of the other's field (Dekker): the caller sees {@code closed},
 * or {@code close()} sees the mark, never neither, so the file is never unmapped under a call. Every other call,
 * including the {@code offer} of a {@code MANY_TO_ONE} ring (many threads), counts itself in an atomic counter that
 * {@code close()} also waits for. This is one fence per hot call instead of the two locked read-modify-writes of a
 * shared counter.
 * <p>
 * Counters: the one producer of a {@code ONE_TO_ONE} ring and the one consumer publish their counters with release
 * stores of the incremented value (no locked instruction); producers of a {@code MANY_TO_ONE} ring add atomically. The
 * consumer's heartbeat and its check for a record left half-written by a dead producer run every
 * 64th read while reads are frequent (under a millisecond for that many), every read once
 * they are rarer, so a spinning consumer does not read the clock on each empty poll.
 */
public final class IpcRing implements AutoCloseable
{
    /**
     * Capacity used when none is given: 1 MiB.
     */
    public static final int CAPACITY_DEFAULT = 1 << 20;

    /**
     * How long a consumer waits on a half-written record before it treats its producer as dead and skips it.
     */
    public static final Duration UNBLOCK_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    /**
     * The message type id every record carries in the Agrona ring.
     */
    public static final int MESSAGE_TYPE_ID = 1;

    private static final Logger LOG = LoggerFactory.getLogger(IpcRing.class);
    private static final long HEARTBEAT_INTERVAL_MS = 100;
    private static final int POLLS_PER_CLOCK_READ = 64;
    private static final VarHandle CONSUMER_BUSY;
    private static final VarHandle PRODUCER_BUSY;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_BUSY = lookup.findVarHandle(IpcRing.class, "consumerBusy", boolean.class);
            PRODUCER_BUSY = lookup.findVarHandle(IpcRing.class, "producerBusy", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * What {@link Builder#create()} does when the file exists already.
     */
    public enum IfExists
    {
        /**
         * Refuse with a {@link RingFileException}.
         */
        FAIL,

        /**
         * Open it, keeping the records in it (history), after checking that it matches.
         */
        REUSE,

        /**
         * Replace it atomically with a new, empty ring. Processes that have the old file open keep the old one.
         */
        REPLACE
    }

    private final Path path;
    private final ProcessRole consumerRole;
    private final ProcessRole producerRole;
    private final RingKind kind;
    private final int capacity;
    private final String codecName;
    private final long creationTime;
    private final boolean deleteOnClose;
    private final long unblockTimeoutNs;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer header;
    private final RingBuffer ring;
    private final AtomicInteger callsInProgress = new AtomicInteger();
    private final RecordAdapter adapter = new RecordAdapter();
    private volatile boolean closed;
    private volatile boolean consumerBusy;
    private volatile boolean producerBusy;
    private boolean consumer;
    private long lastHeartbeatMs;
    private long lastClockReadMs;
    private int readsUntilClockRead;
    private long lastConsumerPosition = -1;
    private long lastProgressNs;

    private IpcRing(
        final Path path,
        final RingFiles.Header fileHeader,
        final boolean deleteOnClose,
        final Duration unblockTimeout) throws IOException
    {
        this.path = path;
        this.kind = fileHeader.kind();
        this.capacity = fileHeader.capacity();
        this.codecName = fileHeader.codecName();
        this.creationTime = fileHeader.creationTime();
        this.deleteOnClose = deleteOnClose;
        this.unblockTimeoutNs = unblockTimeout.toNanos();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE))
        {
            final long length = IpcRingDescriptor.fileLength(capacity);
            if (channel.size() != length)
            {
                throw new RingFileException(path, "changed length while being opened (" + channel.size() +
                    " bytes, " + length + " expected); was it replaced?");
            }
            mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        }
        header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        consumerRole = new ProcessRole(header, CONSUMER_OWNER_OFFSET, path, "consumer");
        producerRole = new ProcessRole(header, PRODUCER_OWNER_OFFSET, path, "producer");
        final AtomicBuffer records = new UnsafeBuffer(mapped, HEADER_LENGTH,
            capacity + RingBufferDescriptor.TRAILER_LENGTH);
        ring = kind == RingKind.ONE_TO_ONE ? new OneToOneRingBuffer(records) : new ManyToOneRingBuffer(records);
    }

    /**
     * Where rings go by default: {@code /dev/shm} when it exists (memory, never written to disk), else the temporary
     * directory.
     *
     * @return the directory.
     */
    public static Path defaultDirectory()
    {
        final Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * Starts describing a ring file to create.
     *
     * @param path the ring file.
     * @return the builder.
     */
    public static Builder builder(final Path path)
    {
        return new Builder(path);
    }

    /**
     * Opens an existing ring file after checking its header, with the default unblock timeout.
     *
     * @param path          the ring file.
     * @param expectedCodec the codec name the records must be in, or {@code null} to accept any.
     * @return the ring.
     * @throws RingFileException if the file is not a ring file, another version, truncated, or holds another codec;
     *                           nothing is modified.
     * @throws IOException       if it cannot be read or mapped.
     */
    public static IpcRing open(final Path path, final String expectedCodec) throws IOException
    {
        return new IpcRing(path, RingFiles.validate(path, expectedCodec), false, UNBLOCK_TIMEOUT_DEFAULT);
    }

    /**
     * The ring file.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Who may write.
     *
     * @return the kind.
     */
    public RingKind kind()
    {
        return kind;
    }

    /**
     * Bytes of records the ring holds (excluding header and trailer).
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * The longest record: capacity / 8.
     *
     * @return the length in bytes.
     */
    public int maxMessageLength()
    {
        return ring.maxMsgLength();
    }

    /**
     * The name of the codec the records are in.
     *
     * @return the codec name.
     */
    public String codecName()
    {
        return codecName;
    }

    /**
     * When the file was created.
     *
     * @return the instant.
     */
    public Instant creationTime()
    {
        return Instant.ofEpochMilli(creationTime);
    }

    /**
     * Records written, by all producers since the file was created (counted just before each commit).
     *
     * @return the count.
     */
    public long producedCount()
    {
        enter();
        try
        {
            return header.getLongVolatile(PRODUCER_COUNT_OFFSET);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Records taken, by all consumers since the file was created.
     *
     * @return the count.
     */
    public long consumedCount()
    {
        enter();
        try
        {
            return header.getLongVolatile(CONSUMER_COUNT_OFFSET);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Records in the ring: produced minus consumed, from the header counters. A record being written counts from just
     * before its commit, so right after an offer returned {@code true} the record is counted until it is read.
     *
     * @return the number of records waiting.
     */
    public long size()
    {
        enter();
        try
        {
            final long consumed = header.getLongVolatile(CONSUMER_COUNT_OFFSET);
            final long produced = header.getLongVolatile(PRODUCER_COUNT_OFFSET);
            return Math.max(0, produced - consumed);
        }
        finally
        {
            exit();
        }
    }

    /**
     * Bytes free for records; each record takes its length plus an 8-byte header, rounded up to 8.
     *
     * @return free bytes.
     */
    public int remainingBytes()
    {
        enter();
        try
        {
            return capacity - ring.size();
        }
        finally
        {
            exit();
        }
    }

    /**
     * Half-written records of dead producers that consumers skipped.
     *
     * @return the count.
     */
    public long unblockedCount()
    {
        enter();
        try
        {
            return header.getLongVolatile(UNBLOCKED_COUNT_OFFSET);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The last heartbeat of the consumer, refreshed while it reads.
     *
     * @return the instant, or {@code null} if no consumer ever read.
     */
    public Instant consumerHeartbeat()
    {
        enter();
        try
        {
            final long millis = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
            return millis == 0 ? null : Instant.ofEpochMilli(millis);
        }
        finally
        {
            exit();
        }
    }

    /**
     * The process that holds the consumer role, if it is alive.
     *
     * @return the pid, or {@code -1} when no live process holds it.
     */
    public long consumerPid()
    {
        enter();
        try
        {
            return consumerRole.holderPid();
        }
        finally
        {
            exit();
        }
    }

    /**
     * Writes one record, copying it from the buffer; does not wait.
     *
     * @param buffer holds the record.
     * @param offset where it starts.
     * @param length its length.
     * @return {@code true} if written, {@code false} if the ring has no room now.
     * @throws MessageTooLargeException if {@code length} is over {@link #maxMessageLength()}; nothing is written.
     * @throws IllegalStateException    if the ring is closed, or it is {@code ONE_TO_ONE} and another live process
     *                                  (or another ring object in this one) writes to it: the first offer takes the
     *                                  producer role of a one-to-one ring until {@link #close()}.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        if (kind == RingKind.MANY_TO_ONE)
        {
            enter();
            try
            {
                return write(buffer, offset, length);
            }
            finally
            {
                exit();
            }
        }
        producerBusy = true;
        try
        {
            checkOpen();
            if (!producerRole.isHeld())
            {
                producerRole.acquire("");
            }
            return write(buffer, offset, length);
        }
        finally
        {
            PRODUCER_BUSY.setRelease(this, false);
        }
    }

    private boolean write(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = ring.tryClaim(MESSAGE_TYPE_ID, length);
        if (index < 0)
        {
            return false;
        }
        try
        {
            ring.buffer().putBytes(index, buffer, offset, length);
        }
        catch (final RuntimeException ex)
        {
            ring.abort(index);
            throw ex;
        }
        if (kind == RingKind.ONE_TO_ONE)
        {
            // the one producer (role held) is the only writer of this counter: no locked add needed
            header.putLongRelease(PRODUCER_COUNT_OFFSET, header.getLong(PRODUCER_COUNT_OFFSET) + 1);
        }
        else
        {
            header.getAndAddLong(PRODUCER_COUNT_OFFSET, 1);
        }
        ring.commit(index);
        return true;
    }

    /**
     * Checks that a codec is the one this ring's records are in.
     *
     * @param codec the codec.
     * @throws IllegalArgumentException if its name differs from {@link #codecName()}.
     */
    public void checkCodec(final Codec<?> codec)
    {
        if (!codec.name().equals(codecName))
        {
            throw new IllegalArgumentException("codec '" + codec.name() + "' does not match ring " + path +
                ", which holds codec '" + codecName + "'");
        }
    }

    /**
     * Checks a record length against {@link #maxMessageLength()}.
     *
     * @param length the length.
     * @throws MessageTooLargeException if it is over.
     */
    public void checkLength(final int length)
    {
        if (length > ring.maxMsgLength())
        {
            throw new MessageTooLargeException(length, ring.maxMsgLength(), path);
        }
        if (length < 0)
        {
            throw new IllegalArgumentException("length=" + length + " must not be negative");
        }
    }

    /**
     * Hands up to {@code limit} records to the handler, in place, without waiting. The first call takes the consumer
     * role. A record is consumed once the call returns (or the handler throws on it); a consumer process that dies
     * inside this call leaves that call's records for the next consumer, which sees them again.
     *
     * @param handler receives each record.
     * @param limit   the most records to hand over.
     * @return the number handed over.
     * @throws IllegalStateException if another live process consumes this ring, or the ring is closed.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        consumerBusy = true;
        try
        {
            checkOpen();
            if (!consumer)
            {
                acquireConsumer();
            }
            adapter.handler = handler;
            final int read;
            try
            {
                read = ring.read(adapter, limit);
            }
            finally
            {
                adapter.handler = null;
            }
            if (--readsUntilClockRead <= 0)
            {
                onClockRead(read);
            }
            return read;
        }
        finally
        {
            CONSUMER_BUSY.setRelease(this, false);
        }
    }

    private void onClockRead(final int read)
    {
        final long now = System.currentTimeMillis();
        // reads frequent (that many within a millisecond): read the clock every so often; rare: on every read
        readsUntilClockRead = now - lastClockReadMs < 1 ? POLLS_PER_CLOCK_READ : 1;
        lastClockReadMs = now;
        if (read == 0)
        {
            checkBlocked();
        }
        heartbeat(now);
    }

    /**
     * Whether records are waiting to be read (by the ring's positions, not the counters).
     *
     * @return {@code true} if the producers are ahead of the consumer.
     */
    public boolean hasRecords()
    {
        enter();
        try
        {
            return ring.producerPosition() > ring.consumerPosition();
        }
        finally
        {
            exit();
        }
    }

    /**
     * Takes the consumer role now instead of at the first {@link #read(RecordHandler, int)}, so that a second consumer
     * is refused when it opens rather than when it first reads. Idempotent.
     *
     * @throws IllegalStateException if another live process (or another ring object in this one) consumes this ring,
     *                               or the ring is closed.
     */
    public void takeConsumerRole()
    {
        enter();
        try
        {
            if (!consumer)
            {
                acquireConsumer();
            }
        }
        finally
        {
            exit();
        }
    }

    private void heartbeat(final long now)
    {
        if (now - lastHeartbeatMs >= HEARTBEAT_INTERVAL_MS)
        {
            lastHeartbeatMs = now;
            header.putLongRelease(CONSUMER_HEARTBEAT_OFFSET, now);
        }
    }

    private void checkBlocked()
    {
        final long consumerPosition = ring.consumerPosition();
        if (ring.producerPosition() <= consumerPosition)
        {
            return;
        }
        final long now = System.nanoTime();
        if (consumerPosition != lastConsumerPosition)
        {
            lastConsumerPosition = consumerPosition;
            lastProgressNs = now;
        }
        else if (now - lastProgressNs >= unblockTimeoutNs && unblock(consumerPosition))
        {
            lastProgressNs = now;
            final long total = header.getAndAddLong(UNBLOCKED_COUNT_OFFSET, 1) + 1;
            LOG.warn("ring {}: skipped a record a producer left half-written for {} ms (producer died?); {} so far",
                path, TimeUnit.NANOSECONDS.toMillis(unblockTimeoutNs), total);
        }
    }

    private boolean unblock(final long consumerPosition)
    {
        if (kind == RingKind.MANY_TO_ONE)
        {
            return ring.unblock();
        }
        final AtomicBuffer records = ring.buffer();
        final int index = (int)consumerPosition & (capacity - 1);
        final int length = records.getIntVolatile(RecordDescriptor.lengthOffset(index));
        if (length < 0)
        {
            records.putInt(RecordDescriptor.typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
            records.putIntRelease(RecordDescriptor.lengthOffset(index), -length);
            return true;
        }
        return false;
    }

    private void acquireConsumer()
    {
        final long heartbeat = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
        consumerRole.acquire(", last heartbeat " +
            (heartbeat == 0 ? "never" : (System.currentTimeMillis() - heartbeat) + " ms ago"));
        consumer = true;
        adapter.consumed = header.getLongVolatile(CONSUMER_COUNT_OFFSET);
        lastHeartbeatMs = 0;
        readsUntilClockRead = 1;
        heartbeat(System.currentTimeMillis());
    }

    private void enter()
    {
        callsInProgress.incrementAndGet();
        if (closed)
        {
            callsInProgress.decrementAndGet();
            throw new IllegalStateException("ring " + path + " is closed");
        }
    }

    private void exit()
    {
        callsInProgress.decrementAndGet();
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("ring " + path + " is closed");
        }
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Waits for calls in progress, gives back the consumer role, unmaps the file, and deletes it if it was created
     * delete-on-close. Records stay in the file otherwise. Idempotent.
     *
     * @throws IOException if deleting failed.
     */
    @Override
    public void close() throws IOException
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        while (callsInProgress.get() != 0 || consumerBusy || producerBusy)
        {
            Thread.onSpinWait();
        }
        consumerRole.release();
        producerRole.release();
        IoUtil.unmap(mapped);
        if (deleteOnClose)
        {
            Files.deleteIfExists(path);
        }
    }

    @Override
    public String toString()
    {
        return "IpcRing[" + path + ", " + kind + ", capacity " + capacity + ", codec " + codecName + "]";
    }

    /**
     * Adapts Agrona's handler to a {@link RecordHandler}, counting consumed records; reused, so reads allocate nothing.
     */
    private final class RecordAdapter implements MessageHandler
    {
        private RecordHandler handler;
        private long consumed;

        @Override
        public void onMessage(final int msgTypeId, final org.agrona.MutableDirectBuffer buffer, final int index,
            final int length)
        {
            consumed++;
            header.putLongRelease(CONSUMER_COUNT_OFFSET, consumed);
            handler.onRecord(buffer, index, length);
        }
    }

    /**
     * Describes a ring file to create; {@link #create()} checks the values once.
     */
    public static final class Builder
    {
        private final Path path;
        private RingKind kind = RingKind.ONE_TO_ONE;
        private boolean kindGiven;
        private int capacity = CAPACITY_DEFAULT;
        private boolean capacityGiven;
        private String codecName = "bytes";
        private IfExists ifExists = IfExists.FAIL;
        private boolean deleteOnClose;
        private Duration unblockTimeout = UNBLOCK_TIMEOUT_DEFAULT;

        private Builder(final Path path)
        {
            this.path = path;
        }

        /**
         * Who may write; {@link RingKind#ONE_TO_ONE} by default. A reused file must be of this kind if one is given.
         *
         * @param kind the kind.
         * @return this builder.
         */
        public Builder kind(final RingKind kind)
        {
            this.kind = kind;
            this.kindGiven = true;
            return this;
        }

        /**
         * Bytes of records, a power of two from 1 KiB to 1 GiB; {@link #CAPACITY_DEFAULT} by default. The longest
         * message is capacity / 8. A reused file must have this capacity if one is given.
         *
         * @param capacity the capacity.
         * @return this builder.
         */
        public Builder capacity(final int capacity)
        {
            this.capacity = capacity;
            this.capacityGiven = true;
            return this;
        }

        /**
         * Name of the codec the records are in, stored in the header and checked on open; {@code bytes} by default.
         *
         * @param codecName the name, see {@link Codec#name()}.
         * @return this builder.
         */
        public Builder codec(final String codecName)
        {
            this.codecName = codecName;
            return this;
        }

        /**
         * What to do when the file exists; {@link IfExists#FAIL} by default.
         *
         * @param ifExists the policy.
         * @return this builder.
         */
        public Builder ifExists(final IfExists ifExists)
        {
            this.ifExists = ifExists;
            return this;
        }

        /**
         * Whether {@link IpcRing#close()} deletes the file; {@code false} by default.
         *
         * @param deleteOnClose the flag.
         * @return this builder.
         */
        public Builder deleteOnClose(final boolean deleteOnClose)
        {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /**
         * How long the consumer waits on a half-written record before it skips it;
         * {@link #UNBLOCK_TIMEOUT_DEFAULT} by default.
         *
         * @param unblockTimeout the timeout, positive.
         * @return this builder.
         */
        public Builder unblockTimeout(final Duration unblockTimeout)
        {
            this.unblockTimeout = unblockTimeout;
            return this;
        }

        /**
         * Creates the file (or opens it, per {@link #ifExists(IfExists)}) and maps it.
         *
         * @return the ring.
         * @throws RingFileException        if the file exists and the policy is {@link IfExists#FAIL}, or it is reused
         *                                  but is not a valid ring, or its kind, codec or capacity differ.
         * @throws IOException              if it cannot be written or mapped.
         * @throws IllegalArgumentException if a value is out of range, naming it.
         */
        public IpcRing create() throws IOException
        {
            RingFiles.checkParameters(capacity, codecName);
            if (kind == null || ifExists == null)
            {
                throw new IllegalArgumentException("kind and ifExists must not be null");
            }
            if (unblockTimeout == null || unblockTimeout.isNegative() || unblockTimeout.isZero())
            {
                throw new IllegalArgumentException("unblockTimeout=" + unblockTimeout + " must be positive");
            }
            if (ifExists == IfExists.REUSE && Files.exists(path))
            {
                return reuse();
            }
            try
            {
                RingFiles.create(path, kind, capacity, codecName, ifExists == IfExists.REPLACE);
            }
            catch (final RingFileException ex)
            {
                if (ifExists != IfExists.REUSE)
                {
                    throw ex;
                }
                return reuse();
            }
            return new IpcRing(path, RingFiles.validate(path, codecName), deleteOnClose, unblockTimeout);
        }

        private IpcRing reuse() throws IOException
        {
            final RingFiles.Header existing = RingFiles.validate(path, codecName);
            if (kindGiven && existing.kind() != kind)
            {
                throw new RingFileException(path, "is a " + existing.kind() + " ring, but " + kind + " was asked for");
            }
            if (capacityGiven && existing.capacity() != capacity)
            {
                throw new RingFileException(path, "has capacity " + existing.capacity() + ", but " + capacity +
                    " was asked for");
            }
            return new IpcRing(path, existing, deleteOnClose, unblockTimeout);
        }
    }
}
