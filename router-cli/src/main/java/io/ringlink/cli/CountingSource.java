package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.RawLines;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a source to count the messages and the bytes they make when written (a text line with its line end, raw
 * lines as read) it hands over, for the rate line and the summary. Counted
 * once per message at the source, whatever the number of destinations. Allocates nothing per message. A source that
 * commits its position on delivery (an {@link AcknowledgingSource}, such as a named Chronicle reader) stays one.
 */
class CountingSource implements Source<Object>, MessageHandler<Object>, InterruptibleRead
{
    private final Source<Object> source;
    private final String uri;
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private MessageHandler<? super Object> downstream;
    private volatile boolean interrupted;
    private volatile boolean ended;

    @SuppressWarnings("unchecked")
    private CountingSource(final Source<?> source, final String uri)
    {
        this.source = (Source<Object>)source;
        this.uri = uri;
    }

    /**
     * Wraps a source.
     *
     * @param source the source.
     * @param uri    the source as the user wrote it: its name in metrics, logs and messages.
     * @return the counting source, an {@link AcknowledgingSource} if {@code source} is one.
     */
    static CountingSource of(final Source<?> source, final String uri)
    {
        return source instanceof AcknowledgingSource<?> acknowledging ?
            new Acknowledging(acknowledging, uri) : new CountingSource(source, uri);
    }

    long messages()
    {
        return messages.get();
    }

    long bytes()
    {
        return bytes.get();
    }

    /**
     * Input bytes the source did not carry as they were (malformed text replaced, line ends changed), see
     * {@link ChangedBytes}.
     *
     * @return the count, 0 for a source that does not count them.
     */
    long changedBytes()
    {
        return source instanceof ChangedBytes changed ? changed.changedBytes() : 0;
    }

    @Override
    public void onMessage(final Object message)
    {
        downstream.onMessage(message);
        if (message instanceof RawLines raw)
        {
            bytes.lazySet(bytes.get() + raw.length());
            messages.lazySet(messages.get() + raw.lines());
            return;
        }
        // A text line is written with its line end.
        bytes.lazySet(bytes.get() + sizeOf(message) + (message instanceof CharSequence ? 1 : 0));
        messages.lazySet(messages.get() + 1);
    }

    /**
     * The payload size of a message: UTF-8 bytes of a text, the length of a byte array, 8 for a number.
     *
     * @param message the message.
     * @return its size in bytes, 0 when unknown.
     */
    static long sizeOf(final Object message)
    {
        if (message instanceof byte[] array)
        {
            return array.length;
        }
        if (message instanceof CharSequence text)
        {
            long size = 0;
            final int length = text.length();
            for (int i = 0; i < length; i++)
            {
                final char c = text.charAt(i);
                if (c < 0x80)
                {
                    size++;
                }
                else if (c < 0x800)
                {
                    size += 2;
                }
                else if (Character.isHighSurrogate(c))
                {
                    size += 4;
                    i++;
                }
                else
                {
                    size += 3;
                }
            }
            return size;
        }
        return message instanceof Number ? 8 : 0;
    }

    /**
     * Takes nothing more from the source: the next read reports the end, and a read in progress is interrupted. For a
     * destination whose reader went away (a broken pipe); what was already read stays in the ring.
     */
    void endReads()
    {
        ended = true;
        interruptRead();
    }

    @Override
    public int read(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        if (ended)
        {
            return END_OF_STREAM;
        }
        downstream = handler;
        try
        {
            return source.read(this, limit);
        }
        catch (final IOException ex)
        {
            return endIfInterrupted(ex);
        }
    }

    @Override
    public int readAvailable(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        if (ended)
        {
            return END_OF_STREAM;
        }
        downstream = handler;
        try
        {
            return source.readAvailable(this, limit);
        }
        catch (final IOException ex)
        {
            return endIfInterrupted(ex);
        }
    }

    /**
     * A read that fails after {@link #interruptRead()} (a process destroyed on a signal, a stream closed under the
     * read) is the end the signal asked for, not a failure of the source.
     */
    private int endIfInterrupted(final IOException ex) throws IOException
    {
        if (interrupted)
        {
            return END_OF_STREAM;
        }
        throw ex;
    }

    @Override
    public void interruptRead()
    {
        interrupted = true;
        if (source instanceof InterruptibleRead interruptible)
        {
            interruptible.interruptRead();
        }
    }

    @Override
    public long backlog()
    {
        return source.backlog();
    }

    @Override
    public boolean readsWithoutBlocking()
    {
        return source.readsWithoutBlocking();
    }

    @Override
    public Object endpoint()
    {
        return source.endpoint();
    }

    @Override
    public String name()
    {
        return uri;
    }

    @Override
    public void close() throws IOException
    {
        source.close();
    }

    /**
     * Caps what a source that commits on delivery may commit: no further than {@code messages}, what a destination
     * whose reader went away had written. The router counts what that destination dropped as passed; its reader did
     * not get it.
     *
     * @param messages messages written, counted from the source's first.
     */
    void limitAcknowledged(final long messages)
    {
        // Only an acknowledging source commits anything.
    }

    /** Passes delivery reports on to the wrapped source, never past what a broken destination wrote. */
    private static final class Acknowledging extends CountingSource implements AcknowledgingSource<Object>
    {
        private final AcknowledgingSource<?> acknowledging;
        private volatile long limit = Long.MAX_VALUE;
        /** -1 until the router's first report, which is passed on even when it is 0 (reports will come). */
        private long reported = -1;

        Acknowledging(final AcknowledgingSource<?> source, final String uri)
        {
            super(source, uri);
            this.acknowledging = source;
        }

        @Override
        synchronized void limitAcknowledged(final long messages)
        {
            limit = Math.min(limit, messages);
        }

        @Override
        public void onDelivered(final long messages)
        {
            final long passed = Math.max(reported, Math.min(messages, limit));
            if (passed > reported)
            {
                reported = passed;
                acknowledging.onDelivered(passed);
            }
        }
    }
}
