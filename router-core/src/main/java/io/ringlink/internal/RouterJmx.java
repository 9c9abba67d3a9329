package io.ringlink.internal;

import io.ringlink.Router;
import io.ringlink.RouterMXBean;
import io.ringlink.RouterMetrics;

import java.lang.management.ManagementFactory;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * The {@link RouterMXBean} of one router, registered with the platform MBean server; {@link #close()} unregisters it.
 */
public final class RouterJmx implements RouterMXBean, AutoCloseable
{
    private static final String[] SOURCE_ITEMS = {"id", "name", "published", "backlog", "pending", "failed"};
    private static final String[] SINK_ITEMS = {"id", "name", "delivered", "errors", "lag"};
    private static final String[] LATENCY_ITEMS = {"count", "p50", "p99", "p999", "max"};
    private static final CompositeType SOURCE = type("Source", "a source's counters", SOURCE_ITEMS,
        new OpenType<?>[]{SimpleType.LONG, SimpleType.STRING, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG,
            SimpleType.BOOLEAN});
    private static final CompositeType SINK = type("Sink", "a sink's counters", SINK_ITEMS,
        new OpenType<?>[]{SimpleType.LONG, SimpleType.STRING, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG});
    private static final CompositeType LATENCY = type("Latency", "publish-to-delivery latency, ns", LATENCY_ITEMS,
        new OpenType<?>[]{SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG});

    private final Router<?> router;
    private final MBeanServer server;
    private final ObjectName objectName;

    private RouterJmx(final Router<?> router, final MBeanServer server, final ObjectName objectName)
    {
        this.router = router;
        this.server = server;
        this.objectName = objectName;
    }

    /**
     * The name a router's MXBean is registered under.
     *
     * @param routerName the router's name, quoted when it holds a character JMX reserves.
     * @return {@code io.ringlink:type=Router,name=<name>}.
     */
    public static ObjectName objectName(final String routerName)
    {
        final String value = routerName.matches("[^,=:\"*?\\\\\\n]*") ? routerName : ObjectName.quote(routerName);
        try
        {
            return new ObjectName(DOMAIN + ":type=Router,name=" + value);
        }
        catch (final MalformedObjectNameException ex)
        {
            throw new IllegalArgumentException("router name '" + routerName + "' makes no JMX name", ex);
        }
    }

    /**
     * Registers the router's MXBean with the platform MBean server.
     *
     * @param router the router.
     * @return the registration; close it to unregister.
     * @throws IllegalStateException if another MXBean has that name (another router of that name in this JVM).
     */
    public static RouterJmx register(final Router<?> router)
    {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final RouterJmx bean = new RouterJmx(router, server, objectName(router.name()));
        try
        {
            server.registerMBean(bean, bean.objectName);
        }
        catch (final InstanceAlreadyExistsException ex)
        {
            throw new IllegalStateException("an MBean named " + bean.objectName + " is already registered: with " +
                "jmx(true), give each router of this JVM its own name", ex);
        }
        catch (final JMException ex)
        {
            throw new IllegalStateException("cannot register " + bean.objectName + ": " + ex, ex);
        }
        return bean;
    }

    @Override
    public String getName()
    {
        return router.name();
    }

    @Override
    public boolean isRunning()
    {
        return router.isRunning();
    }

    @Override
    public long getPublished()
    {
        return router.metrics().published();
    }

    @Override
    public long getDelivered()
    {
        return router.metrics().delivered();
    }

    @Override
    public long getErrors()
    {
        return router.metrics().errors();
    }

    @Override
    public long getBacklog()
    {
        return router.metrics().backlog();
    }

    @Override
    public CompositeData[] getSources()
    {
        final List<RouterMetrics.SourceMetrics> sources = router.metrics().sources();
        final CompositeData[] items = new CompositeData[sources.size()];
        for (int i = 0; i < items.length; i++)
        {
            final RouterMetrics.SourceMetrics source = sources.get(i);
            items[i] = data(SOURCE, SOURCE_ITEMS, source.id().id(), source.id().name(), source.published(),
                source.backlog(), source.pending(), source.failed());
        }
        return items;
    }

    @Override
    public CompositeData[] getSinks()
    {
        final List<RouterMetrics.SinkMetrics> sinks = router.metrics().sinks();
        final CompositeData[] items = new CompositeData[sinks.size()];
        for (int i = 0; i < items.length; i++)
        {
            final RouterMetrics.SinkMetrics sink = sinks.get(i);
            items[i] = data(SINK, SINK_ITEMS, sink.id().id(), sink.id().name(), sink.delivered(), sink.errors(),
                sink.lag());
        }
        return items;
    }

    @Override
    public CompositeData getLatency()
    {
        final RouterMetrics.Latency latency = router.metrics().latency();
        return data(LATENCY, LATENCY_ITEMS, latency.count(), latency.p50(), latency.p99(), latency.p999(),
            latency.max());
    }

    /**
     * Unregisters the MXBean; idempotent.
     */
    @Override
    public void close()
    {
        try
        {
            server.unregisterMBean(objectName);
        }
        catch (final InstanceNotFoundException ignore)
        {
            // Already unregistered.
        }
        catch (final JMException ex)
        {
            throw new IllegalStateException("cannot unregister " + objectName + ": " + ex, ex);
        }
    }

    @Override
    public String toString()
    {
        return "JMX " + objectName;
    }

    private static CompositeData data(final CompositeType type, final String[] items, final Object... values)
    {
        try
        {
            return new CompositeDataSupport(type, items, values);
        }
        catch (final OpenDataException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static CompositeType type(
        final String name, final String description, final String[] items, final OpenType<?>[] types)
    {
        try
        {
            return new CompositeType(name, description, items, items, types);
        }
        catch (final OpenDataException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }
}
