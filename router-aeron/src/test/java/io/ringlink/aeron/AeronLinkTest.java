package io.ringlink.aeron;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.WaitStrategy;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.MessageTooLargeException;
import io.ringlink.test.ChildJvm;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code aeron:} links between JVMs on this host and inside one JVM: order, fan-out, gaps, back pressure, limits.
 * Every driver directory is under the test's temp dir.
 */
class AeronLinkTest
{
    /** -Dringlink.aeron.test.count=N changes the million of the cross-JVM runs. */
    private static final long MILLION = Long.getLong("ringlink.aeron.test.count", 1_000_000L);

    @TempDir
    Path dir;

    private String udp(final int port, final String keys)
    {
        return "aeron:udp?endpoint=localhost:" + port + "|codec=longs|" + keys;
    }

    private void carryBetweenJvms(final String sourceUri, final String childUri) throws Exception
    {
        final AeronTestSupport.SequenceChecker checker = new AeronTestSupport.SequenceChecker(false);
        try (Router<Object> router = Router.builder().name("aeron-million").ringSize(1 << 14)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            final AeronSource<?> source = AeronSource.open(sourceUri);
            router.read(source);
            router.write((java.util.function.Consumer<Object>)checker);
            try (ChildJvm publisher = ChildJvm.start(dir, AeronTestSupport.Publisher.class, childUri,
                String.valueOf(MILLION)))
            {
                await().atMost(Duration.ofSeconds(150)).until(() -> checker.received.get() >= MILLION ||
                    checker.error.get() != null || !publisher.process().isAlive() && checker.received.get() == 0);
                assertThat(checker.error.get()).isNull();
                assertThat(publisher.awaitExit(Duration.ofSeconds(60))).as(publisher.output()).isZero();
                assertThat(publisher.stdout()).contains("done");
            }
            assertThat(checker.received.get()).isEqualTo(MILLION);
            assertThat(source.gaps()).isZero();
        }
    }

    @Test
    @Timeout(240)
    void shouldCarryAMillionMessagesOverUdpLoopbackBetweenJvmsInOrder() throws Exception
    {
        final int port = AeronTestSupport.freeUdpPort();
        carryBetweenJvms(
            udp(port, "stream=11|dir=" + dir.resolve("sub")),
            udp(port, "stream=11|wait=yielding|connect-timeout=60s|dir=" + dir.resolve("pub")));
        assertThat(dir.resolve("sub")).doesNotExist();
    }

    @Test
    @Timeout(240)
    void shouldCarryAMillionMessagesOverIpcBetweenJvmsOnOneDriver() throws Exception
    {
        final Path driverDir = dir.resolve("shared-driver");
        carryBetweenJvms(
            "aeron:ipc?stream=12|codec=longs|dir=" + driverDir,
            "aeron:ipc?stream=12|codec=longs|wait=yielding|connect-timeout=60s|driver=external|dir=" + driverDir);
        assertThat(driverDir).doesNotExist();
    }

    @Test
    @Timeout(120)
    void shouldFanOutOneSourceToAnAeronSinkAndALocalQueue() throws Exception
    {
        final int count = 100_000;
        final int port = AeronTestSupport.freeUdpPort();
        final String uri = udp(port, "stream=13|connect-timeout=30s|dir=" + dir.resolve("d"));
        final BlockingQueue<Object> input = new ArrayBlockingQueue<>(1024);
        final BlockingQueue<Object> local = new LinkedBlockingQueue<>();
        final AeronTestSupport.SequenceChecker remote = new AeronTestSupport.SequenceChecker(false);
        try (Link received = RingLink.link(uri, (java.util.function.Consumer<Object>)remote);
            Link link = RingLink.link(input, uri, local))
        {
            for (long i = 0; i < count; i++)
            {
                input.put(i);
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> remote.received.get() >= count &&
                local.size() >= count || remote.error.get() != null);
            assertThat(remote.error.get()).isNull();
            assertThat(remote.received.get()).isEqualTo(count);
            final AeronTestSupport.SequenceChecker localChecker = new AeronTestSupport.SequenceChecker(false);
            local.forEach(localChecker);
            assertThat(localChecker.error.get()).isNull();
            assertThat(localChecker.received.get()).isEqualTo(count);
            assertThat(link.failure()).isEmpty();
            assertThat(received.failure()).isEmpty();
        }
        assertThat(dir.resolve("d")).doesNotExist();
    }

