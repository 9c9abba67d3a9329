package io.ringlink.aeron;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two hosts on one machine: a publisher JVM in one network namespace, a subscriber JVM in another, joined by a veth
 * pair, each with its own embedded driver, over UDP unicast and multicast. Needs root and {@code ip netns}: without
 * them these tests fail, saying so.
 */
class AcrossHostsTest
{
    /** -Dringlink.aeron.test.count=N changes the million. */
    private static final long COUNT = Long.getLong("ringlink.aeron.test.count", 1_000_000L);

    @TempDir
    Path dir;

    /**
     * A JVM running a class's main inside a namespace, its output in files under the test's directory.
     */
    public static final class NamespacedJvm implements AutoCloseable
    {
        final Process process;
        final Path out;
        final Path err;

        NamespacedJvm(final String namespace, final Path logDir, final Class<?> main, final String... args)
            throws IOException
        {
            final String name = main.getSimpleName() + "-" + namespace + "-" + System.nanoTime();
            out = logDir.resolve(name + ".out");
            err = logDir.resolve(name + ".err");
            process = new ProcessBuilder(NetworkNamespaces.inside(namespace, ChildJvm.command(main, args)))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        }

        String stdout()
        {
            return read(out);
        }

        String output()
        {
            return "--- stdout:\n" + stdout() + "--- stderr:\n" + read(err);
        }

        private static String read(final Path file)
        {
            try
            {
                return Files.exists(file) ? Files.readString(file) : "";
            }
            catch (final IOException ex)
            {
                return "(unreadable: " + ex + ")";
            }
        }

        int awaitExit(final Duration timeout) throws InterruptedException
        {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("did not exit within " + timeout + "\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close()
        {
            if (process.isAlive())
            {
                try
                {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void carry(final NetworkNamespaces hosts, final String publisherUri, final String subscriberUri)
        throws Exception
    {
        try (NamespacedJvm subscriber = new NamespacedJvm(hosts.b(), dir, AeronTestSupport.Subscriber.class,
            subscriberUri + "|dir=" + dir.resolve("b"), Long.toString(COUNT)))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> subscriber.stdout().contains("open") ||
                !subscriber.process.isAlive());
            try (NamespacedJvm publisher = new NamespacedJvm(hosts.a(), dir, AeronTestSupport.Publisher.class,
                publisherUri + "|connect-timeout=60s|wait=yielding|dir=" + dir.resolve("a"), Long.toString(COUNT)))
            {
                assertThat(subscriber.awaitExit(Duration.ofSeconds(180))).as(subscriber::output).isZero();
                assertThat(subscriber.stdout()).as(subscriber::output).contains("ok " + COUNT);
                assertThat(publisher.awaitExit(Duration.ofSeconds(60))).as(publisher::output).isZero();
                assertThat(publisher.stdout()).contains("done");
            }
        }
        assertThat(dir.resolve("a")).as("each side's driver directory is deleted").doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    @Timeout(300)
    void shouldCarryAMillionMessagesOverUdpUnicastBetweenTwoNamespaces() throws Exception
    {
        try (NetworkNamespaces hosts = NetworkNamespaces.create())
        {
            final String uri = "aeron:udp?endpoint=" + hosts.addressB() + ":40123|stream=21|codec=longs";
            carry(hosts, uri, uri);
        }
    }

    @Test
    @Timeout(300)
    void shouldCarryAMillionMessagesOverUdpMulticastBetweenTwoNamespaces() throws Exception
    {
        try (NetworkNamespaces hosts = NetworkNamespaces.create())
        {
            final String group = "aeron:udp?endpoint=239.255.90.1:40124|stream=22|codec=longs|interface=";
            carry(hosts, group + hosts.addressA(), group + hosts.addressB());
        }
    }
}
