package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;

import java.util.concurrent.locks.LockSupport;

/**
 * The thread that moves a pulled source into its ring. Messages of one read are claimed one by one and published
 * as a batch, so a burst costs one cursor update and one wake-up of the deliveries.
 */
final class Pump implements Runnable, MessageHandler<Object>
{
    private static final int READ_LIMIT = 256;
    private static final int MAX_UNPUBLISHED = 64;

    private final SourceRing source;
    private final DisruptorRouter<?> router;
    private final RingBuffer<Envelope> ring;
    private final int maxUnpublished;
    /** The source when it wants delivery progress reports, else {@code null}. */
    private final AcknowledgingSource<?> acknowledging;
    private long acknowledged;
    /** Messages every delivery had received (its sink returned), as last seen while the source was not abandoned. */
    private long receivedByAll;
    private long firstUnpublished = -1;
    private long lastUnpublished = -1;
    private int unpublished;
    private volatile boolean holding;
    /** Move what the source already holds, then end. */
    volatile boolean stopRequested;
    /** End now; what is in the ring is still delivered. */
    volatile boolean unregistered;

    Pump(final SourceRing source, final DisruptorRouter<?> router)
    {
        this.source = source;
        this.router = router;
        this.ring = source.ring;
        this.maxUnpublished = Math.min(MAX_UNPUBLISHED, ring.getBufferSize());
        this.acknowledging = source.source instanceof AcknowledgingSource ?
            (AcknowledgingSource<?>)source.source : null;
    }

    /** Whether the pump has taken messages from its source that are not yet visible in the ring. */
    boolean isHolding()
    {
        return holding;
    }

    @Override
    public void onMessage(final Object message)
    {
        if (message == null)
        {
            throw new IllegalArgumentException("source " + source.id.name() + " handed over a null message");
        }
        if (unpublished == 0)
        {
            holding = true;
        }
        long sequence = Claims.tryClaim(ring);
        if (sequence == Claims.NONE || source.abandoned)
        {
            // The ring is full (a source handed more than the room it was read for), or abandoned: let the
            // deliveries have what this pump claimed before waiting for room. A slot claimed in an abandoned ring
            // stays unpublished: no delivery reads it any more.
            publishClaimed();
            holding = true;
            sequence = sequence == Claims.NONE ? Claims.claim(source, Claims.FOREVER) : Claims.NONE;
            if (sequence == Claims.NONE)
            {
                // Taken from the source, never in the ring: counted, not lost silently.
                router.onUndelivered(source, 1);
                throw new AbandonedException();
            }
        }
        ring.get(sequence).value = message;
        source.stamp(sequence);
        if (firstUnpublished < 0)
        {
            firstUnpublished = sequence;
        }
        lastUnpublished = sequence;
        if (++unpublished >= maxUnpublished)
        {
            publishClaimed();
        }
    }

    private void publishClaimed()
    {
        if (firstUnpublished >= 0)
        {
            ring.publish(firstUnpublished, lastUnpublished);
            firstUnpublished = -1;
            lastUnpublished = -1;
            unpublished = 0;
        }
        if (holding)
        {
            holding = false;
        }
    }

    @Override
    public void run()
    {
        final Source<Object> input = source.source;
        try
        {
            boolean ended = false;
            while (!stopRequested && !unregistered)
            {
                if (source.deliveries.isEmpty())
                {
                    router.awaitChange();
                    continue;
                }
                acknowledge();
                // Room first, then the read: a source that honours its limit is never left holding a message that
                // waits for room, so a stop or an unregister can leave what it has not taken in the source.
                final int room = awaitRoom();
                if (room == 0)
                {
                    break;
                }
                final int read = input.read(this, room);
                publishClaimed();
                if (read == Source.END_OF_STREAM)
                {
                    ended = true;
                    break;
                }
            }
            if (!ended && !unregistered && !source.deliveries.isEmpty())
            {
                moveWhatIsHeld(input);
            }
        }
        catch (final AbandonedException ex)
        {
            router.log().debug("pump of {} gave up waiting for room", source.id.name());
        }
        catch (final Throwable ex)
        {
            router.onSourceFailure(source, ex);
        }
        finally
        {
            publishClaimed();
            acknowledgeWhenDelivered();
            // Closed before the end marker, so that a source is closed by the time its ring retires.
            router.closeQuietly(input, source.id.name());
            router.endSource(source, Claims.FOREVER);
        }
    }

