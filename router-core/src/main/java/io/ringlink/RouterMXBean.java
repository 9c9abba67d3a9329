package io.ringlink;

import javax.management.openmbean.CompositeData;

/**
 * A router seen through JMX, registered as {@code io.ringlink:type=Router,name=<name>} when the router was built with
 * {@link Router.Builder#jmx(boolean) jmx(true)} and unregistered when it stops. Every attribute is read from
 * {@link Router#metrics()} when asked for; nothing is sampled or cached.
 * <pre>{@code
 * RouterMXBean bean = JMX.newMXBeanProxy(connection,
 *     new ObjectName("io.ringlink:type=Router,name=quotes"), RouterMXBean.class);
 * long lag = (Long)bean.getSinks()[0].get("lag");
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
     * One item per source, with items {@code id} (long), {@code name} (String), {@code published}, {@code backlog},
     * {@code pending} (long) and {@code failed} (boolean), as in {@link RouterMetrics.SourceMetrics}.
     *
     * @return the sources.
     */
    CompositeData[] getSources();

    /**
     * One item per sink, with items {@code id} (long), {@code name} (String), {@code delivered}, {@code errors} and
     * {@code lag} (long), as in {@link RouterMetrics.SinkMetrics}.
     *
     * @return the sinks.
     */
    CompositeData[] getSinks();

    /**
     * Publish-to-delivery latency in nanoseconds, items {@code count}, {@code p50}, {@code p99}, {@code p999} and
     * {@code max} (long), all zero unless the router records latency.
     *
     * @return the latency.
     */
    CompositeData getLatency();
}
