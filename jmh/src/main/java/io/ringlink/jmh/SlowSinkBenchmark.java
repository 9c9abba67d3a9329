package io.ringlink.jmh;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.SinkId;
import io.ringlink.SinkOptions;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A stalled sink beside fast ones: one source (an exclusive publisher, the benchmark thread) publishes
 * {@link Harness#MILLION} messages per invocation to two fast counting sinks and one sink stalled on a latch
 * ({@link StalledSink}) under a slow-sink policy; the invocation ends when both fast sinks have every message, so the
 * score (ns per message, single shot) is the fast sinks' pace. Each iteration writes a fresh stalled sink, stalls it
 * on a first message before the clock starts, and removes it afterwards: every batch meets a sink that has just
 * stalled (under {@code disconnect=10ms} every batch pays the 10 ms before the disconnect). {@code alone} is the peer:
 * the same router with the two fast sinks only. {@code spill} puts the stalled sink's queue in a temporary directory
 * ({@code chronicle:DIR?codec=longs}, hence pre-boxed {@code Long} messages for every policy), deleted with the sink.
 * {@code block} is not measured: its producer waits for the stalled sink for ever (the documented, lossless
 * behaviour).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class SlowSinkBenchmark
{
    private static final String ROUTER_NAME = "jmh-slow";
    private static final int POOL_MASK = 1023;
    private static final Long[] LONGS = new Long[POOL_MASK + 1];
    private static final String ALONE = "alone";
    private static final String SPILL = "spill";
    private static final String SPILL_PREFIX = "ringlink-jmh-spill-";

    static
    {
        for (int i = 0; i < LONGS.length; i++)
        {
            LONGS[i] = (long)i;
        }
    }

    /**
     * One batch of a million messages, until both fast sinks have it.
     *
     * @param path the router, its fast sinks and this iteration's stalled sink.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.MILLION)
    public void fastSinks(final StalledPath path)
    {
        path.publishBatch();
    }

    @State(Scope.Benchmark)
    public static class StalledPath
    {
        /** {@code alone} (no stalled sink), or the stalled sink's policy: {@code drop}, {@code disconnect=D}, spill. */
        @Param({ALONE, "drop", "disconnect=10ms", SPILL})
        public String policy;
        @Param({"BLOCKING"})
        public WaitStrategy waitStrategy;
        final CountingConsumer fastA = new CountingConsumer();
        final CountingConsumer fastB = new CountingConsumer();
        private final NamedThreads threads = new NamedThreads("ringlink-" + ROUTER_NAME + "-");
        private Router<Object> router;
        private Publisher<Object> publisher;
        /** Where the temporary directory of the spill queues goes: the system's temporary directory unless set. */
        Path spillParent;
        Path spillRoot;
        private Path spillQueue;
        private StalledSink stalled;
        private SinkId stalledId;
        private int baseThreads;
        private int iteration;
        private long target;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            if (!ALONE.equals(policy) && !SPILL.equals(policy))
            {
                SinkOptions.parse(policy);
            }
            spillRoot = spillParent == null ? Files.createTempDirectory(SPILL_PREFIX) :
                Files.createTempDirectory(spillParent, SPILL_PREFIX);
            router = Router.builder().name(ROUTER_NAME).ringSize(Harness.RING_SIZE).waitStrategy(waitStrategy)
                .threading(ThreadingMode.DEDICATED).daemon(true).build();
            router.write(fastA);
            router.write(fastB);
            publisher = router.publisher("feed");
            baseThreads = threads.count();
        }

        @Setup(Level.Iteration)
        public void stall()
        {
            if (ALONE.equals(policy))
            {
                return;
            }
            final SinkOptions options;
            if (SPILL.equals(policy))
            {
                spillQueue = spillRoot.resolve("queue-" + iteration++);
                options = SinkOptions.spill("chronicle:" + spillQueue + "?codec=longs");
            }
            else
            {
                options = SinkOptions.parse(policy);
            }
            stalled = new StalledSink();
            stalledId = router.write(stalled, options);
            publisher.publish(LONGS[0]);
            target++;
            stalled.awaitStalled();
        }

        void publishBatch()
        {
            final Publisher<Object> publisher = this.publisher;
            for (int i = 0; i < Harness.MILLION; i++)
            {
                publisher.publish(LONGS[i & POOL_MASK]);
            }
            target += Harness.MILLION;
            Harness.awaitReceived(fastA, target);
            Harness.awaitReceived(fastB, target);
        }

        @TearDown(Level.Iteration)
        public void unstall()
        {
            if (stalled == null)
            {
                return;
            }
            stalled.release();
            // Under disconnect the router removed it already.
            router.unregister(stalledId);
            stalled = null;
            if (spillQueue != null && Files.exists(spillQueue))
            {
                delete(spillQueue);
                throw new IllegalStateException("the spill queue " + spillQueue + " outlived its sink");
            }
            awaitThreads(baseThreads);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            router.close();
            awaitThreads(0);
            try (Stream<Path> left = Files.list(spillRoot))
            {
                if (left.findAny().isPresent())
                {
                    throw new IllegalStateException("files left in " + spillRoot);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            finally
            {
                delete(spillRoot);
            }
        }

        private void awaitThreads(final int expected)
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            int now;
            while ((now = threads.count()) != expected)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException(now + " router threads alive, expected " + expected);
                }
                Windows.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10));
            }
        }

        private static void delete(final Path root)
        {
            try (Stream<Path> paths = Files.walk(root))
            {
                for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
                {
                    Files.deleteIfExists(path);
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
