package io.ringlink.internal;

import com.lmax.disruptor.SequenceBarrier;

/**
 * A request from the router to a running delivery, answered between two batches: "from your next batch on, lock the
 * sink" (it has just gained a second source). The router raises the request count and alerts the delivery's barrier;
 * the delivery, woken by the alert, clears it first and only then reads the count it acknowledges. In the other
 * order a request arriving between the read and the clear would have its alert wiped and never be answered, and the
 * delivery waiting for that answer would wait for ever.
 * <pre>
 *   router (under its lock)               delivery (between batches, on AlertException)
 *   requested = requested + 1             barrier.clearAlert()
 *   barrier.alert()                       done = requested
 * </pre>
 * Proven by jcstress ({@code io.ringlink.jcstress.HandshakeTest}) and by {@code FanInHandshakeStressTest}.
 */
public final class Handshake
{
    private final SequenceBarrier barrier;
    private volatile long requested;
    private volatile long done;

    /**
     * A handshake on a delivery's barrier.
     *
     * @param barrier the barrier the delivery waits on.
     */
    public Handshake(final SequenceBarrier barrier)
    {
        this.barrier = barrier;
    }

    /**
     * Raises a request and wakes the delivery. One thread at a time (the router calls it under its lock).
     *
     * @return the request's number, for {@link #isAnswered(long)}.
     */
    public long request()
    {
        final long request = requested + 1;
        requested = request;
        barrier.alert();
        return request;
    }

    /** On the delivery's thread, after its barrier threw an alert: clear the alert, then answer what is requested. */
    public void answer()
    {
        barrier.clearAlert();
        done = requested;
    }

    /**
     * Whether the delivery has answered a request.
     *
     * @param request a number {@link #request()} returned.
     * @return {@code true} once answered.
     */
    public boolean isAnswered(final long request)
    {
        return done >= request;
    }
}
