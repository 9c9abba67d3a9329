package io.ringlink.link;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.SourceId;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.internal.RawLines;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Attacks on a regular file read as bytes on a delivery agent ({@link PolledFileSourceTest}): a file truncated or
 * grown under the read, a file whose read fails, an unregister in the middle, a sink that comes late, rings of one
 * slot. Each time the agent must carry on with its other work, deliver a prefix of the file in order, and stop clean.
 */
@Timeout(60)
class PolledFileSourceReviewTest
{
    private static final int LINES = 100_000;
    private static final int NEW_SIZE = 40 * 65_536 + 17;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldEndCleanlyWithAPrefixWhenTheFileIsTruncatedUnderTheRead(final boolean raw) throws Exception
    {
        final String name = "review-truncated-" + raw;
        final Path in = PolledFileSourceTest.write(dir.resolve("in.txt"), LINES);
        final byte[] original = Files.readAllBytes(in);
        final Bytes received = new Bytes(0);
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch truncated = new CountDownLatch(1);
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 4);
        // holds its third message until the file is truncated: the source reads ahead a ring and a pool at most
        router.write((Sink<Object>)(message) ->
        {
            received.onMessage(message);
            if (received.size() >= 3 * 65_536 && held.getCount() > 0)
            {
                held.countDown();
                truncated.await(20, TimeUnit.SECONDS);
            }
        });
        router.read("file:" + in + (raw ? "?lines=raw" : "?codec=bytes"));
        assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
        try (FileChannel channel = FileChannel.open(in, StandardOpenOption.WRITE))
        {
            // well past what the source can have read ahead (a ring of 4 and a pool of 16 reads of 64 KiB)
            channel.truncate(NEW_SIZE);
        }
        truncated.countDown();
        // The source reads up to the new end, then ends by itself: its ring retires.
        stopOnceRead(router);
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        final byte[] got = received.toByteArray();
        assertThat(got.length).as("bytes delivered").isEqualTo(NEW_SIZE);
        assertThat(Arrays.mismatch(got, Arrays.copyOf(original, NEW_SIZE))).as("first differing byte").isEqualTo(-1);
    }

    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldDeliverWhatTheFileHeldAtItsEndWhenItGrowsUnderTheRead(final boolean raw) throws Exception
    {
        final String name = "review-grown-" + raw;
        final Path in = PolledFileSourceTest.write(dir.resolve("in.txt"), LINES);
        final Bytes received = new Bytes(0).holdingAt(65_536);
        final Router<Object> router = router(name, WaitStrategy.YIELDING, 4);
        router.write(received);
        router.read("file:" + in + (raw ? "?lines=raw" : "?codec=bytes"));
        // Held, the sink keeps the read a ring and a pool of reads (some 1.3 MB) into the 6.5 MB file.
        assertThat(received.awaitHeld()).isTrue();
        Files.writeString(in, "appended while read\n", StandardOpenOption.APPEND);
        received.release();
        stopOnceRead(router);
        // Appended before the read reached the end: a regular file's end is where the read finds it.
        assertThat(received.toByteArray()).isEqualTo(Files.readAllBytes(in));
    }

    /**
     * {@code /proc/self/mem} is a regular file whose read fails (EIO at offset 0): the source fails and is counted,
     * and a publisher's sink on the same (only) agent is still served.
     */
    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldFailTheSourceAndKeepTheAgentGoingWhenTheReadThrows(final boolean raw) throws Exception
    {
        final Path mem = Path.of("/proc/self/mem");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(mem) && Files.isReadable(mem));
        final String name = "review-throws-" + raw;
        final List<Object> received = new CopyOnWriteArrayList<>();
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 4);
        router.write((Sink<Object>)received::add);
        final SourceId failing = router.read("file:" + mem + (raw ? "?lines=raw" : "?codec=bytes"));
        final Publisher<Object> publisher = router.publisher("beside");
        await().atMost(Duration.ofSeconds(20)).until(() -> router.metrics().sources().stream()
            .noneMatch((source) -> source.id().equals(failing)) || failed(router, failing));
        for (int i = 0; i < 100; i++)
        {
            publisher.publish(i);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 100);
        assertThat(received).as("the publisher's messages only").allMatch((message) -> message instanceof Integer);
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.abandonedSources()).isEmpty();
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldStopReadingAtOnceWhenUnregisteredOnAnAgent(final boolean raw) throws Exception
    {
        final String name = "review-unregister-" + raw;
        final Path in = PolledFileSourceTest.write(dir.resolve("in.txt"), LINES);
        final byte[] original = Files.readAllBytes(in);
        final Bytes received = new Bytes(5);
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 4);
        router.write(received);
        final SourceId id = router.read("file:" + in + (raw ? "?lines=raw" : "?codec=bytes"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2 * 65_536);
        final long start = System.nanoTime();
        assertThat(router.unregister(id)).isTrue();
        final int atUnregister = received.size();
        await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sources().isEmpty());
        final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        final int atEnd = received.size();
        assertThat(millis).as("unregister until retired (ms)").isLessThan(3_000);
        // After the unregister, only what the ring of 4 held and the chunk in the sink: not one read more.
        assertThat(atEnd - atUnregister).as("bytes delivered after the unregister").isLessThanOrEqualTo(6 * 65_536);
        assertThat(atEnd).as("not the whole file").isLessThan(original.length);
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
        final byte[] got = received.toByteArray();
        assertThat(got.length).as("nothing after the source retired").isEqualTo(atEnd);
        assertThat(got).as("a prefix of the file").isEqualTo(Arrays.copyOf(original, got.length));
    }

    /** A sink that comes in the middle gets a contiguous rest of the chunks; the first gets the whole file. */
    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldGiveALateSinkTheRestOfTheFile(final boolean raw) throws Exception
    {
        final String name = "review-late-" + raw;
        final Path in = PolledFileSourceTest.write(dir.resolve("in.txt"), LINES);
        final byte[] original = Files.readAllBytes(in);
        final Bytes first = new Bytes(0).holdingAt(65_536);
        final Bytes late = new Bytes(0);
        final Router<Object> router = router(name, WaitStrategy.YIELDING, 4);
        router.write(first);
        router.read("file:" + in + (raw ? "?lines=raw" : "?codec=bytes"));
        // Held, the first sink keeps the source far from the file's end while the late one comes.
        assertThat(first.awaitHeld()).isTrue();
        router.write(late);
        first.release();
        stopOnceRead(router);
        assertThat(first.toByteArray()).as("the first sink: the whole file").isEqualTo(original);
        final byte[] rest = late.toByteArray();
        assertThat(rest.length).as("the late sink got some").isPositive().isLessThan(original.length);
        assertThat(rest).as("the late sink: the end of the file")
            .isEqualTo(Arrays.copyOfRange(original, original.length - rest.length, original.length));
    }

    /** One slot, and a last line without its line end: the agent reads, delivers, reads again. */
    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldCopyAFileWithoutAFinalLineEndThroughARingOfOneSlot(final boolean raw) throws Exception
    {
        final String name = "review-one-slot-" + raw;
        final Path in = PolledFileSourceTest.write(dir.resolve("in.txt"), LINES / 4);
        Files.writeString(in, "no line end", StandardOpenOption.APPEND);
        final Path empty = Files.createFile(dir.resolve("empty.txt"));
        final Bytes received = new Bytes(0);
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 1);
        router.write(received);
        router.read("file:" + empty + (raw ? "?lines=raw" : "?codec=bytes"));
        router.read("file:" + in + (raw ? "?lines=raw" : "?codec=bytes"));
        stopOnceRead(router);
        assertThat(received.toByteArray()).isEqualTo(Files.readAllBytes(in));
    }

    /**
     * A "regular file" that shows no size is a kernel file (procfs, tracefs), and some of those make a read wait for
     * the kernel ({@code /proc/kmsg}, {@code trace_pipe}): read on an agent, it would hold the agent's sinks. It keeps
     * a pump thread, as a device does; a harmless one ({@code /proc/self/status}) shows it.
     */
    @ParameterizedTest(name = "lines=raw {0}")
    @ValueSource(booleans = {false, true})
    void shouldKeepAPumpThreadForAKernelFileThatShowsNoSize(final boolean raw) throws Exception
    {
        final Path status = Path.of("/proc/self/status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(status) && Files.size(status) == 0);
        final String name = "review-kernel-file-" + raw;
        final Bytes received = new Bytes(0);
        final CountDownLatch looked = new CountDownLatch(1);
        final Router<Object> router = router(name, WaitStrategy.BLOCKING, 1);
        // holds the first message, and so the source's end (no room in a ring of one), until the threads are counted
        router.write((Sink<Object>)(message) ->
        {
            received.onMessage(message);
            looked.await(20, TimeUnit.SECONDS);
        });
        router.read("file:" + status + (raw ? "?lines=raw" : "?codec=bytes"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() > 0);
        final List<String> threads = Threads.liveThreadsNamed("ringlink-" + name + "-");
        looked.countDown();
        assertThat(threads).as("the agent and a pump").hasSize(2).anyMatch((thread) -> thread.contains("-pump-"));
        stopOnceRead(router);
        assertThat(new String(received.toByteArray(), StandardCharsets.UTF_8)).contains("Name:");
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
    }

    /** Once every file was read to its end (its source retired), the router stops clean. */
    private static void stopOnceRead(final Router<Object> router)
    {
        await().atMost(Duration.ofSeconds(30)).until(() -> router.metrics().sources().isEmpty());
        final StopResult result = router.stop(Duration.ofSeconds(10));
        assertThat(result.isClean()).as(result.toString()).isTrue();
    }

    private static boolean failed(final Router<Object> router, final SourceId id)
    {
        return router.metrics().sources().stream().filter((source) -> source.id().equals(id))
            .anyMatch(RouterMetrics.SourceMetrics::failed);
    }

    /** Copies each chunk or raw-lines message (its buffer is reused once delivered), optionally slowly. */
    private static final class Bytes implements Sink<Object>
    {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long millis;
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private long holdAt = Long.MAX_VALUE;

        Bytes(final long millis)
        {
            this.millis = millis;
        }

        /** From the message that brings it to {@code size} bytes, waits in the sink until {@link #release()}. */
        Bytes holdingAt(final long size)
        {
            holdAt = size;
            return this;
        }

        boolean awaitHeld() throws InterruptedException
        {
            return held.await(20, TimeUnit.SECONDS);
        }

        void release()
        {
            released.countDown();
        }

        @Override
        public void onMessage(final Object message) throws Exception
        {
            synchronized (bytes)
            {
                if (message instanceof RawLines lines)
                {
                    bytes.write(lines.bytes(), 0, lines.length());
                }
                else
                {
                    bytes.write((byte[])message);
                }
            }
            if (size() >= holdAt && held.getCount() > 0)
            {
                held.countDown();
                released.await(20, TimeUnit.SECONDS);
            }
            if (millis > 0)
            {
                TimeUnit.MILLISECONDS.sleep(millis);
            }
        }

        int size()
        {
            synchronized (bytes)
            {
                return bytes.size();
            }
        }

        byte[] toByteArray()
        {
            synchronized (bytes)
            {
                return bytes.toByteArray();
            }
        }
    }

    private static Router<Object> router(final String name, final WaitStrategy wait, final int ringSize)
    {
        return Router.builder().name(name).ringSize(ringSize).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(1).stopTimeout(Duration.ofSeconds(10)).build();
    }
}
