package io.ringlink;

import io.ringlink.internal.DisruptorRouter;
import io.ringlink.internal.RouterMonitors;

import java.time.Duration;
import java.util.Optional;

/**
 * Routes every message of every source to every sink through one Disruptor ring per source.
 * <pre>
 *  source --pump--&gt; ring (one per source) --delivery--&gt; sink A
 *                     (or Publisher.publish)  +-delivery--&gt; sink B
 * </pre>
 * Per source, messages reach each sink in order; across sources there is no order. Sources and sinks may be added
 * and removed while messages flow: a sink added later receives what is published after it was added.
 * <pre>{@code
 * try (Router<String> router = Router.builder().name("quotes").build())
 * {
 *     router.write(queueA);
 *     router.write(queueB);
 *     Publisher<String> publisher = router.publisher("feed");
 *     publisher.publish("hello");
 * }
 * }</pre>
 *
 * @param <T> type of message.
 */
public interface Router<T> extends AutoCloseable
{
    /** Ring size when none is given. */
    int RING_SIZE_DEFAULT = 16384;

    /** Drain timeout of {@link #close()} when none is given. */
    Duration STOP_TIMEOUT_DEFAULT = Duration.ofSeconds(10);

    /**
     * Starts building a router.
     *
     * @return a builder with the defaults.
     */
    static Builder builder()
    {
        return new Builder();
    }

    /**
     * The router's name, used in thread names, logs and metrics.
     *
     * @return the name.
     */
    String name();

    /**
     * Adds a source: a pump thread moves its messages into a new ring, delivered to every sink.
     *
     * @param source a {@link Source}, a {@code BlockingQueue}, or any type {@code RingLink.link} accepts as source.
     * @return the id, for {@link #unregister(EndpointId)} and metrics.
     * @throws IllegalArgumentException if the type is not supported or the source is already registered.
     * @throws CircularLinkException    if the source would feed itself through this or other routers.
     * @throws IllegalStateException    if the router is stopped.
     */
    SourceId read(Object source);

    /**
     * Adds a sink, which from now on receives every message of every source.
     *
     * @param sink a {@link Sink}, a {@code BlockingQueue}, a {@code Consumer}, or any type {@code RingLink.link}
     *             accepts as destination.
     * @return the id, for {@link #unregister(EndpointId)} and metrics.
     * @throws IllegalArgumentException if the type is not supported or the sink is already registered.
     * @throws CircularLinkException    if the sink would feed a source of this router.
     * @throws IllegalStateException    if the router is stopped.
     */
    default SinkId write(final Object sink)
    {
        return write(sink, SinkOptions.block());
    }

    /**
     * Adds a sink with a slow-sink policy: what happens when it falls a full ring behind a source (see
     * {@link SinkOptions}).
     *
     * @param sink    as in {@link #write(Object)}.
     * @param options {@link SinkOptions#block()} (what {@link #write(Object)} uses), {@link SinkOptions#drop()},
     *                {@link SinkOptions#disconnectAfter(java.time.Duration)} or {@link SinkOptions#spill(String)}.
     * @return the id, for {@link #unregister(EndpointId)} and metrics.
     * @throws IllegalArgumentException if the type is not supported, the sink is already registered, or its spill
     *                                  queue already exists.
     * @throws CircularLinkException    if the sink would feed a source of this router.
     * @throws IllegalStateException    if the router is stopped.
     */
    SinkId write(Object sink, SinkOptions options);

    /**
     * A source written to directly from one thread at a time: the fastest path, no pump.
     *
     * @param name the source's name.
     * @return the publisher.
     * @throws IllegalStateException if the router is stopped.
     */
    Publisher<T> publisher(String name);

    /**
     * A source that several threads may publish to at once (a multi-producer ring).
     *
     * @param name the source's name.
     * @return the publisher.
     * @throws IllegalStateException if the router is stopped.
     */
    Publisher<T> concurrentPublisher(String name);

