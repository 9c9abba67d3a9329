package io.ringlink.internal;

import io.ringlink.MessageHandler;
import io.ringlink.Source;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes items from a {@link BlockingQueue}: polls for the first, then moves the rest of what is there with one
 * {@code drainTo}. The caller's queue is never closed or cleared.
 * <p>
 * Drain checks must never see an item that has left the queue but is not in the ring yet. A take is bracketed by a
 * volatile {@code taking} flag, raised before the item leaves the queue and lowered only after the pump holds it
 * (the pump marks itself holding in {@code onMessage}, before the flag drops), and {@link #backlog()} counts the
 * bracket as one item. So the source never takes with a blocking {@code poll(timeout)}, whose removal could not be
 * bracketed without making an idle source look busy: it polls without blocking and, while the queue stays empty,
 * backs off from spinning to parking, doubling the park up to {@value #MAX_PARK_MICROS} µs. After an idle spell the
 * first item is picked up within twice the idle time, and never later than that bound.
 *
 * @param <T> type of item.
 */
final class QueueSource<T> implements Source<T>
{
    private static final long READ_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int SPINS = 64;
    private static final int YIELDS = 64;
    private static final long MAX_PARK_MICROS = 1_000;

    private final BlockingQueue<T> queue;
    private final HandlerCollection<T> forward = new HandlerCollection<>();
    private volatile boolean taking;

    QueueSource(final BlockingQueue<T> queue)
    {
        this.queue = queue;
    }

    @Override
    public int read(final MessageHandler<? super T> handler, final int limit)
    {
        final long deadline = System.nanoTime() + READ_NANOS;
        long parkNanos = 1_000;
        for (int attempt = 0; ; attempt++)
        {
            taking = true;
            try
            {
                final T first = queue.poll();
                if (first != null)
                {
                    handler.onMessage(first);
                    return 1 + (limit > 1 ? drain(handler, limit - 1) : 0);
                }
            }
            finally
            {
                taking = false;
            }
            if (attempt < SPINS)
            {
                Thread.onSpinWait();
            }
            else if (attempt < SPINS + YIELDS)
            {
                Thread.yield();
            }
            else
            {
                if (System.nanoTime() - deadline > 0 || Thread.currentThread().isInterrupted())
                {
                    return 0;
                }
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos << 1, TimeUnit.MICROSECONDS.toNanos(MAX_PARK_MICROS));
            }
        }
    }

    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        taking = true;
        try
        {
            return drain(handler, limit);
        }
        finally
        {
            taking = false;
        }
    }

    private int drain(final MessageHandler<? super T> handler, final int limit)
    {
        forward.handler = handler;
        try
        {
            final int moved = queue.drainTo(forward, limit);
            final RuntimeException refused = forward.refused;
            if (refused != null)
            {
                throw refused;
            }
            return moved;
        }
        finally
        {
            forward.handler = null;
            forward.refused = null;
        }
    }

    /** What the queue holds, plus one while a take is under way: read the queue first, then the bracket. */
    @Override
    public long backlog()
    {
        final int size = queue.size();
        return taking ? size + 1 : size;
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

    /**
     * Lets {@code drainTo} hand items straight to the pump without an intermediate list. The pump reads only as many
     * as its ring has room for, so it does not wait inside {@code drainTo} (which holds the queue's lock). An item the
     * pump refuses (its ring was abandoned; the pump counted the item as undelivered) is still reported as taken,
     * since whether a queue keeps an item whose {@code add} threw depends on its implementation; every later item of
     * the same {@code drainTo} is offered to the pump too, which refuses and counts it, and the failure is rethrown
     * once {@code drainTo} returns.
     */
    private static final class HandlerCollection<T> extends AbstractCollection<T>
    {
        MessageHandler<? super T> handler;
        RuntimeException refused;

        @Override
        public boolean add(final T item)
        {
            try
            {
                handler.onMessage(item);
            }
            catch (final RuntimeException ex)
            {
                if (refused == null)
                {
                    refused = ex;
                }
            }
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
