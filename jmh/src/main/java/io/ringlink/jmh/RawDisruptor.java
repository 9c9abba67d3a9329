package io.ringlink.jmh;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.WaitStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The raw Disruptor peer, wired as the Disruptor's own performance tests do: one ring of {@link Slot}s with the same
 * size and wait strategy as the router's, one {@link BatchEventProcessor} thread per handler (several handlers read
 * the ring independently: multicast), producers using {@code next()}/{@code publish()}.
 */
final class RawDisruptor implements AutoCloseable
{
    /** Free slots the proposed claim waits for: min(ring size / 8, 1024). */
    static final int CHUNK = Math.min(Harness.RING_SIZE / 8, 1024);

    final RingBuffer<Slot> ring;
    private final List<BatchEventProcessor<Slot>> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    RawDisruptor(
        final WaitStrategy waitStrategy, final boolean multiProducer, final List<? extends EventHandler<Slot>> handlers)
    {
        final com.lmax.disruptor.WaitStrategy wait = Harness.disruptorWait(waitStrategy);
        ring = multiProducer ?
            RingBuffer.createMultiProducer(Slot::new, Harness.RING_SIZE, wait) :
            RingBuffer.createSingleProducer(Slot::new, Harness.RING_SIZE, wait);
        for (final EventHandler<Slot> handler : handlers)
        {
            final BatchEventProcessor<Slot> processor =
                new BatchEventProcessorBuilder().build(ring, ring.newBarrier(), handler);
            ring.addGatingSequences(processor.getSequence());
            processors.add(processor);
        }
        for (final BatchEventProcessor<Slot> processor : processors)
        {
            threads.add(Harness.start("disruptor-processor", processor));
        }
    }

    /** Publishes a batch as one producer and waits until each of {@code consumers} has {@code target} messages. */
    void sendBatch(final long target, final List<? extends Harness.Received> consumers)
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            final long sequence = ring.next();
            ring.get(sequence).value = Harness.message(i);
            ring.publish(sequence);
        }
        awaitConsumers(target, consumers);
    }

    /**
     * Diagnostic: publishes a batch claiming as the router's publisher does ({@code tryNext()} retried after
     * spinning 100 times, yielding 100 times, then 20 µs parks), and waits until each consumer has it.
     */
    void sendBatchSpinClaiming(final long target, final List<? extends Harness.Received> consumers)
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            long sequence;
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    sequence = ring.tryNext();
                    break;
                }
                catch (final InsufficientCapacityException ex)
                {
                    idle(attempt);
                }
            }
            ring.get(sequence).value = Harness.message(i);
            ring.publish(sequence);
        }
        awaitConsumers(target, consumers);
    }

    /**
     * Diagnostic: as {@link #sendBatchSpinClaiming}, but after a failed claim it waits (reading only) until
     * {@link #CHUNK} slots are free before claiming again: the fix proposed for the router's publisher.
     */
    void sendBatchWaitingForChunk(final long target, final List<? extends Harness.Received> consumers)
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            long sequence;
            while (true)
            {
                try
                {
                    sequence = ring.tryNext();
                    break;
                }
                catch (final InsufficientCapacityException ex)
                {
                    for (int attempt = 0; !ring.hasAvailableCapacity(CHUNK); attempt++)
                    {
                        idle(attempt);
                    }
                }
            }
            ring.get(sequence).value = Harness.message(i);
            ring.publish(sequence);
        }
        awaitConsumers(target, consumers);
    }

    /** The router's {@code Claims.idle}: spin, then yield, then park 20 µs. */
    private static void idle(final int attempt)
    {
        if (attempt < 100)
        {
            Thread.onSpinWait();
        }
        else if (attempt < 200)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(20_000);
        }
    }

    private static void awaitConsumers(final long target, final List<? extends Harness.Received> consumers)
    {
        for (int i = 0; i < consumers.size(); i++)
        {
            Harness.awaitReceived(consumers.get(i), target);
        }
    }

    @Override
    public void close()
    {
        for (final BatchEventProcessor<Slot> processor : processors)
        {
            processor.halt();
        }
        Harness.join(threads.toArray(new Thread[0]));
    }
}
