package io.ringlink.offheap.internal;

import io.ringlink.offheap.RecordHandler;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_HEARTBEAT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_OWNER_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.UNBLOCKED_COUNT_OFFSET;

/**
 * The consumer side of a ring file, in one of two ways:
 * <ul>
 * <li>the <em>exclusive consumer</em>: one process at a time holds the consumer role ({@link ProcessRole}, taken by
 * the first read and given back by {@link #release()}) and reads ahead of the head, freeing when told (the
 * at-least-once reading of an {@code ipc:} source or a router reading a queue);</li>
 * <li>any number of <em>takers</em> ({@code SharedQueue}), each {@link #take(RecordHandler)} one record
 * under the {@link TakeLock}, refused while a live process holds the exclusive role.</li>
 * </ul>
 * A new holder of the exclusive role of a many-to-one ring first holds the take lock once, so that a take in progress
 * finishes before it reads. Both ways keep the consumer's heartbeat in the header, and skip a record that a dead
 * producer left half-written once it has blocked them for the unblock timeout. The heartbeat and that check run every
 * 64th read while reads are frequent (under a millisecond for that many), every read once they are rarer, so a
 * spinning consumer does not read the clock on each empty poll.
 * <p>
 * Not thread-safe: one thread at a time (the ring's close gate marks it).
 */
public final class RingConsumer
{
    /**
     * What {@link #take(RecordHandler)} returns when another consumer holds the take lock.
     */
    public static final int TAKE_BUSY = -1;

    private static final Logger LOG = LoggerFactory.getLogger(RingConsumer.class);
    private static final long HEARTBEAT_INTERVAL_MS = 100;
    private static final int POLLS_PER_CLOCK_READ = 64;

    private final Path path;
    private final AtomicBuffer header;
    private final RingBuffer ring;
    private final RingReader reader;
    private final RingCounters counters;
    private final ProcessRole role;
    private final RingProducer producer;
    private final TakeLock takeLock;
    private final boolean manyToOne;
    private final long unblockTimeoutNs;
    private boolean exclusive;
    private long lastHeartbeatMs;
    private long lastClockReadMs;
    private int readsUntilClockRead;
    private long lastConsumerPosition = -1;
    private long lastProgressNs;

    /**
     * The consumer side of a ring.
     *
     * @param path             the ring file, for messages.
     * @param header           the file's header.
     * @param records          the ring's records and trailer.
     * @param ring             the Agrona ring over them.
     * @param counters         the file's counters.
     * @param producer         the producer side (whether a half-written record may be skipped).
     * @param manyToOne        whether the ring is many-to-one.
     * @param unblockTimeoutNs how long a half-written record may block before it is skipped.
     * @param takeLeaseNs      the take lock's lease.
     */
    public RingConsumer(final Path path, final AtomicBuffer header, final AtomicBuffer records, final RingBuffer ring,
        final RingCounters counters, final RingProducer producer, final boolean manyToOne,
        final long unblockTimeoutNs, final long takeLeaseNs)
    {
        this.path = path;
        this.header = header;
        this.ring = ring;
        this.counters = counters;
        this.producer = producer;
        this.manyToOne = manyToOne;
        this.unblockTimeoutNs = unblockTimeoutNs;
        this.reader = new RingReader(path, records, header, ring.capacity(), ring.maxMsgLength(), !manyToOne);
        this.role = new ProcessRole(header, CONSUMER_OWNER_OFFSET, path, "consumer");
        this.takeLock = new TakeLock(header, path, takeLeaseNs);
    }

    /**
     * Whether this object holds the exclusive consumer role.
     *
     * @return {@code true} once it read (or took the role), until released.
     */
    public boolean isExclusive()
    {
        return exclusive;
    }

    /**
     * The reader that keeps the read position (ahead of the head) of the exclusive consumer.
     *
     * @return the reader.
     */
    public RingReader reader()
    {
        return reader;
    }

    /**
     * The take lock of the ring's takers.
     *
     * @return the lock.
     */
    public TakeLock takeLock()
    {
        return takeLock;
    }

    /**
     * The live process holding the exclusive consumer role.
     *
     * @return its pid, or {@code -1}.
     */
    public long holderPid()
    {
        return role.holderPid();
    }

