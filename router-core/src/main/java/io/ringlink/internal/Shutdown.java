package io.ringlink.internal;

import io.ringlink.StopResult;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A router's stop, as a small state machine run once, by the first caller of {@code stop} (later callers wait for
 * its result):
 * <pre>
 *   RUNNING --stop()--> ENDING_SOURCES --> DRAINING --> ABANDONING --> CLOSING --> STOPPED
 *   (registration      (publishers end;   (deliveries   (past the      (sinks closed, agents
 *    and publishes      pumps move what    run to the    timeout:       joined, links forgotten,
 *    refused from       their source       end markers)  producers      undelivered counted, what
 *    here on)           holds, then end)                 given up,      the builder attached
 *                                                        deliveries     closed)
 *                                                        halted)
 * </pre>
 * Nothing waits past the drain timeout plus the join graces. It also keeps what the stop reports: the sinks and
 * messages given up on the way ({@link #halt(SourceRing)}, {@link #onGaveUp(SourceRing)},
 * {@link #onSpillLeft(String, long)}), counted once every producer and delivery has stopped.
 */
final class Shutdown
{
    static final long JOIN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long PUMP_FINISH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    /** Where a router is in its life. */
    enum Phase
    {
        RUNNING, ENDING_SOURCES, DRAINING, ABANDONING, CLOSING, STOPPED
    }

    private final DisruptorRouter<?> router;
    private final Registry registry;
    private final DeliveryAgent[] agents;
    private final Logger log;
    private final CompletableFuture<StopResult> stopped = new CompletableFuture<>();
    /**
     * Sinks cut off with messages left in a ring because its source could not end in time (at this stop, or at an
     * earlier unregister of that source; see {@link #isBehind(Delivery)}), or with messages left in their spill. A
     * sink that had every message of a given-up ring is not one of them: it is halted, but it missed nothing there.
     */
    private final Set<String> abandonedAtStop = ConcurrentHashMap.newKeySet();
    /**
     * Deliveries halted because their source was given up; what they missed is counted once, when the stop has
     * joined every producer and delivery (see {@link #undelivered()}).
     */
    private final Set<Delivery> halted = ConcurrentHashMap.newKeySet();
    /** Messages left in spill queues that a stop could not drain to their sinks in time. */
    private final AtomicLong spillUndelivered = new AtomicLong();
    /** Sources whose producer gave up messages it had taken ({@link SourceRing#heldUndelivered}). */
    private final Set<SourceRing> gaveUp = ConcurrentHashMap.newKeySet();
    /** Closed at the end of the stop: what the builder attached (counters, JMX). */
    private final List<AutoCloseable> closeOnStop = new CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.RUNNING;

    Shutdown(final DisruptorRouter<?> router, final Registry registry, final DeliveryAgent[] agents, final Logger log)
    {
        this.router = router;
        this.registry = registry;
        this.agents = agents;
        this.log = log;
    }

    boolean isRunning()
    {
        return phase == Phase.RUNNING;
    }

    void closeOnStop(final AutoCloseable closeable)
    {
        closeOnStop.add(closeable);
    }

    /**
     * Stops the router: the first caller runs the sequence, later ones wait for its result.
     *
     * @param drainTimeout how long deliveries may take to reach their sources' end markers.
     * @return what the first caller's stop found.
     */
    StopResult stop(final Duration drainTimeout)
    {
        final boolean first;
        registry.lock.lock();
        try
        {
            first = phase == Phase.RUNNING;
            if (first)
            {
                phase = Phase.ENDING_SOURCES;
            }
        }
        finally
        {
            registry.lock.unlock();
        }
        if (!first)
        {
            return stopped.join();
        }
        try
        {
            final StopResult result = run(drainTimeout);
            stopped.complete(result);
            return result;
        }
        catch (final RuntimeException | Error ex)
        {
            stopped.completeExceptionally(ex);
            throw ex;
        }
        finally
        {
            phase = Phase.STOPPED;
        }
    }

    private StopResult run(final Duration drainTimeout)
    {
        final long start = System.nanoTime();
        final long deadline = start + Math.max(1, drainTimeout.toNanos());
        final List<SourceRing> rings = endSources(deadline);

        phase = Phase.DRAINING;
        final boolean deliveredAll = awaitDeliveries(deadline);

        phase = Phase.ABANDONING;
        final Set<String> abandonedSinks = new LinkedHashSet<>(abandonedAtStop);
        final boolean drained = deliveredAll && abandonedSinks.isEmpty();
        if (!drained)
        {
            abandonRemaining();
        }
        joinHalted(null, System.nanoTime() + JOIN_GRACE_NANOS);
        final long grace = System.nanoTime() + JOIN_GRACE_NANOS;
        final List<String> abandonedSources = giveUpPumps(rings, grace);
        // A pump given up just now may have halted more deliveries (its end marker found no room).
        joinHalted(null, grace);

        phase = Phase.CLOSING;
        closeSinksAndAgents(grace);
        registry.unlinkAll();
        // Read last, once every producer and delivery has stopped (and every spill was drained or left).
        final long undelivered = undelivered();
        abandonedSinks.addAll(abandonedAtStop);
        closeOnStop.forEach((closeable) -> router.closeQuietly(closeable, closeable.toString()));
        final StopResult result = new StopResult(drained, undelivered, new ArrayList<>(abandonedSinks),
            abandonedSources, Duration.ofNanos(System.nanoTime() - start));
        if (!result.isClean())
        {
            log.warn("router {} stopped with {} undelivered; abandoned sinks {}, sources {}",
                router.name(), undelivered, result.abandonedSinks(), abandonedSources);
        }
        return result;
    }

    /** Sources end: publishers at once; pumps move what their source holds, then end. Returns the rings seen. */
    private List<SourceRing> endSources(final long deadline)
    {
        final List<RingPublisher<?>> publishers = registry.publishers();
        for (final RingPublisher<?> publisher : publishers)
        {
            publisher.refuse();
        }
        for (final RingPublisher<?> publisher : publishers)
        {
            publisher.closeWithin(Math.max(1, deadline - System.nanoTime()));
        }
        final List<SourceRing> rings = new ArrayList<>(registry.sources());
        for (final SourceRing ring : rings)
        {
            if (ring.pump != null)
            {
                ring.pump.requestStop();
            }
        }
        registry.signalChange();
        for (final SourceRing ring : rings)
        {
            if (ring.pump != null)
            {
                ring.pump.awaitEnd(deadline);
            }
        }
        return rings;
    }

    /** Every delivery runs to its source's end marker, within the timeout. */
    private boolean awaitDeliveries(final long deadline)
    {
        try
        {
            return registry.awaitNoSource(deadline);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Past the timeout: abandon what is left. Producers are given up first (a claim in an abandoned ring fails, and
     * what a pump held is counted), then deliveries are halted; what they missed is counted once no producer can
     * publish any more.
     */
    private void abandonRemaining()
    {
        final List<SourceRing> left = new ArrayList<>();
        for (final SourceRing ring : registry.sources())
        {
            if (!ring.abandoned)
            {
                ring.abandoned = true;
                left.add(ring);
            }
        }
        // Every delivery halted before any thread is interrupted: in SHARED an interrupt meant for one delivery's
        // sink may reach another's on the same agent, which must then be halted too, not fail and go on.
        for (final SourceRing ring : left)
        {
            mark(ring);
        }
        for (final SourceRing ring : left)
        {
            halt(ring);
        }
    }

    /**
     * Pumps still running are given up: a pump thread has its source closed under its read and is interrupted; a pump
     * on an agent ends at its next step. Returns those that outlive it.
     */
    private List<String> giveUpPumps(final List<SourceRing> rings, final long grace)
    {
        final List<String> abandonedSources = new ArrayList<>();
        for (final SourceRing ring : rings)
        {
            final Pump pump = ring.pump;
            if (pump != null && pump.isRunning())
            {
                ring.abandoned = true;
                pump.unregister();
                // A pump that saw the abandonment reports its sinks' progress to its source, then closes it: let it.
                if (pump.awaitEnd(System.nanoTime() + PUMP_FINISH_NANOS))
                {
                    continue;
                }
                pump.forceEnd();
                if (!pump.awaitEnd(grace))
                {
                    abandonedSources.add(ring.id.name());
                }
            }
        }
        return abandonedSources;
    }

    /** Every sink is closed (a spill drained within the stop timeout first), then the agents end. */
    private void closeSinksAndAgents(final long grace)
    {
        registry.lock.lock();
        try
        {
            for (final SinkState sink : registry.sinks())
            {
                sink.removed = true;
            }
        }
        finally
        {
            registry.lock.unlock();
        }
        for (final SinkState sink : new ArrayList<>(registry.sinks()))
        {
            router.closeSink(sink);
        }
        for (final DeliveryAgent agent : agents)
        {
            agent.stop();
        }
        for (final DeliveryAgent agent : agents)
        {
            if (!joinUntil(agent.thread, grace))
            {
                agent.thread.interrupt();
                joinUntil(agent.thread, System.nanoTime() + JOIN_GRACE_NANOS);
            }
        }
    }

    /** Halts every delivery of a given-up source; they are joined and counted by the stop. */
    void halt(final SourceRing ring)
    {
        mark(ring);
        for (final Delivery delivery : ring.deliveries)
        {
            delivery.halt(true);
        }
    }

    /**
     * Halts every delivery of a given-up source without interrupting its thread yet; counted by the stop. A sink that
     * has not had everything published in the ring is abandoned; one that has is only halted, unless a message still
     * lands in the ring before its producer stops ({@link #undelivered()}).
     */
    private void mark(final SourceRing ring)
    {
        for (final Delivery delivery : ring.deliveries)
        {
            if (isBehind(delivery))
            {
                abandonedAtStop.add(delivery.sink.id.name());
            }
            halted.add(delivery);
            delivery.halt(false);
        }
    }

    /** A producer gave up messages it had taken from this source: reported as undelivered. */
    void onGaveUp(final SourceRing ring)
    {
        gaveUp.add(ring);
    }

    /** A spill that a stop could not drain to its sink in time: what is left in it is reported as undelivered. */
    void onSpillLeft(final String sinkName, final long messages)
    {
        spillUndelivered.addAndGet(messages);
        abandonedAtStop.add(sinkName);
    }

    /** Joins the halted deliveries (of one source, or all when {@code ring} is null) until the deadline. */
    void joinHalted(final SourceRing ring, final long deadlineNanos)
    {
        for (final Delivery delivery : halted)
        {
            if (ring == null || delivery.source == ring)
            {
                // The router has taken it out; a dedicated thread also has to end, not just finish its work (an
                // agent's thread goes on with its other work and is joined when the agents stop).
                delivery.awaitExit(deadlineNanos);
                if (delivery.agent == null)
                {
                    joinUntil(delivery.thread, deadlineNanos);
                }
            }
        }
    }

    /**
     * What given-up sources' sinks did not get, as (message, sink) pairs: each halted delivery's lag, read once no
     * producer can publish any more (a sink that lacks some is abandoned), the batch it handed to a sink whose flush
     * never returned (a spill's are in what is left in its queue), and each message a producer held, once per sink
     * halted on its source.
     */
    private long undelivered()
    {
        long total = spillUndelivered.get();
        for (final Delivery delivery : halted)
        {
            if (isBehind(delivery))
            {
                abandonedAtStop.add(delivery.sink.id.name());
            }
            total += delivery.lag() + (delivery.sink.spill == null ? delivery.unflushed() : 0);
        }
        for (final SourceRing ring : gaveUp)
        {
            int sinks = 0;
            for (final Delivery delivery : halted)
            {
                if (delivery.source == ring)
                {
                    sinks++;
                }
            }
            total += ring.heldUndelivered.get() * Math.max(1, sinks);
        }
        return total;
    }

    /**
     * Whether a delivery lacks something its ring published: messages not handed to its sink yet, or handed and not
     * flushed (its sink blocked in {@code onEndOfBatch}, a write to a pipe nobody reads).
     */
    private static boolean isBehind(final Delivery delivery)
    {
        return delivery.lag() > 0 || delivery.flushedPosition() < delivery.position();
    }

    /**
     * Waits for a latch until a deadline, keeping an interrupt for later.
     *
     * @param latch         the latch.
     * @param deadlineNanos a {@link System#nanoTime()}.
     * @return {@code true} if it reached zero.
     */
    static boolean awaitUntil(final CountDownLatch latch, final long deadlineNanos)
    {
        boolean interrupted = false;
        try
        {
            while (true)
            {
                try
                {
                    return latch.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Joins a thread until a deadline, keeping an interrupt for later.
     *
     * @param thread        the thread, or {@code null}.
     * @param deadlineNanos a {@link System#nanoTime()}.
     * @return {@code true} if it has ended (or is the caller, or null).
     */
    static boolean joinUntil(final Thread thread, final long deadlineNanos)
    {
        if (thread == null || thread == Thread.currentThread())
        {
            return true;
        }
        boolean interrupted = false;
        try
        {
            while (thread.isAlive())
            {
                final long left = deadlineNanos - System.nanoTime();
                if (left <= 0)
                {
                    return false;
                }
                try
                {
                    TimeUnit.NANOSECONDS.timedJoin(thread, left);
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            return true;
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
