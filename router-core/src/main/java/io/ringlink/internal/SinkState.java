package io.ringlink.internal;

import io.ringlink.Sink;
import io.ringlink.SinkId;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A registered sink and the deliveries (one per source) that feed it.
 */
final class SinkState
{
    final SinkId id;
    final Sink<Object> sink;
    final Object endpoint;
    /** Serialises calls from several deliveries; {@code null} for a thread-safe sink. */
    final ReentrantLock lock;
    final CopyOnWriteArrayList<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong retiredDelivered = new AtomicLong();
    final AtomicLong lastErrorLogNanos = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    volatile boolean removed;
    /** Set once a second delivery feeds this sink; from then on deliveries take {@link #lock} per batch. */
    volatile boolean shared;
    boolean closed;

    SinkState(final SinkId id, final Sink<Object> sink)
    {
        this.id = id;
        this.sink = sink;
        this.endpoint = sink.endpoint();
        this.lock = sink.isThreadSafe() ? null : new ReentrantLock();
    }

    long delivered()
    {
        long total = retiredDelivered.get();
        for (final Delivery delivery : deliveries)
        {
            total += delivery.delivered();
        }
        return total;
    }

    long lag()
    {
        long total = 0;
        for (final Delivery delivery : deliveries)
        {
            total += delivery.lag();
        }
        return total;
    }
}