    /**
     * The last heartbeat of a consumer.
     *
     * @return the instant, or {@code null} if no consumer ever read.
     */
    public Instant heartbeat()
    {
        final long millis = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
        return millis == 0 ? null : Instant.ofEpochMilli(millis);
    }

    /**
     * Takes the exclusive consumer role if this object does not hold it.
     *
     * @throws ProcessRole.RoleHeldException if a live process (or another ring object in this one) holds it.
     */
    public void acquireExclusive()
    {
        if (exclusive)
        {
            return;
        }
        final long heartbeat = header.getLongVolatile(CONSUMER_HEARTBEAT_OFFSET);
        role.acquire(", last heartbeat " +
            (heartbeat == 0 ? "never" : (System.currentTimeMillis() - heartbeat) + " ms ago"));
        if (manyToOne)
        {
            awaitTakeInProgress();
        }
        exclusive = true;
        reader.recover();
        lastHeartbeatMs = 0;
        readsUntilClockRead = 1;
        heartbeat(System.currentTimeMillis());
    }

    /**
     * Waits for a take in progress (one that started before the exclusive role was taken and did not see it) by
     * holding the take lock once: every take after that sees the role and is refused. A holder whose process is gone
     * is taken over from within about a millisecond; a live one that is stopped is waited for as long as it is stopped
     * (a warning once past the take lease), never taken over from ({@link TakeLock}).
     */
    private void awaitTakeInProgress()
    {
        int attempt = 0;
        while (!takeLock.tryAcquire())
        {
            Backoff.pause(attempt++);
        }
        takeLock.release();
    }

    /**
     * As the exclusive consumer (taking the role first), hands up to {@code limit} records after the read position.
     *
     * @param handler receives each record.
     * @param limit   the most records.
     * @param free    whether to free them (and any handed before) when the call returns, also when it throws.
     * @return the number handed.
     */
    public int read(final RecordHandler handler, final int limit, final boolean free)
    {
        acquireExclusive();
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

    /**
     * Takes one record as one of any number of takers: under the take lock, repairs what a holder killed mid-take left
     * ({@link RingReader#recover()}), reads the record at the head, hands it to the handler (which copies it out) and
     * frees it before giving the lock back.
     *
     * @param handler receives the record; must not keep the buffer.
     * @return 1 if a record was taken, 0 if none is waiting, {@link #TAKE_BUSY} if another taker holds the lock.
     * @throws IllegalStateException if a live process holds the exclusive role (naming its pid), or this object does.
     */
    public int take(final RecordHandler handler)
    {
        if (counters.isQuietlyEmpty())
        {
            // idle takers poll without writing to the lock's cache line
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
            // never false while this process lives (the lock is not taken from a live one): a guard against a file
            // written by something else, checked before the head moves
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
                LOG.warn("ring {}: the take lock word changed while this process held it (written by something " +
                    "other than a SharedQueue?)", path);
            }
        }
    }

    private void checkNoExclusiveConsumer()
    {
        if (exclusive)
        {
            throw new IllegalStateException("queue " + path + ": this object reads as a router's source (the " +
                "exclusive consumer); take from another SharedQueue object");
        }
        final long owner = header.getLongVolatile(CONSUMER_OWNER_OFFSET);
        if (owner == 0)
        {
            return;
        }
        final long pid = role.holderPid();
        if (pid == -1)
        {
            // its holder is gone: clear it so that the next takes do not look it up again
            header.compareAndSetLong(CONSUMER_OWNER_OFFSET, owner, 0);
            return;
        }
        throw new IllegalStateException("queue " + path + " is read by an exclusive consumer (a router or an ipc: " +
            "reader): process " + pid + "; takes are refused until it closes");
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
            reader.unblock(producer.mayUnblock()))
        {
            lastProgressNs = now;
            LOG.warn("ring {}: skipped a record a producer left half-written for {} ms (producer died?); {} so far",
                path, TimeUnit.NANOSECONDS.toMillis(unblockTimeoutNs), header.getLongVolatile(UNBLOCKED_COUNT_OFFSET));
        }
    }

    /**
     * Gives back the exclusive role, if held.
     */
    public void release()
    {
        role.release();
        exclusive = false;
    }
}