    /**
     * Removes a source or a sink without stopping anything else. A source stops being read and what is already in
     * its ring is still delivered; a sink stops receiving and is closed. Waits at most the default stop timeout: a
     * source whose ring is not delivered by then (a sink blocked) is given up, its sinks cut off from it, and what
     * they had not received is reported by the router's stop ({@link StopResult#undelivered()},
     * {@link StopResult#abandonedSinks()}).
     *
     * @param id the id returned at registration.
     * @return {@code true} if it was registered.
     * @throws IllegalStateException if the router is stopped.
     */
    boolean unregister(EndpointId id);

    /**
     * A snapshot of the counters; reading it changes nothing.
     *
     * @return the metrics.
     */
    RouterMetrics metrics();

    /**
     * Whether every ring is empty (every sink has every message) and no queue source holds anything.
     *
     * @return {@code true} when drained.
     */
    boolean isDrained();

    /**
     * Waits until {@link #isDrained()}.
     *
     * @param timeout the longest wait.
     * @return {@code true} if drained within the timeout.
     */
    boolean awaitDrained(Duration timeout);

    /**
     * Whether the router runs (not stopping or stopped).
     *
     * @return {@code true} while running.
     */
    boolean isRunning();

    /**
     * The first failure of a source, or of a sink under {@link SinkErrorPolicy#STOP_ROUTER}.
     *
     * @return the failure, if any.
     */
    Optional<Throwable> failure();

    /**
     * Stops the router: pumps move what their sources already hold, every ring is delivered, then every thread ends
     * and every sink is closed. All of it within {@code drainTimeout}, after which blocked sinks are interrupted and
     * reported. Idempotent: a second call returns the first result.
     *
     * @param drainTimeout the longest time to deliver what is in flight.
     * @return what was delivered and what was abandoned.
     */
    StopResult stop(Duration drainTimeout);

    /**
     * {@link #stop(Duration)} with the builder's stop timeout ({@link #STOP_TIMEOUT_DEFAULT} unless set).
     */
    @Override
    void close();

    /**
     * Builds a running {@link Router}. Values are checked once, in {@link #build()}.
     */
    final class Builder
    {
        private String name = "router";
        private int ringSize = RING_SIZE_DEFAULT;
        private WaitStrategy waitStrategy = WaitStrategy.BLOCKING;
        private boolean daemon;
        private SinkErrorPolicy errorPolicy = SinkErrorPolicy.KEEP;
        private boolean recordLatency;
        private Duration stopTimeout = STOP_TIMEOUT_DEFAULT;
        private boolean counters;
        private boolean jmx;
        private ThreadingMode threading = ThreadingMode.DEDICATED;
        private int deliveryThreads = Runtime.getRuntime().availableProcessors();

        Builder()
        {
        }

        /**
         * Names the router.
         *
         * @param name non-blank.
         * @return this.
         */
        public Builder name(final String name)
        {
            this.name = name;
            return this;
        }

        /**
         * Slots in each source's ring.
         *
         * @param ringSize a power of two, default {@link #RING_SIZE_DEFAULT}.
         * @return this.
         */
        public Builder ringSize(final int ringSize)
        {
            this.ringSize = ringSize;
            return this;
        }

        /**
         * How delivery threads wait for messages.
         *
         * @param waitStrategy default {@link WaitStrategy#BLOCKING}.
         * @return this.
         */
        public Builder waitStrategy(final WaitStrategy waitStrategy)
        {
            this.waitStrategy = waitStrategy;
            return this;
        }

        /**
         * Whether the router's threads are daemon threads.
         *
         * @param daemon default {@code false}: a running router keeps the JVM alive.
         * @return this.
         */
        public Builder daemon(final boolean daemon)
        {
            this.daemon = daemon;
            return this;
        }

        /**
         * What to do with a sink that throws.
         *
         * @param errorPolicy default {@link SinkErrorPolicy#KEEP}.
         * @return this.
         */
        public Builder errorPolicy(final SinkErrorPolicy errorPolicy)
        {
            this.errorPolicy = errorPolicy;
            return this;
        }

