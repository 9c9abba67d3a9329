package io.ringlink.internal;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import io.ringlink.EndpointId;
import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.SinkErrorPolicy;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.SinkOptions.SlowSinkPolicy;
import io.ringlink.Source;
import io.ringlink.SourceId;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Router} on the LMAX Disruptor: one ring per source; one delivery per (source, sink) pair, on its own
 * thread ({@code DEDICATED}) or on its sink's {@link DeliveryAgent} ({@code SHARED}); one pump per pulled source, on
 * its own thread, or in {@code SHARED} on an agent when the source reads without blocking. Registration changes take
 * one lock; the message path takes none (except a per-batch lock for sinks that are not thread-safe and fed by several
 * delivery threads).
 * <p>
 * This class ties the parts together: what is registered is in the {@link Registry}, the stop is the
 * {@link Shutdown} sequence, producers are {@link ExclusivePublisher}, {@link ConcurrentPublisher} and {@link Pump},
 * consumers {@link Delivery}. Here: registration (starting deliveries), sink removal, the error and slow-sink
 * policies' callbacks, metrics and drain checks.
 *
 * @param <T> type of message.
 */
public final class DisruptorRouter<T> implements Router<T>
{
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final long ERROR_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long JOIN_GRACE_NANOS = Shutdown.JOIN_GRACE_NANOS;
    private static final long PUMP_FINISH_NANOS = Shutdown.PUMP_FINISH_NANOS;

    private final String name;
    private final int ringSize;
    private final WaitStrategy waitStrategy;
    private final boolean daemon;
    private final SinkErrorPolicy errorPolicy;
    private final LatencyProbe probe;
    private final Duration defaultStopTimeout;

    private final Registry registry;
    /** The registry's lock: every registration change takes it. */
    private final ReentrantLock lock;
    private final AtomicLong disconnectedSinks = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The delivery agents in {@code ThreadingMode.SHARED}; empty in {@code DEDICATED}. */
    private final DeliveryAgent[] agents;
    private final Shutdown shutdown;

