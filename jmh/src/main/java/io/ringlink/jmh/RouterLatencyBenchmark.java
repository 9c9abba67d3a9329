package io.ringlink.jmh;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Publish-to-delivery latency at a fixed offered rate: N sources &times; M sinks ({@code shape}), each source an
 * exclusive publisher on a {@link PacedProducers} thread offering {@code rate} / N messages per second, every sink
 * receiving every message, in both threading modes; the peer is one multi-producer Disruptor ring with M handlers
 * fed by the same paced threads. Each message is a pooled {@link Stamp} holding its publish {@code nanoTime}; each
 * sink ({@link LatencySink}) records now &minus; stamp into an HdrHistogram, which
 * {@code -prof io.ringlink.jmh.HdrLatencyProfiler} reports per iteration as {@code rtt.p50}/{@code rtt.p99}/
 * {@code rtt.p999} (here: publish to delivery, over every delivery of every sink). One invocation is one observation
 * window ({@link Windows}) in which the benchmark thread sleeps; the secondary metrics {@code published} and
 * {@code delivered} give the share of the offered rate published and delivered to every sink in the window (1 = kept
 * up; a configuration that cannot sustain the rate reads less, and its latencies then measure a backlog).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class RouterLatencyBenchmark
{
    /** The total offered rate, messages per second over all sources, when {@code -p rate} does not say. */
    static final String RATE_DEFAULT = "100000";
    /**
     * A warm-up window's length: three of 100 ms left some paths allocating until C2 compiled them (the first
     * measurement windows of 1x1 SHARED BLOCKING allocated 70-90 KB each, the later ones what JMH alone does).
     */
    private static final long WARMUP_MS = 400;
    /** Stamps per producer: two rings' worth, more than can be in flight to the slowest sink. */
    private static final int POOL_SIZE = 2 * Harness.RING_SIZE;

    /**
     * N paced publishers into M sinks through the router.
     *
     * @param path the running router.
     * @param window the window's figures.
     */
    @Benchmark
    public void router(final RouterPath path, final Delivered window)
    {
        window.observe(path.producers, path.sinks, path.rate);
    }

    /**
     * N paced threads into one multi-producer ring with M handlers.
     *
     * @param path the running ring.
     * @param window the window's figures.
     */
    @Benchmark
    public void multiProducerDisruptor(final DisruptorPath path, final Delivered window)
    {
        window.observe(path.producers, path.sinks, path.rate);
    }

    /** Whether a window kept up with the offered rate, reported by JMH as secondary metrics. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Delivered
    {
        /** Messages published in the window over those offered (1 = the producers kept to their schedule). */
        public double published;
        /** Messages each sink received in the window (averaged over sinks) over those offered. */
        public double delivered;
        private long window;

        /**
         * Picks this iteration's window.
         *
         * @param iteration warm-up or measurement.
         */
        @Setup(Level.Iteration)
        public void setUp(final IterationParams iteration)
        {
            window = Windows.length(iteration, WARMUP_MS);
        }

        void observe(final PacedProducers producers, final List<LatencySink> sinks, final long rate)
        {
            final long publishedBefore = producers.published();
            final long receivedBefore = received(sinks);
            final long start = System.nanoTime();
            Windows.sleepUntil(start + window);
            final double offered = (double)rate * (System.nanoTime() - start) / TimeUnit.SECONDS.toNanos(1);
            published = (producers.published() - publishedBefore) / offered;
            delivered = (double)(received(sinks) - receivedBefore) / sinks.size() / offered;
        }

        private static long received(final List<LatencySink> sinks)
        {
            long total = 0;
            for (int i = 0; i < sinks.size(); i++)
            {
                total += sinks.get(i).received();
            }
            return total;
        }
    }

    /** Refuses a spinning strategy beyond one delivery thread: at most two threads spin in any benchmark. */
    static void checkSpinning(final WaitStrategy waitStrategy, final Shape shape)
    {
        if (waitStrategy == WaitStrategy.BUSY_SPIN && shape.sources() * shape.sinks() > 1)
        {
            throw new IllegalArgumentException("BUSY_SPIN is measured at 1x1 only, got " + shape);
        }
    }

    private static List<LatencySink> sinks(final Shape shape)
    {
        final List<LatencySink> sinks = new ArrayList<>();
        for (int i = 0; i < shape.sinks(); i++)
        {
            sinks.add(new LatencySink());
        }
        return sinks;
    }

    private static void report(final String what, final PacedProducers producers, final List<LatencySink> sinks)
    {
        long received = 0;
        for (final LatencySink sink : sinks)
        {
            received += sink.received();
        }
        System.out.printf("%n%s: offered %,d msg/s in all; published %,d, delivered %,d per sink on average%n", what,
            producers.offeredRate(), producers.published(), received / sinks.size());
    }

    @State(Scope.Benchmark)
    public static class RouterPath
    {
        @Param({"1x1", "4x4", "8x8"})
        public String shape;
        @Param({"DEDICATED", "SHARED"})
        public ThreadingMode threading;
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        @Param(RATE_DEFAULT)
        public long rate;
        List<LatencySink> sinks;
        PacedProducers producers;
        private Router<Object> router;

        @Setup(Level.Trial)
        public void setUp()
        {
            final Shape nm = Shape.parse(shape);
            checkSpinning(waitStrategy, nm);
            router = Router.builder().name("jmh-latency").ringSize(Harness.RING_SIZE).waitStrategy(waitStrategy)
                .threading(threading).daemon(true).build();
            sinks = sinks(nm);
            for (final LatencySink sink : sinks)
            {
                router.write(sink);
            }
            final List<Consumer<Object>> publish = new ArrayList<>();
            for (int p = 0; p < nm.sources(); p++)
            {
                final Publisher<Object> publisher = router.publisher("source-" + p);
                publish.add(publisher::publish);
            }
            producers = new PacedProducers(rate, publish, POOL_SIZE);
            System.out.printf("%noffered rate: %,d msg/s in all, %,d per source%n", producers.offeredRate(),
                producers.offeredRate() / nm.sources());
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            producers.close();
            report("router", producers, sinks);
            router.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorPath
    {
        @Param({"1x1", "4x4", "8x8"})
        public String shape;
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        @Param(RATE_DEFAULT)
        public long rate;
        List<LatencySink> sinks;
        PacedProducers producers;
        private RawDisruptor disruptor;

        @Setup(Level.Trial)
        public void setUp()
        {
            final Shape nm = Shape.parse(shape);
            checkSpinning(waitStrategy, nm);
            sinks = sinks(nm);
            disruptor = new RawDisruptor(waitStrategy, true, sinks);
            final RingBuffer<Slot> ring = disruptor.ring;
            final List<Consumer<Object>> publish = new ArrayList<>();
            for (int p = 0; p < nm.sources(); p++)
            {
                publish.add((message) ->
                {
                    final long sequence = ring.next();
                    ring.get(sequence).value = message;
                    ring.publish(sequence);
                });
            }
            producers = new PacedProducers(rate, publish, POOL_SIZE);
            System.out.printf("%noffered rate: %,d msg/s in all, %,d per producer%n", producers.offeredRate(),
                producers.offeredRate() / nm.sources());
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            producers.close();
            report("multi-producer Disruptor", producers, sinks);
            disruptor.close();
            for (final LatencySink sink : sinks)
            {
                sink.close();
            }
        }
    }
}
