package io.ringlink.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Lets one thread, the owner of a single-producer ring, claim slots while another thread may close the ring at any
 * moment, without the two ever claiming at the same time (the Disruptor's single-producer sequencer is not safe for
 * two threads).
 * <p>
 * Dekker's protocol on two words: the owner raises {@code busy} and then reads {@code closed}; the closer raises
 * {@code closed} and then reads {@code busy}. At least one of them must see the other's write, so either the owner sees
 * the gate closed and claims nothing, or the closer sees the owner inside and waits for it to leave. Leaving is a
 * release store: everything the owner did to the ring (its sequencer's claim fields, the slot, the cursor)
 * happens-before the closer's claim of the end marker.
 * <pre>
 *   owner                                  closer
 *   busy = 1            (opaque)           closed = 1           (volatile)
 *                                          AsymmetricFence.serialiseAfter(ticket)
 *   if closed: busy = 0, refuse            while busy: wait     (bounded by a deadline)
 *   claim, write, publish                  claim the end marker, publish
 *   busy = 0            (release)
 * </pre>
 * Dekker needs a store-load fence between each side's write and read (every mutual exclusion needs one on entry, or
 * an atomic read-modify-write: Attiya et al., "Laws of Order", POPL 2011). A volatile store on the owner's side is a
 * full fence per publish, the one per-message cost a raw single-producer Disruptor does not pay: on x86 it waits for
 * the store buffer, the slot just written included, and a publish loop under {@code YIELDING} ran at 0.18&times; the
 * raw Disruptor's rate with it. So the closer, which comes once, pays for both: {@link AsymmetricFence#serialise()}
 * brings every thread through a safepoint, which does for the owner's opaque store and load what a fence between them
 * would. Where that is not available ({@link AsymmetricFence#AVAILABLE}), the owner's store is volatile.
 * <p>
 * Proven by jcstress ({@code io.ringlink.jcstress.OwnerGateTest}, which finds the forbidden outcome within seconds
 * when the closer leaves the serialisation out) and by {@code PublisherCloseStressTest}.
 */
public final class OwnerGate
{
    private static final boolean ASYMMETRIC = AsymmetricFence.AVAILABLE;
    private static final VarHandle BUSY;
    private static final VarHandle CLOSED;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            BUSY = lookup.findVarHandle(OwnerGate.class, "busy", int.class);
            CLOSED = lookup.findVarHandle(OwnerGate.class, "closed", int.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    @SuppressWarnings("unused") // accessed through BUSY
    private int busy;
    @SuppressWarnings("unused") // accessed through CLOSED
    private int closed;
    /**
     * {@link AsymmetricFence#ticket()} after a close's store; any close's serves, as each came after a store. Until
     * one is written (a close that found the gate closed by another thread may look before it is), none: the wait
     * then brings about a safepoint of its own.
     */
    private volatile long closeTicket = Long.MAX_VALUE;

    /**
     * The owner enters before it claims; on {@code false} the gate is closed and it must claim nothing.
     *
     * @return {@code true} if the owner is inside and may claim until {@link #exit()}.
     */
    public boolean enter()
    {
        if (ASYMMETRIC)
        {
            BUSY.setOpaque(this, 1);
        }
        else
        {
            BUSY.setVolatile(this, 1);
        }
        if ((int)CLOSED.getVolatile(this) != 0)
        {
            BUSY.setRelease(this, 0);
            return false;
        }
        return true;
    }

    /** The owner leaves after it published (or gave up); a release store. */
    public void exit()
    {
        BUSY.setRelease(this, 0);
    }

    /**
     * Whether the gate has been closed.
     *
     * @return {@code true} once {@link #close()} was called.
     */
    public boolean isClosed()
    {
        return (int)CLOSED.getVolatile(this) != 0;
    }

    /**
     * Closes the gate: from now on {@link #enter()} refuses. Does not wait for the owner; see
     * {@link #awaitOwner(long)}, which pays for the owner's fence. A stop closes every gate first, so that one
     * safepoint serves them all.
     */
    public void close()
    {
        if ((int)CLOSED.getVolatile(this) != 0)
        {
            return; // the ticket of the first close stands, so that a stop's later closes find its safepoint enough
        }
        CLOSED.setVolatile(this, 1);
        if (ASYMMETRIC)
        {
            closeTicket = AsymmetricFence.ticket();
        }
    }

    /**
     * Closes the gate and waits until the owner is outside, at most until the deadline.
     *
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up.
     * @return {@code true} if the owner is out and the caller may claim; {@code false} if it was still inside at the
     *         deadline.
     */
    public boolean closeAndAwaitOwner(final long deadlineNanos)
    {
        close();
        return awaitOwner(deadlineNanos);
    }

    /**
     * Waits, after {@link #close()}, until the owner is outside, at most until the deadline: once it is, it stays so
     * and the caller may claim in the owner's ring. Brings every thread through a safepoint first
     * ({@link AsymmetricFence}; about 0.1 ms, not counted against the deadline) unless one has begun since the gate
     * closed.
     *
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up.
     * @return {@code true} if the owner is out; {@code false} if it was still inside at the deadline, or if the
     *         safepoint could not be had (then the owner may be inside unseen, and the caller must not claim).
     */
    public boolean awaitOwner(final long deadlineNanos)
    {
        if (ASYMMETRIC && !AsymmetricFence.serialiseAfter(closeTicket))
        {
            return false;
        }
        return Idle.await(this::isOwnerOut, deadlineNanos);
    }

    private boolean isOwnerOut()
    {
        return (int)BUSY.getVolatile(this) == 0;
    }
}
