package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;

import java.util.Objects;

/**
 * A publisher for one thread at a time, on a single-producer ring: the fastest path, a claim with no atomic
 * read-modify-write. Only its owner ever claims in the ring; a close from another thread goes through the
 * {@link OwnerGate}, which keeps the closer out until the owner has left and the owner out once the gate is closed.
 * The published count is the ring's cursor (no slot is ever skipped), so a publish stores nothing but the slot, the
 * cursor and the gate.
 *
 * @param <T> type of message.
 */
final class ExclusivePublisher<T> extends RingPublisher<T>
{
    private final RingBuffer<Envelope> ring;
    private final OwnerGate gate = new OwnerGate();
    /** The owner's, for {@link #publishBatch}. */
    private final Run run = new Run();

    ExclusivePublisher(final SourceRing source, final DisruptorRouter<?> router)
    {
        super(source, router);
        this.ring = source.ring;
    }

    @Override
    public boolean tryPublish(final T message)
    {
        Objects.requireNonNull(message, "message");
        if (!gate.enter())
        {
            throw closedException();
        }
        try
        {
            final long sequence = Claims.tryClaim(source);
            if (sequence == Claims.NONE)
            {
                return false;
            }
            commit(sequence, message);
            return true;
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    boolean publish(final T message, final long deadlineNanos)
    {
        Objects.requireNonNull(message, "message");
        if (!gate.enter())
        {
            throw closedException();
        }
        try
        {
            final long sequence = Claims.claim(source, deadlineNanos);
            if (sequence == Claims.NONE)
            {
                if (gate.isClosed())
                {
                    throw closedException();
                }
                return false;
            }
            commit(sequence, message);
            return true;
        }
        finally
        {
            gate.exit();
        }
    }

    @Override
    public int publishBatch(final T[] messages, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, messages.length);
        if (!gate.enter())
        {
            throw closedException();
        }
        int published = 0;
        try
        {
            final int maxRun = maxRun();
            // a close from another thread is seen between runs: the closer waits for this loop to leave the gate
            while (published < length && !gate.isClosed())
            {
                final int wanted = Math.min(length - published, maxRun);
                checkRun(messages, offset + published, wanted);
                final long high = claimRun(wanted, run);
                if (high == Claims.NONE)
                {
                    break;
                }
                final int claimed = run.length;
                final long low = high - claimed + 1;
                for (int i = 0; i < claimed; i++)
                {
                    ring.get(low + i).value = messages[offset + published + i];
                    source.stamp(low + i);
                }
                ring.publish(low, high);
                published += claimed;
            }
        }
        finally
        {
            gate.exit();
        }
        return published;
    }

    private void commit(final long sequence, final T message)
    {
        ring.get(sequence).value = message;
        source.stamp(sequence);
        ring.publish(sequence);
    }

    @Override
    void refuse()
    {
        gate.close();
    }

    @Override
    void end(final long deadlineNanos)
    {
        if (gate.closeAndAwaitOwner(deadlineNanos))
        {
            router.endSource(source, deadlineNanos);
            return;
        }
        // The owner is still waiting for room at the deadline: give the source up (which makes the owner's claim
        // return) and never claim in its ring from this thread.
        router.abandonSource(source, gate);
    }
}
