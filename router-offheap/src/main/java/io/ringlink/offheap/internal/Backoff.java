package io.ringlink.offheap.internal;

import java.util.concurrent.locks.LockSupport;

/**
 * The back-off of every wait across processes, where there is no signal to block on: stateless, so that a blocking
 * call allocates no idle strategy. {@code RingWaits} in the public package delegates to it.
 */
public final class Backoff
{
    private static final int SPINS = 10;
    private static final int YIELDS = 10;
    private static final long MAX_PARK_NS = 1_000_000;

    private Backoff()
    {
    }

    /**
     * Backs off after {@code attempt} empty polls: spins, then yields, then parks from 1 us doubling up to 1 ms, so
     * a waiter wakes within about a millisecond of the other process acting.
     *
     * @param attempt how many times this wait has paused before, from 0.
     */
    public static void pause(final int attempt)
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
}
