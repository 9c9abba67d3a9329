package io.ringlink.internal;

import io.ringlink.SinkId;
import io.ringlink.SourceId;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a router has registered: the lock every registration change takes, its sources (rings) and sinks by id, its
 * publishers, the totals of what has retired, and its part of the JVM-wide {@link LinkGraph}. The message path never
 * takes the lock; metrics take it too (a retiring source moves its count under it); drain checks read the maps,
 * which are concurrent, without it.
 * <p>
 * Methods marked "under the lock" are called by a thread that holds {@link #lock}; the others take it themselves.
 */
final class Registry
{
    /** Taken by every registration change; never on the message path. */
    final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ConcurrentSkipListMap<Long, SourceRing> sources = new ConcurrentSkipListMap<>();
    private final ConcurrentSkipListMap<Long, SinkState> sinks = new ConcurrentSkipListMap<>();
    private final List<RingPublisher<?>> publishers = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong retiredPublished = new AtomicLong();
    private final AtomicLong retiredDelivered = new AtomicLong();
    private final AtomicLong retiredErrors = new AtomicLong();
    /**
     * Spill sinks forgotten before their spill finished: what each has drained so far is still read from the spill
     * ({@link #retiredDelivered()}), until {@link #spillFinished(SinkState)} moves it into the retired total.
     */
    private final List<SinkState> retiringSpills = new ArrayList<>();
    /** The router, as the link graph knows it. */
    private final Object router;
    private final String name;

    Registry(final Object router, final String name)
    {
        this.router = router;
        this.name = name;
    }

    /** A new endpoint id, unique in this router. */
    long nextId()
    {
        return ids.incrementAndGet();
    }

    /** Live sources (rings not retired yet), in registration order. */
    Collection<SourceRing> sources()
    {
        return sources.values();
    }

    /** Registered sinks not forgotten yet, in registration order. */
    Collection<SinkState> sinks()
    {
        return sinks.values();
    }

    SourceRing source(final SourceId id)
    {
        final SourceRing ring = sources.get(id.id());
        return ring != null && ring.id.equals(id) ? ring : null;
    }

    SinkState sink(final SinkId id)
    {
        final SinkState sink = sinks.get(id.id());
        return sink != null && sink.id.equals(id) ? sink : null;
    }

    /**
     * Under the lock: records a source endpoint in the link graph.
     *
     * @throws io.ringlink.CircularLinkException if it would close a loop; nothing changes then.
     */
    void linkSource(final Object endpoint)
    {
        LinkGraph.INSTANCE.addSource(router, name, endpoint);
    }

    /**
     * Under the lock: records a sink endpoint in the link graph.
     *
     * @throws io.ringlink.CircularLinkException if it would close a loop; nothing changes then.
     */
    void linkSink(final Object endpoint)
    {
        LinkGraph.INSTANCE.addSink(router, name, endpoint);
    }

    /** Under the lock. */
    void add(final SourceRing ring)
    {
        sources.put(ring.id.id(), ring);
    }

    /** Under the lock. */
    void add(final SinkState sink)
    {
        sinks.put(sink.id.id(), sink);
    }

    /** Under the lock. */
    void add(final RingPublisher<?> publisher)
    {
        publishers.add(publisher);
    }

    /** The publishers of sources not retired yet. */
    List<RingPublisher<?>> publishers()
    {
        lock.lock();
        try
        {
            return new ArrayList<>(publishers);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Under the lock: an ended source without deliveries leaves the registry, its count into the retired total. */
    void retire(final SourceRing ring)
    {
        if (sources.remove(ring.id.id(), ring))
        {
            retiredPublished.addAndGet(ring.published());
            publishers.removeIf((publisher) -> publisher.id().equals(ring.id));
            LinkGraph.INSTANCE.removeSource(router, ring.endpoint);
            changed.signalAll();
        }
    }

    /**
     * Under the lock: takes a removed sink out of the registry, its counts into the retired totals.
     *
     * @return {@code false} if it was already out.
     */
    boolean forget(final SinkState sink)
    {
        if (!sinks.remove(sink.id.id(), sink))
        {
            return false;
        }
        if (sink.agent != null)
        {
            sink.agent.sinks--;
        }
        if (sink.spill == null)
        {
            retiredDelivered.addAndGet(sink.retiredDelivered.get());
        }
        else if (sink.spillFinished)
        {
            retiredDelivered.addAndGet(sink.spill.drained());
        }
        else
        {
            // Its spill may still hand messages to the sink: counted live until it finishes.
            retiringSpills.add(sink);
        }
        retiredErrors.addAndGet(sink.errors.get());
        LinkGraph.INSTANCE.removeSink(router, sink.endpoint);
        return true;
    }

    /**
     * Under the lock: a sink's spill has finished (drained or given up): if the sink was forgotten, what its spill
     * drained passes into the retired total in the same step as it leaves {@link #retiringSpills}, so that metrics,
     * which take the lock, count it exactly once.
     */
    void spillFinished(final SinkState sink)
    {
        sink.spillFinished = true;
        if (retiringSpills.remove(sink))
        {
            retiredDelivered.addAndGet(sink.spill.drained());
        }
    }

    long retiredPublished()
    {
        return retiredPublished.get();
    }

    /** Under the lock: what retired sinks delivered, with what forgotten spill sinks have drained so far. */
    long retiredDelivered()
    {
        long total = retiredDelivered.get();
        for (final SinkState sink : retiringSpills)
        {
            total += sink.spill.drained();
        }
        return total;
    }

    long retiredErrors()
    {
        return retiredErrors.get();
    }

    /** At the end of a stop: this router's endpoints leave the link graph. */
    void unlinkAll()
    {
        LinkGraph.INSTANCE.removeRouter(router);
    }

    /** Under the lock: wakes whoever waits for a change ({@link #awaitChange()}, {@link #awaitNoSource(long)}). */
    void signalChangeLocked()
    {
        changed.signalAll();
    }

    /** Wakes whoever waits for a change. */
    void signalChange()
    {
        lock.lock();
        try
        {
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Waits for a registration change, at most 50 ms (a pump with no sink waits so). */
    void awaitChange()
    {
        lock.lock();
        try
        {
            changed.await(50, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Waits until every source has retired (ended and passed by all its deliveries).
     *
     * @param deadlineNanos a {@link System#nanoTime()}.
     * @return {@code true} if none is left.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean awaitNoSource(final long deadlineNanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            while (!sources.isEmpty())
            {
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                changed.awaitNanos(left);
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }
}
