package io.ringlink.cli;

import io.ringlink.Sink;
import io.ringlink.internal.WrittenMessages;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@code link} destination as the user wrote it: it carries the URI as its name (for the summary, abandoned sinks,
 * logs) and counts what it wrote. When its reader goes away (a broken pipe: {@code head} exited, an {@code exec:}
 * destination ended) it remembers how many messages had been written, tells the command once, and from then on
 * drops what still arrives instead of failing on every message: the command ends the link at once, as {@code cat}
 * does.
 * <p>
 * "Written" counts the messages of every batch whose {@link #onEndOfBatch()} returned: handed to the operating system,
 * so a reader could have had them. Of the batch that hit the broken pipe, a destination that knows
 * ({@link WrittenMessages}: a stream, file, FIFO or process) counts the messages it had handed over whole; another
 * counts none of that batch (a named reader then resumes within one batch, never after what was lost).
 */
final class DestinationSink implements Sink<Object>
{
    /** A destination that, given up on, ends what it started rather than wait for it (an {@code exec:} command). */
    interface Abandonable
    {
        /** Closes the destination from another thread, ending what it started. */
        void abandon() throws IOException;
    }

    /** Told once, on the delivery thread, when a destination's reader went away. */
    @FunctionalInterface
    interface BrokenPipeListener
    {
        void onBrokenPipe(DestinationSink sink);
    }

    private final String uri;
    private final Sink<Object> sink;
    private final BrokenPipeListener listener;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private long received;
    private volatile long receivedSoFar;
    private volatile boolean broken;
    private volatile boolean abandoned;

    @SuppressWarnings("unchecked")
    DestinationSink(final String uri, final Sink<?> sink, final BrokenPipeListener listener)
    {
        this.uri = uri;
        this.sink = (Sink<Object>)sink;
        this.listener = listener;
    }

    @Override
    public void onMessage(final Object message) throws Exception
    {
        if (broken || abandoned)
        {
            dropped.lazySet(dropped.get() + 1);
            return;
        }
        receivedSoFar = ++received;
        try
        {
            sink.onMessage(message);
        }
        catch (final IOException ex)
        {
            onFailure(ex);
        }
    }

    @Override
    public void onEndOfBatch() throws Exception
    {
        if (broken || abandoned)
        {
            return;
        }
        try
        {
            sink.onEndOfBatch();
            written.lazySet(received);
        }
        catch (final IOException ex)
        {
            onFailure(ex);
        }
    }

    private void onFailure(final IOException ex) throws IOException
    {
        if (abandoned)
        {
            // Closed under it by abandon(): not a failure of its own; the summary counts what it did not write.
            dropped.lazySet(dropped.get() + received - written.get());
            return;
        }
        if (!BrokenPipe.is(ex))
        {
            throw ex;
        }
        if (sink instanceof WrittenMessages)
        {
            // The messages of this batch handed to the operating system whole before the pipe broke.
            written.lazySet(((WrittenMessages)sink).messagesWritten());
        }
        // What this batch held and did not reach the reader whole is not counted as written.
        dropped.lazySet(dropped.get() + received - written.get());
        broken = true;
        listener.onBrokenPipe(this);
    }

    /** Whether this destination's reader went away. */
    boolean isBroken()
    {
        return broken;
    }

    /** Messages written to this destination (every flushed batch). */
    long written()
    {
        return written.get();
    }

    /**
     * Whether this destination holds messages it has not written: it is blocked (a FIFO nobody opened, a reader that
     * does not read) or busy with a batch.
     */
    boolean isHolding()
    {
        return !broken && receivedSoFar > written.get();
    }

    /**
     * Gives up on this destination from another thread when the drain timeout ran out: closing it wakes a write or a
     * FIFO open that blocks, so the delivery thread can end. Idempotent with {@link #close()}.
     */
    void abandon()
    {
        abandoned = true;
        try
        {
            if (sink instanceof Abandonable abandonable)
            {
                if (closed.compareAndSet(false, true))
                {
                    abandonable.abandon();
                }
                return;
            }
            close();
        }
        catch (final IOException | RuntimeException ex)
        {
            // it was abandoned: what failed while closing it is part of what the summary reports
            return;
        }
    }

    /**
     * Whether the command gave up on this destination at the drain timeout. Set before it is closed, so whatever
     * the close makes a waiting write or open do is seen as this, whether or not the router's stop saw it first.
     */
    boolean wasAbandoned()
    {
        return abandoned;
    }

    /** Messages that reached this destination after (or in the batch of) a broken pipe, and were not written. */
    long dropped()
    {
        return dropped.get();
    }

    @Override
    public boolean isThreadSafe()
    {
        return false;
    }

    @Override
    public Object endpoint()
    {
        return sink.endpoint();
    }

    @Override
    public String name()
    {
        return uri;
    }

    @Override
    public String toString()
    {
        return uri;
    }

    @Override
    public void close() throws IOException
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            sink.close();
        }
        catch (final IOException ex)
        {
            if (!broken || !BrokenPipe.is(ex))
            {
                throw ex;
            }
        }
    }
}
