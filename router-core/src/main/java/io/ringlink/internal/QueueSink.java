package io.ringlink.internal;

import io.ringlink.Sink;

import java.util.concurrent.BlockingQueue;

/**
 * Puts each message into a {@link BlockingQueue}, waiting while a bounded queue is full; an interrupt (a router that
 * gave up on it) ends the wait.
 *
 * @param <T> type of item.
 */
final class QueueSink<T> implements Sink<T>
{
    private final BlockingQueue<T> queue;

    QueueSink(final BlockingQueue<T> queue)
    {
        this.queue = queue;
    }

    @Override
    public void onMessage(final T message) throws InterruptedException
    {
        queue.put(message);
    }

    @Override
    public boolean isThreadSafe()
    {
        return true;
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
}
