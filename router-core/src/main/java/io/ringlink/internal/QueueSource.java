package io.ringlink.internal;

import io.ringlink.MessageHandler;
import io.ringlink.Source;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Takes items from a {@link BlockingQueue}: waits for the first, then moves the rest of what is there with one
 * {@code drainTo}. The caller's queue is never closed or cleared.
 *
 * @param <T> type of item.
 */
final class QueueSource<T> implements Source<T>
{
    private static final long POLL_MILLIS = 50;

    private final BlockingQueue<T> queue;
    private final HandlerCollection<T> forward = new HandlerCollection<>();

    QueueSource(final BlockingQueue<T> queue)
    {
        this.queue = queue;
    }

    @Override
    public int read(final MessageHandler<? super T> handler, final int limit) throws InterruptedException
    {
        final T first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null)
        {
            return 0;
        }
        handler.onMessage(first);
        return 1 + (limit > 1 ? drain(handler, limit - 1) : 0);
    }

    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        return drain(handler, limit);
    }

    private int drain(final MessageHandler<? super T> handler, final int limit)
    {
        forward.handler = handler;
        try
        {
            return queue.drainTo(forward, limit);
        }
        finally
        {
            forward.handler = null;
        }
    }

    @Override
    public long backlog()
    {
        return queue.size();
    }

    @Override
    public Object endpoint()
    {
        return queue;
    }

    @Override
    public String name()
    {
        return "queue@" + Integer.toHexString(System.identityHashCode(queue));
    }

    /** Lets {@code drainTo} hand items straight to the pump without an intermediate list. */
    private static final class HandlerCollection<T> extends AbstractCollection<T>
    {
        MessageHandler<? super T> handler;

        @Override
        public boolean add(final T item)
        {
            handler.onMessage(item);
            return true;
        }

        @Override
        public Iterator<T> iterator()
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public int size()
        {
            return 0;
        }
    }
}
