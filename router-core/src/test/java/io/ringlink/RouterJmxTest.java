package io.ringlink;

import com.sun.tools.attach.VirtualMachine;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code Router.builder().jmx(true)}: the MXBean's attributes equal {@link Router#metrics()} at a quiescent point, in
 * this JVM and from another one; it goes away on close. And {@code counters(true)} without router-offheap.
 */
@Timeout(120)
class RouterJmxTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldExposeTheMetricsSnapshotThroughThePlatformMBeanServerUntilClose() throws Exception
    {
        final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        final ObjectName name = new ObjectName("io.ringlink:type=Router,name=jmx-local");
        final CountDownLatch release = new CountDownLatch(1);
        try (Router<Integer> router = Router.builder().name("jmx-local").jmx(true).recordLatency(true).build())
        {
            router.write(new LinkedBlockingQueue<Integer>());
            router.write((java.util.function.Consumer<Integer>)(message) -> awaitQuietly(release));
            final Publisher<Integer> feed = router.publisher("feed");
            for (int i = 0; i < 20; i++)
            {
                feed.publish(i);
            }
            await().atMost(WAIT).until(() -> router.metrics().sinks().get(0).delivered() == 20);
            assertThat(server.isRegistered(name)).isTrue();
            assertThat(describe(server, name)).isEqualTo(describe(router.metrics()));
            assertThat((Long)server.getAttribute(name, "Backlog")).isPositive();

            release.countDown();
            assertThat(router.awaitDrained(WAIT)).isTrue();
            final RouterMXBean proxy = JMX.newMXBeanProxy(server, name, RouterMXBean.class);
            assertThat(proxy.getName()).isEqualTo("jmx-local");
            assertThat(proxy.isRunning()).isTrue();
            assertThat(proxy.getBacklog()).isZero();
            assertThat(proxy.getLatency().getCount()).isEqualTo(router.metrics().latency().count());
            assertThat(proxy.getSinks()[0].getDelivered()).isEqualTo(20);
            assertThat(describe(server, name)).isEqualTo(describe(router.metrics()));
        }
        assertThat(server.isRegistered(name)).isFalse();
    }

    @Test
    void shouldRefuseASecondRouterOfTheSameNameAndLeaveTheFirstRegistered() throws Exception
    {
        final ObjectName name = new ObjectName("io.ringlink:type=Router,name=twice");
        try (Router<String> first = Router.builder().name("twice").jmx(true).build())
        {
            assertThatThrownBy(() -> Router.builder().name("twice").jmx(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("io.ringlink:type=Router,name=twice");
            assertThat(ManagementFactory.getPlatformMBeanServer().isRegistered(name)).isTrue();
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void shouldQuoteANameThatHoldsCharactersJmxReserves() throws Exception
    {
        try (Router<String> router = Router.builder().name("a,b=c:d").jmx(true).build())
        {
            final ObjectName name = new ObjectName("io.ringlink:type=Router,name=" + ObjectName.quote("a,b=c:d"));
            assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Name")).isEqualTo("a,b=c:d");
            assertThat(router.isRunning()).isTrue();
        }
    }

    @Test
    void shouldFailCountersNamingRouterOffheapWhenItIsNotOnTheClassPath()
    {
        assertThatThrownBy(() -> Router.builder().name("no-counters").counters(true).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("router-offheap");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch((thread) -> thread.getName().contains("no-counters"));
    }

    @Test
    void shouldShowTheSameAttributesToAJmxClientInAnotherJvm() throws Exception
    {
        try (ChildJvm child = ChildJvm.start(dir, JmxRouter.class))
        {
            await().atMost(WAIT).until(() -> child.stdout().contains("ready "));
            final String expected = child.stdout().lines().filter((line) -> line.startsWith("ready "))
                .findFirst().orElseThrow().substring("ready ".length());
            final VirtualMachine vm = VirtualMachine.attach(Long.toString(child.process().pid()));
            final String address;
            try
            {
                address = vm.startLocalManagementAgent();
            }
            finally
            {
                vm.detach();
            }
            final ObjectName name = new ObjectName("io.ringlink:type=Router,name=remote");
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address)))
            {
                final MBeanServerConnection connection = connector.getMBeanServerConnection();
                assertThat(describe(connection, name)).isEqualTo(expected);
                final OutputStream stdin = child.process().getOutputStream();
                stdin.write("close\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                await().atMost(WAIT).until(() -> child.stdout().contains("closed"));
                assertThat(connection.isRegistered(name)).isFalse();
            }
            child.process().getOutputStream().close();
            assertThat(child.awaitExit(WAIT)).as(child.output()).isZero();
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The attributes, as one line that {@link #describe(RouterMetrics)} writes alike for the same snapshot. */
    static String describe(final MBeanServerConnection server, final ObjectName name) throws Exception
    {
        final List<String> parts = new ArrayList<>();
        parts.add(server.getAttribute(name, "Name") + " published=" + server.getAttribute(name, "Published") +
            " delivered=" + server.getAttribute(name, "Delivered") + " errors=" + server.getAttribute(name, "Errors") +
            " backlog=" + server.getAttribute(name, "Backlog"));
        for (final CompositeData source : (CompositeData[])server.getAttribute(name, "Sources"))
        {
            parts.add("source " + source.get("id") + " " + source.get("name") + " " + source.get("published") + "/" +
                source.get("backlog") + "/" + source.get("pending") + "/" + source.get("failed") + "/" +
                source.get("gaps"));
        }
        for (final CompositeData sink : (CompositeData[])server.getAttribute(name, "Sinks"))
        {
            parts.add("sink " + sink.get("id") + " " + sink.get("name") + " " + sink.get("delivered") + "/" +
                sink.get("errors") + "/" + sink.get("lag"));
        }
        return String.join("; ", parts);
    }

    static String describe(final RouterMetrics metrics)
    {
        final List<String> parts = new ArrayList<>();
        parts.add(metrics.router() + " published=" + metrics.published() + " delivered=" + metrics.delivered() +
            " errors=" + metrics.errors() + " backlog=" + metrics.backlog());
        for (final RouterMetrics.SourceMetrics source : metrics.sources())
        {
            parts.add("source " + source.id().id() + " " + source.id().name() + " " + source.published() + "/" +
                source.backlog() + "/" + source.pending() + "/" + source.failed() + "/" + source.gaps());
        }
        for (final RouterMetrics.SinkMetrics sink : metrics.sinks())
        {
            parts.add("sink " + sink.id().id() + " " + sink.id().name() + " " + sink.delivered() + "/" +
                sink.errors() + "/" + sink.lag());
        }
        return String.join("; ", parts);
    }

    /** A router named "remote" with JMX on; prints its metrics once quiescent, closes on "close". */
    public static final class JmxRouter
    {
        private JmxRouter()
        {
        }

        /**
         * Runs it.
         *
         * @param args none.
         * @throws Exception on failure.
         */
        public static void main(final String[] args) throws Exception
        {
            final Router<Integer> router = Router.builder().name("remote").jmx(true).build();
            final LinkedBlockingQueue<Integer> queue = new LinkedBlockingQueue<>();
            router.write(queue);
            final Publisher<Integer> feed = router.publisher("feed");
            for (int i = 0; i < 100; i++)
            {
                feed.publish(i);
            }
            if (!router.awaitDrained(WAIT))
            {
                throw new AssertionError("not drained");
            }
            System.out.println("ready " + describe(router.metrics()));
            System.out.flush();
            final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = stdin.readLine()) != null)
            {
                if (line.equals("close"))
                {
                    router.close();
                    System.out.println("closed");
                    System.out.flush();
                }
            }
        }
    }
}
