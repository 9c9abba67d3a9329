package io.ringlink.internal;

import io.ringlink.Router;
import io.ringlink.RouterMXBean;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The {@link RouterMXBean} of one router, registered with the platform MBean server; {@link #close()} unregisters it.
 */
public final class RouterJmx implements RouterMXBean, AutoCloseable
{
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
    public SourceInfo[] getSources()
    {
        return router.metrics().sources().stream().map(SourceInfo::new).toArray(SourceInfo[]::new);
    }

    @Override
    public SinkInfo[] getSinks()
    {
        return router.metrics().sinks().stream().map(SinkInfo::new).toArray(SinkInfo[]::new);
    }

    @Override
    public LatencyInfo getLatency()
    {
        return new LatencyInfo(router.metrics().latency());
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
}
