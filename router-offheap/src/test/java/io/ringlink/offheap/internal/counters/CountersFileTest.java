package io.ringlink.offheap.internal.counters;

import io.ringlink.Link;
import io.ringlink.Publisher;
import io.ringlink.RingLink;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The counters file of a router in this JVM: runtime registration, the sampler thread's life, limits.
 */
@Timeout(60)
class CountersFileTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path counters;

    @BeforeEach
    void pointAtTempDir()
    {
        counters = dir.resolve("counters");
        System.setProperty(CountersDirectory.DIR_PROP_NAME, counters.toString());
    }

    @AfterEach
    void restore()
    {
        System.clearProperty(CountersDirectory.DIR_PROP_NAME);
        System.clearProperty(CountersDescriptor.CAPACITY_PROP_NAME);
    }

    @Test
    void shouldAddAndFreeCountersAsSourcesAndSinksComeAndGo() throws Exception
    {
        try (Router<String> router = Router.builder().name("runtime").counters(true)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            final SinkId first = router.write(new LinkedBlockingQueue<String>());
            final Publisher<String> feed = router.publisher("feed");
            feed.publish("a");
            awaitSinks(List.of(first.name()));
            assertThat(only().sources()).extracting(RouterCounters.Source::name).containsExactly("feed");

            final SinkId second = router.write(new LinkedBlockingQueue<String>());
            feed.publish("b");
            awaitSinks(List.of(first.name(), second.name()));
            await().atMost(WAIT).until(() -> only().sinks().get(1).delivered() == 1);

            router.unregister(first);
            awaitSinks(List.of(second.name()));
            feed.close();
            await().atMost(WAIT).until(() -> only().sources().isEmpty());
            assertThat(only().published()).as("the router's total keeps what removed sources published").isEqualTo(2);
        }
        assertThat(CountersFiles.list(counters).routers()).isEmpty();
    }

    @Test
    void shouldPublishWhatADropPolicySinkMissedAsMetricsCountIt() throws Exception
    {
        final int ring = 64;
        final int messages = 20 * ring;
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicLong got = new AtomicLong();
        final LinkedBlockingQueue<String> fast = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().name("dropping").counters(true).ringSize(ring)
            .waitStrategy(WaitStrategy.BLOCKING).build())
        {
            final SinkId slow = router.write((Sink<String>)(message) ->
            {
                stalled.countDown();
                release.await();
                got.incrementAndGet();
            }, SinkOptions.drop());
            final SinkId other = router.write(fast);
            final Publisher<String> feed = router.publisher("feed");
            feed.publish("first");
            assertThat(stalled.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            for (int i = 1; i < messages; i++)
            {
                feed.publish("m" + i);
            }
            await().atMost(WAIT).until(() -> fast.size() == messages);
            release.countDown();
            feed.close();
            await().atMost(WAIT).until(router::isDrained);

            // Quiescent: nothing moves any more, so the file must catch up with metrics() exactly.
            final RouterMetrics.SinkMetrics expected = router.metrics().sinks().stream()
                .filter((sink) -> sink.id().equals(slow)).findFirst().orElseThrow();
            assertThat(expected.dropped()).as("the stalled sink was lapped")
                .isGreaterThanOrEqualTo(messages - 3L * ring);
            assertThat(expected.delivered() + expected.dropped()).isEqualTo(messages);
            assertThat(got.get()).isEqualTo(expected.delivered());
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() ->
            {
                final RouterCounters.Sink read = only().sinks().stream()
                    .filter((sink) -> sink.id() == slow.id()).findFirst().orElseThrow();
                assertThat(read.dropped()).isEqualTo(expected.dropped());
                assertThat(read.delivered()).isEqualTo(expected.delivered());
            });
            assertThat(only().sinks().stream().filter((sink) -> sink.id() == other.id()).findFirst().orElseThrow()
                .dropped()).as("a blocking sink drops nothing").isZero();
        }
    }

    @Test
    void shouldShareOneSamplerThreadAndLeaveNoRingLinkThreadAfterTheLastClose() throws Exception
    {
        final Router<String> first = Router.builder().name("one").counters(true).build();
        final Router<String> second = Router.builder().name("two").counters(true).build();
        assertThat(samplerThreads()).hasSize(1);
        assertThat(CountersFiles.list(counters).routers()).extracting(RouterCounters::router)
            .containsExactlyInAnyOrder("one", "two");
        first.close();
        assertThat(samplerThreads()).hasSize(1);
        assertThat(CountersFiles.list(counters).routers()).extracting(RouterCounters::router).containsExactly("two");
        second.close();
        assertThat(ringlinkThreads()).isEmpty();
        assertThat(CountersFiles.list(counters).routers()).isEmpty();

        try (Router<String> third = Router.builder().name("three").counters(true).build())
        {
            assertThat(samplerThreads()).as("a later router starts a new sampler").hasSize(1);
            assertThat(third.isRunning()).isTrue();
        }
        assertThat(ringlinkThreads()).isEmpty();
    }

    @RepeatedTest(10)
    void shouldLeaveNoSamplerThreadAfterTwoThreadsCloseTheRouterAtOnce() throws Exception
    {
        final Router<String> router = Router.builder().name("raced").counters(true).build();
        final CyclicBarrier start = new CyclicBarrier(2);
        final Runnable close = () ->
        {
            try
            {
                start.await();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
            router.close();
            assertThat(samplerThreads()).as("after this caller's close returned").isEmpty();
        };
        final CompletableFuture<Void> other = CompletableFuture.runAsync(close);
        close.run();
        other.get(30, TimeUnit.SECONDS);
        assertThat(ringlinkThreads()).isEmpty();
    }

    @Test
    void shouldTellALiveProcessFromAReusedPid()
    {
        final ProcessHandle me = ProcessHandle.current();
        final long started = me.info().startInstant().orElseThrow().toEpochMilli();
        assertThat(CountersFiles.isAlive(me.pid(), started)).isTrue();
        assertThat(CountersFiles.isAlive(me.pid(), -1)).as("no start time recorded: the pid decides").isTrue();
        assertThat(CountersFiles.isAlive(me.pid(), started - 60_000)).as("the pid now runs another process")
            .isFalse();
    }

    @Test
    void shouldCutLongNamesAtACharacterBoundaryAndKeepWhatFits() throws Exception
    {
        assertThat(Labels.utf8Prefix("a\uD83D\uDE02b", 4)).isEqualTo("a".getBytes(StandardCharsets.UTF_8));
        assertThat(Labels.utf8Prefix("a\uD83D\uDE02b", 5))
            .isEqualTo("a\uD83D\uDE02".getBytes(StandardCharsets.UTF_8));
        final String name = "r\u00e9".repeat(100);
        try (Router<String> router = Router.builder().name(name).counters(true).build())
        {
            router.publisher("p\uD83D\uDE02".repeat(100));
            await().atMost(WAIT).ignoreExceptions().until(() -> only().sources().size() == 1);
            assertThat(name).startsWith(only().router());
            assertThat(only().router().getBytes(StandardCharsets.UTF_8)).hasSize(CountersDescriptor.NAME_MAX_LENGTH);
            assertThat(only().sources().get(0).name()).startsWith("p\uD83D\uDE02").endsWith("\uD83D\uDE02");
            assertThat(only().sources().get(0).name().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(380);
        }
    }

    @Test
    void shouldFailTheBuildAndLeaveNothingRunningWhenTheDirectoryIsASymbolicLink() throws Exception
    {
        final Path target = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(counters, target);
        assertThatThrownBy(() -> Router.builder().name("linked").counters(true).build())
            .isInstanceOf(UncheckedIOException.class)
            .hasMessageContaining("symbolic link");
        assertThat(ringlinkThreads()).isEmpty();
        try (var files = Files.list(target))
        {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shouldKeepRoutingWhenTheFileIsFullAndPublishWhatFits() throws Exception
    {
        // the router's 3 counters, the source's 4 and three sinks' 4 each: no room for the fourth sink
        System.setProperty(CountersDescriptor.CAPACITY_PROP_NAME, "19");
        try (Router<String> router = Router.builder().name("full").counters(true).build())
        {
            router.publisher("feed");
            final LinkedBlockingQueue<String> last = new LinkedBlockingQueue<>();
            for (int i = 0; i < 3; i++)
            {
                router.write(new LinkedBlockingQueue<String>());
            }
            router.write(last);
            await().atMost(WAIT).until(() -> only().sinks().size() == 3);
            assertThat(only().sources()).hasSize(1);
            assertThat(router.metrics().sinks()).hasSize(4);
        }
    }

    @Test
    void shouldPublishALinksRouterWhenTheLinkerAsks() throws Exception
    {
        final LinkedBlockingQueue<String> in = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> out = new LinkedBlockingQueue<>();
        try (Link link = RingLink.linker().name("linked").counters(true).link(in, out))
        {
            in.put("one");
            await().atMost(WAIT).until(() -> out.size() == 1);
            await().atMost(WAIT).ignoreExceptions().until(() -> only().router().equals("linked") &&
                only().delivered() == 1);
            assertThat(link.router().name()).isEqualTo("linked");
        }
        assertThat(CountersFiles.list(counters).routers()).isEmpty();
    }

    @Test
    void shouldFallBackToTheTemporaryDirectoryWhereThereIsNoShm()
    {
        final Path tmp = dir.resolve("tmp");
        assertThat(CountersDirectory.defaultPath(dir.resolve("no-shm"), tmp, "al ice/x"))
            .isEqualTo(tmp.resolve("ringlink-al_ice_x").toAbsolutePath());
        assertThat(CountersDirectory.defaultPath(dir, tmp, "bob")).isEqualTo(dir.resolve("ringlink-bob"));
    }

    @Test
    void shouldReadNothingAndCreateNothingWhenTheDirectoryIsMissing() throws Exception
    {
        assertThat(CountersFiles.list(counters).routers()).isEmpty();
        assertThat(counters).doesNotExist();
    }

    @Test
    void shouldRefuseAFileThatIsNotACountersFileNamingTheProblem() throws Exception
    {
        Files.createDirectories(counters);
        final Path truncated = Files.write(counters.resolve("1-1.counters"), new byte[100]);
        final Path garbage = Files.write(counters.resolve("1-2.counters"), new byte[CountersDescriptor.HEADER_LENGTH]);
        final CountersFiles.Listing listing = CountersFiles.list(counters);
        assertThat(listing.routers()).isEmpty();
        assertThat(listing.unreadable().get(truncated)).contains("100 bytes");
        assertThat(listing.unreadable().get(garbage)).contains("bad magic");
    }

    private RouterCounters only() throws Exception
    {
        final List<RouterCounters> routers = CountersFiles.list(counters).routers();
        assertThat(routers).hasSize(1);
        return routers.get(0);
    }

    private void awaitSinks(final List<String> names)
    {
        await().atMost(WAIT).ignoreExceptions().until(() ->
            only().sinks().stream().map(RouterCounters.Sink::name).toList().equals(names));
    }

    private static List<Thread> samplerThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter((thread) -> thread.getName().equals(CountersSampler.THREAD_NAME) && thread.isAlive()).toList();
    }

    private static List<String> ringlinkThreads()
    {
        return Threads.liveThreadsNamed("ringlink");
    }
}
