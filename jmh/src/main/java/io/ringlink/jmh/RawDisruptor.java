package io.ringlink.jmh;

import com.lmax.disruptor.BatchEventProcessor;
import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.WaitStrategy;

import java.util.ArrayList;
import java.util.List;

/**
 * The raw Disruptor peer, wired as the Disruptor's own performance tests do: one ring of {@link Slot}s with the same
 * size and wait strategy as the router's, one {@link BatchEventProcessor} thread per handler (several handlers read
 * the ring independently: multicast), producers using {@code next()}/{@code publish()}.
 */
final class RawDisruptor implements AutoCloseable
{
    final RingBuffer<Slot> ring;
    private final List<BatchEventProcessor<Slot>> processors = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    RawDisruptor(
        final WaitStrategy waitStrategy, final boolean multiProducer, final List<? extends EventHandler<Slot>> handlers)
    {
        this(waitStrategy, multiProducer, handlers, Harness.RING_SIZE);
    }

    RawDisruptor(
        final WaitStrategy waitStrategy,
        final boolean multiProducer,
        final List<? extends EventHandler<Slot>> handlers,
        final int ringSize)
    {
        final com.lmax.disruptor.WaitStrategy wait = Harness.disruptorWait(waitStrategy);
        ring = multiProducer ?
            RingBuffer.createMultiProducer(Slot::new, ringSize, wait) :
            RingBuffer.createSingleProducer(Slot::new, ringSize, wait);
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
        sendBatch(target, consumers, Harness.BATCH);
    }

    /** Publishes {@code count} messages as one producer and waits until each consumer has {@code target}. */
    void sendBatch(final long target, final List<? extends Harness.Received> consumers, final int count)
    {
        final RingBuffer<Slot> ring = this.ring;
        for (int i = 0; i < count; i++)
        {
            final long sequence = ring.next();
            ring.get(sequence).value = Harness.message(i);
            ring.publish(sequence);
        }
        awaitConsumers(target, consumers);
    }

    /**
     * Publishes {@link Harness#MILLION} messages as one producer in runs of a quarter of the ring
     * ({@code next(n)}, then {@code publish(low, high)}), as {@code Publisher.publishBatch} claims them, and waits
     * until each consumer has {@code target}.
     */
    void sendMillionInBatches(final long target, final List<? extends Harness.Received> consumers)
    {
        final RingBuffer<Slot> ring = this.ring;
        final Object[] messages = Harness.MILLION_MESSAGES;
        final int run = Math.max(1, ring.getBufferSize() / 4);
        for (int sent = 0; sent < messages.length; sent += run)
        {
            final int n = Math.min(run, messages.length - sent);
            final long high = ring.next(n);
            final long low = high - n + 1;
            for (int i = 0; i < n; i++)
            {
                ring.get(low + i).value = messages[sent + i];
            }
            ring.publish(low, high);
        }
        awaitConsumers(target, consumers);
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
