package io.ringlink.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The naive design the router replaces (Python's QueueLink): a source {@link ArrayBlockingQueue}, one thread that
 * takes each item and puts it into every destination queue, and a consumer thread per destination. The consumers
 * are the harness, not the design, so they take in batches ({@code take} then {@code drainTo}): that favours the
 * peer, never the router.
 */
final class QueuePump implements AutoCloseable
{
    private static final int DRAIN_LIMIT = 1024;

    final ArrayBlockingQueue<Object> source = new ArrayBlockingQueue<>(Harness.RING_SIZE);
    private final List<ArrayBlockingQueue<Object>> destinations = new ArrayList<>();
    private final List<CountingConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private long target;

    QueuePump(final int destinationCount)
    {
        for (int i = 0; i < destinationCount; i++)
        {
            final ArrayBlockingQueue<Object> destination = new ArrayBlockingQueue<>(Harness.RING_SIZE);
            final CountingConsumer consumer = new CountingConsumer();
            destinations.add(destination);
            consumers.add(consumer);
            threads.add(drain(destination, consumer, "abq-consumer-" + i));
        }
        threads.add(Harness.start("abq-pump", this::pump));
    }

    /** The pump thread: one item at a time, into every destination. */
    private void pump()
    {
        final int count = destinations.size();
        try
        {
            while (true)
            {
                final Object item = source.take();
                for (int i = 0; i < count; i++)
                {
                    destinations.get(i).put(item);
                }
            }
        }
        catch (final InterruptedException expected)
        {
            // stopped by close()
        }
    }

    /**
     * Starts a consumer thread that empties {@code queue} into {@code consumer}.
     *
     * @return the thread, for {@link Harness#stop(Thread...)}.
     */
    static Thread drain(final BlockingQueue<Object> queue, final CountingConsumer consumer, final String name)
    {
        return Harness.start(name, () ->
        {
            try
            {
                while (true)
                {
                    consumer.add(queue.take());
                    queue.drainTo(consumer, DRAIN_LIMIT);
                    consumer.endOfBatch();
                }
            }
            catch (final InterruptedException expected)
            {
                // stopped by the benchmark's tear-down
            }
        });
    }

    /** Puts a batch into the source queue and waits until every destination's consumer has it. */
    void sendBatch() throws InterruptedException
    {
        final ArrayBlockingQueue<Object> source = this.source;
        for (int i = 0; i < Harness.BATCH; i++)
        {
            source.put(Harness.message(i));
        }
        target += Harness.BATCH;
        for (int i = 0; i < consumers.size(); i++)
        {
            Harness.awaitReceived(consumers.get(i), target);
        }
    }

    @Override
    public void close()
    {
        Harness.stop(threads.toArray(new Thread[0]));
    }
}
