package io.ringlink;

import java.util.Queue;

/**
 * A test source that reads without blocking: polls a queue, at most the limit, never waits; 0 when it is empty.
 *
 * @param <T> type of message.
 */
class PolledSource<T> implements Source<T>
{
    private final Queue<T> queue;
    private volatile boolean closed;

    PolledSource(final Queue<T> queue)
    {
        this.queue = queue;
    }

    @Override
    public int read(final MessageHandler<? super T> handler, final int limit)
    {
        return readAvailable(handler, limit);
    }

    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        if (closed)
        {
            return END_OF_STREAM;
        }
        int count = 0;
        T item;
        while (count < limit && (item = queue.poll()) != null)
        {
            handler.onMessage(item);
            count++;
        }
        return count;
    }

    @Override
    public boolean readsWithoutBlocking()
    {
        return true;
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
    public void close()
    {
        closed = true;
    }

    boolean isClosed()
    {
        return closed;
    }
}
