package io.ringlink.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;

/**
 * A router's {@link Router#metrics()} as Micrometer meters, tagged {@code router}, and {@code source} or {@code sink}
 * with the endpoint's name:
 * <pre>
 *  ringlink.router.published, .delivered, .errors   function counters   router
 *  ringlink.router.backlog                          gauge               router
 *  ringlink.source.published                        function counter    router, source
 *  ringlink.source.backlog, .pending, .failed       gauges              router, source
 *  ringlink.source.gaps                             function counter    router, source
 *  ringlink.sink.delivered, .errors                 function counters   router, sink
 *  ringlink.sink.lag                                gauge               router, sink
 *  ringlink.router.latency (seconds)                gauge               router, quantile = 0.5 | 0.99 | 0.999 | 1.0
 * </pre>
 * Every meter reads one snapshot of the router's counters, retaken when it is older than 10 ms, so a scrape sees one
 * consistent picture and costs the router one {@code metrics()} call. Sources and sinks registered after
 * {@link #bindTo(MeterRegistry)} get their meters, and removed ones lose theirs, when the meters are next read; the
 * latency meters appear once the router (built with {@code recordLatency(true)}) has recorded a delivery.
 * <pre>{@code
 * new RouterMeterBinder(router).bindTo(registry);
 * }</pre>
 * The meters hold the router weakly, as Micrometer's binders do: once the router is gone they read NaN.
 */
public final class RouterMeterBinder implements MeterBinder
{
    /** Prefix of every meter's name. */
    public static final String PREFIX = "ringlink.";

    private static final long SNAPSHOT_MAX_AGE_NANOS = 10_000_000L;
    private static final double NANOS_PER_SECOND = 1e9;

    private final Router<?> router;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    private final Map<String, List<Meter>> endpointMeters = new HashMap<>();
    private final Tags routerTags;
    private Snapshot snapshot;
    private boolean latencyBound;

    /**
     * A binder for one router.
     *
     * @param router the router; a {@link Router#name()} tags its meters.
     */
    public RouterMeterBinder(final Router<?> router)
    {
        this.router = router;
        this.routerTags = Tags.of("router", router.name());
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        registries.add(registry);
        counter(registry, "router.published", "messages published into all rings", routerTags,
            (metrics) -> metrics.metrics.published());
        counter(registry, "router.delivered", "deliveries to all sinks", routerTags,
            (metrics) -> metrics.metrics.delivered());
        counter(registry, "router.errors", "deliveries that threw", routerTags,
            (metrics) -> metrics.metrics.errors());
        gauge(registry, "router.backlog", "messages not yet delivered to the slowest sink, and queued in sources",
            routerTags, (metrics) -> metrics.metrics.backlog());
        synchronized (this)
        {
            // Meters of every endpoint again, for every registry: those a registry has already are returned as is.
            endpointMeters.clear();
            latencyBound = false;
            snapshot = null;
            snapshot();
        }
    }

    /** The current snapshot, retaken when old; adds and removes endpoint meters as endpoints came and went. */
    private synchronized Snapshot snapshot()
    {
        final long now = System.nanoTime();
        if (snapshot != null && now - snapshot.takenAt < SNAPSHOT_MAX_AGE_NANOS)
        {
            return snapshot;
        }
        snapshot = new Snapshot(router.metrics(), now);
        syncMeters(snapshot);
        return snapshot;
    }

