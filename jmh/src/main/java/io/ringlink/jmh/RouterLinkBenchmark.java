package io.ringlink.jmh;

import io.ringlink.Link;
import io.ringlink.RingLink;
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

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Queue-to-queue link throughput, end to end, in messages per microsecond: the producer puts into an
 * {@code ArrayBlockingQueue} A, something moves A to an {@code ArrayBlockingQueue} B, and a consumer thread empties B.
 * <ul>
 *     <li>{@code routerLink}: {@code RingLink.linker().waitStrategy(..).ringSize(16384).link(queueA, queueB)},
 *     a router with {@code read(queueA)} and {@code write(queueB)}: a pump thread moves A into the ring
 *     ({@code poll} then {@code drainTo}, published as a batch), a delivery thread puts into B;</li>
 *     <li>{@code abqPumpThread}: the naive pump thread ({@link QueuePump}), one {@code take}/{@code put} per item.</li>
 * </ul>
 * Both share the producer (one {@code put} per message) and the consumer of B ({@code take} then {@code drainTo}).
 * Each invocation sends {@link Harness#BATCH} messages and returns once the consumer of B has the last one; see
 * {@link RouterPublishBenchmark} for why a fixed batch per invocation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RouterLinkBenchmark
{
    /**
     * Sends one batch through the router's queue link.
     *
     * @param path the running link.
     * @throws InterruptedException never in practice: nothing interrupts the benchmark thread.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void routerLink(final LinkPath path) throws InterruptedException
    {
        final ArrayBlockingQueue<Object> queueA = path.queueA;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            queueA.put(Harness.message(i));
        }
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
    public void abqPumpThread(final RouterPublishBenchmark.QueuePumpPath path) throws InterruptedException
    {
        path.pump.sendBatch();
    }

    @State(Scope.Benchmark)
    public static class LinkPath
    {
        @Param({"YIELDING", "BLOCKING"})
        public WaitStrategy waitStrategy;
        final ArrayBlockingQueue<Object> queueA = new ArrayBlockingQueue<>(Harness.RING_SIZE);
        final ArrayBlockingQueue<Object> queueB = new ArrayBlockingQueue<>(Harness.RING_SIZE);
        final CountingConsumer consumer = new CountingConsumer();
        long target;
        private Link link;
        private Thread drainer;

        @Setup(Level.Trial)
        public void setUp()
        {
            link = RingLink.linker()
                .name("jmh-link")
                .ringSize(Harness.RING_SIZE)
                .waitStrategy(waitStrategy)
                .link(queueA, queueB);
            drainer = QueuePump.drain(queueB, consumer, "link-consumer");
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            link.close();
            Harness.stop(drainer);
        }
    }
}
