package io.ringlink.offheap.internal.counters;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.WaitStrategy;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM runs a router with counters on; this JVM reads its counters file as {@code ringlink stat} would.
 */
@Timeout(120)
class CountersFileCrossProcessTest
{
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldShowCountersRiseAndMatchMetricsAtAQuiescentPointAndRemoveTheFileOnClose() throws Exception
    {
        final Path counters = dir.resolve("counters");
        try (ChildJvm child = ChildJvm.start(dir, CountedRouter.class, counters.toString()))
        {
            final OutputStream commands = child.process().getOutputStream();
            command(commands, "publish 5");
            await().atMost(WAIT).until(() -> child.stdout().contains("done 5"));
            final RouterCounters first = awaitOne(counters, (router) -> router.published() == 5);
            assertThat(first.pid()).isEqualTo(child.process().pid());
            assertThat(first.router()).isEqualTo("counted");
            assertThat(first.stale()).isFalse();
            assertThat(first.sources()).extracting(RouterCounters.Source::name).containsExactly("feed");
            assertThat(first.sinks()).extracting(RouterCounters.Sink::name).containsExactly("fast", "slow");

            command(commands, "publish 200");
            await().atMost(WAIT).until(() -> child.stdout().contains("done 205"));
            final String metrics = lastLine(child.stdout(), "metrics ");
            final RouterCounters quiet = awaitOne(counters, (router) -> describe(router).equals(metrics));
            assertThat(quiet.published()).isGreaterThan(first.published());
            assertThat(quiet.sinks().get(1).lag()).as("the slow sink holds back %s", metrics).isPositive();

            command(commands, "release");
            await().atMost(WAIT).until(() -> child.stdout().contains("released"));
            final String drained = lastLine(child.stdout(), "metrics ");
            awaitOne(counters, (router) -> describe(router).equals(drained));

            final Path file = quiet.file();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(counters))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(counters.getParent())))
                .as("a missing parent is made owner-only too").isEqualTo("rwx------");
            command(commands, "close");
            assertThat(child.awaitExit(WAIT)).as(child.output()).isZero();
            assertThat(child.stdout()).contains("closed; ringlink threads alive: []");
            assertThat(file).doesNotExist();
            assertThat(CountersFiles.list(counters).routers()).isEmpty();
        }
    }

    @Test
    void shouldReportTheFileOfAKilledProcessAsStaleAndCleanIt() throws Exception
    {
        final Path counters = dir.resolve("counters");
        try (ChildJvm child = ChildJvm.start(dir, CountedRouter.class, counters.toString()))
        {
            command(child.process().getOutputStream(), "publish 7");
            await().atMost(WAIT).until(() -> child.stdout().contains("done 7"));
            final RouterCounters live = awaitOne(counters, (router) -> router.published() == 7);
            assertThat(live.stale()).isFalse();
            assertThat(CountersFiles.clean(counters)).as("a live router's file stays").isEmpty();

            child.kill();
            final Path leftover = Files.write(counters.resolve("." + child.process().pid() + "-9.counters.tmp"),
                new byte[8]);
            final Path someoneElses = Files.write(counters.resolve("." + ProcessHandle.current().pid() +
                "-9.counters.tmp"), new byte[8]);
            final RouterCounters dead = CountersFiles.read(live.file());
            assertThat(dead.stale()).isTrue();
            assertThat(dead.published()).isEqualTo(7);
            assertThat(CountersFiles.clean(counters)).containsExactly(live.file(), leftover);
            assertThat(live.file()).doesNotExist();
            assertThat(someoneElses).as("a live process's file being created").exists();
            Files.delete(someoneElses);
        }
    }

    @Test
    void shouldCreateTheDirectoryOwnerOnlyAndTheFileOwnerOnlyWhateverTheUmask() throws Exception
    {
        final Path counters = dir.resolve("open").resolve("counters");
        final List<String> java = ChildJvm.command(CountedRouter.class, counters.toString());
        final StringBuilder shell = new StringBuilder("umask 000; exec");
        for (final String word : java)
        {
            shell.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        final Process process = new ProcessBuilder("/bin/sh", "-c", shell.toString())
            .redirectError(dir.resolve("umask.err").toFile())
            .redirectOutput(dir.resolve("umask.out").toFile())
            .start();
        try
        {
            command(process.getOutputStream(), "publish 1");
            final RouterCounters router = awaitOne(counters, (counted) -> counted.published() == 1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(counters))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(counters.getParent())))
                .as("a missing parent is made owner-only too").isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(router.file())))
                .isEqualTo("rw-------");
            command(process.getOutputStream(), "close");
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
        finally
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static RouterCounters awaitOne(final Path counters, final java.util.function.Predicate<RouterCounters> test)
    {
        final RouterCounters[] found = new RouterCounters[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions().until(() ->
        {
            final List<RouterCounters> routers = CountersFiles.list(counters).routers();
            found[0] = routers.size() == 1 ? routers.get(0) : null;
            return found[0] != null && test.test(found[0]);
        });
        return found[0];
    }

    private static void command(final OutputStream stdin, final String line) throws IOException
    {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static String lastLine(final String output, final String prefix)
    {
        String found = null;
        for (final String line : output.split("\n"))
        {
            if (line.startsWith(prefix))
            {
                found = line.substring(prefix.length());
            }
        }
        assertThat(found).as("a line starting with '%s' in %s", prefix, output).isNotNull();
        return found;
    }

    /** The same text for a snapshot read from the file and for {@link Router#metrics()} in the child. */
    static String describe(final RouterCounters router)
    {
        final StringBuilder text = new StringBuilder()
            .append("published=").append(router.published()).append(" delivered=").append(router.delivered())
            .append(" errors=").append(router.errors());
        for (final RouterCounters.Source source : router.sources())
        {
            text.append(" source ").append(source.name()).append(' ').append(source.published()).append('/')
                .append(source.backlog()).append('/').append(source.pending()).append('/').append(source.failed());
        }
        for (final RouterCounters.Sink sink : router.sinks())
        {
            text.append(" sink ").append(sink.name()).append(' ').append(sink.delivered()).append('/')
                .append(sink.lag()).append('/').append(sink.errors());
        }
        return text.toString();
    }

    static String describe(final RouterMetrics metrics)
    {
        final StringBuilder text = new StringBuilder()
            .append("published=").append(metrics.published()).append(" delivered=").append(metrics.delivered())
            .append(" errors=").append(metrics.errors());
        for (final RouterMetrics.SourceMetrics source : metrics.sources())
        {
            text.append(" source ").append(source.id().name()).append(' ').append(source.published()).append('/')
                .append(source.backlog()).append('/').append(source.pending()).append('/').append(source.failed());
        }
        for (final RouterMetrics.SinkMetrics sink : metrics.sinks())
        {
            text.append(" sink ").append(sink.id().name()).append(' ').append(sink.delivered()).append('/')
                .append(sink.lag()).append('/').append(sink.errors());
        }
        return text.toString();
    }

    /**
     * A router with counters on: a publisher "feed", a sink "fast" and a sink "slow" that stops after 10 messages
     * until released. Commands on stdin: {@code publish N}, {@code release}, {@code close}.
     */
    public static final class CountedRouter
    {
        private CountedRouter()
        {
        }

        /**
         * Runs the commands.
         *
         * @param args the counters directory.
         * @throws Exception on failure.
         */
        public static void main(final String[] args) throws Exception
        {
            System.setProperty(CountersDirectory.DIR_PROP_NAME, args[0]);
            final AtomicLong fast = new AtomicLong();
            final CountDownLatch release = new CountDownLatch(1);
            final AtomicLong slow = new AtomicLong();
            final Router<Long> router = Router.builder().name("counted").counters(true).ringSize(1024)
                .waitStrategy(WaitStrategy.BLOCKING).build();
            router.write(new Named("fast", (message) -> fast.incrementAndGet()));
            router.write(new Named("slow", (message) ->
            {
                if (slow.incrementAndGet() > 10)
                {
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
            final Publisher<Long> feed = router.publisher("feed");
            long published = 0;
            final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = stdin.readLine()) != null)
            {
                final String[] words = line.trim().split(" ");
                switch (words[0])
                {
                    case "publish" ->
                    {
                        final long count = Long.parseLong(words[1]);
                        for (long i = 0; i < count; i++)
                        {
                            feed.publish(++published);
                        }
                        final long total = published;
                        await().atMost(WAIT).until(() -> fast.get() == total &&
                            (slow.get() == Math.min(total, 11) || release.getCount() == 0));
                        await().atMost(WAIT).until(() -> router.metrics().sinks().get(0).delivered() == total &&
                            router.metrics().sinks().get(1).delivered() == Math.min(total, 10));
                        System.out.println("metrics " + describe(router.metrics()));
                        System.out.println("done " + total);
                    }
                    case "release" ->
                    {
                        release.countDown();
                        await().atMost(WAIT).until(router::isDrained);
                        System.out.println("metrics " + describe(router.metrics()));
                        System.out.println("released");
                    }
                    case "close" ->
                    {
                        release.countDown();
                        router.close();
                        System.out.println("closed; ringlink threads alive: " + Thread.getAllStackTraces().keySet()
                            .stream().map(Thread::getName).filter((name) -> name.startsWith("ringlink")).toList());
                        return;
                    }
                    default -> throw new IllegalArgumentException(line);
                }
                System.out.flush();
            }
        }
    }

    /** A named consumer sink. */
    private record Named(String name, Consumer<Long> consumer) implements io.ringlink.Sink<Long>
    {
        @Override
        public void onMessage(final Long message)
        {
            consumer.accept(message);
        }
    }
}
