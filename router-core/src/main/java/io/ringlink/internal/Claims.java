package io.ringlink.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * Claims a ring slot for a producer, waiting while the ring is full without ever blocking for good: the wait gives up
 * when the ring is abandoned (the router stopped) or a deadline passes. A full ring is waited out until a chunk of it
 * is free, as the Disruptor's own {@code next()} does by parking: a producer that grabbed each slot the moment it
 * freed would keep the consumer's batches at one message.
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
        final long first = tryClaim(ring);
        if (first != NONE)
        {
            return first;
        }
        // The ring is full. Wait with reads only (no cursor store, unlike a failed tryNext) until a chunk of slots is
        // free: the consumers then drain in long batches instead of trading a cache line with us per slot.
        final int chunk = source.claimChunk;
        for (int attempt = 0; ; attempt++)
        {
            if (source.abandoned)
            {
                return NONE;
            }
            if (deadlineNanos != FOREVER && System.nanoTime() - deadlineNanos > 0)
            {
                return tryClaim(ring);
            }
            idle(attempt, spin);
            if (ring.hasAvailableCapacity(chunk))
            {
                final long sequence = tryClaim(ring);
                if (sequence != NONE)
                {
                    return sequence;
                }
            }
        }
    }

    /**
     * Claims the next slot if one is free now.
     *
     * @param ring the ring.
     * @return the sequence, or {@link #NONE} when the ring is full.
     */
    static long tryClaim(final RingBuffer<Envelope> ring)
    {
        try
        {
            return ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return NONE;
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
