package io.ringlink.jmh;

import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.SharedQueue;
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
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@link SharedQueue} throughput from this JVM to consumer threads in a second JVM ({@link SharedQueueConsumers},
 * started per trial): {@code consumers=1} is the single consumer the queue had before it took several, the peer of
 * {@code consumers=2} and {@code 4}. Each consumer thread has its own queue object on the file, as consumer JVMs
 * would, so the consumers take turns on the file's take lock.
 * <p>
 * Each invocation puts a batch of {@link Harness#BATCH} 8-byte elements ({@link Codecs#longs()}, pre-boxed) with
 * {@code offer(element, 30 s)} from the benchmark thread, then waits until the queue's
 * {@link SharedQueue#unfinishedCount()} (read from the file's header) is 0 again: every consumer calls
 * {@link SharedQueue#taskDone()} right after each {@code take} returned its element, and {@code taskDone} refuses to
 * count more than were taken, so 0 means every element of the batch was taken out of the file, decoded and handed to a
 * consumer's code; the score (elements/µs) counts delivered elements, never merely enqueued ones. The wait spins then
 * yields ({@link Harness#awaitReceived}) rather than calling {@code join()}, whose back-off parks up to a millisecond,
 * and fails after 30 s without progress. The queue holds 256 KiB (16,384 elements of 16 bytes in the ring), a quarter
 * of a batch, so a batch runs the queue full. The consumers wait as {@code take} does (spin, yield, then park up to
 * 1 ms: there is no signal across processes); with 4 consumers and the producer on 2 cores no thread busy-spins.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class SharedQueueThroughputBenchmark
{
    /**
     * Puts one batch and waits until the consumers have taken and marked done every element of it.
     *
     * @param path the queue and its consumer process.
     * @return elements delivered so far.
     * @throws InterruptedException if interrupted while putting.
     */
    @Benchmark
    @OperationsPerInvocation(Harness.BATCH)
    public long sharedQueue(final QueuePath path) throws InterruptedException
    {
        return path.sendBatch();
    }

    /** The queue file in a fresh directory and the consumer JVM taking from it, per trial. */
    @State(Scope.Benchmark)
    public static class QueuePath implements Harness.Received
    {
        /** Ring capacity in bytes: 16,384 elements of 8 bytes plus their 8-byte record headers. */
        static final int CAPACITY_BYTES = 256 * 1024;
        private static final long PUT_TIMEOUT_SECONDS = 30;
        private static final int POOL_MASK = 1023;

        /** Consumer threads in the consumer JVM; 1 is the single consumer of before. */
        @Param({"1", "2", "4"})
        public int consumers;

        SharedQueue<Long> queue;
        private final Long[] pool = new Long[POOL_MASK + 1];
        private Path directory;
        private EchoProcess consumerProcess;
        private long sent;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            for (int i = 0; i < pool.length; i++)
            {
                pool[i] = 1_000L + i;
            }
            directory = SharedFiles.createDirectory();
            boolean started = false;
            try
            {
                final Path file = directory.resolve("queue");
                queue = SharedQueue.builder(file).capacity(CAPACITY_BYTES).codec(Codecs.longs()).create();
                consumerProcess = EchoProcess.start(SharedQueueConsumers.class, directory.resolve("consumers.log"),
                    file.toString(), Integer.toString(consumers));
                started = true;
            }
            finally
            {
                if (!started)
                {
                    // JMH runs no tear-down after a failed set-up (e.g. an IllegalAccessError: no JVM flags)
                    tearDown();
                }
            }
        }

        /**
         * Puts a batch and waits for its delivery.
         *
         * @return elements delivered so far, in all batches.
         */
        long sendBatch() throws InterruptedException
        {
            for (int i = 0; i < Harness.BATCH; i++)
            {
                if (!queue.offer(pool[i & POOL_MASK], PUT_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                {
                    throw new IllegalStateException("no room in " + queue + " for " + PUT_TIMEOUT_SECONDS +
                        " s: are the consumers alive? see " + directory.resolve("consumers.log"));
                }
            }
            sent += Harness.BATCH;
            Harness.awaitReceived(this, sent);
            return sent;
        }

        /** Elements put and marked done by a consumer, from the file's header. */
        @Override
        public long received()
        {
            return sent - queue.unfinishedCount();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            try
            {
                if (consumerProcess != null)
                {
                    consumerProcess.close();
                }
            }
            finally
            {
                try
                {
                    if (queue != null)
                    {
                        queue.close();
                    }
                }
                finally
                {
                    SharedFiles.deleteTree(directory);
                }
            }
        }
    }
}
