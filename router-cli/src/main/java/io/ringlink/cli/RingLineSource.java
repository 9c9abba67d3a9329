package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.internal.RawLines;
import io.ringlink.offheap.IpcRingSource;
import io.ringlink.offheap.RecordHandler;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.util.Arrays;

/**
 * The records of a text ({@code utf8}) {@code ipc:} ring as lines of bytes: each record followed by {@code \n},
 * copied straight from the ring into pooled {@link RawLines} of {@value #BUFFER_SIZE} bytes, many records to a
 * message, without a {@code String} or an allocation per record; or those of a {@code bytes} ring as they are, each
 * record a chunk ({@link RawLines#lines()} counts the records a message holds).
 * <p>
 * At-least-once, as the ring's own source in a router: records are read without being freed
 * ({@link IpcRingSource#readRetained(RecordHandler, int)}), and a record is freed only once every sink has passed
 * the message that completes it (the router's {@link #onDelivered(long)}; a file sink passes a message once its
 * batch is written to the operating system). A reader killed with {@code kill -9} therefore leaves every record its
 * destinations did not get for the next reader, which sees again at most what was in flight: {@value #POOL} messages.
 * <p>
 * A record that does not fit what is left of a message waits in a carry for the next one; one longer than a message
 * is carried in pieces over several (each piece completes no line: the record is freed with its last piece). One
 * thread at a time: its pump's, or the delivery agent's that runs it.
 */
final class RingLineSource implements AcknowledgingSource<Object>, RecordHandler
{
    /** Messages in flight at most; a buffer is reused once its message is passed. */
    static final int POOL = 16;
    /** Bytes of one message. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** The record length assumed when choosing how many records one ring read may take. */
    private static final int RECORD_GUESS = 128;
    /** A carry that grew past this (a huge record) is let go once it is drained. */
    private static final int CARRY_KEPT = 1024 * 1024;

    private final IpcRingSource<?> source;
    /** 1 if each record is followed by {@code \n} (lines), 0 if records are chunks. */
    private final int separator;
    private final RawLines[] pool = new RawLines[POOL];
    /** For each message in flight, by slot: the records completed up to and including it, counted from the first. */
    private final long[] recordsThrough = new long[POOL];
    private final IdleStrategy idle = new BackoffIdleStrategy(10, 10, 1_000, 1_000_000);
    private long handed;
    private long passed;
    private long records;
    private int longest = RECORD_GUESS;

    /** The message being filled and where. */
    private byte[] target;
    private int filled;
    private int completed;

    /** Bytes read from the ring that no message took yet, each record followed by {@code \n}. */
    private byte[] carry = new byte[4096];
    private int carryFrom;
    private int carryTo;
    /** Where each carried record ends in {@link #carry} (just after its {@code \n}), and which is next. */
    private int[] carryEnds = new int[64];
    private int carryEndFrom;
    private int carryEndTo;

    /**
     * @param source   the ring's source.
     * @param lineEnds {@code true}: each record is a line, written with a {@code \n} after it; {@code false}: a chunk,
     *                 written as it is.
     */
    RingLineSource(final IpcRingSource<?> source, final boolean lineEnds)
    {
        this.source = source;
        this.separator = lineEnds ? 1 : 0;
    }

    @Override
    public int read(final MessageHandler<? super Object> handler, final int limit)
    {
        final int read = readAvailable(handler, limit);
        if (read == 0)
        {
            idle.idle();
        }
        else
        {
            idle.reset();
        }
        return read;
    }

    /** Hands over one message of what the ring holds now (the carry first), or none when it holds nothing. */
    @Override
    public int readAvailable(final MessageHandler<? super Object> handler, final int limit)
    {
        if (source.ring().isClosed())
        {
            return END_OF_STREAM;
        }
        if (handed - passed >= POOL)
        {
            // every buffer is still with the sinks
            return 0;
        }
        final int slot = (int)(handed % POOL);
        RawLines message = pool[slot];
        if (message == null)
        {
            message = RawLines.allocate(BUFFER_SIZE);
            pool[slot] = message;
        }
        target = message.bytes();
        filled = 0;
        completed = 0;
        try
        {
            takeCarry();
            fillFromRing();
        }
        finally
        {
            target = null;
        }
        if (filled == 0 && completed == 0)
        {
            // records of length 0 (a bytes ring's) fill nothing but are handed on all the same, to be freed
            return 0;
        }
        records += completed;
        recordsThrough[slot] = records;
        message.set(filled, completed);
        handed++;
        handler.onMessage(message);
        return 1;
    }

    /** Moves what the carry holds into the message, as much as fits. */
    private void takeCarry()
    {
        if (carryTo == carryFrom)
        {
            return;
        }
        final int length = Math.min(target.length, carryTo - carryFrom);
        System.arraycopy(carry, carryFrom, target, 0, length);
        filled = length;
        carryFrom += length;
        while (carryEndFrom < carryEndTo && carryEnds[carryEndFrom] <= carryFrom)
        {
            carryEndFrom++;
            completed++;
        }
        if (carryFrom == carryTo)
        {
            carryFrom = 0;
            carryTo = 0;
            carryEndFrom = 0;
            carryEndTo = 0;
            if (carry.length > CARRY_KEPT)
            {
                carry = new byte[4096];
            }
        }
    }

    /**
     * Reads records into the message while the carry is empty and there is room: each read takes no more records
     * than fit if they are no longer than the longest seen so far, so that the carry is rarely used.
     */
    private void fillFromRing()
    {
        while (carryTo == 0 && target.length - filled >= RECORD_GUESS)
        {
            final int room = (target.length - filled) / (longest + 1);
            final int limit = Math.max(1, room);
            if (source.readRetained(this, limit) < limit)
            {
                return;
            }
        }
    }

    @Override
    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > longest)
        {
            longest = length;
        }
        if (carryTo == 0 && length + separator <= target.length - filled)
        {
            buffer.getBytes(offset, target, filled, length);
            if (separator > 0)
            {
                target[filled + length] = '\n';
            }
            filled += length + separator;
            completed++;
            return;
        }
        final int end = carryTo + length + separator;
        if (end > carry.length)
        {
            carry = Arrays.copyOf(carry, Math.max(end, carry.length * 2));
        }
        buffer.getBytes(offset, carry, carryTo, length);
        if (separator > 0)
        {
            carry[carryTo + length] = '\n';
        }
        carryTo = end;
        if (carryEndTo == carryEnds.length)
        {
            carryEnds = Arrays.copyOf(carryEnds, carryEnds.length * 2);
        }
        carryEnds[carryEndTo++] = end;
    }

    @Override
    public void onDelivered(final long messages)
    {
        if (messages <= passed)
        {
            return;
        }
        if (messages > handed)
        {
            throw new IllegalArgumentException("onDelivered(" + messages + ") but only " + handed + " were handed");
        }
        passed = messages;
        // the slot of message number `messages` is not reused before that message is passed
        source.onDelivered(recordsThrough[(int)((messages - 1) % POOL)]);
    }

    @Override
    public long backlog()
    {
        return source.backlog() + (carryTo > carryFrom ? 1 : 0);
    }

    /** As the ring's own source: {@link #readAvailable} never waits, so in {@code SHARED} an agent runs it. */
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
        return source.name();
    }

    @Override
    public void close() throws IOException
    {
        source.close();
    }
}
