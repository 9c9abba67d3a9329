package io.ringlink.link;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A regular file that is not followed, read as its bytes ({@code lines=raw}, {@code codec=bytes}), reads without
 * blocking: in {@code SHARED} a delivery agent reads it, with no pump thread, and never waits on the small pool of
 * {@code lines=raw} buffers, which its own deliveries free; a stop delivers what was read and does not read the rest
 * of the file. Decoded lines (many messages per read, whatever the limit) and a device (not a regular file) keep a
 * pump thread.
 */
@Timeout(120)
class PolledFileSourceTest
{
    private static final int LINES = 200_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldCopyAFileByteForByteOnOneAgentWithoutAPumpThread(final WaitStrategy wait) throws Exception
    {
        final String name = "polled-file-raw-" + wait.name().toLowerCase();
        final Path in = write(dir.resolve("in.txt"), LINES);
        final Path out = dir.resolve("out.txt");
        // Small ring, one agent: the agent reads, fills the pool of buffers, and must deliver to free them.
        final Router<Object> router = router(name, wait, 4);
        router.write("file:" + out);
        router.read("file:" + in + "?lines=raw");
        assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agent only")
            .hasSize(1).allMatch((thread) -> thread.contains("-agent-"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.size(out) == Files.size(in));
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(Files.mismatch(in, out)).as("first differing byte").isEqualTo(-1);
    }

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"BLOCKING", "YIELDING"})
    void shouldHandChunksInOrderOnAnAgent(final WaitStrategy wait) throws Exception
    {
        final String name = "polled-file-chunks-" + wait.name().toLowerCase();
        final Path in = write(dir.resolve("in.txt"), LINES);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Router<Object> router = router(name, wait, 4);
        router.write((Sink<Object>)(chunk) -> received.write((byte[])chunk));
        router.read("file:" + in + "?codec=bytes");
        assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agent only")
            .hasSize(1).allMatch((thread) -> thread.contains("-agent-"));
        final long size = Files.size(in);
        await().atMost(Duration.ofSeconds(60)).until(() -> sizeOf(received) == size);
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(received.toByteArray()).as("the file's bytes, in order").isEqualTo(Files.readAllBytes(in));
    }

    @Test
    void shouldKeepAPumpThreadForDecodedLines() throws Exception
    {
        final String name = "polled-file-text";
        final Path in = write(dir.resolve("in.txt"), 1_000);
        final List<Object> received = new CopyOnWriteArrayList<>();
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 64);
        // Held until the threads are counted: 1,000 lines fill the ring of 64, so the pump cannot have read the
        // whole file and ended before (it did once, on a loaded CI machine, when the sink took everything at once).
        final CountDownLatch counted = new CountDownLatch(1);
        router.write((Sink<Object>)(line) ->
        {
            assertThat(counted.await(30, TimeUnit.SECONDS)).isTrue();
            received.add(line);
        });
        router.read(in);
        try
        {
            assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agent and a pump")
                .hasSize(2).anyMatch((thread) -> thread.contains("-pump-"));
        }
        finally
        {
            counted.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 1_000);
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        assertThat(received.get(999)).isEqualTo(line(999));
    }

    @Test
    void shouldNotReadTheRestOfTheFileWhenTheRouterStops() throws Exception
    {
        final String name = "polled-file-stop";
        final Path in = write(dir.resolve("in.txt"), LINES);
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final Router<Object> router = router("polled-file-stop", WaitStrategy.BLOCKING, 4);
        router.write((Sink<Object>)(chunk) ->
        {
            received.write((byte[])chunk);
            TimeUnit.MILLISECONDS.sleep(20);
        });
        router.read("file:" + in + "?codec=bytes");
        await().atMost(Duration.ofSeconds(30)).until(() -> sizeOf(received) >= 4 * 65_536);
        final long start = System.nanoTime();
        final StopResult result = router.stop(Duration.ofSeconds(10));
        final long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.isClean()).as(result.toString()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        // The file is some 220 chunks, at 20 ms each 4 s or more: the stop delivers what was read, a ring or so.
        final byte[] file = Files.readAllBytes(in);
        final byte[] got = received.toByteArray();
        assertThat(got.length).as("bytes delivered").isLessThan(file.length / 4);
        assertThat(stopMillis).as("stop took (ms)").isLessThan(2_000);
        assertThat(got).as("a prefix of the file").isEqualTo(Arrays.copyOf(file, got.length));
    }

    @Test
    void shouldKeepAPumpThreadForADeviceThatIsNotARegularFile() throws Exception
    {
        final String name = "polled-file-device";
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 16);
        final List<Object> received = new CopyOnWriteArrayList<>();
        router.write((Sink<Object>)received::add);
        router.read("file:/dev/zero?codec=bytes");
        assertThat(Threads.liveThreadsNamed("ringlink-" + name + "-")).as("the agent and a pump")
            .hasSize(2).anyMatch((thread) -> thread.contains("-pump-"));
        await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    private static Router<Object> router(final String name, final WaitStrategy wait, final int ringSize)
    {
        return Router.builder().name(name).ringSize(ringSize).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(1).stopTimeout(Duration.ofSeconds(10)).build();
    }

    private static long sizeOf(final ByteArrayOutputStream bytes)
    {
        synchronized (bytes)
        {
            return bytes.size();
        }
    }

    private static String line(final int i)
    {
        return "line " + i + " of the file, long enough to fill a few reads " + (i * 7919L);
    }

    static Path write(final Path file, final int lines) throws Exception
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            text.append(line(i)).append('\n');
        }
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
