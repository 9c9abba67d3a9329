package io.ringlink;

import java.time.Duration;
import java.util.List;

/**
 * An immutable snapshot of a router's counters. Taking a snapshot resets nothing: two snapshots with no traffic in
 * between are equal.
 *
 * @param router    the router's name.
 * @param sources   one entry per registered source.
 * @param sinks     one entry per registered sink.
 * @param published messages published into all rings since the router started, removed sources included.
 * @param delivered deliveries to all sinks since the router started (one message to three sinks is three).
 * @param errors    deliveries that threw.
 * @param latency   publish-to-delivery latency, or {@link Latency#NONE} when not recorded.
 * @param disconnectedSinks sinks removed because they held a producer longer than their
 *                  {@link SinkOptions#disconnectAfter(Duration)} allows.
 */
public record RouterMetrics(
    String router,
    List<SourceMetrics> sources,
    List<SinkMetrics> sinks,
    long published,
    long delivered,
    long errors,
    Latency latency,
    long disconnectedSinks)
{
    /**
     * Creates a snapshot, copying the lists.
     *
     * @param router    name.
     * @param sources   per source.
     * @param sinks     per sink.
     * @param published total published.
     * @param delivered total delivered.
     * @param errors    total errors.
     * @param latency   latency percentiles.
     * @param disconnectedSinks sinks disconnected for holding a producer.
     */
    public RouterMetrics
    {
        sources = List.copyOf(sources);
        sinks = List.copyOf(sinks);
    }

    /**
     * Total backlog: messages published but not yet delivered to the slowest sink, plus what queue sources hold.
     *
     * @return the backlog.
     */
    public long backlog()
    {
        long total = 0;
        for (final SourceMetrics source : sources)
        {
            total += source.backlog() + Math.max(0, source.pending());
        }
        return total;
    }

    /**
     * Counters of one source.
     *
     * @param id        the source.
     * @param published messages put into its ring.
     * @param backlog   messages in its ring not yet delivered to its slowest sink.
     * @param pending   messages waiting in the source itself (a queue's size), {@code -1} if unknown.
     * @param failed    {@code true} if the source ended with an error.
     * @param gaps      breaks the source noticed in its stream where messages may have been lost
     *                  ({@link Source#gaps()}: a network subscriber that joined mid-stream, a publisher that died).
     */
    public record SourceMetrics(SourceId id, long published, long backlog, long pending, boolean failed, long gaps)
    {
        /**
         * Counters of a source that cannot have gaps.
         *
         * @param id        the source.
         * @param published messages put into its ring.
         * @param backlog   messages in its ring not yet delivered to its slowest sink.
         * @param pending   messages waiting in the source itself, {@code -1} if unknown.
         * @param failed    {@code true} if the source ended with an error.
         */
        public SourceMetrics(
            final SourceId id, final long published, final long backlog, final long pending, final boolean failed)
        {
            this(id, published, backlog, pending, failed, 0);
        }
    }

    /**
     * Counters of one sink.
     *
     * @param id        the sink.
     * @param delivered messages delivered to it, from all sources.
     * @param errors    deliveries that threw.
     * @param lag       messages published to its sources' rings that it has not received yet (for a
     *                  {@link SinkOptions#spill(String)} sink, including what waits in its spill queue).
     * @param dropped   messages it missed under {@link SinkOptions#drop()}.
     */
    public record SinkMetrics(SinkId id, long delivered, long errors, long lag, long dropped)
    {
    }

    /**
     * Publish-to-delivery latency percentiles, in nanoseconds.
     *
     * @param count   deliveries recorded.
     * @param p50     median.
     * @param p99     99th percentile.
     * @param p999    99.9th percentile.
     * @param max     largest.
     */
    public record Latency(long count, long p50, long p99, long p999, long max)
    {
        /**
         * No latency recorded.
         */
        public static final Latency NONE = new Latency(0, 0, 0, 0, 0);
    }
}
