package io.ringlink.offheap;

import io.ringlink.offheap.internal.CloseGate;
import io.ringlink.offheap.internal.IpcRingDescriptor;
import io.ringlink.offheap.internal.ProcessRole;
import io.ringlink.offheap.internal.RingFiles;
import io.ringlink.offheap.internal.RingReader;
import io.ringlink.offheap.internal.TakeLock;
import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_HEARTBEAT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.HEADER_LENGTH;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_TAKEOVER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.TASKS_DONE_OFFSET;
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
 * header, and {@link #close()} gives it back; a second consumer is refused while the holder's process is alive. (A
 * {@link SharedQueue} over a many-to-one ring lets any number of consumers take one record at a time instead,
 * serialised by a take lock in the header; they are refused while a process holds the consumer role, and a new holder
 * of the role first waits for a take in progress.) A
 * consumer that finds a record left half-written by a dead producer skips it after the unblock timeout and counts it
 * ({@link #unblockedCount()}).
 * <p>
 * Thread safety: {@code offer} may be called from any thread of a {@code MANY_TO_ONE} ring, from one thread at a time
 * of a {@code ONE_TO_ONE} ring; {@code read} from one thread at a time. {@link #close()} may be called from any thread,
 * also while another thread is inside a call: it waits (up to the close timeout) for calls in progress, then gives
 * back the roles and unmaps the file; any later call raises {@link IllegalStateException}. A call still running at the
 * timeout (a read handler that blocks) is reported and finishes the close when it returns (see {@link #close()}).
 * The gate costs one volatile store and one volatile read per hot call (see {@code CloseGate}).
 * <p>
 * Counters, exact also after {@code kill -9} of any process: producers count each record just before its commit
 * (release store of the incremented value by the one producer of a {@code ONE_TO_ONE} ring, an atomic add in a
 * {@code MANY_TO_ONE} ring); the consumer counts records when it frees them, recording its intent first so that a
 * consumer killed mid-free leaves a state the next one completes; after a half-written record of a dead producer was
 * skipped, the consumer reconciles the counts the next time the ring is empty (see {@link #size()}). The consumer's
 * heartbeat and its check for a record left half-written by a dead producer run every 64th read while reads are
 * frequent (under a millisecond for that many), every read once they are rarer, so a spinning consumer does not read
 * the clock on each empty poll.
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

    /**
     * How long {@link #close()} waits for calls in progress before it reports them and leaves the release to them.
     */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(IpcRing.class);
    private static final long HEARTBEAT_INTERVAL_MS = 100;
    private static final int POLLS_PER_CLOCK_READ = 64;

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
    private final int maxSize;
    private final boolean deleteOnClose;
    private final long unblockTimeoutNs;
    private final MappedByteBuffer mapped;
    private final AtomicBuffer header;
    private final RingBuffer ring;
    private final RingReader reader;
    private final CloseGate gate;
    private final TakeLock takeLock;
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
        final Duration unblockTimeout,
        final Duration closeTimeout,
        final Duration takeLease) throws IOException
    {
        this.path = path;
        this.kind = fileHeader.kind();
        this.capacity = fileHeader.capacity();
        this.codecName = fileHeader.codecName();
        this.creationTime = fileHeader.creationTime();
        this.maxSize = fileHeader.maxSize();
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
        reader = new RingReader(records, header, capacity, kind == RingKind.ONE_TO_ONE);
        gate = new CloseGate("ring " + path, closeTimeout.toNanos(), this::release);
        takeLock = new TakeLock(header, path, takeLease.toNanos());
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
        return new IpcRing(path, RingFiles.validate(path, expectedCodec), false, UNBLOCK_TIMEOUT_DEFAULT,
            CLOSE_TIMEOUT_DEFAULT, SharedQueue.TAKE_LEASE_DEFAULT);
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
        gate.enter();
        try
        {
            return header.getLongVolatile(PRODUCER_COUNT_OFFSET);
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records taken (freed), by all consumers since the file was created; after the ring was found empty following a
     * skipped half-written record, this includes such records that their producer had counted.
     *
     * @return the count.
     */
    public long consumedCount()
    {
        gate.enter();
        try
        {
            return RingReader.consumedCount(header, ring.consumerPosition());
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records in the ring: produced minus consumed, from the header counters. A record being written counts from just
     * before its commit, so right after an offer returned {@code true} the record is counted until it is freed (for
     * an at-least-once reader, until every sink has it). Exact at rest, also after {@code kill -9} of any producer or
     * consumer: once the ring is empty, its size is 0 (a record a dead producer left half-written may count until the
     * consumer next finds the ring empty, which is also when a read returns nothing).
     *
     * @return the number of records waiting.
     */
    public long size()
    {
        gate.enter();
        try
        {
            final long consumed = RingReader.consumedCount(header, ring.consumerPosition());
            final long produced = header.getLongVolatile(PRODUCER_COUNT_OFFSET);
            return Math.max(0, produced - consumed);
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Bytes free for records; each record takes its length plus an 8-byte header, rounded up to 8.
     *
     * @return free bytes.
     */
    public int remainingBytes()
    {
        gate.enter();
        try
        {
            return capacity - ring.size();
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Half-written records of dead producers that consumers skipped.
     *
     * @return the count.
     */
    public long unblockedCount()
    {
        gate.enter();
        try
        {
            return header.getLongVolatile(UNBLOCKED_COUNT_OFFSET);
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * The last heartbeat of the consumer, refreshed while it reads.
     *
     * @return the instant, or {@code null} if no consumer ever read.
     */
    public Instant consumerHeartbeat()
    {
        gate.enter();
        try
        {
            final long millis = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
            return millis == 0 ? null : Instant.ofEpochMilli(millis);
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * The process that holds the consumer role, if it is alive.
     *
     * @return the pid, or {@code -1} when no live process holds it.
     */
    public long consumerPid()
    {
        gate.enter();
        try
        {
            return consumerRole.holderPid();
        }
        finally
        {
            gate.exit();
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
     *                                  producer role of a one-to-one ring until {@link #close()}, unless
     *                                  {@link #takeProducerRole()} took it before.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        checkLength(length);
        if (kind == RingKind.MANY_TO_ONE)
        {
            gate.enter();
            try
            {
                return write(buffer, offset, length);
            }
            finally
            {
                gate.exit();
            }
        }
        gate.enterProducer();
        try
        {
            if (!producerRole.isHeld())
            {
                acquireProducer();
            }
            return write(buffer, offset, length);
        }
        finally
        {
            gate.exitProducer();
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
        else if (maxSize == 0)
        {
            header.getAndAddLong(PRODUCER_COUNT_OFFSET, 1);
        }
        else if (!countBelowMaxSize())
        {
            ring.abort(index);
            return false;
        }
        ring.commit(index);
        return true;
    }

    /**
     * Counts a record of a queue with a {@code maxSize} unless that many are queued: the check and the count are one
     * compare-and-set on the produced count, so producers in any number of processes never overshoot it. The consumed
     * count only grows, so one read after the produced count can only make the size look smaller than it was.
     */
    private boolean countBelowMaxSize()
    {
        while (true)
        {
            final long produced = header.getLongVolatile(PRODUCER_COUNT_OFFSET);
            final long consumed = RingReader.consumedCount(header, ring.consumerPosition());
            if (produced - consumed >= maxSize)
            {
                return false;
            }
            if (header.compareAndSetLong(PRODUCER_COUNT_OFFSET, produced, produced + 1))
            {
                return true;
            }
        }
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
     * role. The records are freed when the call returns (also when the handler throws, its record included): a
     * consumer process that dies inside this call leaves that call's records for the next consumer, which sees them
     * again.
     *
     * @param handler receives each record.
     * @param limit   the most records to hand over.
     * @return the number handed over.
     * @throws IllegalStateException if another live process consumes this ring, or the ring is closed.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        return read(handler, limit, true);
    }

    /**
     * Hands up to {@code limit} records after the read position, without freeing them: they stay in the ring (and
     * count in {@link #size()}) until {@link #freeTo(long)} or {@link #freeAll()}, so that a reader killed before then
     * leaves them for the next. The read position moves past them.
     */
    int readRetained(final RecordHandler handler, final int limit)
    {
        return read(handler, limit, false);
    }

    /**
     * What {@link #take(RecordHandler)} returns when another consumer holds the take lock.
     */
    static final int TAKE_BUSY = -1;

    /**
     * Takes one record as one of any number of consumers (a {@link SharedQueue}'s take): under the take lock in the
     * header, reads the record at the head, hands it to the handler (which copies it out) and frees it before giving
     * the lock back. Every hold starts from the file's state ({@link RingReader#recover()}), so a holder killed
     * anywhere leaves nothing the next cannot take or finish. Without the exclusive consumer role; refused while a
     * live process holds that role (a router or an {@code ipc:} reader).
     *
     * @return 1 if a record was taken, 0 if none is waiting, {@link #TAKE_BUSY} if another consumer holds the lock.
     * @throws IllegalStateException if a live process holds the exclusive consumer role (naming its pid), the ring
     *                               is closed, or this ring object reads as the exclusive consumer.
     */
    int take(final RecordHandler handler)
    {
        gate.enterConsumer();
        try
        {
            if (isQuietlyEmpty())
            {
                // idle consumers poll without writing to the lock's cache line
                return 0;
            }
            if (!takeLock.tryAcquire())
            {
                return TAKE_BUSY;
            }
            try
            {
                checkNoExclusiveConsumer();
                reader.recover();
                final int read = reader.read(handler, 1);
                // a holder paused past the lease has lost the lock: it backs out, the record stays for the taker
                if (!takeLock.isHeld())
                {
                    return TAKE_BUSY;
                }
                if (read > 0)
                {
                    reader.freeAll();
                }
                afterRead(read);
                return read;
            }
            finally
            {
                if (!takeLock.release())
                {
                    LOG.warn("ring {}: the take lock was taken over while this process held it (paused longer " +
                        "than the lease?)", path);
                }
            }
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Whether nothing is claimed after the head and the counters agree (no free under way, nothing to reconcile): a
     * take would find nothing and have nothing to repair.
     */
    private boolean isQuietlyEmpty()
    {
        final long head = ring.consumerPosition();
        return ring.producerPosition() == head &&
            header.getLongVolatile(PRODUCER_COUNT_OFFSET) == RingReader.consumedCount(header, head);
    }

    private void checkNoExclusiveConsumer()
    {
        if (consumer)
        {
            throw new IllegalStateException("queue " + path + ": this object reads as a router's source (the " +
                "exclusive consumer); take from another SharedQueue object");
        }
        final long owner = header.getLongVolatile(CONSUMER_OWNER_OFFSET);
        if (owner == 0)
        {
            return;
        }
        final long pid = consumerRole.holderPid();
        if (pid == -1)
        {
            // its holder is gone: clear it so that the next takes do not look it up again
            header.compareAndSetLong(CONSUMER_OWNER_OFFSET, owner, 0);
            return;
        }
        throw new IllegalStateException("queue " + path + " is read by an exclusive consumer (a router or an ipc: " +
            "reader): process " + pid + "; takes are refused until it closes");
    }

    /**
     * The take lock of this ring's queue consumers.
     */
    TakeLock takeLock()
    {
        return takeLock;
    }

    private int read(final RecordHandler handler, final int limit, final boolean free)
    {
        gate.enterConsumer();
        try
        {
            if (!consumer)
            {
                acquireConsumer();
            }
            int read = 0;
            try
            {
                read = reader.read(handler, limit);
            }
            finally
            {
                if (free)
                {
                    reader.freeAll();
                }
                afterRead(read);
            }
            return read;
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * The position just after the last record handed by a read: what {@link #freeTo(long)} takes.
     */
    long readPosition()
    {
        return reader.readPosition();
    }

    /**
     * Records the consumer has been handed so far, counted from the file's creation (taken or retained).
     */
    long readCount()
    {
        return reader.readCount();
    }

    /**
     * The most messages the ring may hold (a queue's limit, enforced by {@link SharedQueue}), 0 for none.
     */
    int maxSize()
    {
        return maxSize;
    }

    /**
     * Counts one task done (the queue's {@code taskDone()}), across processes with a compare-and-set, refusing to
     * count more than were taken.
     *
     * @throws IllegalStateException if as many tasks are done as records were taken, naming both.
     */
    void taskDone()
    {
        gate.enter();
        try
        {
            while (true)
            {
                final long done = header.getLongVolatile(TASKS_DONE_OFFSET);
                final long taken = RingReader.consumedCount(header, ring.consumerPosition());
                if (done >= taken)
                {
                    throw new IllegalStateException("taskDone() called more times than elements were taken from " +
                        path + ": " + taken + " taken, " + done + " done");
                }
                if (header.compareAndSetLong(TASKS_DONE_OFFSET, done, done + 1))
                {
                    return;
                }
            }
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records put and not yet done: produced minus tasks done.
     */
    long unfinishedCount()
    {
        gate.enter();
        try
        {
            final long done = header.getLongVolatile(TASKS_DONE_OFFSET);
            return Math.max(0, header.getLongVolatile(PRODUCER_COUNT_OFFSET) - done);
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Records not yet handed to this consumer: all records when it has not read yet.
     */
    long unreadCount()
    {
        gate.enter();
        try
        {
            final long produced = header.getLongVolatile(PRODUCER_COUNT_OFFSET);
            return Math.max(0, produced - (consumer ? reader.readCount() :
                RingReader.consumedCount(header, ring.consumerPosition())));
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Frees the records before a position returned by {@link #readPosition()}.
     */
    void freeTo(final long position)
    {
        gate.enterConsumer();
        try
        {
            reader.freeTo(position);
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Frees every record handed so far.
     */
    void freeAll()
    {
        gate.enterConsumer();
        try
        {
            reader.freeAll();
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Moves the read position back, so that the records handed but not freed are handed again.
     */
    void rewind()
    {
        gate.enterConsumer();
        try
        {
            reader.rewind();
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    private void afterRead(final int read)
    {
        final boolean clockRead = --readsUntilClockRead <= 0;
        if (clockRead)
        {
            onClockRead(read);
        }
        if (read == 0)
        {
            if (reader.retainedCount() == 0)
            {
                // nothing but padding (a skipped record included) between the head and the read position: free it
                reader.skipPadding();
                reader.freeAll();
            }
            // after a skip at once; otherwise now and then (a stalled producer may count after its record was skipped)
            reader.reconcileWhenQuiet(clockRead);
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
     * Whether records are waiting to be read: by the ring's positions, from this consumer's read position when it
     * is the consumer, else from the ring's head.
     *
     * @return {@code true} if the producers are ahead.
     */
    public boolean hasRecords()
    {
        gate.enter();
        try
        {
            return ring.producerPosition() > (consumer ? reader.readPosition() : ring.consumerPosition());
        }
        finally
        {
            gate.exit();
        }
    }

    /**
     * Takes the consumer role now instead of at the first {@link #read(RecordHandler, int)}, so that a second consumer
     * is refused when it opens rather than when it first reads. Idempotent.
     *
     * @throws RingRoleException     if another live process (or another ring object in this one) consumes this
     *                               ring, naming its pid.
     * @throws IllegalStateException if the ring is closed.
     */
    public void takeConsumerRole() throws RingRoleException
    {
        gate.enterConsumer();
        try
        {
            if (!consumer)
            {
                acquireConsumer();
            }
        }
        catch (final ProcessRole.RoleHeldException ex)
        {
            throw new RingRoleException(path, ex.problem(), ex.holderPid());
        }
        finally
        {
            gate.exitConsumer();
        }
    }

    /**
     * Takes the producer role of a {@code ONE_TO_ONE} ring now instead of at the first offer, so that a second
     * producer is refused when it opens, before anything is written. Idempotent; does nothing for a
     * {@code MANY_TO_ONE} ring.
     *
     * @throws RingRoleException     if another live process (or another ring object in this one) writes to this
     *                               ring, naming its pid.
     * @throws IllegalStateException if the ring is closed.
     */
    public void takeProducerRole() throws RingRoleException
    {
        if (kind == RingKind.MANY_TO_ONE)
        {
            return;
        }
        gate.enterProducer();
        try
        {
            if (!producerRole.isHeld())
            {
                acquireProducer();
            }
        }
        catch (final ProcessRole.RoleHeldException ex)
        {
            throw new RingRoleException(path, ex.problem(), ex.holderPid());
        }
        finally
        {
            gate.exitProducer();
        }
    }

    private void acquireProducer()
    {
        if (producerRole.acquire(""))
        {
            // the dead producer's last claim ends at the tail: say so before writing after it
            header.putLongRelease(PRODUCER_TAKEOVER_OFFSET, ring.producerPosition());
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
        final long readPosition = reader.readPosition();
        final long now = System.nanoTime();
        if (ring.producerPosition() <= readPosition)
        {
            // nothing claimed after the read position: the wait on a record starts when one is claimed
            lastConsumerPosition = -1;
            return;
        }
        if (readPosition != lastConsumerPosition)
        {
            lastConsumerPosition = readPosition;
            lastProgressNs = now;
        }
        else if (now - lastProgressNs >= unblockTimeoutNs &&
            reader.unblock(kind == RingKind.MANY_TO_ONE || producerRole.holderPid() == -1))
        {
            lastProgressNs = now;
            LOG.warn("ring {}: skipped a record a producer left half-written for {} ms (producer died?); {} so far",
                path, TimeUnit.NANOSECONDS.toMillis(unblockTimeoutNs), header.getLongVolatile(UNBLOCKED_COUNT_OFFSET));
        }
    }

    private void acquireConsumer()
    {
        final long heartbeat = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
        consumerRole.acquire(", last heartbeat " +
            (heartbeat == 0 ? "never" : (System.currentTimeMillis() - heartbeat) + " ms ago"));
        if (kind == RingKind.MANY_TO_ONE)
        {
            awaitTakeInProgress();
        }
        consumer = true;
        reader.recover();
        lastHeartbeatMs = 0;
        readsUntilClockRead = 1;
        heartbeat(System.currentTimeMillis());
    }

    /**
     * Waits for a take in progress by a queue consumer (one that started before this object took the exclusive role
     * and did not see it), by holding the take lock once: every take after that sees the role and is refused. Bounded
     * by the take lease.
     */
    private void awaitTakeInProgress()
    {
        int attempt = 0;
        while (!takeLock.tryAcquire())
        {
            RingWaits.pause(attempt++);
        }
        takeLock.release();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return {@code true} once closed.
     */
    public boolean isClosed()
    {
        return gate.isClosed();
    }

    /**
     * Waits for calls in progress, gives back the roles, unmaps the file, and deletes it if it was created
     * delete-on-close. Records stay in the file otherwise. Idempotent.
     * <p>
     * The wait is bounded by the close timeout ({@link #CLOSE_TIMEOUT_DEFAULT} unless the builder set another): if a
     * call is still running then (a read handler that blocks), close logs a warning and throws
     * {@link RingCloseTimeoutException}; the ring is closed to new calls at once, and the call in progress
     * gives back the roles and unmaps the file when it returns.
     *
     * @throws IOException if deleting failed, or a call was still running at the timeout.
     */
    @Override
    public void close() throws IOException
    {
        gate.close("a read or offer");
    }

    private void release() throws IOException
    {
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
        private boolean codecGiven;
        private IfExists ifExists = IfExists.FAIL;
        private boolean deleteOnClose;
        private Duration unblockTimeout = UNBLOCK_TIMEOUT_DEFAULT;
        private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;
        private Duration takeLease = SharedQueue.TAKE_LEASE_DEFAULT;
        private int maxSize;
        private boolean maxSizeGiven;

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
            this.codecGiven = true;
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
         * The most messages a queue holds, stored in the header for every process ({@link SharedQueue}).
         */
        Builder maxSize(final int maxSize)
        {
            this.maxSize = maxSize;
            this.maxSizeGiven = true;
            return this;
        }

        /**
         * How long a taker of a queue waits on one take of another whose process is alive before it takes the
         * take lock over ({@link SharedQueue.Builder#takeLease(Duration)}).
         */
        Builder takeLease(final Duration takeLease)
        {
            this.takeLease = takeLease;
            return this;
        }

        /**
         * How long {@link IpcRing#close()} waits for a call in progress (a read handler that blocks) before it reports
         * it; {@link #CLOSE_TIMEOUT_DEFAULT} by default.
         *
         * @param closeTimeout the timeout, positive.
         * @return this builder.
         */
        public Builder closeTimeout(final Duration closeTimeout)
        {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Opens an existing ring file, checking its header and, when given, its kind and capacity against this
         * builder's; never creates anything.
         *
         * @return the ring.
         * @throws RingFileException if the file does not exist, is not a valid ring, or its codec, kind or capacity
         *                           differ; nothing is created or modified.
         * @throws IOException       if it cannot be read or mapped.
         */
        public IpcRing open() throws IOException
        {
            checkTimeouts();
            return reuse(codecGiven ? codecName : null);
        }

        private void checkTimeouts()
        {
            for (final Duration timeout : new Duration[]{unblockTimeout, closeTimeout, takeLease})
            {
                if (timeout == null || timeout.isNegative() || timeout.isZero())
                {
                    throw new IllegalArgumentException("timeout " + timeout + " must be positive");
                }
            }
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
            checkTimeouts();
            if (ifExists == IfExists.REUSE && Files.exists(path))
            {
                return reuse(codecName);
            }
            try
            {
                RingFiles.create(path, kind, capacity, codecName, ifExists == IfExists.REPLACE, maxSize);
            }
            catch (final RingFileException ex)
            {
                if (ifExists != IfExists.REUSE)
                {
                    throw ex;
                }
                return reuse(codecName);
            }
            return new IpcRing(path, RingFiles.validate(path, codecName), deleteOnClose, unblockTimeout,
                closeTimeout, takeLease);
        }

        private IpcRing reuse(final String expectedCodec) throws IOException
        {
            final RingFiles.Header existing = RingFiles.validate(path, expectedCodec);
            if (kindGiven && existing.kind() != kind)
            {
                throw new RingFileException(path, "is a " + existing.kind() + " ring, but " + kind + " was asked for");
            }
            if (maxSizeGiven && existing.maxSize() != maxSize)
            {
                throw new RingFileException(path, "has max size " + existing.maxSize() + ", but " + maxSize +
                    " was asked for");
            }
            if (capacityGiven && existing.capacity() != capacity)
            {
                throw new RingFileException(path, "has capacity " + existing.capacity() + ", but " + capacity +
                    " was asked for");
            }
            return new IpcRing(path, existing, deleteOnClose, unblockTimeout, closeTimeout, takeLease);
        }
    }
}
