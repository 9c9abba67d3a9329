package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;

import java.util.Objects;

/**
 * A publisher any number of threads may share, on a multi-producer ring: every claim, the closer's end marker
 * included, goes through the multi-producer sequencer, so closing from any thread is safe.
 * <p>
 * The closed flag is read after a slot is claimed (the claim is an atomic read-modify-write, so the read cannot move
 * before it): a publish racing with {@link #close()} either lands before the end marker or marks its slot as skipped
 * and throws, so nothing that returned normally is lost.
 *
 * @param <T> type of message.
 */
final class ConcurrentPublisher<T> extends RingPublisher<T>
{
    private final RingBuffer<Envelope> ring;
    private volatile boolean closed;

    ConcurrentPublisher(final SourceRing source, final DisruptorRouter<?> router)
    {
        super(source, router);
        this.ring = source.ring;
    }

    @Override
    public boolean tryPublish(final T message)
    {
        Objects.requireNonNull(message, "message");
        checkOpen();
        final long sequence = Claims.tryClaim(source);
        if (sequence == Claims.NONE)
        {
            return false;
        }
        commit(sequence, message);
        return true;
    }

    @Override
    boolean publish(final T message, final long deadlineNanos)
    {
        Objects.requireNonNull(message, "message");
        checkOpen();
        final long sequence = Claims.claim(source, deadlineNanos);
        if (sequence == Claims.NONE)
        {
            checkOpen();
            return false;
        }
        commit(sequence, message);
        return true;
    }

    @Override
    public int publishBatch(final T[] messages, final int offset, final int length)
    {
        Objects.checkFromIndexSize(offset, length, messages.length);
        checkOpen();
        final int maxRun = maxRun();
        final Run claimed = new Run();
        int published = 0;
        while (published < length)
        {
            final int wanted = Math.min(length - published, maxRun);
            checkRun(messages, offset + published, wanted);
            final long high = claimRun(wanted, claimed);
            final int run = claimed.length;
            if (high == Claims.NONE)
            {
                break;
            }
            final long low = high - run + 1;
            // read after the claim (an atomic read-modify-write): a close either sees these slots or they are skipped
            final boolean skip = closed;
            for (int i = 0; i < run; i++)
            {
                ring.get(low + i).value = skip ? Envelope.SKIP : messages[offset + published + i];
                if (!skip)
                {
                    source.stamp(low + i);
                }
            }
            if (!skip)
            {
                source.concurrentCount.add(run);
            }
            ring.publish(low, high);
            if (skip)
            {
                break;
            }
            published += run;
        }
        return published;
    }

    private void commit(final long sequence, final T message)
    {
        final Envelope envelope = ring.get(sequence);
        if (closed)
        {
            envelope.value = Envelope.SKIP;
            ring.publish(sequence);
            throw closedException();
        }
        envelope.value = message;
        source.stamp(sequence);
        source.concurrentCount.increment();
        ring.publish(sequence);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw closedException();
        }
    }

    @Override
    void end(final long deadlineNanos)
    {
        closed = true;
        router.endSource(source, deadlineNanos);
    }
}
