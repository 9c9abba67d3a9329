package io.ringlink.jmh;

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

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out 1&rarr;3 throughput, in messages published per microsecond (each reaches all three consumers):
 * <ul>
 *     <li>{@code router}: one {@code Publisher}, three counting sinks (three delivery threads on one ring);</li>
 *     <li>{@code disruptor}: raw Disruptor multicast, one ring read by three {@code BatchEventProcessor}s;</li>
 *     <li>{@code routerBatchMillion} against {@code disruptorBatchMillion}: 1M messages in one
 *     {@code Publisher.publishBatch} call against {@code next(n)}/{@code publish(lo, hi)} in the same runs;</li>
 *     <li>{@code abqPumpThread}: the naive pump copying each item into three {@code ArrayBlockingQueue}s, each
 *     emptied by its own consumer thread ({@link QueuePump}).</li>
 * </ul>
 * Only {@code BLOCKING} and {@code YIELDING}: four waiting threads would not fit busy-spinning on two cores. Each
 * invocation publishes {@link Harness#BATCH} messages and returns once every consumer has the last one; see
 * {@link RouterPublishBenchmark} for why a fixed batch per invocation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RouterFanOutBenchmark
{
    private static final int CONSUMERS = 3;

    /**
     * Publishes one batch to three router sinks.
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
     * Publishes one batch to three Disruptor handlers.
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
     * Publishes 1M messages to three router sinks, as the independent harness does.
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
     * Publishes 1M messages to three Disruptor handlers.
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
     * Publishes 1M messages to three router sinks with one {@code Publisher.publishBatch} call.
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
     * Publishes 1M messages to three Disruptor handlers in runs of a quarter ring ({@code next(n)}).
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
     * Sends one batch through the naive pump into three queues.
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
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        @Param({"16384", "65536"})
        public int ringSize;
        @Param({"DEDICATED", "SHARED"})
        public ThreadingMode threading;
        RouterPipeline pipeline;

        @Setup(Level.Trial)
        public void setUp()
        {
            pipeline = new RouterPipeline(waitStrategy, CONSUMERS, ringSize, threading);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            pipeline.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorPath
    {
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        @Param({"16384", "65536"})
        public int ringSize;
        final List<CountingConsumer> consumers =
            List.of(new CountingConsumer(), new CountingConsumer(), new CountingConsumer());
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
    public static class QueuePumpPath
    {
        QueuePump pump;

        @Setup(Level.Trial)
        public void setUp()
        {
            pump = new QueuePump(CONSUMERS);
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            pump.close();
        }
    }
}
