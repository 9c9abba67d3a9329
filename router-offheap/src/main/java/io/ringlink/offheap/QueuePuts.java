package io.ringlink.offheap;

import org.agrona.ExpandableArrayBuffer;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The put side of a {@link SharedQueue}: encodes an element into one scratch buffer, reused, and offers it to the
 * many-to-one ring unless the queue holds {@code maxSize} messages. The threads of this JVM putting into one queue
 * object take turns on a lock (the scratch buffer is shared); producers in other processes take no lock, as a put
 * claims its room with one compare-and-set. A blocking put polls with {@link RingWaits#pause(int)}, allocating
 * nothing.
 *
 * @param <T> type of element.
 */
final class QueuePuts<T>
{
    private final IpcRing ring;
    private final Codec<T> codec;
    private final int maxSize;
    private final ReentrantLock lock = new ReentrantLock();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    QueuePuts(final IpcRing ring, final Codec<T> codec)
    {
        this.ring = ring;
        this.codec = codec;
        this.maxSize = ring.maxSize();
    }

    /**
     * Adds an element if there is room now.
     */
    boolean offer(final T element)
    {
        Objects.requireNonNull(element, "element");
        lock.lock();
        try
        {
            return offerLocked(encode(element));
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Adds an element, waiting up to the timeout ({@link Long#MAX_VALUE} for ever) for room.
     */
    boolean offer(final T element, final long timeoutNs) throws InterruptedException
    {
        Objects.requireNonNull(element, "element");
        lock.lockInterruptibly();
        try
        {
            if (offerLocked(encode(element)))
            {
                return true;
            }
        }
        finally
        {
            lock.unlock();
        }
        final long deadline = RingWaits.deadline(timeoutNs);
        int attempt = 0;
        while (true)
        {
            if (RingWaits.isPast(deadline))
            {
                return false;
            }
            RingWaits.pause(attempt++);
            lock.lockInterruptibly();
            try
            {
                if (offerLocked(codec.encode(element, scratch, 0)))
                {
                    return true;
                }
            }
            finally
            {
                lock.unlock();
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in queue " + ring.path());
            }
        }
    }

    /**
     * Puts back an element taken for a future that was cancelled meanwhile, at the tail, past {@code maxSize} if need
     * be (it was in the queue a moment ago), and counts its take done (the put back is counted as a new put), so that
     * {@link SharedQueue#join()} does not wait for it twice. Not interruptible: {@link SharedQueue#close()} interrupts
     * the background taker and then waits for it, so the element is back in the file before the ring closes.
     */
    void putBack(final T element)
    {
        final boolean interrupted = Thread.interrupted();
        int attempt = 0;
        while (true)
        {
            lock.lock();
            try
            {
                final int length = codec.encode(element, scratch, 0);
                if (ring.offer(scratch, 0, length))
                {
                    break;
                }
            }
            finally
            {
                lock.unlock();
            }
            RingWaits.pause(attempt++);
        }
        ring.taskDone();
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private int encode(final T element)
    {
        final int length = codec.encode(element, scratch, 0);
        ring.checkLength(length);
        return length;
    }

    /**
     * Writes the encoded element in {@code scratch} unless the queue holds {@code maxSize} messages or the ring has
     * no room; under the lock.
     */
    private boolean offerLocked(final int length)
    {
        return (maxSize == 0 || ring.size() < maxSize) && ring.offer(scratch, 0, length);
    }
}
