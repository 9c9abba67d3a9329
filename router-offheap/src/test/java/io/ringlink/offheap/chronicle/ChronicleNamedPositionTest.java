package io.ringlink.offheap.chronicle;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.SourceId;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Where a named reader resumes after its router stopped or unregistered it while a sink was blocked: exactly after the
 * last message every sink received, wherever in a read batch or a delivery batch that was.
 */
@Timeout(120)
class ChronicleNamedPositionTest
{
    private static final int TOTAL = 1000;
    private static final int BLOCK_AT = 500;
    private static final Duration DRAIN = Duration.ofMillis(500);

    @TempDir
    Path temp;

    /** In {@code SHARED} with one agent, the source's pump runs on the agent the blocked sink holds. */
    @ParameterizedTest(name = "ring size {0}, {1}")
    @CsvSource({"64, DEDICATED", "16384, DEDICATED", "64, SHARED", "16384, SHARED"})
    void shouldResumeExactlyAfterTheLastMessageABlockedSinkReceivedWhenTheLinkCloses(
        final int ringSize, final ThreadingMode threading) throws Exception
    {
        final Path dir = temp.resolve("q");
        append(dir, 0, TOTAL);
        final BlockingAt sink = new BlockingAt(BLOCK_AT);
        final Link link = RingLink.linker().name("closing").ringSize(ringSize).waitStrategy(WaitStrategy.BLOCKING)
            .threading(threading).deliveryThreads(1).stopTimeout(DRAIN).link("chronicle:" + dir + "?name=r1", sink);
        try
        {
            await().atMost(Duration.ofSeconds(30)).until(sink.blocked::get);
        }
        finally
        {
            link.close();
            sink.release.countDown();
        }
        Threads.assertNoThreadsNamed("ringlink-closing-");
        assertThat(sink.received.get()).isEqualTo(BLOCK_AT);
        assertThat(firstUnread(dir, "r1")).as("resumes after the last message the sink received")
            .isEqualTo(message(BLOCK_AT));
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldResumeExactlyAfterWhatEverySinkReceivedWhenItsSourceIsUnregisteredWhileASinkBlocks(
        final ThreadingMode threading) throws Exception
    {
        final Path dir = temp.resolve("q");
        append(dir, 0, TOTAL);
        final BlockingAt blocked = new BlockingAt(BLOCK_AT);
        final LinkedBlockingQueue<String> fast = new LinkedBlockingQueue<>();
        final StopResult result;
        try (Router<String> router = Router.builder().name("unregistering").ringSize(256)
            .threading(threading).deliveryThreads(1).waitStrategy(WaitStrategy.BLOCKING).stopTimeout(DRAIN).build())
        {
            router.write(fast);
            router.write(blocked);
            final SourceId id = router.read(ChronicleSource.builder(dir, Codecs.utf8()).name("r1").build());
            await().atMost(Duration.ofSeconds(30)).until(blocked.blocked::get);
            router.unregister(id);
            result = router.stop(DRAIN);
        }
        finally
        {
            blocked.release.countDown();
        }
        Threads.assertNoThreadsNamed("ringlink-unregistering-");
        assertThat(result.abandonedSinks()).isNotEmpty();
        assertThat(firstUnread(dir, "r1")).isEqualTo(message(BLOCK_AT));
    }

    @ParameterizedTest
    @EnumSource(ThreadingMode.class)
    void shouldResumeAfterTheLastMessageWhenAnUnregisteredSourceWasFullyDelivered(final ThreadingMode threading)
        throws Exception
    {
        final Path dir = temp.resolve("q");
        append(dir, 0, TOTAL);
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Router<String> router = Router.builder().name("unregistered").ringSize(64)
            .threading(threading).waitStrategy(WaitStrategy.BLOCKING).build())
        {
            router.write(received);
            final SourceId id = router.read(ChronicleSource.builder(dir, Codecs.utf8()).name("r1").build());
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == TOTAL);
            router.unregister(id);
        }
        append(dir, TOTAL, 1);
        assertThat(firstUnread(dir, "r1")).isEqualTo(message(TOTAL));
    }

    static void append(final Path dir, final int from, final int count) throws Exception
    {
        try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
        {
            for (int i = from; i < from + count; i++)
            {
                sink.onMessage(message(i));
            }
        }
    }

    static String message(final int sequence)
    {
        return "m" + sequence;
    }

    /** The first message the named reader would read next. */
    private static String firstUnread(final Path dir, final String name) throws Exception
    {
        try (ChronicleSource<String> again = ChronicleSource.builder(dir, Codecs.utf8()).name(name).build())
        {
            final List<String> next = ChronicleLinkTest.readAll(again, 1);
            assertThat(next).as("something is left to read").hasSize(1);
            return next.get(0);
        }
    }

    /** Receives messages until the one numbered {@code blockAt}, on which it blocks until released or interrupted. */
    private static final class BlockingAt implements Sink<String>
    {
        final AtomicInteger received = new AtomicInteger();
        final AtomicBoolean blocked = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);
        private final String blockOn;

        BlockingAt(final int blockAt)
        {
            this.blockOn = message(blockAt);
        }

        @Override
        public void onMessage(final String message) throws Exception
        {
            if (message.equals(blockOn))
            {
                blocked.set(true);
                release.await();
            }
            received.incrementAndGet();
        }
    }
}
