package io.ringlink.jmh;

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

/**
 * What an idle router costs: N sources (exclusive publishers, no thread of their own) &times; M sinks, built and
 * started, nothing published. Each invocation is one observation window ({@link Windows}) in which the benchmark
 * thread sleeps; the results are secondary metrics ({@code @AuxCounters}):
 * <ul>
 *     <li>{@code cores}: CPU time of the router's own threads (named {@code ringlink-jmh-idle-}) per wall second;</li>
 *     <li>{@code processCores}: the same for the whole JVM (JMH, JIT and GC included), as a cross-check;</li>
 *     <li>{@code threads}: the router's live threads: N &times; M deliveries in {@code DEDICATED}, the agents in
 *     {@code SHARED} (as many as processors).</li>
 * </ul>
 * The primary score is only the window's length. {@code BUSY_SPIN} runs apart ({@code routerBusySpin}): in
 * {@code DEDICATED} only at 1x1, since 16 &times; 16 spinning delivery threads on two cores would crawl and say
 * nothing new (each spins a core while it runs), in {@code SHARED} at every shape. The peer is one multi-producer
 * Disruptor ring with M {@code BatchEventProcessor}s, idle, with the same wait strategy ({@code BUSY_SPIN} at 1x1
 * only, for the same reason).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
public class RouterIdleBenchmark
{
    private static final String ROUTER_NAME = "jmh-idle";
    private static final String ROUTER_THREADS = "ringlink-" + ROUTER_NAME + "-";
    private static final String DISRUPTOR_THREADS = "jmh-disruptor-";

    /**
     * An idle router, {@code YIELDING}, {@code SLEEPING} or {@code BLOCKING}.
     *
     * @param idle the router.
     * @param cost the window's figures.
     */
    @Benchmark
    public void router(final RouterIdle idle, final IdleCost cost)
    {
        cost.observe(idle.threads);
    }

    /**
     * An idle router whose deliveries spin.
     *
     * @param idle the router.
     * @param cost the window's figures.
     */
    @Benchmark
    public void routerBusySpin(final SpinningRouterIdle idle, final IdleCost cost)
    {
        cost.observe(idle.threads);
    }

    /**
     * An idle multi-producer Disruptor ring with M handlers.
     *
     * @param idle the ring.
     * @param cost the window's figures.
     */
    @Benchmark
    public void multiProducerDisruptor(final DisruptorIdle idle, final IdleCost cost)
    {
        cost.observe(idle.threads);
    }

    /**
     * An idle multi-producer Disruptor ring whose one handler spins.
     *
     * @param idle the ring.
     * @param cost the window's figures.
     */
    @Benchmark
    public void multiProducerDisruptorBusySpin(final SpinningDisruptorIdle idle, final IdleCost cost)
    {
        cost.observe(idle.threads);
    }

    /** One window's figures, reported by JMH as secondary metrics. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class IdleCost
    {
        /** CPU seconds of the router's (or ring's) threads per wall second. */
        public double cores;
        /** CPU seconds of the whole JVM per wall second. */
        public double processCores;
        /** Live threads the router (or ring) started. */
        public double threads;
        private long window;

        /**
         * Picks this iteration's window.
         *
         * @param iteration warm-up or measurement.
         */
        @Setup(Level.Iteration)
        public void setUp(final IterationParams iteration)
        {
            window = Windows.length(iteration);
        }

        void observe(final NamedThreads named)
        {
            named.begin();
            Windows.sleepUntil(System.nanoTime() + window);
            final NamedThreads.Usage usage = named.end();
            cores = usage.cores();
            processCores = usage.processCores();
            threads = usage.threads();
        }
    }

    /** A started router with N publishers and M counting sinks. */
    static final class IdleRouter implements AutoCloseable
    {
        final NamedThreads threads = new NamedThreads(ROUTER_THREADS);
        private final Router<Object> router;

        IdleRouter(final Shape shape, final ThreadingMode threading, final WaitStrategy waitStrategy)
        {
            this(shape, threading, Runtime.getRuntime().availableProcessors(), waitStrategy);
        }

        IdleRouter(final Shape shape, final ThreadingMode threading, final int agents, final WaitStrategy waitStrategy)
        {
            router = Router.builder().name(ROUTER_NAME).ringSize(Harness.RING_SIZE).waitStrategy(waitStrategy)
                .threading(threading).deliveryThreads(agents).daemon(true).build();
            for (int i = 0; i < shape.sinks(); i++)
            {
                router.write(new CountingConsumer());
            }
            for (int p = 0; p < shape.sources(); p++)
            {
                router.publisher("source-" + p);
            }
        }

        @Override
        public void close()
        {
            router.close();
            awaitNoThreads(threads);
        }
    }

    /** A started multi-producer ring with M counting handlers. */
    static final class IdleDisruptor implements AutoCloseable
    {
        final NamedThreads threads = new NamedThreads(DISRUPTOR_THREADS);
        private final RawDisruptor disruptor;

        IdleDisruptor(final Shape shape, final WaitStrategy waitStrategy)
        {
            final List<CountingConsumer> handlers = new ArrayList<>();
            for (int i = 0; i < shape.sinks(); i++)
            {
                handlers.add(new CountingConsumer());
            }
            disruptor = new RawDisruptor(waitStrategy, true, handlers);
        }

        @Override
        public void close()
        {
            disruptor.close();
            awaitNoThreads(threads);
        }
    }

    /** Fails the trial if the threads a router or ring started outlive it. */
    static void awaitNoThreads(final NamedThreads threads)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int left;
        while ((left = threads.count()) > 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(left + " threads outlived their router or ring");
            }
            Windows.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10));
        }
    }

    /** The non-spinning strategies; {@code BUSY_SPIN} has states of its own so that it never spins N &times; M. */
    static WaitStrategy notSpinning(final WaitStrategy waitStrategy)
    {
        if (waitStrategy == WaitStrategy.BUSY_SPIN)
        {
            throw new IllegalArgumentException("BUSY_SPIN idles in routerBusySpin/multiProducerDisruptorBusySpin " +
                "only: N x M spinning threads on two cores would crawl");
        }
        return waitStrategy;
    }

    @State(Scope.Benchmark)
    public static class RouterIdle
    {
        @Param({"1x1", "4x4", "16x16"})
        public String shape;
        @Param({"DEDICATED", "SHARED"})
        public ThreadingMode threading;
        @Param({"YIELDING", "SLEEPING", "BLOCKING"})
        public WaitStrategy waitStrategy;
        IdleRouter router;
        NamedThreads threads;

        @Setup(Level.Trial)
        public void setUp()
        {
            router = new IdleRouter(Shape.parse(shape), threading, notSpinning(waitStrategy));
            threads = router.threads;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            router.close();
        }
    }

    @State(Scope.Benchmark)
    public static class SpinningRouterIdle
    {
        /**
         * {@code MODE[/AGENTS]:NxM}: {@code DEDICATED} spins N &times; M threads, so only at 1x1; {@code SHARED} runs
         * as many agents as processors unless {@code /AGENTS} says (with two agents on two cores the bound is the
         * machine's, so {@code SHARED/1} is the layout that can show a cost growing past the agents here).
         */
        @Param({"DEDICATED:1x1", "SHARED:1x1", "SHARED:4x4", "SHARED:8x8", "SHARED:16x16", "SHARED/1:16x16"})
        public String layout;
        IdleRouter router;
        NamedThreads threads;

        @Setup(Level.Trial)
        public void setUp()
        {
            final String[] parts = layout.split(":");
            final String[] mode = parts[0].split("/");
            final ThreadingMode threading = ThreadingMode.valueOf(mode[0]);
            final int agents = mode.length > 1 ? Integer.parseInt(mode[1]) : Runtime.getRuntime().availableProcessors();
            final Shape shape = Shape.parse(parts[1]);
            if (threading == ThreadingMode.DEDICATED && shape.sources() * shape.sinks() > 1)
            {
                throw new IllegalArgumentException("DEDICATED BUSY_SPIN spins a thread per (source, sink): 1x1 only");
            }
            router = new IdleRouter(shape, threading, agents, WaitStrategy.BUSY_SPIN);
            threads = router.threads;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            router.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorIdle
    {
        @Param({"1x1", "4x4", "16x16"})
        public String shape;
        @Param({"YIELDING", "SLEEPING", "BLOCKING"})
        public WaitStrategy waitStrategy;
        IdleDisruptor disruptor;
        NamedThreads threads;

        @Setup(Level.Trial)
        public void setUp()
        {
            disruptor = new IdleDisruptor(Shape.parse(shape), notSpinning(waitStrategy));
            threads = disruptor.threads;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            disruptor.close();
        }
    }

    @State(Scope.Benchmark)
    public static class SpinningDisruptorIdle
    {
        /** One handler: M spinning handlers on two cores would crawl. */
        @Param({"1x1"})
        public String layout;
        IdleDisruptor disruptor;
        NamedThreads threads;

        @Setup(Level.Trial)
        public void setUp()
        {
            final Shape shape = Shape.parse(layout);
            if (shape.sinks() > 1)
            {
                throw new IllegalArgumentException("BUSY_SPIN spins a thread per handler: one handler only");
            }
            disruptor = new IdleDisruptor(shape, WaitStrategy.BUSY_SPIN);
            threads = disruptor.threads;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            disruptor.close();
        }
    }
}
