package io.ringlink.jmh;

import com.lmax.disruptor.EventHandler;
import io.ringlink.Sink;
import org.jctools.queues.MessagePassingQueue;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer at the end of every throughput pipeline: counts messages on the consumer thread and makes the count
 * visible to the producer once per batch (an ordered store, as a Disruptor sequence), so that every peer pays the
 * same for it. One class plugs into every peer: a router {@link Sink}, a Disruptor {@link EventHandler}, a JCTools
 * drain consumer and a {@code drainTo} collection.
 */
final class CountingConsumer extends AbstractCollection<Object>
    implements Sink<Object>, EventHandler<Slot>, MessagePassingQueue.Consumer<Object>, Harness.Received
{
    private final AtomicLong received = new AtomicLong();
    private long count;

    @Override
    public long received()
    {
        return received.get();
    }

    /** Makes the count visible; for consumers whose batches end outside this class. */
    void endOfBatch()
    {
        received.lazySet(count);
    }

    @Override
    public void onMessage(final Object message)
    {
        take(message);
    }

    @Override
    public void onEndOfBatch()
    {
        received.lazySet(count);
    }

    @Override
    public void onEvent(final Slot slot, final long sequence, final boolean endOfBatch)
    {
        take(slot.value);
        if (endOfBatch)
        {
            received.lazySet(count);
        }
    }

    @Override
    public void accept(final Object message)
    {
        take(message);
    }

    @Override
    public boolean add(final Object message)
    {
        take(message);
        return true;
    }

    /**
     * Counts a message after looking at it, as any real consumer does: a handler that never read its slot would let
     * the raw Disruptor skip the load (and the cache line it pulls from the producer) that every other peer pays.
     */
    private void take(final Object message)
    {
        if (message == null)
        {
            throw new IllegalStateException("a consumer was handed an empty slot");
        }
        count++;
    }

    @Override
    public Iterator<Object> iterator()
    {
        throw new UnsupportedOperationException("a counter holds no messages");
    }

    @Override
    public int size()
    {
        return 0;
    }

    @Override
    public String name()
    {
        return "counter";
    }
}
