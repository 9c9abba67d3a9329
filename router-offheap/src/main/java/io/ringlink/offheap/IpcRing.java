package io.ringlink.offheap;

import io.ringlink.offheap.internal.CloseGate;
import io.ringlink.offheap.internal.GatedConsumer;
import io.ringlink.offheap.internal.IpcRingDescriptor;
import io.ringlink.offheap.internal.ProcessRole;
import io.ringlink.offheap.internal.RingConsumer;
import io.ringlink.offheap.internal.RingCounters;
import io.ringlink.offheap.internal.RingFiles;
import io.ringlink.offheap.internal.RingMapping;
import io.ringlink.offheap.internal.RingProducer;
import io.ringlink.offheap.internal.RingReader;
import io.ringlink.offheap.internal.RingStatus;
import io.ringlink.offheap.internal.TakeLock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static io.ringlink.offheap.internal.IpcRingDescriptor.HEADER_LENGTH;

/**
 * A ring of byte records in a memory-mapped file that processes on one host share: a small header (see
 * {@link IpcRingDescriptor}) followed by an Agrona {@code OneToOneRingBuffer} or {@code ManyToOneRingBuffer}.
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
 * <p>
 * Made of parts along Agrona's lines, each in its own class: {@link IpcRingBuilder} describes the file;
 * {@code RingFiles} creates and validates it and {@code RingMapping} maps and unmaps it; {@code RingProducer} is the
 * producer side, one class per kind chosen once when the ring is opened ({@code OneToOneProducer} with its producer
 * role over Agrona's {@code OneToOneRingBuffer}, {@code ManyToOneProducer} over its {@code ManyToOneRingBuffer});
 * {@code RingCounters} holds the header's counters; {@code RingConsumer} the consumer side (the exclusive role and
 * heartbeat, or the queue's {@code TakeLock} and its lease, over a {@code RingReader}); {@code CloseGate} the bounded
 * close. This class is the public face that ties them together.
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
    public static final int MESSAGE_TYPE_ID = RingProducer.MESSAGE_TYPE_ID;

    /**
     * How long {@link #close()} waits for calls in progress before it reports them and leaves the release to them.
     */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    /**
     * What {@link IpcRingBuilder#create()} does when the file exists already.
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
    private final RingKind kind;
    private final int capacity;
    private final String codecName;
    private final long creationTime;
    private final int maxSize;
    private final boolean deleteOnClose;
    private final MappedByteBuffer mapped;
    private final RingBuffer ring;
    private final RingProducer producer;
    private final RingConsumer consumerSide;
    private final RingReader reader;
    private final RingStatus status;
    private final GatedConsumer consumerCalls;
    private final CloseGate gate;

    IpcRing(
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
        gate = new CloseGate("ring " + path, closeTimeout.toNanos(), this::release);
        mapped = RingMapping.map(path, capacity);
        final AtomicBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final AtomicBuffer records = new UnsafeBuffer(mapped, HEADER_LENGTH,
            capacity + RingBufferDescriptor.TRAILER_LENGTH);
        producer = RingProducer.open(kind, path, header, records, maxSize, gate);
        ring = producer.ring();
        final RingCounters counters = producer.counters();
        consumerSide = new RingConsumer(path, header, records, ring, counters, producer,
            kind == RingKind.MANY_TO_ONE, unblockTimeout.toNanos(), takeLease.toNanos());
        reader = consumerSide.reader();
        status = new RingStatus(gate, ring, counters, consumerSide);
        consumerCalls = new GatedConsumer(gate, consumerSide);
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
    public static IpcRingBuilder builder(final Path path)
    {
        return new IpcRingBuilder(path);
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
        return status.produced();
    }

    /**
     * Records taken (freed), by all consumers since the file was created; after the ring was found empty following a
     * skipped half-written record, this includes such records that their producer had counted.
     *
     * @return the count.
     */
    public long consumedCount()
    {
        return status.consumed();
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
        return status.size();
    }

    /**
     * Bytes free for records; each record takes its length plus an 8-byte header, rounded up to 8.
     *
     * @return free bytes.
     */
    public int remainingBytes()
    {
        return status.remainingBytes();
    }

    /**
     * Half-written records of dead producers that consumers skipped.
     *
     * @return the count.
     */
    public long unblockedCount()
    {
        return status.unblocked();
    }

    /**
     * The last heartbeat of the consumer, refreshed while it reads.
     *
     * @return the instant, or {@code null} if no consumer ever read.
     */
    public Instant consumerHeartbeat()
    {
        return status.consumerHeartbeat();
    }

    /**
     * The process that holds the consumer role, if it is alive.
     *
     * @return the pid, or {@code -1} when no live process holds it.
     */
    public long consumerPid()
    {
        return status.consumerPid();
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
        return producer.offer(buffer, offset, length);
    }

    /**
     * Writes records one after the other while there is room, each copied from the buffer, in one call: record
     * {@code i} is {@code lengths[i]} bytes at {@code offsets[i]}, for {@code i} from {@code from} to {@code to}
     * (exclusive). Each record is its own record, as {@link #offer(DirectBuffer, int, int)} writes it; the call only
     * saves the per-call checks of the producer role and of a close. Does not wait.
     *
     * @param buffer  holds the records.
     * @param offsets where each starts.
     * @param lengths the length of each.
     * @param from    the first record to write.
     * @param to      the end, exclusive.
     * @return the number written, from {@code from} on: fewer than asked when the ring filled up.
     * @throws MessageTooLargeException if a record is over {@link #maxMessageLength()}; the ones before it are
     *                                  written.
     * @throws IllegalStateException    as {@link #offer(DirectBuffer, int, int)}.
     */
    public int offerBatch(final DirectBuffer buffer, final int[] offsets, final int[] lengths, final int from,
        final int to)
    {
        return producer.offerBatch(buffer, offsets, lengths, from, to);
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
        producer.checkLength(length);
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
    static final int TAKE_BUSY = RingConsumer.TAKE_BUSY;

    /**
     * Takes one record as one of any number of consumers (a {@link SharedQueue}'s take), under the take lock in the
     * header, without the exclusive consumer role (see {@link RingConsumer#take(RecordHandler)}).
     *
     * @return 1 if a record was taken, 0 if none is waiting, {@link #TAKE_BUSY} if another consumer holds the lock.
     * @throws IllegalStateException if a live process holds the exclusive consumer role (naming its pid), the ring
     *                               is closed, or this ring object reads as the exclusive consumer.
     */
    int take(final RecordHandler handler)
    {
        return consumerCalls.take(handler);
    }

    /**
     * The take lock of this ring's queue consumers.
     */
    TakeLock takeLock()
    {
        return consumerSide.takeLock();
    }

    private int read(final RecordHandler handler, final int limit, final boolean free)
    {
        return consumerCalls.read(handler, limit, free);
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
        status.taskDone();
    }

    /**
     * Records put and not yet done: produced minus tasks done.
     */
    long unfinishedCount()
    {
        return status.unfinished();
    }

    /**
     * Records not yet handed to this consumer: all records when it has not read yet.
     */
    long unreadCount()
    {
        return status.unread();
    }

    /**
     * Frees the records before a position returned by {@link #readPosition()}.
     */
    void freeTo(final long position)
    {
        consumerCalls.freeTo(position);
    }

    /**
     * Frees the records before a position returned by {@link #readPosition()}, {@link #readCount()} then being
     * {@code count}: no walk over the records to count them.
     */
    void freeTo(final long position, final long count)
    {
        consumerCalls.freeTo(position, count);
    }

    /**
     * Frees every record handed so far.
     */
    void freeAll()
    {
        consumerCalls.freeAll();
    }

    /**
     * Moves the read position back, so that the records handed but not freed are handed again.
     */
    void rewind()
    {
        consumerCalls.rewind();
    }

    /**
     * Whether records are waiting to be read: by the ring's positions, from this consumer's read position when it
     * is the consumer, else from the ring's head.
     *
     * @return {@code true} if the producers are ahead.
     */
    public boolean hasRecords()
    {
        return status.hasRecords();
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
        try
        {
            consumerCalls.acquireExclusive();
        }
        catch (final ProcessRole.RoleHeldException ex)
        {
            throw new RingRoleException(path, ex.problem(), ex.holderPid());
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
        try
        {
            producer.takeRole();
        }
        catch (final ProcessRole.RoleHeldException ex)
        {
            throw new RingRoleException(path, ex.problem(), ex.holderPid());
        }
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
        consumerSide.release();
        producer.release();
        RingMapping.unmap(mapped, path, deleteOnClose);
    }

    @Override
    public String toString()
    {
        return "IpcRing[" + path + ", " + kind + ", capacity " + capacity + ", codec " + codecName + "]";
    }
}
