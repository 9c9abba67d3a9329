package io.ringlink.offheap.internal.counters;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What one router's counters file said when it was read.
 *
 * @param file       the file.
 * @param pid        the process that wrote it.
 * @param router     the router's name.
 * @param started    when the router started.
 * @param lastUpdate when the sampler last wrote it.
 * @param intervalMs how often the sampler writes it.
 * @param stale      {@code true} when the process is gone (or its pid now belongs to another process).
 * @param published  the router's messages published, removed sources included.
 * @param delivered  the router's deliveries, removed sinks included.
 * @param errors     deliveries that threw.
 * @param sources    the sources, by id.
 * @param sinks      the sinks, by id.
 * @param latency    publish-to-delivery latency, or {@code null} when the router records none.
 */
public record RouterCounters(
    Path file,
    long pid,
    String router,
    Instant started,
    Instant lastUpdate,
    int intervalMs,
    boolean stale,
    long published,
    long delivered,
    long errors,
    List<Source> sources,
    List<Sink> sinks,
    Latency latency)
{
    /**
     * A snapshot, copying the lists.
     *
     * @param file       the file.
     * @param pid        the process.
     * @param router     the name.
     * @param started    router start.
     * @param lastUpdate last update.
     * @param intervalMs update interval.
     * @param stale      whether the writer is gone.
     * @param published  published.
     * @param delivered  delivered.
     * @param errors     errors.
     * @param sources    sources.
     * @param sinks      sinks.
     * @param latency    latency or null.
     */
    public RouterCounters
    {
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
    }

    /**
     * A source's counters.
     *
     * @param id        its id in the router.
     * @param name      its name as the user wrote it.
     * @param published messages put into its ring.
     * @param backlog   messages in its ring not yet delivered to its slowest sink.
     * @param pending   messages waiting in the source itself, -1 if unknown.
     * @param failed    whether it ended with an error.
     */
    public record Source(long id, String name, long published, long backlog, long pending, boolean failed)
    {
    }

    /**
     * A sink's counters.
     *
     * @param id        its id in the router.
     * @param name      its name as the user wrote it.
     * @param delivered messages delivered to it.
     * @param lag       messages published to its sources that it has not received yet.
     * @param errors    deliveries that threw.
     * @param dropped   messages it missed under the {@code drop} slow-sink policy.
     */
    public record Sink(long id, String name, long delivered, long lag, long errors, long dropped)
    {
    }

    /**
     * Latency percentiles in nanoseconds.
     *
     * @param count samples.
     * @param p50   median.
     * @param p99   99th percentile.
     * @param p999  99.9th percentile.
     * @param max   largest.
     */
    public record Latency(long count, long p50, long p99, long p999, long max)
    {
    }
}