    @Test
    @Timeout(120)
    void shouldCountTheGapWhenASubscriberRestartsMidStream() throws Exception
    {
        final int port = AeronTestSupport.freeUdpPort();
        final String uri = udp(port, "stream=14|connect-timeout=60s|dir=" + dir.resolve("d"));
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs()))
        {
            final Thread producer = new Thread(() ->
            {
                try
                {
                    for (long i = 0; running.get(); i++)
                    {
                        sink.put(i);
                    }
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
                catch (final Exception ex)
                {
                    failure.set(ex);
                }
            }, "aeron-test-producer");
            producer.start();
            try
            {
                final AeronTestSupport.SequenceChecker first = new AeronTestSupport.SequenceChecker(false);
                try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs()))
                {
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                    {
                        source.read(first::accept, 256);
                        return first.received.get() >= 10_000;
                    });
                    assertThat(source.gaps()).isZero();
                }
                assertThat(first.error.get()).isNull();
                await().atMost(Duration.ofSeconds(30)).until(() -> !sink.isConnected());

                final AeronTestSupport.SequenceChecker second = new AeronTestSupport.SequenceChecker(true);
                final AtomicLong firstValue = new AtomicLong(-1);
                try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs()))
                {
                    await().atMost(Duration.ofSeconds(30)).until(() ->
                    {
                        source.read((message) ->
                        {
                            firstValue.compareAndSet(-1, message);
                            second.accept(message);
                        }, 256);
                        return second.received.get() >= 10_000;
                    });
                    assertThat(second.error.get()).isNull();
                    assertThat(source.gaps()).isEqualTo(1);
                    // A long takes 8 bytes + a 32-byte header, aligned to 64: the lost bytes say where it rejoined.
                    assertThat(source.lostBytes()).isEqualTo(firstValue.get() * 64).isPositive();
                }
            }
            finally
            {
                running.set(false);
                producer.interrupt();
                producer.join(10_000);
            }
            assertThat(producer.isAlive()).isFalse();
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    @Timeout(180)
    void shouldReportAPublisherKilledWithKill9AndGoOnWithANewOne() throws Exception
    {
        final int port = AeronTestSupport.freeUdpPort();
        final String sourceUri = udp(port, "stream=15|dir=" + dir.resolve("sub"));
        final AtomicLong received = new AtomicLong();
        final AtomicLong zeros = new AtomicLong();
        final AtomicLong last = new AtomicLong(-1);
        try (Router<Object> router = Router.builder().name("aeron-kill").waitStrategy(WaitStrategy.BLOCKING).build())
        {
            final AeronSource<?> source = AeronSource.open(sourceUri);
            router.read(source);
            router.write((io.ringlink.Sink<Object>)(message) ->
            {
                final long value = (Long)message;
                if (value == 0)
                {
                    zeros.incrementAndGet();
                }
                last.set(value);
                received.incrementAndGet();
            });
            try (ChildJvm doomed = ChildJvm.start(dir, AeronTestSupport.Publisher.class,
                udp(port, "stream=15|connect-timeout=60s|dir=" + dir.resolve("pub1")), "-1"))
            {
                await().atMost(Duration.ofSeconds(60)).until(() -> received.get() >= 20_000);
                doomed.kill();
            }
            // The image goes when the driver hears nothing from the publisher for its liveness timeout (10 s).
            await().atMost(Duration.ofSeconds(60)).until(() -> source.gaps() == 1);
            assertThat(source.isConnected()).isFalse();
            try (ChildJvm next = ChildJvm.start(dir, AeronTestSupport.Publisher.class,
                udp(port, "stream=15|connect-timeout=60s|dir=" + dir.resolve("pub2")), "5000"))
            {
                assertThat(next.awaitExit(Duration.ofSeconds(90))).as(next.output()).isZero();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> zeros.get() == 2 && last.get() == 4999);
            assertThat(source.gaps()).isEqualTo(1);
            assertThat(router.metrics().sources()).as("the router's metrics show the source's gap")
                .singleElement().extracting(RouterMetrics.SourceMetrics::gaps).isEqualTo(1L);
        }
        assertThat(Files.exists(dir.resolve("pub1"))).as("a killed driver leaves its directory").isTrue();
    }

    @Test
    @Timeout(120)
    void shouldMakeTheSinkWaitForASlowSubscriberAndLoseNothing() throws Exception
    {
        final int count = 50_000;
        final int port = AeronTestSupport.freeUdpPort();
        final String uri = udp(port, "stream=16|rcv-wnd=4k|connect-timeout=30s|dir=" + dir.resolve("d"));
        final AeronTestSupport.SequenceChecker checker = new AeronTestSupport.SequenceChecker(false);
        try (AeronSource<Long> source = AeronSource.open(uri, Codecs.longs());
            AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs()))
        {
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread producer = new Thread(() ->
            {
                try
                {
                    for (long i = 0; i < count; i++)
                    {
                        sink.put(i);
                    }
                }
                catch (final Exception ex)
                {
                    failure.set(ex);
                }
            }, "aeron-test-producer");
            producer.start();
            while (checker.received.get() < count && producer.isAlive() || source.backlog() > 0)
            {
                source.read(checker::accept, 16);
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
            }
            producer.join(30_000);
            assertThat(failure.get()).isNull();
            assertThat(checker.error.get()).isNull();
            assertThat(checker.received.get()).isEqualTo(count);
            assertThat(sink.backPressureCount()).isPositive();
        }
    }

    @Test
    @Timeout(60)
    void shouldRefuseAMessageLongerThanTheChannelAllowsBeforeSendingAnything() throws Exception
    {
        final String uri = "aeron:ipc?stream=17|codec=bytes|term-length=64k|dir=" + dir.resolve("d");
        try (AeronSink<byte[]> sink = AeronSink.open(uri, Codecs.bytes()))
        {
            assertThat(sink.maxMessageLength()).isEqualTo(8 * 1024);
            final long before = sink.publication().position();
            assertThatThrownBy(() -> sink.put(new byte[8 * 1024 + 1]))
                .isInstanceOf(MessageTooLargeException.class)
                .hasMessageContaining("8193").hasMessageContaining("8192");
            assertThatThrownBy(() -> sink.offer(new UnsafeBuffer(new byte[9000]), 0, 9000))
                .isInstanceOf(MessageTooLargeException.class);
            assertThat(sink.publication().position()).isEqualTo(before);
        }
    }

    @Test
    @Timeout(60)
    void shouldFailAMessageAfterTheConnectTimeoutAndStopWaitingWhenInterrupted() throws Exception
    {
        final int port = AeronTestSupport.freeUdpPort();
        try (AeronSink<Long> quick = AeronSink.open(udp(port, "stream=18|connect-timeout=300ms|dir=" +
            dir.resolve("d")), Codecs.longs());
            AeronSink<Long> patient = AeronSink.open(udp(port, "stream=19|connect-timeout=1h|dir=" +
                dir.resolve("d")), Codecs.longs()))
        {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> quick.put(1L)).isInstanceOf(IOException.class)
                .hasMessageContaining("no subscriber").hasMessageContaining("connect-timeout 300 ms");
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
            final long again = System.nanoTime();
            assertThatThrownBy(() -> quick.put(2L)).isInstanceOf(IOException.class);
            assertThat(System.nanoTime() - again).as("still unconnected: fails at once")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(250));

            final AtomicReference<Throwable> thrown = new AtomicReference<>();
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    patient.put(1L);
                }
                catch (final Exception ex)
                {
                    thrown.set(ex);
                }
            }, "aeron-test-waiter");
            waiter.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING ||
                waiter.getState() == Thread.State.WAITING);
            waiter.interrupt();
            waiter.join(10_000);
            assertThat(waiter.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        }
    }

    @Test
    @Timeout(60)
    void shouldShareOneEmbeddedDriverAndCloseItWithTheLastEndpoint() throws Exception
    {
        final Path driverDir = dir.resolve("d");
        final String uri = "aeron:ipc?stream=20|codec=longs|dir=" + driverDir;
        final AeronSink<Long> sink = AeronSink.open(uri, Codecs.longs());
        final AeronSource<Long> source = AeronSource.open(uri, Codecs.longs());
        try
        {
            assertThat(AeronDrivers.isOpen(driverDir.toString())).isTrue();
            assertThat(driverDir.resolve("cnc.dat")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(driverDir)))
                .isEqualTo("rwx------");
            sink.put(42L);
            final AtomicLong got = new AtomicLong();
            await().atMost(Duration.ofSeconds(10)).until(() -> source.read(got::set, 10) > 0);
            assertThat(got.get()).isEqualTo(42L);
        }
        finally
        {
            sink.close();
        }
        assertThat(AeronDrivers.isOpen(driverDir.toString())).isTrue();
        source.close();
        assertThat(AeronDrivers.isOpen(driverDir.toString())).isFalse();
        assertThat(driverDir).doesNotExist();
        assertThatThrownBy(() -> AeronSource.open("aeron:ipc?driver=external|dir=" + dir.resolve("none")))
            .isInstanceOf(IOException.class).hasMessageContaining("no Aeron media driver runs in");
        assertThat(List.of(Files.list(dir).toArray())).isEmpty();
    }
}
