package io.ringlink.jmh;

import com.lmax.disruptor.RingBuffer;
import io.ringlink.Publisher;
import io.ringlink.Router;
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

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Cost as the work grows: N sources &times; M sinks ({@code shape}, 1x1 to 16x16), each source an exclusive publisher
 * on its own thread, every sink receiving every message, in both threading modes ({@code SHARED} with as many agents
 * as processors), against one multi-producer Disruptor ring with M handlers fed by the same N threads. Each
 * invocation publishes {@link Harness#BATCH} messages in all (split over the sources) and returns once every sink has
 * them: the score is messages published per µs (deliveries are M times that).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterScalingBenchmark
{
    /**
     * N router publishers into M sinks.
     *
     * @param path the running router.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void router(final RouterPath path)
    {
        path.producers.round();
        path.awaitSinks();
    }

    /**
     * N threads into one multi-producer ring with M handlers.
     *
     * @param path the running ring.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public void multiProducerDisruptor(final DisruptorPath path)
    {
        path.producers.round();
        path.awaitHandlers();
    }

    /** N threads, each publishing its share of a batch per round, started by the benchmark thread. */
    static final class Producers implements AutoCloseable
    {
        private final List<Thread> threads = new ArrayList<>();
        private final int share;
        private volatile long round;
        private volatile boolean running = true;

        Producers(final int count, final IntConsumer[] publish)
        {
            share = Harness.BATCH / count;
            for (int p = 0; p < count; p++)
            {
                final IntConsumer target = publish[p];
                threads.add(Harness.start("producer-" + p, () -> produce(target)));
            }
        }

        int total()
        {
            return share * threads.size();
        }

        void round()
        {
            round = round + 1;
            for (final Thread thread : threads)
            {
                LockSupport.unpark(thread);
            }
        }

        private void produce(final IntConsumer target)
        {
            long done = 0;
            while (running)
            {
                if (round == done)
                {
                    LockSupport.parkNanos(50_000);
                    continue;
                }
                done++;
                for (int i = 0; i < share; i++)
                {
                    target.accept(i);
                }
            }
        }

        @Override
        public void close()
        {
            running = false;
        }
    }

    private static int[] parse(final String shape)
    {
        final String[] parts = shape.split("x");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }

    @State(Scope.Benchmark)
    public static class RouterPath
    {
        @Param({"1x1", "2x2", "4x4", "8x8", "16x16"})
        public String shape;
        @Param({"DEDICATED", "SHARED"})
        public ThreadingMode threading;
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        final List<CountingConsumer> sinks = new ArrayList<>();
        Router<Object> router;
        Producers producers;
        private long target;

        @Setup(Level.Trial)
        public void setUp()
        {
            final int[] nm = parse(shape);
            router = Router.builder().name("jmh-scaling").ringSize(Harness.RING_SIZE).waitStrategy(waitStrategy)
                .threading(threading).daemon(true).build();
            for (int i = 0; i < nm[1]; i++)
            {
                final CountingConsumer sink = new CountingConsumer();
                router.write(sink);
                sinks.add(sink);
            }
            final IntConsumer[] publish = new IntConsumer[nm[0]];
            for (int p = 0; p < nm[0]; p++)
            {
                final Publisher<Object> publisher = router.publisher("source-" + p);
                publish[p] = (i) -> publisher.publish(Harness.message(i));
            }
            producers = new Producers(nm[0], publish);
        }

        void awaitSinks()
        {
            target += producers.total();
            for (int i = 0; i < sinks.size(); i++)
            {
                Harness.awaitReceived(sinks.get(i), target);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            producers.close();
            router.close();
        }
    }

    @State(Scope.Benchmark)
    public static class DisruptorPath
    {
        @Param({"1x1", "2x2", "4x4", "8x8", "16x16"})
        public String shape;
        @Param({"BLOCKING", "YIELDING"})
        public WaitStrategy waitStrategy;
        final List<CountingConsumer> handlers = new ArrayList<>();
        RawDisruptor disruptor;
        Producers producers;
        private long target;

        @Setup(Level.Trial)
        public void setUp()
        {
            final int[] nm = parse(shape);
            for (int i = 0; i < nm[1]; i++)
            {
                handlers.add(new CountingConsumer());
            }
            disruptor = new RawDisruptor(waitStrategy, true, handlers);
            final RingBuffer<Slot> ring = disruptor.ring;
            final IntConsumer[] publish = new IntConsumer[nm[0]];
            for (int p = 0; p < nm[0]; p++)
            {
                publish[p] = (i) ->
                {
                    final long sequence = ring.next();
                    ring.get(sequence).value = Harness.message(i);
                    ring.publish(sequence);
                };
            }
            producers = new Producers(nm[0], publish);
        }

        void awaitHandlers()
        {
            target += producers.total();
            for (int i = 0; i < handlers.size(); i++)
            {
                Harness.awaitReceived(handlers.get(i), target);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            producers.close();
            disruptor.close();
        }
    }
}
