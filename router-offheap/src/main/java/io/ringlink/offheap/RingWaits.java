package io.ringlink.offheap;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

/**
 * Waiting loops over an {@link IpcRing}, shared by the sink and the queue.
 */
final class RingWaits
{
    private RingWaits()
    {
    }

    /**
     * Offers a record until it fits, the timeout passes or the thread is interrupted.
     */
    static boolean offer(
        final IpcRing ring,
        final DirectBuffer buffer,
        final int length,
        final long timeoutNs,
        final IdleStrategy idleStrategy) throws InterruptedException
    {
        ring.checkLength(length);
        if (ring.offer(buffer, 0, length))
        {
            return true;
        }
        final long deadline = timeoutNs == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        idleStrategy.reset();
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in ring " + ring.path());
            }
            if (ring.offer(buffer, 0, length))
            {
                return true;
            }
            if (deadline != Long.MAX_VALUE && System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            idleStrategy.idle();
        }
    }
}