        /**
         * Records publish-to-delivery latency into an HdrHistogram, reported by {@link Router#metrics()}. Costs two
         * clock reads per message per sink; needs {@code org.hdrhistogram:HdrHistogram} on the class path.
         *
         * @param recordLatency default {@code false}.
         * @return this.
         */
        public Builder recordLatency(final boolean recordLatency)
        {
            this.recordLatency = recordLatency;
            return this;
        }

        /**
         * The drain timeout {@link Router#close()} uses.
         *
         * @param stopTimeout positive, default {@link #STOP_TIMEOUT_DEFAULT}.
         * @return this.
         */
        public Builder stopTimeout(final Duration stopTimeout)
        {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /**
         * Publishes the router's counters (per source published, backlog, pending, failed; per sink delivered, lag,
         * errors) in a memory-mapped file under {@code /dev/shm/ringlink-<user>/} (or {@code java.io.tmpdir}) that
         * {@code ringlink stat} and other processes read while the router runs. A sampler thread shared by every
         * such router of the JVM copies {@link Router#metrics()} into it every 100 ms: nothing is added to the path
         * of a message. Stopping the router removes the file; the file of a process that died is shown as stale.
         * Needs router-offheap on the class path (it provides the file, with Agrona).
         *
         * @param counters default {@code false}.
         * @return this.
         */
        public Builder counters(final boolean counters)
        {
            this.counters = counters;
            return this;
        }

        /**
         * How deliveries are threaded.
         *
         * @param threading default {@link ThreadingMode#DEDICATED}.
         * @return this.
         */
        public Builder threading(final ThreadingMode threading)
        {
            this.threading = threading;
            return this;
        }

        /**
         * Registers a {@link RouterMXBean} named {@code io.ringlink:type=Router,name=<name>} with the platform MBean
         * server while the router runs; its attributes are read from {@link Router#metrics()}. Names must then be
         * unique within the JVM.
         *
         * @param jmx default {@code false}.
         * @return this.
         */
        public Builder jmx(final boolean jmx)
        {
            this.jmx = jmx;
            return this;
        }

        /**
         * The number of delivery agents in {@link ThreadingMode#SHARED} (ignored in {@code DEDICATED}).
         *
         * @param deliveryThreads at least 1, default the number of available processors.
         * @return this.
         */
        public Builder deliveryThreads(final int deliveryThreads)
        {
            this.deliveryThreads = deliveryThreads;
            return this;
        }

        /**
         * Checks the values and starts the router.
         *
         * @param <T> type of message.
         * @return the running router.
         * @throws IllegalArgumentException naming the value that is out of range.
         * @throws IllegalStateException    if {@code counters(true)} finds no router-offheap on the class path, or
         *                                  {@code jmx(true)} finds the MXBean name taken.
         * @throws java.io.UncheckedIOException if the counters file cannot be created.
         */
        public <T> Router<T> build()
        {
            if (name == null || name.isBlank())
            {
                throw new IllegalArgumentException("name must not be blank: '" + name + "'");
            }
            if (ringSize < 1 || Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize must be a power of two, got " + ringSize);
            }
            if (waitStrategy == null)
            {
                throw new IllegalArgumentException("waitStrategy must not be null");
            }
            if (errorPolicy == null)
            {
                throw new IllegalArgumentException("errorPolicy must not be null");
            }
            if (stopTimeout == null || stopTimeout.isNegative() || stopTimeout.isZero())
            {
                throw new IllegalArgumentException("stopTimeout must be positive, got " + stopTimeout);
            }
            if (threading == null)
            {
                throw new IllegalArgumentException("threading must not be null");
            }
            if (deliveryThreads < 1)
            {
                throw new IllegalArgumentException("deliveryThreads must be at least 1, got " + deliveryThreads);
            }
            RouterMonitors.check(counters);
            final DisruptorRouter<T> router = new DisruptorRouter<>(name, ringSize, waitStrategy, daemon, errorPolicy,
                recordLatency, stopTimeout, threading == ThreadingMode.SHARED ? deliveryThreads : 0);
            RouterMonitors.attach(router, counters, jmx);
            return router;
        }
    }
}
