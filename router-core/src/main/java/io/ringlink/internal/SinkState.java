package io.ringlink.internal;

import io.ringlink.Sink;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.SinkOptions.SlowSinkPolicy;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A registered sink, its slow-sink policy and the deliveries (one per source) that feed it. Under
 * {@link SlowSinkPolicy#SPILL} the deliveries feed the sink's {@link Spill} (its persistent queue), and the spill's
 * own thread feeds the user's sink.
 */
final class SinkState
{
    final SinkId id;
    /** What the deliveries call: the user's sink, or its spill. */
    final Sink<Object> sink;
    final Object endpoint;
    final SlowSinkPolicy policy;
    /** Under {@link SlowSinkPolicy#DISCONNECT}: how long the sink may hold a waiting producer. */
    final long disconnectNanos;
    /** The sink's spill queue under {@link SlowSinkPolicy#SPILL}, else {@code null}. */
    final Spill spill;
    /**
     * Serialises calls from several delivery threads, chosen once at {@code write()}: {@code null} when the sink is
     * thread-safe or when one agent runs all its deliveries ({@code SHARED}); else a lock that the deliveries take per
     * batch once a second one feeds the sink ({@link #shared}, after the fan-in {@link Handshake}).
     */
    final ReentrantLock lock;
    final CopyOnWriteArrayList<Delivery> deliveries = new CopyOnWriteArrayList<>();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong retiredDelivered = new AtomicLong();
    final AtomicLong retiredDropped = new AtomicLong();
    final AtomicLong lastErrorLogNanos = new AtomicLong(System.nanoTime() - 2_000_000_000L);
    volatile boolean removed;
    /** Removed by unregister, an error or a disconnect (not by the router's stop): a spill is not drained. */
    volatile boolean removedWhileRunning;
    /** Set once a second delivery feeds this sink; from then on deliveries take {@link #lock} per batch. */
    volatile boolean shared;
    boolean closed;
    /** Under the registry lock: this sink's spill has finished; see {@link Registry#spillFinished(SinkState)}. */
    boolean spillFinished;
    /** The agent that owns this sink in {@code ThreadingMode.SHARED}, else {@code null}. */
    final DeliveryAgent agent;

    SinkState(
        final SinkId id,
        final Sink<Object> sink,
        final SinkOptions options,
        final Spill spill,
        final DeliveryAgent agent)
    {
        this.agent = agent;
        this.id = id;
        this.spill = spill;
        this.sink = spill != null ? spill : sink;
        this.endpoint = sink.endpoint();
        this.policy = options.policy();
        this.disconnectNanos = options.timeout() == null ? 0 : options.timeout().toNanos();
        this.lock = this.sink.isThreadSafe() || agent != null ? null : new ReentrantLock();
    }

    /** Messages the user's sink received: for a spill, what it drained from its queue. */
    long delivered()
    {
        if (spill != null)
        {
            return spill.drained();
        }
        long total = retiredDelivered.get();
        for (final Delivery delivery : deliveries)
        {
            total += delivery.delivered();
        }
        return total;
    }

    long dropped()
    {
        long total = retiredDropped.get();
        for (final Delivery delivery : deliveries)
        {
            total += delivery.dropped();
        }
        return total;
    }

    /** Messages not received yet: in the rings, plus what waits in the spill queue. */
    long lag()
    {
        long total = spill == null ? 0 : spill.backlog();
        for (final Delivery delivery : deliveries)
        {
            total += delivery.lag();
        }
        return total;
    }
}
