package io.ringlink.jmh;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.Sink;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Fan-in 3&rarr;1 throughput, in messages per microsecond summed over three producer threads:
 * <ul>
 *     <li>{@code router}: three {@code Publisher}s (one ring each, as the router gives every source its own ring)
 *     and one sink that is not thread-safe, so the router serialises its three delivery threads per batch;</li>
 *     <li>{@code disruptor}: the raw Disruptor's answer, one multi-producer ring (producers race on a CAS) read by
 *     one {@code BatchEventProcessor}.</li>
 * </ul>
 * Each producer sends its own tag as message; the consumer counts per tag, so each producer thread waits only for
 * its own {@link Harness#BATCH} messages before its invocation ends.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class RouterFanInBenchmark
{
    private static final int PRODUCERS = 3;

    /**
     * Publishes one batch from this producer through its own router publisher.
     *
     * @param path     the running router.
     * @param producer this thread's producer.
     */
    @Benchmark
    @Threads(PRODUCERS)
    @OperationsPerInvocation(Harness.BATCH)
    public void router(final RouterPath path, final Producer producer)
    {
        final Publisher<Object> publisher = path.publishers.get(producer.index);
        final Object message = producer.message;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            publisher.publish(message);
        }
        Harness.awaitReceived(path.counter.lane(producer.index), producer.target += Harness.BATCH);
    }

    /**
     * Publishes one batch from this producer into the shared multi-producer ring.
     *
     * @param path     the running ring.
     * @param producer this thread's producer.
     */
    @Benchmark
    @Threads(PRODUCERS)
    @OperationsPerInvocation(Harness.BATCH)
    public void disruptor(final DisruptorPath path, final Producer producer)
    {
        final RingBuffer<Slot> ring = path.disruptor.ring;
        final Object message = producer.message;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            final long sequence = ring.next();
            ring.get(sequence).value = message;
            ring.publish(sequence);
        }
        Harness.awaitReceived(path.counter.lane(producer.index), producer.target += Harness.BATCH);
    }

    @State(Scope.Benchmark)
    public static class RouterPath
    {
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        final LaneCounter counter = new LaneCounter(PRODUCERS);
        final List<Publisher<Object>> publishers = new ArrayList<>();
        private Router<Object> router;

        @Setup(Level.Trial)
        public void setUp()
        {
            router = Router.builder()
                .name("jmh-fan-in")
                .ringSize(Harness.RING_SIZE)
                .waitStrategy(waitStrategy)
                .daemon(true)
                .build();
            router.write(counter);
            for (int i = 0; i < PRODUCERS; i++)
            {
                publishers.add(router.publisher("producer-" + i));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            router.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorPath
    {
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        final LaneCounter counter = new LaneCounter(PRODUCERS);
        RawDisruptor disruptor;

        @Setup(Level.Trial)
        public void setUp()
        {
            disruptor = new RawDisruptor(waitStrategy, true, List.of(counter));
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            disruptor.close();
        }
    }

    @State(Scope.Thread)
    public static class Producer
    {
        int index;
        Object message;
        long target;

        @Setup(Level.Trial)
        public void setUp(final ThreadParams thread)
        {
            index = thread.getThreadIndex();
            message = index;
        }
    }

    /**
     * Counts messages per producer tag (an {@code Integer}); makes the counts visible once per batch.
     */
    static final class LaneCounter implements Sink<Object>, EventHandler<Slot>
    {
        /** One counter per cache line pair, so producers polling their lane do not share a line. */
        private static final int STRIDE = 16;

        private final long[] counts;
        private final AtomicLongArray visible;
        private final List<Harness.Received> lanes = new ArrayList<>();

        LaneCounter(final int laneCount)
        {
            counts = new long[laneCount];
            visible = new AtomicLongArray(laneCount * STRIDE);
            for (int i = 0; i < laneCount; i++)
            {
                final int slot = i * STRIDE;
                lanes.add(() -> visible.get(slot));
            }
        }

        Harness.Received lane(final int index)
        {
            return lanes.get(index);
        }

        @Override
        public void onMessage(final Object message)
        {
            counts[(Integer)message]++;
        }

        @Override
        public void onEndOfBatch()
        {
            for (int i = 0; i < counts.length; i++)
            {
                visible.lazySet(i * STRIDE, counts[i]);
            }
        }

        @Override
        public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
        {
            onMessage(slot.value);
            if (endOfBatch)
            {
                onEndOfBatch();
            }
        }

        @Override
        public String name()
        {
            return "lane-counter";
        }
    }
}