    /** Reports to an acknowledging source how many messages every delivery has passed. */
    private void acknowledge()
    {
        if (acknowledging != null)
        {
            // Not the gating sequences: a delivery frees a slot as soon as its sink returns, before the batch's flush.
            long slowest = Long.MAX_VALUE;
            for (final Delivery delivery : source.deliveries)
            {
                slowest = Math.min(slowest, delivery.flushedPosition());
            }
            // Pump rings carry no skipped slots, so message n sits at sequence n - 1; the end marker is not counted.
            final long passed = Math.min(source.published(), slowest + 1);
            // Once abandoned, a halted delivery may have left the list: the minimum would skip what it lacks.
            if (slowest != Long.MAX_VALUE && passed > acknowledged && !source.abandoned)
            {
                acknowledged = passed;
                acknowledging.onDelivered(passed);
            }
            noteReceived();
        }
    }

    /**
     * Notes how many messages every delivery has received, flushed or not: what a stop that abandons a blocked sink
     * reports. Only while the source is not abandoned, when every delivery that counts is still in the list.
     */
    private void noteReceived()
    {
        if (acknowledging != null)
        {
            long slowest = Long.MAX_VALUE;
            for (final Delivery delivery : source.deliveries)
            {
                slowest = Math.min(slowest, Math.max(delivery.position(), delivery.sequence.get()));
            }
            final long received = Math.min(source.published(), slowest + 1);
            if (slowest != Long.MAX_VALUE && received > receivedByAll && !source.abandoned)
            {
                receivedByAll = received;
            }
        }
    }

    /**
     * After the last read, before the end marker (so the source's ring, and this thread, stay registered and a stop
     * joins them): waits until every delivery has passed every message, then reports the last count. When the router
     * gives up on a blocked sink (abandoned), what every sink had received by then counts: the router closes the sinks
     * next, which flushes what they received, so a reader resumes just after the last message every sink got.
     */
    private void acknowledgeWhenDelivered()
    {
        if (acknowledging == null)
        {
            return;
        }
        try
        {
            int attempt = 0;
            final long published = source.published();
            while (!source.abandoned && !source.deliveries.isEmpty() && acknowledged < published)
            {
                acknowledge();
                // Sinks may take a while (up to the stop timeout): back off from 1 us to 1 ms.
                LockSupport.parkNanos(1_000L << Math.min(attempt++, 10));
            }
            if (source.abandoned)
            {
                if (receivedByAll > acknowledged)
                {
                    acknowledged = receivedByAll;
                    acknowledging.onDelivered(receivedByAll);
                }
            }
            else if (published > acknowledged)
            {
                acknowledged = published;
                acknowledging.onDelivered(published);
            }
        }
        catch (final RuntimeException ex)
        {
            router.log().warn("source {} failed to record its delivered position", source.id.name(), ex);
        }
    }

    /**
     * Waits until the ring has room for at least one message, giving up when the ring is abandoned, the source's
     * give-up time passes, or the source is unregistered.
     *
     * @return the room, at most {@link #READ_LIMIT}; {@code 0} on giving up.
     */
    private int awaitRoom()
    {
        for (int attempt = 0; ; attempt++)
        {
            final long room = ring.remainingCapacity();
            if (room > 0)
            {
                return (int)Math.min(room, READ_LIMIT);
            }
            final long giveUp = source.giveUpNanos;
            if (source.abandoned || unregistered ||
                giveUp != Claims.FOREVER && System.nanoTime() - giveUp > 0)
            {
                return 0;
            }
            if ((attempt & 63) == 63)
            {
                // Sinks progress while the ring stays full: note it, so that a stop giving up on them reports it.
                acknowledge();
            }
            Idle.backoff(attempt);
        }
    }

    private void moveWhatIsHeld(final Source<Object> input) throws Exception
    {
        long budget = input.backlog();
        if (budget < 0)
        {
            budget = Long.MAX_VALUE;
        }
        while (budget > 0)
        {
            final int room = awaitRoom();
            if (room == 0)
            {
                break;
            }
            final int read = input.readAvailable(this, (int)Math.min(budget, room));
            publishClaimed();
            if (read <= 0)
            {
                break;
            }
            budget -= read;
        }
    }

    /** Thrown when the router stopped while this pump waited for room in its ring. */
    static final class AbandonedException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;

        AbandonedException()
        {
            super("abandoned", null, false, false);
        }
    }
}
