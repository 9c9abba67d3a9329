package io.ringlink.offheap;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.SinkId;
import io.ringlink.Source;
import io.ringlink.SourceId;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 13: in {@code SHARED}, sources that read without blocking ({@code ipc:} rings, Chronicle queues) run on the
 * delivery agents, with no pump thread of their own, and keep every guarantee: order per source, a stop that
 * delivers everything and leaves no thread, unregister, a gap-free suffix for a late sink. A blocking source (a
 * queue) beside them keeps its pump thread.
 */
@Timeout(120)
class PolledSourcesTest
{
    private static final int SOURCES = 3;
    private static final int MESSAGES = 5_000;
    private static final int AGENTS = 2;
    private static final long STRIDE = 1_000_000L;

    @TempDir
    Path dir;

    enum Kind
    {
        IPC, CHRONICLE
    }

    static Stream<Arguments> kindsAndStrategies()
    {
        final List<Arguments> arguments = new ArrayList<>();
        for (final Kind kind : Kind.values())
        {
            arguments.add(Arguments.of(kind, WaitStrategy.BLOCKING));
            arguments.add(Arguments.of(kind, WaitStrategy.YIELDING));
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndStrategies")
    void shouldRunPolledSourcesOnTheAgentsAndDeliverEverythingInOrder(final Kind kind, final WaitStrategy wait)
        throws Exception
    {
        final String name = "polled-" + kind.name().toLowerCase() + "-" + wait.name().toLowerCase();
        final List<Writer> writers = new ArrayList<>();
        final Router<Object> router = router(name, wait);
        final OrderedSink first = new OrderedSink(SOURCES + 1);
        final OrderedSink second = new OrderedSink(SOURCES + 1);
        try
        {
            router.write(first);
            router.write(second);
            for (int s = 0; s < SOURCES; s++)
            {
                final Writer writer = writer(kind, s);
                writers.add(writer);
                writer.write(0, MESSAGES / 2);
                router.read(writer.source(wait));
            }
            final LinkedBlockingQueue<Long> queue = new LinkedBlockingQueue<>();
            router.read(queue);

            final List<String> threads = Threads.liveThreadsNamed("ringlink-" + name + "-");
            assertThat(threads).as("the agents, and one pump: the queue's").hasSize(AGENTS + 1)
                .filteredOn((thread) -> thread.contains("-pump-")).hasSize(1)
                .allMatch((thread) -> thread.contains("-pump-queue@"));
            // Live tail: the rest is written while the router reads.
            for (final Writer writer : writers)
            {
                writer.write(MESSAGES / 2, MESSAGES / 2);
            }
            for (long i = 0; i < MESSAGES; i++)
            {
                queue.put(SOURCES * STRIDE + i);
            }
            await().atMost(Duration.ofSeconds(60))
                .until(() -> first.total() == (SOURCES + 1L) * MESSAGES && second.total() == first.total());
        }
        finally
        {
            final StopResult result = router.stop(Duration.ofSeconds(10));
            closeAll(writers);
            assertThat(result.isClean()).as(result.toString()).isTrue();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        for (final OrderedSink sink : List.of(first, second))
        {
            assertThat(sink.violations).as("order per source").isEmpty();
            for (int s = 0; s <= SOURCES; s++)
            {
                assertThat(sink.next.get(s)).as("source " + s).isEqualTo(MESSAGES);
            }
            assertThat(sink.closed).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndStrategies")
    void shouldDeliverWhatAPolledSourceHoldsWhenTheRouterStops(final Kind kind, final WaitStrategy wait)
        throws Exception
    {
        final String name = "polled-stop-" + kind.name().toLowerCase() + "-" + wait.name().toLowerCase();
        final Writer writer = writer(kind, 0);
        final OrderedSink sink = new OrderedSink(1);
        try
        {
            final Router<Object> router = router(name, wait);
            router.write(sink);
            writer.write(0, MESSAGES);
            router.read(writer.source(wait));
            // Stopped at once: the pump moves what its source holds before it ends.
            final StopResult result = router.stop(Duration.ofSeconds(20));
            assertThat(result.isClean()).as(result.toString()).isTrue();
        }
        finally
        {
            writer.close();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(sink.violations).isEmpty();
        assertThat(sink.next.get(0)).as("everything the source held at the stop").isEqualTo(MESSAGES);
        assertThat(sink.closed).isTrue();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndStrategies")
    void shouldUnregisterAPolledSourceAndKeepTheOthersFlowing(final Kind kind, final WaitStrategy wait)
        throws Exception
    {
        final String name = "polled-unregister-" + kind.name().toLowerCase() + "-" + wait.name().toLowerCase();
        final Writer gone = writer(kind, 0);
        final Writer kept = writer(kind, 1);
        final OrderedSink sink = new OrderedSink(2);
        try (Router<Object> router = router(name, wait))
        {
            router.write(sink);
            gone.write(0, MESSAGES);
            kept.write(0, MESSAGES);
            final SourceId id = router.read(gone.source(wait));
            router.read(kept.source(wait));
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.next.get(0) == MESSAGES);

            final long start = System.nanoTime();
            assertThat(router.unregister(id)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> router.metrics().sources().size() == 1);

            gone.write(MESSAGES, 100);
            kept.write(MESSAGES, MESSAGES);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.next.get(1) == 2L * MESSAGES);
            assertThat(sink.next.get(0)).as("nothing read after the unregister").isEqualTo(MESSAGES);
        }
        finally
        {
            gone.close();
            kept.close();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(sink.violations).isEmpty();
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("kindsAndStrategies")
    void shouldGiveALateSinkAGapFreeSuffixOfAPolledSource(final Kind kind, final WaitStrategy wait) throws Exception
    {
        final String name = "polled-late-" + kind.name().toLowerCase() + "-" + wait.name().toLowerCase();
        final Writer writer = writer(kind, 0);
        final OrderedSink early = new OrderedSink(1);
        final LateSink late = new LateSink();
        try (Router<Object> router = router(name, wait))
        {
            router.write(early);
            router.read(writer.source(wait));
            final int total = MESSAGES * 4;
            final int lateAt = total / 2;
            SinkId lateId = null;
            long seenBeforeLate = 0;
            for (int i = 0; i < total; i += 100)
            {
                writer.write(i, 100);
                if (i == lateAt)
                {
                    // The pump reads on its own time: wait until it has moved some, so the suffix has a start to show.
                    await().atMost(Duration.ofSeconds(60)).until(() -> early.next.get(0) > 0);
                    seenBeforeLate = early.next.get(0);
                    lateId = router.write(late);
                }
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> early.next.get(0) == total);
            await().atMost(Duration.ofSeconds(60)).until(() -> !late.received.isEmpty() &&
                late.received.get(late.received.size() - 1) == total - 1);
            assertThat(lateId).isNotNull();
            final List<Long> got = late.received;
            for (int i = 1; i < got.size(); i++)
            {
                assertThat(got.get(i)).as("gap-free from " + got.get(0)).isEqualTo(got.get(0) + i);
            }
            assertThat(got.get(0)).as("a suffix, not a replay from the start: the early sink had " +
                seenBeforeLate + " when the late one was written").isGreaterThanOrEqualTo(seenBeforeLate);
        }
        finally
        {
            writer.close();
        }
        Threads.assertNoThreadsNamed("ringlink-" + name + "-");
        assertThat(early.violations).isEmpty();
    }

    private static Router<Object> router(final String name, final WaitStrategy wait)
    {
        return Router.builder().name(name).ringSize(256).waitStrategy(wait)
            .threading(ThreadingMode.SHARED).deliveryThreads(AGENTS).stopTimeout(Duration.ofSeconds(10)).build();
    }

    private Writer writer(final Kind kind, final int index) throws Exception
    {
        return kind == Kind.IPC ? new IpcWriter(dir.resolve("ring-" + index), index) :
            new ChronicleWriter(dir.resolve("queue-" + index), index);
    }

    private static void closeAll(final List<Writer> writers) throws Exception
    {
        for (final Writer writer : writers)
        {
            writer.close();
        }
    }

    /** Writes numbered longs (index &times; STRIDE + sequence) to one endpoint and opens a source on it. */
    private abstract static class Writer implements AutoCloseable
    {
        private final long base;
        private final Sink<Long> sink;

        Writer(final int index, final Sink<Long> sink)
        {
            this.base = index * STRIDE;
            this.sink = sink;
        }

        final void write(final long from, final int count) throws Exception
        {
            for (long i = from; i < from + count; i++)
            {
                sink.onMessage(base + i);
            }
            sink.onEndOfBatch();
        }

        abstract Source<?> source(WaitStrategy wait) throws Exception;

        @Override
        public final void close() throws IOException
        {
            sink.close();
        }
    }

    private static final class IpcWriter extends Writer
    {
        private final Path file;

        IpcWriter(final Path file, final int index) throws Exception
        {
            super(index, IpcRingSink.of(IpcRing.builder(file).capacity(1 << 20).codec("longs").create(),
                Codecs.longs(), WaitStrategy.BLOCKING));
            this.file = file;
        }

        @Override
        Source<?> source(final WaitStrategy wait) throws Exception
        {
            return IpcRingSource.of(IpcRing.open(file, "longs"), Codecs.longs(), wait);
        }
    }

    private static final class ChronicleWriter extends Writer
    {
        private final Path queue;

        ChronicleWriter(final Path queue, final int index) throws Exception
        {
            super(index, ChronicleSink.builder(queue, Codecs.longs()).build());
            this.queue = queue;
        }

        @Override
        Source<?> source(final WaitStrategy wait) throws Exception
        {
            return ChronicleSource.builder(queue, Codecs.longs()).waitStrategy(wait).build();
        }
    }

    /** Checks that each source's numbers arrive in order, none missing, none twice. */
    private static final class OrderedSink implements Sink<Object>
    {
        final AtomicLongArray next;
        final List<String> violations = new CopyOnWriteArrayList<>();
        volatile boolean closed;

        OrderedSink(final int sources)
        {
            this.next = new AtomicLongArray(sources);
        }

        @Override
        public void onMessage(final Object message)
        {
            final long value = (Long)message;
            final int source = (int)(value / STRIDE);
            final long sequence = value % STRIDE;
            if (sequence != next.get(source))
            {
                violations.add("source " + source + ": got " + sequence + ", expected " + next.get(source));
            }
            next.set(source, sequence + 1);
        }

        long total()
        {
            long total = 0;
            for (int i = 0; i < next.length(); i++)
            {
                total += next.get(i);
            }
            return total;
        }

        @Override
        public void close()
        {
            closed = true;
        }
    }

    /** Keeps what it receives. */
    private static final class LateSink implements Sink<Object>
    {
        final List<Long> received = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(final Object message)
        {
            received.add((Long)message);
        }
    }
}
