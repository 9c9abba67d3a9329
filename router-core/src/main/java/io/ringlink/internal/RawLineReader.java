package io.ringlink.internal;

import io.ringlink.MessageHandler;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code lines=raw} side of {@link ChannelSource}: reads into a small pool of buffers and hands over the whole
 * lines of each read as one {@link RawLines}, in the buffer it was read into (no copy); with {@code codec=bytes}, the
 * whole of each read, as one message (a chunk: {@link RawLines#lines()} is 1). A buffer is used again once
 * every sink has passed its message, which the router reports ({@link io.ringlink.AcknowledgingSource}), so at most
 * {@value #POOL} reads are in flight whatever the ring size: memory stays bounded and the garbage collector idle. The
 * router's first report comes before its first read, however slow the sinks. A source the router cannot report to
 * (wrapped by a source that does not pass reports on) has heard none when its pool has been in flight for
 * {@value #UNREPORTED_MILLIS} ms, and from then on reads into a new buffer each time, as if it had no pool, never into
 * one still handed out. The start of an unfinished line moves to the next buffer. Pump thread only.
 */
final class RawLineReader
{
    /** Buffers in flight at most: 1 MiB with 64 KiB reads, enough to keep a writer busy while the reader reads. */
    static final int POOL = 16;
    private static final long UNREPORTED_MILLIS = 1000;
    private static final long FULL_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private final int capacity;
    private final boolean chunks;
    private final RawLines[] pool = new RawLines[POOL];
    private final ByteBuffer[] views = new ByteBuffer[POOL];
    private long handed;
    private long passed;
    private boolean reported;
    private long fullSince;
    /** The buffer being read into, or {@code null} when the next one is still in flight. */
    private ByteBuffer view;
    private RawLines message;
    private byte[] tail;
    private int tailFrom;
    private int tailTo;

    /**
     * @param capacity the size of each buffer, the most bytes a read takes.
     * @param chunks   hand over each read whole, as one message, instead of its whole lines.
     */
    RawLineReader(final int capacity, final boolean chunks)
    {
        this.capacity = capacity;
        this.chunks = chunks;
    }

    /** Reported by the router: how many messages every sink has passed. */
    void onDelivered(final long messages)
    {
        reported = true;
        passed = Math.max(passed, messages);
    }

    /**
     * The buffer to read into, holding the start of an unfinished line; {@code null} while every buffer is in flight
     * (after a short wait, if the caller may wait).
     */
    ByteBuffer buffer(final boolean mayWait)
    {
        if (view != null)
        {
            return view;
        }
        final int slot = (int)(handed % POOL);
        if (pool[slot] == null || handed - passed < POOL)
        {
            fullSince = 0;
            if (pool[slot] == null)
            {
                pool[slot] = new RawLines(capacity);
                views[slot] = ByteBuffer.wrap(pool[slot].bytes());
            }
            use(pool[slot], views[slot]);
        }
        else if (!reported && unreportedTooLong())
        {
            // Nobody reports deliveries to this source: its messages are never known free, so never reuse one.
            pool[slot] = new RawLines(capacity);
            views[slot] = ByteBuffer.wrap(pool[slot].bytes());
            use(pool[slot], views[slot]);
        }
        else
        {
            if (mayWait)
            {
                LockSupport.parkNanos(FULL_PARK_NANOS);
            }
            return null;
        }
        return view;
    }

    private boolean unreportedTooLong()
    {
        final long now = System.nanoTime();
        if (fullSince == 0)
        {
            fullSince = now;
            return false;
        }
        // From then on every read gets a new buffer until a report comes: one handed out is never known free.
        return now - fullSince > TimeUnit.MILLISECONDS.toNanos(UNREPORTED_MILLIS);
    }

    private void use(final RawLines next, final ByteBuffer nextView)
    {
        message = next;
        view = nextView;
        view.clear();
        if (tail != null)
        {
            view.put(tail, tailFrom, tailTo - tailFrom);
            tail = null;
        }
    }

    /**
     * Hands over the whole lines of the buffer as one message; the start of an unfinished line stays for the next
     * buffer, unless it fills this one or {@code all} (the end of input) says to hand it over too. A reader of chunks
     * hands over all it read.
     *
     * @return the number of messages handed over, 0 or 1.
     */
    int handOver(final MessageHandler<? super Object> handler, final boolean all)
    {
        if (view == null)
        {
            return 0;
        }
        final byte[] array = message.bytes();
        final int filled = view.position();
        if (chunks)
        {
            if (filled == 0)
            {
                return 0;
            }
            message.set(filled, 1);
            return hand(handler);
        }
        int end = filled;
        if (!all)
        {
            while (end > 0 && array[end - 1] != '\n')
            {
                end--;
            }
            if (end == 0)
            {
                if (view.hasRemaining())
                {
                    return 0;
                }
                end = filled;
            }
        }
        if (end == 0)
        {
            return 0;
        }
        if (end < filled)
        {
            tail = array;
            tailFrom = end;
            tailTo = filled;
        }
        message.setLines(end, all);
        return hand(handler);
    }

    private int hand(final MessageHandler<? super Object> handler)
    {
        view = null;
        handed++;
        handler.onMessage(message);
        return 1;
    }
}
