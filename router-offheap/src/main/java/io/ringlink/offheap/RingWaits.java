package io.ringlink.offheap;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * Waiting loops over an {@link IpcRing}, shared by the sink, the source and the queue. There is no signal across
 * processes, so a wait polls with back-off; {@link #pause(int)} is that back-off without state, so that a blocking
 * {@code put}/{@code take} allocates no idle strategy.
 */
final class RingWaits
{
    private static final int SPINS = 10;
    private static final int YIELDS = 10;
    private static final long MAX_PARK_NS = 1_000_000;

    private RingWaits()
    {
    }

    /**
     * Backs off after {@code attempt} empty polls: spins, then yields, then parks from 1 us doubling up to 1 ms, so
     * a waiter wakes within about a millisecond of the other process acting.
     *
     * @param attempt how many times this wait has paused before, from 0.
     */
    static void pause(final int attempt)
    {
        if (attempt < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (attempt < SPINS + YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(Math.min(MAX_PARK_NS, 1_000L << Math.min(attempt - SPINS - YIELDS, 10)));
        }
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
