package io.ringlink;

import javax.management.openmbean.CompositeData;

/**
 * A router seen through JMX, registered as {@code io.ringlink:type=Router,name=<name>} when the router was built with
 * {@link Router.Builder#jmx(boolean) jmx(true)} and unregistered when it stops. Every attribute is read from
 * {@link Router#metrics()} when asked for; nothing is sampled or cached.
 * <pre>{@code
 * RouterMXBean bean = JMX.newMXBeanProxy(connection,
 *     new ObjectName("io.ringlink:type=Router,name=quotes"), RouterMXBean.class);
 * long lag = bean.getSinks()[0].getLag();
 * }</pre>
 */
public interface RouterMXBean
{
    /** The JMX domain. */
    String DOMAIN = "io.ringlink";

    /**
     * The router's name.
     *
     * @return {@link Router#name()}.
     */
    String getName();

    /**
     * Whether the router runs.
     *
     * @return {@link Router#isRunning()}.
     */
    boolean isRunning();

    /**
     * Messages published into all rings since the router started.
     *
     * @return {@link RouterMetrics#published()}.
     */
    long getPublished();

    /**
     * Deliveries to all sinks since the router started.
     *
     * @return {@link RouterMetrics#delivered()}.
     */
    long getDelivered();

    /**
     * Deliveries that threw.
     *
     * @return {@link RouterMetrics#errors()}.
     */
    long getErrors();

    /**
     * Messages not yet delivered to the slowest sink, plus what queue sources hold.
     *
     * @return {@link RouterMetrics#backlog()}.
     */
    long getBacklog();

    /**
     * One item per source, as in {@link RouterMetrics.SourceMetrics}; a JMX client sees composite data with items
     * {@code id}, {@code name}, {@code published}, {@code backlog}, {@code pending} and {@code failed}.
     *
     * @return the sources.
     */
    SourceInfo[] getSources();

    /**
     * One item per sink, as in {@link RouterMetrics.SinkMetrics}; a JMX client sees composite data with items
     * {@code id}, {@code name}, {@code delivered}, {@code errors} and {@code lag}.
     *
     * @return the sinks.
     */
    SinkInfo[] getSinks();

    /**
     * Publish-to-delivery latency in nanoseconds (composite data {@code count}, {@code p50}, {@code p99},
     * {@code p999}, {@code max}), all zero unless the router records latency.
     *
     * @return the latency.
     */
    LatencyInfo getLatency();

    /**
     * A source's counters as JMX shows them.
     */
    final class SourceInfo
    {
        private final RouterMetrics.SourceMetrics metrics;

        /**
         * Wraps a snapshot's source.
         *
         * @param metrics the source's counters.
         */
        public SourceInfo(final RouterMetrics.SourceMetrics metrics)
        {
            this.metrics = metrics;
        }

        /**
         * Rebuilds one from JMX composite data, for MXBean proxies.
         *
         * @param data items as {@link RouterMXBean#getSources()} lists.
         * @return the source.
         */
        public static SourceInfo from(final CompositeData data)
        {
            return new SourceInfo(new RouterMetrics.SourceMetrics(
                new SourceId((Long)data.get("id"), (String)data.get("name")), (Long)data.get("published"),
                (Long)data.get("backlog"), (Long)data.get("pending"), (Boolean)data.get("failed"),
                data.containsKey("gaps") ? (Long)data.get("gaps") : 0));
        }

        /**
         * The source's id in the router.
         *
         * @return the id.
         */
        public long getId()
        {
            return metrics.id().id();
        }

        /**
         * The source's name.
         *
         * @return the name.
         */
        public String getName()
        {
            return metrics.id().name();
        }

        /**
         * Messages put into its ring.
         *
         * @return the count.
         */
        public long getPublished()
        {
            return metrics.published();
        }

        /**
         * Messages in its ring not yet delivered to its slowest sink.
         *
         * @return the count.
         */
        public long getBacklog()
        {
            return metrics.backlog();
        }

        /**
         * Messages waiting in the source itself, -1 if unknown.
         *
         * @return the count.
         */
        public long getPending()
        {
            return metrics.pending();
        }

        /**
         * Whether the source ended with an error.
         *
         * @return {@code true} if it failed.
         */
        public boolean isFailed()
        {
            return metrics.failed();
        }

        /**
         * Breaks the source noticed in its stream where messages may have been lost.
         *
         * @return the count.
         */
        public long getGaps()
        {
            return metrics.gaps();
        }
    }

    /**
     * A sink's counters as JMX shows them.
     */
    final class SinkInfo
    {
        private final RouterMetrics.SinkMetrics metrics;

        /**
         * Wraps a snapshot's sink.
         *
         * @param metrics the sink's counters.
         */
        public SinkInfo(final RouterMetrics.SinkMetrics metrics)
        {
            this.metrics = metrics;
        }

        /**
         * Rebuilds one from JMX composite data, for MXBean proxies.
         *
         * @param data items as {@link RouterMXBean#getSinks()} lists.
         * @return the sink.
         */
        public static SinkInfo from(final CompositeData data)
        {
            return new SinkInfo(new RouterMetrics.SinkMetrics(
                new SinkId((Long)data.get("id"), (String)data.get("name")), (Long)data.get("delivered"),
                (Long)data.get("errors"), (Long)data.get("lag"),
                data.containsKey("dropped") ? (Long)data.get("dropped") : 0L));
        }

        /**
         * The sink's id in the router.
         *
         * @return the id.
         */
        public long getId()
        {
            return metrics.id().id();
        }

        /**
         * The sink's name.
         *
         * @return the name.
         */
        public String getName()
        {
            return metrics.id().name();
        }

        /**
         * Messages delivered to it.
         *
         * @return the count.
         */
        public long getDelivered()
        {
            return metrics.delivered();
        }

        /**
         * Deliveries that threw.
         *
         * @return the count.
         */
        public long getErrors()
        {
            return metrics.errors();
        }

        /**
         * Messages published to its sources that it has not received yet.
         *
         * @return the count.
         */
        public long getLag()
        {
            return metrics.lag();
        }
    }

    /**
     * Latency percentiles as JMX shows them, in nanoseconds.
     */
    final class LatencyInfo
    {
        private final RouterMetrics.Latency latency;

        /**
         * Wraps a snapshot's latency.
         *
         * @param latency the percentiles.
         */
        public LatencyInfo(final RouterMetrics.Latency latency)
        {
            this.latency = latency;
        }

        /**
         * Rebuilds one from JMX composite data, for MXBean proxies.
         *
         * @param data items as {@link RouterMXBean#getLatency()} has them.
         * @return the latency.
         */
        public static LatencyInfo from(final CompositeData data)
        {
            return new LatencyInfo(new RouterMetrics.Latency((Long)data.get("count"), (Long)data.get("p50"),
                (Long)data.get("p99"), (Long)data.get("p999"), (Long)data.get("max")));
        }

        /**
         * Deliveries recorded.
         *
         * @return the count.
         */
        public long getCount()
        {
            return latency.count();
        }

        /**
         * Median.
         *
         * @return ns.
         */
        public long getP50()
        {
            return latency.p50();
        }

        /**
         * 99th percentile.
         *
         * @return ns.
         */
        public long getP99()
        {
            return latency.p99();
        }

        /**
         * 99.9th percentile.
         *
         * @return ns.
         */
        public long getP999()
        {
            return latency.p999();
        }

        /**
         * Largest.
         *
         * @return ns.
         */
        public long getMax()
        {
            return latency.max();
        }
    }
}
