package io.ringlink.offheap.internal;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;

import java.nio.file.Path;

import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.TASKS_DONE_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.UNBLOCKED_COUNT_OFFSET;

/**
 * The message counters in a ring file's header, read and written by any process: records produced (counted just
 * before each commit), taken (with each free, see {@link RingReader}), skipped as half-written, and a queue's tasks
 * done. Exact also after {@code kill -9} of any process: every count is one word moved by an atomic instruction, or
 * by the one writer that holds its role, and the consumer's count is completed from its recorded intent.
 * <p>
 * Thread-safe; stateless but for the views it holds.
 */
public final class RingCounters
{
    private final AtomicBuffer header;
    private final RingBuffer ring;
    private final Path path;
    private final boolean oneToOne;
    private final int maxSize;

    /**
     * The counters of a ring file.
     *
     * @param header   the file's header.
     * @param ring     the ring over its records.
     * @param path     the file, for messages.
     * @param oneToOne whether the ring has one producer (which counts with a plain store).
     * @param maxSize  the most messages a queue holds, 0 for no limit.
     */
    public RingCounters(final AtomicBuffer header, final RingBuffer ring, final Path path, final boolean oneToOne,
        final int maxSize)
    {
        this.header = header;
        this.ring = ring;
        this.path = path;
        this.oneToOne = oneToOne;
        this.maxSize = maxSize;
    }

    /**
     * Records produced, by all producers since the file was created.
     *
     * @return the count.
     */
    public long produced()
    {
        return header.getLongVolatile(PRODUCER_COUNT_OFFSET);
    }

    /**
     * Records taken, by all consumers since the file was created.
     *
     * @return the count.
     */
    public long consumed()
    {
        return RingReader.consumedCount(header, ring.consumerPosition());
    }

    /**
     * Records waiting: produced minus taken, read in that order (never negative).
     *
     * @return the count.
     */
    public long size()
    {
        final long consumed = consumed();
        final long produced = produced();
        return Math.max(0, produced - consumed);
    }

    /**
     * Half-written records of dead producers that consumers skipped.
     *
     * @return the count.
     */
    public long unblocked()
    {
        return header.getLongVolatile(UNBLOCKED_COUNT_OFFSET);
    }

    /**
     * Counts one record just before its commit: with a plain release store by the one producer of a one-to-one
     * ring, an atomic add otherwise, or, for a queue with a {@code maxSize}, a compare-and-set that also checks the
     * limit, so that producers in any number of processes never overshoot it. The taken count only grows, so reading
     * it after the produced count can only make the size look smaller than it was.
     *
     * @return {@code false} if the queue holds {@code maxSize} records (nothing counted: abort the claim).
     */
    public boolean countProduced()
    {
        if (oneToOne)
        {
            // the one producer (role held) is the only writer of this counter: no locked add needed
            header.putLongRelease(PRODUCER_COUNT_OFFSET, header.getLong(PRODUCER_COUNT_OFFSET) + 1);
            return true;
        }
        if (maxSize == 0)
        {
            header.getAndAddLong(PRODUCER_COUNT_OFFSET, 1);
            return true;
        }
        while (true)
        {
            final long produced = produced();
            if (produced - consumed() >= maxSize)
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
     * Counts one task done (a queue's {@code taskDone()}), with a compare-and-set, refusing to count more than were
     * taken.
     *
     * @throws IllegalStateException if as many tasks are done as records were taken, naming both.
     */
    public void taskDone()
    {
        while (true)
        {
            final long done = header.getLongVolatile(TASKS_DONE_OFFSET);
            final long taken = consumed();
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

    /**
     * Records produced and not yet done: produced minus tasks done.
     *
     * @return the count.
     */
    public long unfinished()
    {
        final long done = header.getLongVolatile(TASKS_DONE_OFFSET);
        return Math.max(0, produced() - done);
    }

    /**
     * Whether nothing is claimed after the head and the counters agree (no free under way, nothing to reconcile).
     *
     * @return {@code true} if a consumer would find nothing and have nothing to repair.
     */
    public boolean isQuietlyEmpty()
    {
        final long head = ring.consumerPosition();
        return ring.producerPosition() == head && produced() == RingReader.consumedCount(header, head);
    }
}
