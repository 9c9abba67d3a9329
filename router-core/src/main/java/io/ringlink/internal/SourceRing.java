package io.ringlink.internal;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.Source;
import io.ringlink.SourceId;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One source's ring and the deliveries (one per sink) that read it.
 */
final class SourceRing
{
    final SourceId id;
    /** Publish time of each slot's message, when latency is recorded; else {@code null}. */
    final long[] publishedNanos;
    final int mask;
    final RingBuffer<Envelope> ring;
    /** The pulled source, or {@code null} for a publisher. */
    final Source<Object> source;
    final Object endpoint;
    final CopyOnWriteArrayList<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Messages published by several threads (a concurrent publisher), else {@code null}. */
    final LongAdder concurrentCount;
    /** Set under the router lock once the end marker is being published: no delivery is added after it. */
    boolean ended;
    /** Producers waiting for room give up when set. */
    volatile boolean abandoned;
    /**
     * The fewest messages received ({@link Delivery#received()}) by a delivery that left this ring once it was
     * abandoned; {@code Long.MAX_VALUE} while none has. What a pump reports to an acknowledging source at a give-up.
     */
    final AtomicLong receivedAtExit = new AtomicLong(Long.MAX_VALUE);
    /** Messages its producer took from the source and gave up, waiting for room in an abandoned ring. */
    final AtomicLong heldUndelivered = new AtomicLong();
    /** A {@link System#nanoTime()} at which producers waiting for room give up (an unregister's timeout). */
    volatile long giveUpNanos = Claims.FOREVER;
    volatile Throwable failure;
    /** The end marker's sequence once published. */
    volatile long endSequence = Long.MAX_VALUE;
    /**
     * The deliveries of sinks under {@code drop} or {@code disconnectAfter}, which a producer waiting for room relieves
     * (see {@link SlowSinks}); {@code null} when there are none. Replaced under the router lock.
     */
    volatile Delivery[] slowDeliveries;
    /** The router, for the producers' slow-sink relief; set before the ring is shared. */
    DisruptorRouter<?> router;
    /** Wakes the agents reading this ring under {@code SHARED} and {@code BLOCKING}, else {@code null}. */
    AgentSignal signal;
    /** The pulled source's pump (on its own thread or an agent), or {@code null} for a publisher. */
    Pump pump;

    SourceRing(
        final SourceId id,
        final RingBuffer<Envelope> ring,
        final Source<Object> source,
        final Object endpoint,
        final boolean concurrent,
        final boolean stampTime)
    {
        this.publishedNanos = stampTime ? new long[ring.getBufferSize()] : null;
        this.mask = ring.getBufferSize() - 1;
        this.concurrentCount = concurrent ? new LongAdder() : null;
        this.id = id;
        this.ring = ring;
        this.source = source;
        this.endpoint = endpoint;
    }

    /** Records when the message in a slot was published; a no-op unless latency is recorded. */
    void stamp(final long sequence)
    {
        final long[] stamps = publishedNanos;
        if (stamps != null)
        {
            stamps[(int)(sequence & mask)] = System.nanoTime();
        }
    }

    /**
     * Messages published. A single-producer ring (a pump, an exclusive publisher) never skips a slot, so its count is
     * its cursor, up to the end marker; a multi-producer ring counts as it publishes.
     */
    long published()
    {
        if (concurrentCount != null)
        {
            return concurrentCount.sum();
        }
        return Math.min(ring.getCursor() + 1, endSequence);
    }

    long backlog()
    {
        final long cursor = Math.min(ring.getCursor(), endSequence - 1);
        long slowest = cursor;
        for (final Delivery delivery : deliveries)
        {
            slowest = Math.min(slowest, Math.max(delivery.position(), cursor - ring.getBufferSize()));
        }
        return Math.max(0, cursor - slowest);
    }

    /** Under the router lock, after a delivery was added or removed: who producers relieve and wake. */
    void updateSlowDeliveries()
    {
        final Delivery[] slow = deliveries.stream()
            .filter((delivery) -> delivery.relievable)
            .toArray(Delivery[]::new);
        slowDeliveries = slow.length == 0 ? null : slow;
        if (signal != null)
        {
            signal.agents(deliveries.stream()
                .map((delivery) -> delivery.agent)
                .distinct()
                .toArray(DeliveryAgent[]::new));
        }
    }

    long pending()
    {
        return source == null ? 0 : source.backlog();
    }

    /** Breaks the source noticed in its stream; none for a publisher. */
    long gaps()
    {
        return source == null ? 0 : source.gaps();
    }

    /**
     * Nothing waits in the source, nothing is held by its pump, nothing is in the ring. Read in that order, the order
     * in which a message moves (source, pump, ring): a message that left the source before the first read is seen by
     * a later one, since each stage lets go of it only after the next has it.
     */
    boolean isDrained()
    {
        if (pending() > 0)
        {
            return false;
        }
        if (pump != null && pump.isHolding())
        {
            return false;
        }
        return backlog() == 0;
    }
}
