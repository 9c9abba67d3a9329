package io.ringlink.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;

import java.util.concurrent.locks.LockSupport;

/**
 * Claims a ring slot for a producer, waiting while the ring is full without ever blocking for good: the wait gives up
 * when the ring is abandoned (the router stopped), when the source's give-up time passes (it is being unregistered),
 * or when the caller's deadline passes. A full ring is waited out by parking, as the
 * Disruptor's own {@code next()} does: a producer that grabbed each slot the moment it freed would keep the
 * consumers' batches at one message. While it waits, sinks under {@code drop} or {@code disconnectAfter} that hold the
 * ring are relieved ({@link SlowSinks}).
 */
final class Claims
{
    /** Returned when no slot could be claimed. */
    static final long NONE = -1;
    /** Returned by {@link #claimWhileFull(SourceRing, long, long)} while the ring stays full: try again later. */
    static final long FULL = -2;
    /** No deadline. */
    static final long FOREVER = 0;

    private Claims()
    {
    }

    /**
     * Claims the next slot.
     *
     * @param source        the ring to claim in.
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up, or {@link #FOREVER}.
     * @return the sequence claimed, or {@link #NONE}.
     */
    static long claim(final SourceRing source, final long deadlineNanos)
    {
        final RingBuffer<Envelope> ring = source.ring;
        final long first = tryClaim(ring);
        if (first != NONE)
        {
            // A slot claimed in an abandoned ring is left unpublished: no delivery reads it any more, and the caller
            // counts its message as undelivered instead of publishing it where no one will see it.
            return source.abandoned ? NONE : first;
        }
        // The ring is full. Park as the Disruptor's own next() does (parkNanos(1): in practice the timer slack, tens of
        // microseconds) and let the consumers drain in long batches, whatever the wait strategy: a producer that spins
        // or polls for room keeps pulling the lines the consumers write and keeps their batches short.
        final long waitStart = System.nanoTime();
        long sequence;
        while ((sequence = claimWhileFull(source, waitStart, deadlineNanos)) == FULL)
        {
            LockSupport.parkNanos(1);
        }
        return sequence;
    }

    /**
     * One attempt of a producer that found its ring full: relieves the sinks that may not hold it, gives up when the
     * ring is abandoned, the source's give-up time or the deadline has passed, else claims if a slot is free.
     * {@link #claim(SourceRing, long)} makes these attempts in a loop; a pump on a delivery agent, one per duty cycle.
     *
     * @param source        the ring.
     * @param waitStart     the {@link System#nanoTime()} at which the producer found the ring full.
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up, or {@link #FOREVER}.
     * @return the sequence claimed, {@link #NONE} to give up, or {@link #FULL} to try again.
     */
    static long claimWhileFull(final SourceRing source, final long waitStart, final long deadlineNanos)
    {
        final RingBuffer<Envelope> ring = source.ring;
        if (source.slowDeliveries != null &&
            SlowSinks.relieve(source, System.nanoTime() - waitStart))
        {
            final long relieved = tryClaim(ring);
            if (relieved != NONE)
            {
                return source.abandoned ? NONE : relieved;
            }
        }
        if (source.abandoned)
        {
            return NONE;
        }
        final long giveUp = source.giveUpNanos;
        if (giveUp != FOREVER && System.nanoTime() - giveUp > 0)
        {
            return NONE;
        }
        if (deadlineNanos != FOREVER && System.nanoTime() - deadlineNanos > 0)
        {
            return tryClaim(ring);
        }
        final long sequence = tryClaim(ring);
        if (sequence != NONE)
        {
            return source.abandoned ? NONE : sequence;
        }
        return FULL;
    }

    /**
     * Claims the next slot if one is free now, moving a {@code drop} sink that holds the ring out of the way.
     *
     * @param source the ring.
     * @return the sequence, or {@link #NONE} when the ring is full.
     */
    static long tryClaim(final SourceRing source)
    {
        final long sequence = tryClaim(source.ring);
        if (sequence == NONE && source.slowDeliveries != null && SlowSinks.relieve(source, 0))
        {
            return tryClaim(source.ring);
        }
        return sequence;
    }

    /**
     * Claims the next {@code n} slots if they are free now.
     *
     * @param ring the ring.
     * @param n    how many, at most the ring's size.
     * @return the highest sequence claimed, or {@link #NONE} when fewer than {@code n} are free.
     */
    static long tryClaim(final RingBuffer<Envelope> ring, final int n)
    {
        try
        {
            return ring.tryNext(n);
        }
        catch (final InsufficientCapacityException ex)
        {
            return NONE;
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
        return tryClaim(ring, 1);
    }
}
