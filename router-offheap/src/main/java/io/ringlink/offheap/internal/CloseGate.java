package io.ringlink.offheap.internal;

import io.ringlink.offheap.RingCloseTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets a mapped ring be closed from any thread while calls run in others, without unmapping under a call and within a
 * bounded time.
 * <p>
 * The consumer's calls and a one-to-one ring's producer calls have one caller at a time each, so each marks itself
 * busy in a field of its own with a volatile store, then reads {@code closed} (a volatile read), and clears the mark
 * with a release store when it returns. {@link #close(String)} sets {@code closed} with a volatile store, then waits
 * until both marks are clear. Two volatile stores, each followed by a volatile read of the other's field (Dekker): the
 * caller sees {@code closed}, or the closer sees the mark, never neither. Every other call counts itself in an atomic
 * counter that the closer also waits for.
 * <p>
 * The wait is bounded by the close timeout: a call still running then (a read handler that blocks) makes close defer
 * the release to that call, which runs it when it returns; close logs a warning and reports it with
 * {@link RingCloseTimeoutException}. Until then the file stays mapped and its roles stay held.
 */
public final class CloseGate
{
    private static final Logger LOG = LoggerFactory.getLogger(CloseGate.class);
    private static final VarHandle CONSUMER_BUSY;
    private static final VarHandle PRODUCER_BUSY;

    static
    {
        try
        {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            CONSUMER_BUSY = lookup.findVarHandle(CloseGate.class, "consumerBusy", boolean.class);
            PRODUCER_BUSY = lookup.findVarHandle(CloseGate.class, "producerBusy", boolean.class);
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /**
     * What runs once every call has left after close: give back roles, unmap, delete.
     */
    @FunctionalInterface
    public interface Release
    {
        /**
         * Releases the ring's resources.
         *
         * @throws java.io.IOException if deleting the file failed.
         */
        void release() throws java.io.IOException;
    }

    private final AtomicInteger callsInProgress = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private final String name;
    private final long timeoutNs;
    private final Release release;
    private volatile boolean closed;
    private volatile boolean deferred;
    private volatile boolean consumerBusy;
    private volatile boolean producerBusy;

    /**
     * A gate.
     *
     * @param name      what is closed, for messages.
     * @param timeoutNs how long close waits for calls in progress.
     * @param release   what runs once they have left.
     */
    public CloseGate(final String name, final long timeoutNs, final Release release)
    {
        this.name = name;
        this.timeoutNs = timeoutNs;
        this.release = release;
    }

    /**
     * Whether close was called.
     *
     * @return {@code true} once closing.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Marks the consumer's call in progress.
     *
     * @throws IllegalStateException if closed.
     */
    public void enterConsumer()
    {
        consumerBusy = true;
        if (closed)
        {
            exitConsumer();
            throw closedException();
        }
    }

    /**
     * Ends the consumer's call.
     */
    public void exitConsumer()
    {
        CONSUMER_BUSY.setRelease(this, false);
        if (closed)
        {
            afterCallWhileClosing();
        }
    }

    /**
     * Marks the one producer's call in progress.
     *
     * @throws IllegalStateException if closed.
     */
    public void enterProducer()
    {
        producerBusy = true;
        if (closed)
        {
            exitProducer();
            throw closedException();
        }
    }

    /**
     * Ends the one producer's call.
     */
    public void exitProducer()
    {
        PRODUCER_BUSY.setRelease(this, false);
        if (closed)
        {
            afterCallWhileClosing();
        }
    }

    /**
     * Counts a call of any other kind in.
     *
     * @throws IllegalStateException if closed.
     */
    public void enter()
    {
        callsInProgress.incrementAndGet();
        if (closed)
        {
            exit();
            throw closedException();
        }
    }

    /**
     * Counts it out.
     */
    public void exit()
    {
        callsInProgress.decrementAndGet();
        if (closed)
        {
            afterCallWhileClosing();
        }
    }

    private IllegalStateException closedException()
    {
        return new IllegalStateException(name + " is closed");
    }

    private boolean isQuiet()
    {
        return callsInProgress.get() == 0 && !consumerBusy && !producerBusy;
    }

    private void afterCallWhileClosing()
    {
        // pairs with the volatile store of deferred in close(): one of the two sees the other
        VarHandle.fullFence();
        if (deferred && isQuiet())
        {
            try
            {
                releaseOnce();
            }
            catch (final java.io.IOException ex)
            {
                LOG.warn("{}: deferred close failed", name, ex);
            }
        }
    }

    private void releaseOnce() throws java.io.IOException
    {
        if (released.compareAndSet(false, true))
        {
            release.release();
        }
    }

    /**
     * Closes: waits up to the timeout for calls in progress, then releases. Idempotent.
     *
     * @param waitedFor what a call still running is, for the message (such as "a read handler").
     * @throws RingCloseTimeoutException if a call was still running at the timeout; the release then runs when it
     *                               returns.
     * @throws java.io.IOException   if the release failed.
     */
    public void close(final String waitedFor) throws java.io.IOException
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        final long start = System.nanoTime();
        int spins = 0;
        while (!isQuiet())
        {
            final long waited = System.nanoTime() - start;
            if (waited >= timeoutNs)
            {
                deferred = true;
                if (isQuiet())
                {
                    break;
                }
                final String message = name + ": close gave up after " + TimeUnit.NANOSECONDS.toMillis(waited) +
                    " ms waiting for " + waitedFor + " still in progress (blocked?); the file stays mapped and its " +
                    "roles held until that call returns, then it is released";
                LOG.warn(message);
                throw new RingCloseTimeoutException(message);
            }
            if (++spins < 1_000)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(Math.min(1_000_000L, 1_000L << Math.min(spins - 1_000, 10)));
            }
        }
        releaseOnce();
    }
}
