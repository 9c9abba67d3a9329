package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.Publisher;
import io.ringlink.SourceId;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Publisher} writing straight into its ring from the caller's thread. Two kinds, named by their threading
 * contract as Aeron names its publications: {@link ExclusivePublisher} for one thread at a time on a single-producer
 * ring, {@link ConcurrentPublisher} for any number of threads on a multi-producer ring. Either way, a publish that
 * returned normally lands before the source's end marker and is delivered; one that meets a closed publisher throws.
 *
 * @param <T> type of message.
 */
abstract sealed class RingPublisher<T> implements Publisher<T> permits ExclusivePublisher, ConcurrentPublisher
{
    private static final int OPEN = 0;
    private static final int CLOSING = 1;
    private static final int CLOSED = 2;

    final SourceRing source;
    final DisruptorRouter<?> router;
    private final AtomicInteger closeState = new AtomicInteger(OPEN);

    RingPublisher(final SourceRing source, final DisruptorRouter<?> router)
    {
        this.source = source;
        this.router = router;
    }

    @Override
    public final void publish(final T message)
    {
        if (!publish(message, Claims.FOREVER))
        {
            throw new IllegalStateException("router " + router.name() + " stopped while publisher " +
                source.id.name() + " waited for room");
        }
    }

    @Override
    public final boolean publish(final T message, final Duration timeout)
    {
        final long nanos = timeout.toNanos();
        return publish(message, System.nanoTime() + Math.max(1, nanos) | 1);
    }

    /**
     * Publishes, waiting for room until the deadline.
     *
     * @param message       the message.
     * @param deadlineNanos a {@link System#nanoTime()}, or {@link Claims#FOREVER}.
     * @return {@code false} if the ring stayed full until the deadline.
     */
    abstract boolean publish(T message, long deadlineNanos);

    /**
     * Claims the next run of at most {@code wanted} slots: all of them if free now, else as many as are free, else one
     * slot the way {@link #publish(Object)} waits for it.
     *
     * @param wanted how many slots, at most the ring's size.
     * @param run    receives the number claimed.
     * @return the highest sequence of the run; {@link Claims#NONE} when the source ended (abandoned, given up) while
     *         waiting.
     */
    final long claimRun(final int wanted, final Run run)
    {
        final RingBuffer<Envelope> ring = source.ring;
        long high = Claims.tryClaim(ring, wanted);
        int length = wanted;
        if (high == Claims.NONE)
        {
            length = (int)Math.min(wanted, ring.remainingCapacity());
            high = length > 0 ? Claims.tryClaim(ring, length) : Claims.NONE;
        }
        if (high == Claims.NONE)
        {
            length = 1;
            high = Claims.claim(source, Claims.FOREVER);
        }
        else if (source.abandoned)
        {
            // as Claims.claim: slots claimed in an abandoned ring are left unpublished
            high = Claims.NONE;
        }
        run.length = length;
        return high;
    }

    /** The length of a run of slots {@link #claimRun(int, Run)} claimed, for the thread that claimed it. */
    static final class Run
    {
        int length;
    }

    /** The most slots one run claims: a quarter of the ring, so that consumers see the cursor move as it fills. */
    final int maxRun()
    {
        return Math.max(1, source.ring.getBufferSize() / 4);
    }

    /** Checks the range and that the next {@code run} messages from {@code from} are not {@code null}. */
    static void checkRun(final Object[] messages, final int from, final int run)
    {
        for (int i = from; i < from + run; i++)
        {
            if (messages[i] == null)
            {
                throw new NullPointerException("messages[" + i + "]");
            }
        }
    }

    /**
     * Ends the source within the timeout: what was published is delivered, later publishes throw. The first caller
     * ends it; a caller that comes while another is ending it waits for that at most its own timeout, then gives the
     * source up (its producers and the first caller's wait for room then end at once), so every call is bounded by
     * its own timeout whoever came first.
     *
     * @param timeoutNanos the longest wait for the end marker to find room.
     */
    final void closeWithin(final long timeoutNanos)
    {
        final long deadline = System.nanoTime() + Math.max(1, timeoutNanos) | 1;
        if (closeState.compareAndSet(OPEN, CLOSING))
        {
            try
            {
                end(deadline);
            }
            finally
            {
                closeState.set(CLOSED);
            }
            return;
        }
        if (!Idle.await(() -> closeState.get() == CLOSED, deadline))
        {
            source.abandoned = true;
        }
    }

    /**
     * Refuses publishes from now on without ending anything yet: a stop calls it on every publisher before it ends
     * the first, so that the exclusive ones' closes share one safepoint ({@link OwnerGate#close()}). The end still
     * comes from {@link #closeWithin(long)}.
     */
    void refuse()
    {
    }

    /**
     * Whether a close has begun: publishing is refused from then on.
     *
     * @return {@code true} once {@link #closeWithin(long)} was called.
     */
    final boolean isClosing()
    {
        return closeState.get() != OPEN;
    }

    /**
     * The first closer's work: refuse further publishes, then publish the end marker by the deadline or give the
     * source up.
     *
     * @param deadlineNanos a {@link System#nanoTime()}.
     */
    abstract void end(long deadlineNanos);

    final IllegalStateException closedException()
    {
        return new IllegalStateException("publisher " + source.id.name() + " of router " + router.name() +
            " is closed");
    }

    @Override
    public final SourceId id()
    {
        return source.id;
    }

    @Override
    public final void close()
    {
        closeWithin(router.defaultStopTimeout().toNanos());
    }

    @Override
    public String toString()
    {
        return "Publisher[" + source.id.name() + "]";
    }
}
