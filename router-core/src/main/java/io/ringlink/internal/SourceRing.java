package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.Source;
import io.ringlink.SourceId;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One source's ring and the deliveries (one per sink) that read it.
 */
final class SourceRing
{
    final SourceId id;
    final RingBuffer<Envelope> ring;
    /** The pulled source, or {@code null} for a publisher. */
    final Source<Object> source;
    final Object endpoint;
    final CopyOnWriteArrayList<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Claimed slots that carry no message (the end marker, skipped slots). */
    final AtomicLong nonMessages = new AtomicLong();
    /** Set under the router lock once the end marker is being published: no delivery is added after it. */
    boolean ended;
    /** Producers waiting for room give up when set. */
    volatile boolean abandoned;
    volatile Throwable failure;
    Pump pump;
    Thread pumpThread;

    SourceRing(final SourceId id, final RingBuffer<Envelope> ring, final Source<Object> source, final Object endpoint)
    {
        this.id = id;
        this.ring = ring;
        this.source = source;
        this.endpoint = endpoint;
    }

    long published()
    {
        return ring.getCursor() + 1 - nonMessages.get();
    }

    long backlog()
    {
        final long cursor = ring.getCursor();
        long slowest = cursor;
        for (final Delivery delivery : deliveries)
        {
            slowest = Math.min(slowest, delivery.position());
        }
        return cursor - slowest;
    }

    long pending()
    {
        return source == null ? 0 : source.backlog();
    }

    boolean isDrained()
    {
        if (pump != null && pump.isHolding())
        {
            return false;
        }
        final long pending = pending();
        return pending <= 0 && backlog() == 0;
    }
}
