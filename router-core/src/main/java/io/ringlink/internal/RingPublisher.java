package io.ringlink.internal;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.Publisher;
import io.ringlink.SourceId;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link Publisher} writing straight into its ring from the caller's thread.
 * <p>
 * The closed flag is read after a slot is claimed: a publish racing with {@link #close()} either lands before the end
 * marker or marks its slot as skipped and fails, so nothing published successfully is lost.
 */
final class RingPublisher<T> implements Publisher<T>
{
    private final SourceRing source;
    private final RingBuffer<Envelope> ring;
    private final DisruptorRouter<?> router;
    private volatile boolean closed;

    RingPublisher(final SourceRing source, final DisruptorRouter<?> router)
    {
        this.source = source;
        this.ring = source.ring;
        this.router = router;
    }

    @Override
    public void publish(final T message)
    {
        if (!publish(message, Claims.FOREVER))
        {
            throw new IllegalStateException("router " + router.name() + " stopped while publisher " +
                source.id.name() + " waited for room");
        }
    }

    @Override
    public boolean tryPublish(final T message)
    {
        Objects.requireNonNull(message, "message");
        checkOpen();
        final long sequence;
        try
        {
            sequence = ring.tryNext();
        }
        catch (final InsufficientCapacityException ex)
        {
            return false;
        }
        commit(sequence, message);
        return true;
    }

    @Override
    public boolean publish(final T message, final Duration timeout)
    {
        final long nanos = timeout.toNanos();
        return publish(message, System.nanoTime() + Math.max(1, nanos) | 1);
    }

    private boolean publish(final T message, final long deadlineNanos)
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

    private void commit(final long sequence, final T message)
    {
        final Envelope envelope = ring.get(sequence);
        if (closed)
        {
            envelope.value = Envelope.SKIP;
            ring.publish(sequence);
            checkOpen();
        }
        envelope.value = message;
        source.stamp(sequence);
        final LongAdder concurrentCount = source.concurrentCount;
        if (concurrentCount == null)
        {
            source.publishedCount.set(source.publishedCount.get() + 1);
        }
        else
        {
            concurrentCount.increment();
        }
        ring.publish(sequence);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("publisher " + source.id.name() + " of router " + router.name() +
                " is closed");
        }
    }

    @Override
    public SourceId id()
    {
        return source.id;
    }

    @Override
    public void close()
    {
        closeWithin(router.defaultStopTimeout().toNanos());
    }

    synchronized void closeWithin(final long timeoutNanos)
    {
        if (!closed)
        {
            closed = true;
            router.endSource(source, System.nanoTime() + Math.max(1, timeoutNanos) | 1);
        }
    }

    @Override
    public String toString()
    {
        return "Publisher[" + source.id.name() + "]";
    }
}
