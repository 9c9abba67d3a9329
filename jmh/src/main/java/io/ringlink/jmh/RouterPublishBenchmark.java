package io.ringlink.jmh;

import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.jctools.queues.SpscArrayQueue;
import org.openjdk.jmh.annotations.AuxCounters;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * In-JVM 1&rarr;1 throughput, end to end, in messages per microsecond (millions of messages per second):
 * <ul>
 *     <li>{@code router}: {@code Publisher.publish} into the router's ring, one delivery thread, a counting sink;</li>
 *     <li>{@code routerCounters}: the same router built with {@code counters(true)} and {@code jmx(true)}, as the
 *     {@code ringlink} command builds its own: its counters file (in a temporary directory) is updated every 100 ms
 *     by the JVM's sampler thread from {@code Router.metrics()}, so the score and {@code -prof gc} should match
 *     {@code router}'s within the noise; with {@code externalReader=true} a second JVM reads the file every 10 ms
 *     meanwhile, as {@code ringlink stat --watch=10ms} would;</li>
 *     <li>{@code disruptor}: the raw Disruptor 4 with the same ring size and wait strategy, {@code next()} and
 *     {@code publish()}, one {@code BatchEventProcessor} with a counting handler;</li>
 *     <li>{@code routerBatchMillion} against {@code disruptorBatchMillion}: 1M pre-boxed messages in one
 *     {@code Publisher.publishBatch} call, against the raw Disruptor's {@code next(n)} and {@code publish(lo, hi)}
 *     in the same runs of a quarter ring;</li>
 *     <li>{@code jctoolsSpsc}: a JCTools {@code SpscArrayQueue} of the same capacity, {@code offer} in a loop and a
 *     consumer thread that {@code drain}s, idling as the wait strategy says (Agrona idle strategies: JCTools has no
 *     wait strategy of its own, and BLOCKING becomes a back-off to parking);</li>
 *     <li>{@code abqPumpThread}: the naive design, source {@code ArrayBlockingQueue} &rarr; pump thread &rarr;
 *     destination queue &rarr; consumer thread ({@link QueuePump}); it blocks by nature, so it has no wait
 *     strategy parameter.</li>
 * </ul>
 * <b>How it measures.</b> The router's consumer is its own delivery thread, so a JMH {@code @Group} (whose threads
 * are all JMH's) cannot drive it. Each invocation instead sends a fixed batch of {@link Harness#BATCH} messages (four
 * rings' worth) from the benchmark thread and returns only once the consumer has counted the last one: the score
 * is messages delivered per unit of time, including the drain of the last ring, never just the messages a producer
 * managed to enqueue. Every consumer makes its count visible once per batch with the same ordered store, and every
 * message comes from a preallocated pool, so none of the peers allocates per message ({@code -prof gc} checks it).
 * At most two threads spin (the producer and the consumer), which the 2-core build machines can carry.
 * {@code failedOffers} (an {@code @AuxCounters} event count) says how often the SPSC producer found the queue full.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RouterPublishBenchmark
{
    /** Where counters files go ({@code io.ringlink.offheap.internal.counters.CountersDirectory}). */
    static final String COUNTERS_DIR_PROP_NAME = "ringlink.counters.dir";

    /**
     * Sends one batch through the router.
     *
     * @param path the running router.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void router(final RouterPath path)
    {
        path.pipeline.sendBatch();
    }

    /**
     * Sends one batch through a router that publishes its counters file and its MXBean.
     *
     * @param path the running router.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void routerCounters(final CountedRouterPath path)
    {
        path.pipeline.sendBatch();
    }

    /**
     * Sends one batch through the raw Disruptor.
     *
     * @param path the running ring.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void disruptor(final DisruptorPath path)
    {
        path.disruptor.sendBatch(path.target += Harness.BATCH, path.consumers);
    }

    /**
     * Sends 1M messages through the router, as the independent harness does.
     *
     * @param path the running router.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.MILLION)
    public void routerMillion(final RouterPath path)
    {
        path.pipeline.sendBatch(Harness.MILLION);
    }

    /**
     * Sends 1M messages through the raw Disruptor.
     *
     * @param path the running ring.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.MILLION)
    public void disruptorMillion(final DisruptorPath path)
    {
        path.disruptor.sendBatch(path.target += Harness.MILLION, path.consumers, Harness.MILLION);
    }

    /**
     * Sends 1M messages through the router with one {@code Publisher.publishBatch} call (runs of a quarter ring).
     *
     * @param path the running router.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.MILLION)
    public void routerBatchMillion(final RouterPath path)
    {
        path.pipeline.sendMillionInBatches();
    }

    /**
     * Sends 1M messages through the raw Disruptor in runs of a quarter ring ({@code next(n)}, {@code publish(lo, hi)}).
     *
     * @param path the running ring.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.MILLION)
    public void disruptorBatchMillion(final DisruptorPath path)
    {
        path.disruptor.sendMillionInBatches(path.target += Harness.MILLION, path.consumers);
    }

    /**
     * Sends one batch through a JCTools SPSC queue.
     *
     * @param path   the running queue.
     * @param offers counts offers that found the queue full.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void jctoolsSpsc(final SpscPath path, final Offers offers)
    {
        final SpscArrayQueue<Object> queue = path.queue;
        final IdleStrategy idle = path.producerIdle;
        long failed = 0;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            final Object message = Harness.message(i);
            if (!queue.offer(message))
            {
                do
                {
                    failed++;
                    idle.idle(0);
                }
                while (!queue.offer(message));
                idle.reset();
            }
        }
        offers.failedOffers += failed;
        Harness.awaitReceived(path.consumer, path.target += Harness.BATCH);
    }

    /**
     * Sends one batch through the naive ArrayBlockingQueue pump.
     *
     * @param path the running pump.
     * @throws InterruptedException never in practice: nothing interrupts the benchmark thread.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void abqPumpThread(final QueuePumpPath path) throws InterruptedException
    {
        path.pump.sendBatch();
    }

    @State(Scope.Benchmark)
    public static class RouterPath
    {
        @Param({"YIELDING", "BUSY_SPIN", "BLOCKING"})
        public WaitStrategy waitStrategy;
        @Param({"16384", "65536"})
        public int ringSize;
        RouterPipeline pipeline;

        @Setup(Level.Trial)
        public void setUp()
        {
            pipeline = new RouterPipeline(waitStrategy, 1, ringSize, ThreadingMode.DEDICATED);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            pipeline.close();
        }
    }

    @State(Scope.Benchmark)
    public static class CountedRouterPath
    {
        @Param({"YIELDING", "BUSY_SPIN", "BLOCKING"})
        public WaitStrategy waitStrategy;
        /** Whether a second JVM reads the counters file every 10 ms meanwhile ({@link CountersReaderLoop}). */
        @Param({"false", "true"})
        public boolean externalReader;
        RouterPipeline pipeline;
        private Path directory;
        private Process reader;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            directory = Files.createTempDirectory("ringlink-jmh-counters");
            System.setProperty(COUNTERS_DIR_PROP_NAME, directory.toString());
            pipeline = new RouterPipeline(waitStrategy, 1, Harness.RING_SIZE, ThreadingMode.DEDICATED, true);
            if (externalReader)
            {
                reader = new ProcessBuilder(EchoProcess.javaCommand(CountersReaderLoop.class, directory.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException, InterruptedException
        {
            if (reader != null)
            {
                reader.getOutputStream().close();
                if (!reader.waitFor(10, TimeUnit.SECONDS))
                {
                    reader.destroyForcibly().waitFor();
                }
            }
            pipeline.close();
            System.clearProperty(COUNTERS_DIR_PROP_NAME);
            Files.deleteIfExists(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorPath
    {
        @Param({"YIELDING", "BUSY_SPIN", "BLOCKING"})
        public WaitStrategy waitStrategy;
        @Param({"16384", "65536"})
        public int ringSize;
        final List<CountingConsumer> consumers = List.of(new CountingConsumer());
        RawDisruptor disruptor;
        long target;

        @Setup(Level.Trial)
        public void setUp()
        {
            disruptor = new RawDisruptor(waitStrategy, false, consumers, ringSize);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            disruptor.close();
        }
    }

    @State(Scope.Benchmark)
    public static class SpscPath
    {
        private static final int DRAIN_LIMIT = 1024;

        @Param({"YIELDING", "BUSY_SPIN", "BLOCKING"})
        public WaitStrategy waitStrategy;
        final SpscArrayQueue<Object> queue = new SpscArrayQueue<>(Harness.RING_SIZE);
        final CountingConsumer consumer = new CountingConsumer();
        IdleStrategy producerIdle;
        long target;
        private volatile boolean running = true;
        private Thread thread;

        @Setup(Level.Trial)
        public void setUp()
        {
            producerIdle = Harness.idle(waitStrategy);
            final IdleStrategy consumerIdle = Harness.idle(waitStrategy);
            thread = Harness.start("spsc-consumer", () ->
            {
                while (running)
                {
                    final int drained = queue.drain(consumer, DRAIN_LIMIT);
                    if (drained > 0)
                    {
                        consumer.endOfBatch();
                    }
                    consumerIdle.idle(drained);
                }
            });
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            running = false;
            Harness.join(thread);
        }
    }

    @State(Scope.Benchmark)
    public static class QueuePumpPath
    {
        QueuePump pump;

        @Setup(Level.Trial)
        public void setUp()
        {
            pump = new QueuePump(1);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            pump.close();
        }
    }

    @AuxCounters(AuxCounters.Type.EVENTS)
    @State(Scope.Thread)
    public static class Offers
    {
        /** Offers that found the queue full, per iteration. */
        public long failedOffers;

        @Setup(Level.Iteration)
        public void reset()
        {
            failedOffers = 0;
        }
    }
}