    /**
     * Creates and starts a router; use {@link Router#builder()}.
     *
     * @param name               name for threads, logs and metrics.
     * @param ringSize           slots per source ring, a power of two.
     * @param waitStrategy       how deliveries wait.
     * @param daemon             whether threads are daemons.
     * @param errorPolicy        what to do with a sink that throws.
     * @param recordLatency      whether to record publish-to-delivery latency.
     * @param defaultStopTimeout the drain timeout of {@link #close()}.
     * @param deliveryThreads    the number of delivery agents ({@code ThreadingMode.SHARED}), or 0 for a thread per
     *                           (source, sink) pair ({@code DEDICATED}).
     */
    public DisruptorRouter(
        final String name,
        final int ringSize,
        final WaitStrategy waitStrategy,
        final boolean daemon,
        final SinkErrorPolicy errorPolicy,
        final boolean recordLatency,
        final Duration defaultStopTimeout,
        final int deliveryThreads)
    {
        this.name = name;
        this.ringSize = ringSize;
        this.waitStrategy = waitStrategy;
        this.daemon = daemon;
        this.errorPolicy = errorPolicy;
        this.probe = recordLatency ? LatencyProbe.create() : null;
        this.defaultStopTimeout = defaultStopTimeout;
        this.registry = new Registry(this, name);
        this.lock = registry.lock;
        this.agents = new DeliveryAgent[deliveryThreads];
        for (int i = 0; i < deliveryThreads; i++)
        {
            agents[i] = new DeliveryAgent(this, waitStrategy);
            agents[i].thread = newThread(agents[i], "agent-" + i);
        }
        this.shutdown = new Shutdown(this, registry, agents, LOG);
        for (final DeliveryAgent agent : agents)
        {
            agent.thread.start();
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    Logger log()
    {
        return LOG;
    }

    Duration defaultStopTimeout()
    {
        return defaultStopTimeout;
    }

    /**
     * Closes {@code closeable} at the end of the first {@link #stop(Duration)}, once every thread of the router has
     * ended and before any caller of stop returns: the builder attaches counters and JMX with it.
     *
     * @param closeable what to close; a failure is logged.
     */
    public void closeOnStop(final AutoCloseable closeable)
    {
        shutdown.closeOnStop(closeable);
    }

    @Override
    public boolean isRunning()
    {
        return shutdown.isRunning();
    }

    @Override
    public Optional<Throwable> failure()
    {
        return Optional.ofNullable(failure.get());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Registration
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public SourceId read(final Object source)
    {
        checkRunning();
        final Source<Object> input = Endpoints.source(source);
        lock.lock();
        try
        {
            checkRunning();
            registry.linkSource(input.endpoint());
            final SourceId id = new SourceId(registry.nextId(), input.name());
            final AgentSignal signal = newSignal();
            final SourceRing ring = new SourceRing(id, newRing(false, signal), input, input.endpoint(), false,
                probe != null);
            ring.router = this;
            ring.signal = signal;
            // SHARED: a source that polls without blocking runs on an agent, the only producer of its ring.
            final DeliveryAgent agent = agents.length > 0 && input.readsWithoutBlocking() ? agentForSource() : null;
            ring.pump = new Pump(ring, this, agent);
            addSource(ring);
            if (agent != null)
            {
                agent.add(ring.pump);
            }
            else
            {
                ring.pump.thread = newThread(ring.pump, "pump-" + id.name());
                ring.pump.thread.start();
            }
            return id;
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(input, input.name());
            throw ex;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public SinkId write(final Object sink, final SinkOptions options)
    {
        checkRunning();
        if (options == null)
        {
            throw new IllegalArgumentException("sink options must not be null");
        }
        final Sink<Object> output = Endpoints.sink(sink);
        final SinkState[] registered = new SinkState[1];
        final Spill spill;
        try
        {
            spill = options.policy() == SlowSinkPolicy.SPILL ?
                new Spill(options.spillUri(), output, (ignored, error) -> onSinkError(registered[0], "spill", error)) :
                null;
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(output, output.name());
            throw ex;
        }
        lock.lock();
        try
        {
            checkRunning();
            registry.linkSink(output.endpoint());
            final SinkId id = new SinkId(registry.nextId(), output.name());
            final SinkState state = new SinkState(id, output, options, spill, leastLoadedAgent());
            registered[0] = state;
            registry.add(state);
            if (spill != null)
            {
                spill.start(newThread(spill, "spill-" + id.name()));
            }
            for (final SourceRing ring : registry.sources())
            {
                if (!ring.ended)
                {
                    startDelivery(ring, state);
                }
            }
            registry.signalChangeLocked();
            return id;
        }
        catch (final RuntimeException | Error ex)
        {
            closeQuietly(spill != null ? spill : output, output.name());
            throw ex;
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public Publisher<T> publisher(final String name)
    {
        return newPublisher(name, false);
    }

    @Override
    public Publisher<T> concurrentPublisher(final String name)
    {
        return newPublisher(name, true);
    }

    private Publisher<T> newPublisher(final String publisherName, final boolean multiProducer)
    {
        if (publisherName == null || publisherName.isBlank())
        {
            throw new IllegalArgumentException("publisher name must not be blank: '" + publisherName + "'");
        }
        lock.lock();
        try
        {
            checkRunning();
            final SourceId id = new SourceId(registry.nextId(), publisherName);
            final AgentSignal signal = newSignal();
            final SourceRing ring = new SourceRing(id, newRing(multiProducer, signal), null, id, multiProducer,
                probe != null);
            ring.router = this;
            ring.signal = signal;
            final RingPublisher<T> publisher = multiProducer ?
                new ConcurrentPublisher<>(ring, this) : new ExclusivePublisher<>(ring, this);
            registry.linkSource(id);
            addSource(ring);
            registry.add(publisher);
            return publisher;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void addSource(final SourceRing ring)
    {
        registry.add(ring);
        for (final SinkState sink : registry.sinks())
        {
            if (!sink.removed)
            {
                startDelivery(ring, sink);
            }
        }
    }

    /** Under {@code SHARED} and {@code BLOCKING}, a ring's publishes wake its agents; else nothing is signalled. */
    private AgentSignal newSignal()
    {
        return agents.length > 0 && waitStrategy == WaitStrategy.BLOCKING ? new AgentSignal() : null;
    }

    private RingBuffer<Envelope> newRing(final boolean multiProducer, final AgentSignal signal)
    {
        final com.lmax.disruptor.WaitStrategy strategy = signal != null ? signal : agents.length > 0 ?
            new BusySpinWaitStrategy() : switch (waitStrategy)
        {
            case BUSY_SPIN -> new BusySpinWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
        };
        return multiProducer ?
            RingBuffer.createMultiProducer(Envelope::new, ringSize, strategy) :
            RingBuffer.createSingleProducer(Envelope::new, ringSize, strategy);
    }

    /** Under the lock: the agent with the fewest sinks, or {@code null} in {@code DEDICATED}. */
    private DeliveryAgent leastLoadedAgent()
    {
        DeliveryAgent least = null;
        for (final DeliveryAgent agent : agents)
        {
            if (least == null || agent.sinks < least.sinks)
            {
                least = agent;
            }
        }
        if (least != null)
        {
            least.sinks++;
        }
        return least;
    }

    /** Under the lock: the agent with the fewest polled sources (then the fewest sinks), to run a new one. */
    private DeliveryAgent agentForSource()
    {
        DeliveryAgent least = agents[0];
        for (final DeliveryAgent agent : agents)
        {
            final int sources = agent.sources.get();
            final int leastSources = least.sources.get();
            if (sources < leastSources || sources == leastSources && agent.sinks < least.sinks)
            {
                least = agent;
            }
        }
        least.sources.incrementAndGet();
        return least;
    }

    /**
     * Under the lock: the new delivery starts just after the ring's cursor, a gap-free suffix of the stream (adding
     * the gating sequence sets it to the cursor). In {@code SHARED} it runs on its sink's agent, with no lock.
     */
    private void startDelivery(final SourceRing ring, final SinkState sink)
    {
        final Delivery delivery = new Delivery(ring, sink, this, probe);
        if (sink.agent != null)
        {
            delivery.agent = sink.agent;
            delivery.thread = sink.agent.thread;
            ring.ring.addGatingSequences(delivery.sequence);
            delivery.markStart();
            ring.deliveries.add(delivery);
            sink.deliveries.add(delivery);
            ring.updateSlowDeliveries();
            sink.agent.add(delivery);
            return;
        }
        if (sink.lock != null && !sink.deliveries.isEmpty())
        {
            sink.shared = true;
            delivery.shareSinkWith(sink.deliveries.toArray(new Delivery[0]));
        }
        ring.ring.addGatingSequences(delivery.sequence);
        delivery.markStart();
        ring.deliveries.add(delivery);
        sink.deliveries.add(delivery);
        if (delivery.relievable)
        {
            ring.updateSlowDeliveries();
        }
        delivery.thread = newThread(delivery, ring.id.name() + "->" + sink.id.name());
        delivery.thread.start();
    }

    private Thread newThread(final Runnable task, final String role)
    {
        final Thread thread = new Thread(task, "ringlink-" + name + "-" + role);
        thread.setDaemon(daemon);
        return thread;
    }

    @Override
    public boolean unregister(final EndpointId id)
    {
        checkRunning();
        if (id instanceof SourceId)
        {
            return unregisterSource((SourceId)id);
        }
        return unregisterSink((SinkId)id);
    }

    private boolean unregisterSource(final SourceId id)
    {
        final SourceRing ring = registry.source(id);
        if (ring == null)
        {
            return false;
        }
        if (ring.pump == null)
        {
            for (final RingPublisher<?> publisher : registry.publishers())
            {
                if (publisher.id().equals(id))
                {
                    publisher.close();
                }
            }
            return true;
        }
        // The pump stops reading; a message it holds still waits for room, at most the stop timeout, and so does the
        // end marker, after which the source's sinks are halted.
        final long deadline = System.nanoTime() + defaultStopTimeout.toNanos();
        ring.giveUpNanos = deadline;
        ring.pump.unregister();
        registry.signalChange();
        if (ring.pump.runsOnCurrentThread())
        {
            // A sink on the pump's own agent: the pump ends on the agent's next cycles, once this call has returned.
            return true;
        }
        if (!ring.pump.awaitEnd(deadline + JOIN_GRACE_NANOS))
        {
            // Stuck in a read that ignores the flag: close the source under it, once a pump that saw the abandonment
            // has had a moment to report its sinks' progress to its source.
            ring.abandoned = true;
            ring.pump.wake();
            if (!ring.pump.awaitEnd(System.nanoTime() + PUMP_FINISH_NANOS))
            {
                ring.pump.forceEnd();
            }
            ring.pump.awaitEnd(System.nanoTime() + JOIN_GRACE_NANOS);
        }
        // Its sinks halted for this source if the end could not be published in time: their threads end here too.
        shutdown.joinHalted(ring, System.nanoTime() + JOIN_GRACE_NANOS);
        return true;
    }

    private boolean unregisterSink(final SinkId id)
    {
        final List<Delivery> deliveries;
        lock.lock();
        try
        {
            final SinkState sink = registry.sink(id);
            if (sink == null || sink.removed)
            {
                return false;
            }
            // Taken under the lock: a delivery leaves the list as it exits, and the last one closes the sink, so
            // joining every one of them returns after the sink is closed.
            deliveries = new ArrayList<>(sink.deliveries);
            removeSink(sink);
        }
        finally
        {
            lock.unlock();
        }
        final long deadline = System.nanoTime() + defaultStopTimeout.toNanos();
        for (final Delivery delivery : deliveries)
        {
            if (!delivery.awaitExit(deadline))
            {
                delivery.halt(true);
                delivery.awaitExit(System.nanoTime() + JOIN_GRACE_NANOS);
            }
        }
        return true;
    }

    /** Under the lock: marks the sink removed and halts its deliveries; the last one to exit finishes the removal. */
    private void removeSink(final SinkState sink)
    {
        sink.removedWhileRunning = shutdown.isRunning();
        sink.removed = true;
        for (final Delivery delivery : sink.deliveries)
        {
            delivery.halt(false);
        }
        if (sink.deliveries.isEmpty())
        {
            finishSinkRemoval(sink);
        }
    }

    private void finishSinkRemoval(final SinkState sink)
    {
        if (registry.forget(sink))
        {
            closeSink(sink);
        }
    }

    /** Closes a sink once; a spill is drained first when the router stops. */
    void closeSink(final SinkState sink)
    {
        synchronized (sink)
        {
            if (sink.closed)
            {
                return;
            }
            sink.closed = true;
        }
        if (sink.spill == null)
        {
            closeQuietly(sink.sink, sink.id.name());
            return;
        }
        // A spill is drained to its sink while the router stops (within the stop timeout), not when it is removed.
        final boolean draining = !shutdown.isRunning() && !sink.removedWhileRunning;
        final long left = sink.spill.finish(System.nanoTime() + (draining ? defaultStopTimeout.toNanos() : 0));
        if (draining && left > 0)
        {
            shutdown.onSpillLeft(sink.id.name(), left);
        }
        lock.lock();
        try
        {
            registry.spillFinished(sink);
        }
        finally
        {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Callbacks from pumps, publishers and deliveries
    // ---------------------------------------------------------------------------------------------------------------

    /** A pump with nothing to do waits for a registration change, at most 50 ms. */
    void awaitChange()
    {
        registry.awaitChange();
    }

    /**
     * A source has ended: no delivery is added to it any more, and its end marker is published so that every
     * delivery stops after the last message. A source without deliveries retires at once. Called by the ring's only
     * producer (its pump, or its publisher once the owner is out of the ring), never by two threads at once.
     */
    void endSource(final SourceRing ring, final long deadlineNanos)
    {
        if (markEnded(ring))
        {
            publishEnd(ring, Claims.claim(ring, deadlineNanos));
        }
    }

    /**
     * The ring's only producer, after {@link #markEnded(SourceRing)} said an end is due: publishes the end marker in
     * the slot it claimed, or, when it could not claim one ({@link Claims#NONE}), halts the source's sinks.
     */
    void publishEnd(final SourceRing ring, final long sequence)
    {
        if (sequence == Claims.NONE)
        {
            abandonDeliveries(ring);
            return;
        }
        ring.ring.get(sequence).value = Envelope.END;
        ring.endSequence = sequence;
        ring.ring.publish(sequence);
    }

    /**
     * A source whose producer could not get out of its ring in time (it waits for room that never came): the source
     * ends without an end marker and its sinks are halted; nothing is claimed in its ring from this thread.
     */
    void abandonSource(final SourceRing ring, final OwnerGate gate)
    {
        ring.abandoned = true;
        // The owner's claim now fails; let it leave so that what it published is in the count.
        gate.awaitOwner(System.nanoTime() + JOIN_GRACE_NANOS);
        if (markEnded(ring))
        {
            abandonDeliveries(ring);
        }
    }

    /** Sets the source ended, once; retires it at once if it has no delivery. Returns whether an end is still due. */
    boolean markEnded(final SourceRing ring)
    {
        lock.lock();
        try
        {
            if (ring.ended)
            {
                return false;
            }
            ring.ended = true;
            if (ring.deliveries.isEmpty())
            {
                registry.retire(ring);
                return false;
            }
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A source given up (its end marker found no room, or its pump on an agent could not run in time). */
    void abandonDeliveries(final SourceRing ring)
    {
        ring.abandoned = true;
        LOG.warn("router {}: source {} could not publish its end within the timeout; its sinks are halted",
            name, ring.id.name());
        shutdown.halt(ring);
    }

    void onDeliveryExit(final Delivery delivery, final boolean reachedEnd)
    {
        SinkState toClose = null;
        lock.lock();
        try
        {
            final SourceRing ring = delivery.source;
            final SinkState sink = delivery.sink;
            if (ring.abandoned && ring.pump != null)
            {
                // What this sink received still counts for the pump's last report to its source.
                ring.receivedAtExit.accumulateAndGet(delivery.received(), Math::min);
            }
            ring.ring.removeGatingSequence(delivery.sequence);
            ring.deliveries.remove(delivery);
            sink.retiredDelivered.addAndGet(delivery.delivered());
            sink.retiredDropped.addAndGet(delivery.dropped());
            sink.deliveries.remove(delivery);
            if (delivery.relievable || delivery.agent != null)
            {
                ring.updateSlowDeliveries();
            }
            if (ring.ended && ring.deliveries.isEmpty())
            {
                registry.retire(ring);
            }
            if (sink.removed && sink.deliveries.isEmpty() && registry.forget(sink))
            {
                toClose = sink;
            }
            registry.signalChangeLocked();
        }
        finally
        {
            lock.unlock();
        }
        if (toClose != null)
        {
            closeSink(toClose);
        }
    }

    /**
     * A producer has waited {@code waitedNanos} for room that a {@code disconnectAfter} sink keeps from it: the sink
     * is removed. Its deliveries are halted first, then their gating sequences removed, so a delivery still reading
     * sees the halt before any slot it reads is overwritten (see {@link Delivery}).
     */
    void disconnect(final SinkState sink, final long waitedNanos)
    {
        lock.lock();
        try
        {
            if (sink.removed)
            {
                return;
            }
            disconnectedSinks.incrementAndGet();
            LOG.warn("router {}: disconnecting sink {}: it held a producer for {} ms (its limit is {} ms)",
                name, sink.id.name(), TimeUnit.NANOSECONDS.toMillis(waitedNanos),
                TimeUnit.NANOSECONDS.toMillis(sink.disconnectNanos));
            for (final Delivery delivery : sink.deliveries)
            {
                delivery.halt(true);
            }
            for (final Delivery delivery : sink.deliveries)
            {
                delivery.source.ring.removeGatingSequence(delivery.sequence);
            }
            removeSink(sink);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** A producer gave up messages it had taken from its source: reported by the stop as undelivered. */
    void onUndelivered(final SourceRing ring, final long messages)
    {
        ring.heldUndelivered.addAndGet(messages);
        shutdown.onGaveUp(ring);
        LOG.warn("router {}: source {} gave up {} message(s) it had taken, waiting for room in its ring",
            name, ring.id.name(), messages);
    }

    SinkErrorPolicy onSinkError(final Delivery delivery, final Throwable error)
    {
        return onSinkError(delivery.sink, delivery.source.id.name(), error);
    }

    /** A sink threw on a message from {@code from}: counted, logged at most once a second, then the policy. */
    SinkErrorPolicy onSinkError(final SinkState sink, final String from, final Throwable error)
    {
        final long errors = sink.errors.incrementAndGet();
        final long now = System.nanoTime();
        final long lastLog = sink.lastErrorLogNanos.get();
        if (now - lastLog >= ERROR_LOG_INTERVAL_NANOS && sink.lastErrorLogNanos.compareAndSet(lastLog, now))
        {
            LOG.warn("router {}: sink {} failed on a message from {} ({} errors so far, policy {})",
                name, sink.id.name(), from, errors, errorPolicy, error);
        }
        switch (errorPolicy)
        {
            case REMOVE ->
            {
                lock.lock();
                try
                {
                    if (!sink.removed)
                    {
                        LOG.warn("router {}: removing sink {} after an error", name, sink.id.name());
                        removeSink(sink);
                    }
                }
                finally
                {
                    lock.unlock();
                }
            }
            case STOP_ROUTER ->
            {
                failure.compareAndSet(null, error);
                if (shutdown.isRunning())
                {
                    LOG.error("router {}: stopping after sink {} failed", name, sink.id.name());
                    final Thread stopper = new Thread(this::close, "ringlink-" + name + "-stopper");
                    stopper.setDaemon(true);
                    stopper.start();
                }
            }
            default ->
            {
            }
        }
        return errorPolicy;
    }

    void onDeliveryCrash(final Delivery delivery, final Throwable error)
    {
        failure.compareAndSet(null, error);
        LOG.error("router {}: delivery {} -> {} failed", name, delivery.source.id.name(), delivery.sink.id.name(),
            error);
    }

    void onSourceFailure(final SourceRing ring, final Throwable error)
    {
        ring.failure = error;
        failure.compareAndSet(null, error);
        LOG.error("router {}: source {} failed and ends", name, ring.id.name(), error);
    }

    void closeQuietly(final AutoCloseable closeable, final String what)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("router {}: closing {} failed", name, what, ex);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Metrics and drain checks
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Under the registry lock, which a source's or sink's retirement takes too: a source that retires between the read
     * of the retired totals and the walk over the sources would otherwise be counted in neither.
     */
    @Override
    public RouterMetrics metrics()
    {
        final List<RouterMetrics.SourceMetrics> sourceMetrics = new ArrayList<>();
        final List<RouterMetrics.SinkMetrics> sinkMetrics = new ArrayList<>();
        long published;
        long delivered;
        long errors;
        lock.lock();
        try
        {
            published = registry.retiredPublished();
            delivered = registry.retiredDelivered();
            errors = registry.retiredErrors();
            for (final SourceRing ring : registry.sources())
            {
                final long count = ring.published();
                published += count;
                sourceMetrics.add(new RouterMetrics.SourceMetrics(
                    ring.id, count, ring.backlog(), ring.pending(), ring.failure != null, ring.gaps()));
            }
            for (final SinkState sink : registry.sinks())
            {
                final long count = sink.delivered();
                delivered += count;
                errors += sink.errors.get();
                sinkMetrics.add(new RouterMetrics.SinkMetrics(sink.id, count, sink.errors.get(), sink.lag(),
                    sink.dropped()));
            }
        }
        finally
        {
            lock.unlock();
        }
        return new RouterMetrics(name, sourceMetrics, sinkMetrics, published, delivered, errors,
            probe == null ? RouterMetrics.Latency.NONE : probe.snapshot(), disconnectedSinks.get());
    }

    @Override
    public boolean isDrained()
    {
        for (final SourceRing ring : registry.sources())
        {
            if (!ring.isDrained())
            {
                return false;
            }
        }
        for (final SinkState sink : registry.sinks())
        {
            if (sink.spill != null && sink.spill.backlog() > 0)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitDrained(final Duration timeout)
    {
        return Idle.await(this::isDrained, System.nanoTime() + timeout.toNanos());
    }

    /**
     * Waits until every source has ended and its sinks have received everything.
     *
     * @param timeout the longest wait.
     * @return {@code true} if all sources completed in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean awaitSourcesCompleted(final Duration timeout) throws InterruptedException
    {
        return registry.awaitNoSource(System.nanoTime() + timeout.toNanos());
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Stop
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public void close()
    {
        stop(defaultStopTimeout);
    }

    @Override
    public StopResult stop(final Duration drainTimeout)
    {
        return shutdown.stop(drainTimeout);
    }

    private void checkRunning()
    {
        if (!shutdown.isRunning())
        {
            throw new IllegalStateException("router " + name + " is stopped");
        }
    }

    @Override
    public String toString()
    {
        return "Router[" + name + ", ringSize=" + ringSize + ", " + waitStrategy +
            (agents.length > 0 ? ", shared by " + agents.length + " agents" : ", dedicated") + "]";
    }
}