    private void syncMeters(final Snapshot current)
    {
        final Set<String> present = new HashSet<>();
        for (final RouterMetrics.SourceMetrics source : current.metrics.sources())
        {
            final long id = source.id().id();
            final String key = "source " + id;
            present.add(key);
            if (!endpointMeters.containsKey(key))
            {
                final Tags tags = routerTags.and("source", source.id().name());
                final List<Meter> meters = new ArrayList<>();
                for (final MeterRegistry registry : registries)
                {
                    meters.add(counter(registry, "source.published", "messages put into the source's ring", tags,
                        (metrics) -> source(metrics, id).published()));
                    meters.add(gauge(registry, "source.backlog", "messages in its ring not yet delivered to its " +
                        "slowest sink", tags, (metrics) -> source(metrics, id).backlog()));
                    meters.add(gauge(registry, "source.pending", "messages waiting in the source itself, -1 if " +
                        "unknown", tags, (metrics) -> source(metrics, id).pending()));
                    meters.add(gauge(registry, "source.failed", "1 if the source ended with an error", tags,
                        (metrics) -> source(metrics, id).failed() ? 1 : 0));
                    meters.add(counter(registry, "source.gaps", "breaks in the source's stream where messages may " +
                        "have been lost", tags, (metrics) -> source(metrics, id).gaps()));
                }
                endpointMeters.put(key, meters);
            }
        }
        for (final RouterMetrics.SinkMetrics sink : current.metrics.sinks())
        {
            final long id = sink.id().id();
            final String key = "sink " + id;
            present.add(key);
            if (!endpointMeters.containsKey(key))
            {
                final Tags tags = routerTags.and("sink", sink.id().name());
                final List<Meter> meters = new ArrayList<>();
                for (final MeterRegistry registry : registries)
                {
                    meters.add(counter(registry, "sink.delivered", "messages delivered to the sink", tags,
                        (metrics) -> sink(metrics, id).delivered()));
                    meters.add(counter(registry, "sink.errors", "deliveries to the sink that threw", tags,
                        (metrics) -> sink(metrics, id).errors()));
                    meters.add(gauge(registry, "sink.lag", "messages published to its sources it has not received",
                        tags, (metrics) -> sink(metrics, id).lag()));
                }
                endpointMeters.put(key, meters);
            }
        }
        endpointMeters.entrySet().removeIf((entry) ->
        {
            if (present.contains(entry.getKey()))
            {
                return false;
            }
            for (final Meter meter : entry.getValue())
            {
                for (final MeterRegistry registry : registries)
                {
                    registry.remove(meter);
                }
            }
            return true;
        });
        if (!latencyBound && current.metrics.latency().count() > 0)
        {
            latencyBound = true;
            for (final MeterRegistry registry : registries)
            {
                latency(registry, "0.5", (latency) -> latency.p50());
                latency(registry, "0.99", (latency) -> latency.p99());
                latency(registry, "0.999", (latency) -> latency.p999());
                latency(registry, "1.0", (latency) -> latency.max());
            }
        }
    }

    private void latency(final MeterRegistry registry, final String quantile,
        final ToDoubleFunction<RouterMetrics.Latency> nanos)
    {
        Gauge.builder(PREFIX + "router.latency", router,
                (ignored) -> nanos.applyAsDouble(snapshot().metrics.latency()) / NANOS_PER_SECOND)
            .tags(routerTags.and("quantile", quantile))
            .description("publish-to-delivery latency at the quantile (1.0: the largest)")
            .baseUnit("seconds")
            .register(registry);
    }

    private Meter counter(final MeterRegistry registry, final String name, final String description, final Tags tags,
        final ToDoubleFunction<Snapshot> value)
    {
        return FunctionCounter.builder(PREFIX + name, router, (ignored) -> value.applyAsDouble(snapshot()))
            .tags(tags).description(description).baseUnit("messages").register(registry);
    }

    private Meter gauge(final MeterRegistry registry, final String name, final String description, final Tags tags,
        final ToDoubleFunction<Snapshot> value)
    {
        return Gauge.builder(PREFIX + name, router, (ignored) -> value.applyAsDouble(snapshot()))
            .tags(tags).description(description).baseUnit(name.endsWith(".failed") ? null : "messages")
            .register(registry);
    }

    private static RouterMetrics.SourceMetrics source(final Snapshot snapshot, final long id)
    {
        final RouterMetrics.SourceMetrics source = snapshot.sources.get(id);
        return source != null ? source : new RouterMetrics.SourceMetrics(null, 0, 0, 0, false);
    }

    private static RouterMetrics.SinkMetrics sink(final Snapshot snapshot, final long id)
    {
        final RouterMetrics.SinkMetrics sink = snapshot.sinks.get(id);
        return sink != null ? sink : new RouterMetrics.SinkMetrics(null, 0, 0, 0, 0);
    }

    /** One {@code metrics()} call, indexed by endpoint id. */
    private static final class Snapshot
    {
        final RouterMetrics metrics;
        final long takenAt;
        final Map<Long, RouterMetrics.SourceMetrics> sources = new HashMap<>();
        final Map<Long, RouterMetrics.SinkMetrics> sinks = new HashMap<>();

        Snapshot(final RouterMetrics metrics, final long takenAt)
        {
            this.metrics = metrics;
            this.takenAt = takenAt;
            metrics.sources().forEach((source) -> sources.put(source.id().id(), source));
            metrics.sinks().forEach((sink) -> sinks.put(sink.id().id(), sink));
        }
    }
}
