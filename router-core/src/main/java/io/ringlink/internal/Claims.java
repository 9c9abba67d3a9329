package io.ringlink.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * Claims a ring slot for a producer, waiting while the ring is full without ever blocking for good: the wait gives up
 * when the ring is abandoned (the router stopped) or a deadline passes.
 */
final class Claims
{
    /** Returned when no slot could be claimed. */
    static final long NONE = -1;
    /** No deadline. */
    static final long FOREVER = 0;

    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long PARK_NANOS = 20_000;

    private Claims()
    {
    }

    /**
     * Claims the next slot.
     *
     * @param source        the ring to claim in.
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up, or {@link #FOREVER}.
     * @param spin          wait by spinning only (busy-spin rings).
     * @return the sequence claimed, or {@link #NONE}.
     */
    static long claim(final SourceRing source, final long deadlineNanos, final boolean spin)
    {
        final RingBuffer<Envelope> ring = source.ring;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                if (source.abandoned || (deadlineNanos != FOREVER && System.nanoTime() - deadlineNanos > 0))
                {
                    return NONE;
                }
                idle(attempt, spin);
            }
        }
    }

    static void idle(final int attempt, final boolean spin)
    {
        if (spin || attempt < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (attempt < YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(PARK_NANOS);
        }
    }
}
