package io.ringlink.offheap;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer side of an {@link IpcRing}: decodes each record with a {@link Codec}. Plugs into {@code Router.read};
 * a {@link #read(MessageHandler, int)} waits per the wait strategy up to about 50 ms for a record, then returns 0.
 * <p>
 * The first read takes the ring's consumer role (one consuming process at a time). A record that does not decode (or
 * decodes to {@code null}) is skipped, counted ({@link #malformedCount()}) and logged.
 * <p>
 * At-least-once: a record stays in the ring until every sink has it. {@link #read(MessageHandler, int)} hands records
 * without freeing them; the router reports with {@link #onDelivered(long)} how many messages every sink has passed,
 * and the source frees the records up to the last of them (with any skipped records before it; the ones after the last
 * message once it is passed too). A reading process killed with {@code kill -9} therefore loses nothing committed:
 * the next consumer is handed again what was read but not yet passed by every sink, which in a router is at most what
 * was in flight (the router's ring size) plus the pump's read batch (256 messages). A clean stop passes everything
 * read, so a reopened reader starts exactly after the last message every sink got. Used outside a router, call
 * {@link #onDelivered(long)} after handling messages, or the ring fills up; or use the zero-copy
 * {@link #read(RecordHandler, int)}, which frees records when it returns.
 *
 * @param <T> type of message.
 */
public final class IpcRingSource<T> implements AcknowledgingSource<T>
{
    private static final Logger LOG = LoggerFactory.getLogger(IpcRingSource.class);
    private static final long READ_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final IpcRing ring;
    private final Codec<T> codec;
    private final IdleStrategy idleStrategy;
    private final Decoder decoder = new Decoder();
    private final AtomicLong malformed = new AtomicLong();
    /** Ring positions just after each message handed and not yet passed by every sink, oldest first (circular). */
    private long[] ends = new long[1024];
    private int firstEnd;
    private int endCount;
    private long handedTotal;
    private long passed;

    private IpcRingSource(final IpcRing ring, final Codec<T> codec, final WaitStrategy waitStrategy)
    {
        this.ring = ring;
        this.codec = codec;
        this.idleStrategy = IdleStrategies.of(waitStrategy);
    }

    /**
     * A source reading from a ring, which it then owns and closes.
     *
     * @param ring         the ring.
     * @param codec        decodes records; its name must match the ring's codec.
     * @param waitStrategy how a read waits for records.
     * @param <T>          type of message.
     * @return the source.
     * @throws IllegalArgumentException if the codec does not match the ring's.
     */
    public static <T> IpcRingSource<T> of(final IpcRing ring, final Codec<T> codec, final WaitStrategy waitStrategy)
    {
        ring.checkCodec(codec);
        return new IpcRingSource<>(ring, codec, waitStrategy);
    }

    /**
     * The ring read from.
     *
     * @return the ring.
     */
    public IpcRing ring()
    {
        return ring;
    }

    @Override
    public int read(final MessageHandler<? super T> handler, final int limit)
    {
        if (ring.isClosed())
        {
            return END_OF_STREAM;
        }
        int read = readAvailable(handler, limit);
        if (read > 0)
        {
            return read;
        }
        final long deadline = System.nanoTime() + READ_WAIT_NS;
        idleStrategy.reset();
        while (read == 0 && System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted())
        {
            idleStrategy.idle();
            read = readAvailable(handler, limit);
        }
        return read;
    }

    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        if (endCount == 0)
        {
            // every message handed is passed: free what follows them (skipped records), if anything
            ring.freeAll();
        }
        decoder.handler = handler;
        decoder.handed = 0;
        try
        {
            final int read = ring.readRetained(decoder, limit);
            return read == 0 ? 0 : decoder.handed;
        }
        finally
        {
            decoder.handler = null;
        }
    }

    /**
     * Frees the records of the first {@code messages} messages this source handed (counted from its first), and any
     * skipped records among them: every sink has passed them. Called by the router on the pump thread between reads;
     * a count at or below one reported before does nothing.
     *
     * @param messages the number of messages passed by every sink.
     * @throws IllegalArgumentException if it is more than were handed.
     */
    @Override
    public void onDelivered(final long messages)
    {
        if (messages <= passed)
        {
            return;
        }
        if (messages > handedTotal)
        {
            throw new IllegalArgumentException("onDelivered(" + messages + ") but only " + handedTotal +
                " were handed");
        }
        if (messages == handedTotal)
        {
            endCount = 0;
            ring.freeAll();
        }
        else
        {
            final int skip = (int)(messages - passed);
            final long position = ends[(firstEnd + skip - 1) & (ends.length - 1)];
            firstEnd = (firstEnd + skip) & (ends.length - 1);
            endCount -= skip;
            ring.freeTo(position);
        }
        passed = messages;
    }

    private void retain(final long end)
    {
        if (endCount == ends.length)
        {
            final long[] larger = new long[ends.length * 2];
            for (int i = 0; i < endCount; i++)
            {
                larger[i] = ends[(firstEnd + i) & (ends.length - 1)];
            }
            ends = larger;
            firstEnd = 0;
        }
        ends[(firstEnd + endCount) & (ends.length - 1)] = end;
        endCount++;
        handedTotal++;
    }

    /**
     * Hands up to {@code limit} records to the handler in place, without decoding or waiting: the zero-copy path.
     * Records are freed when it returns (at-most-once for a crash inside the handler's processing after that), with
     * any records an earlier {@link #read(MessageHandler, int)} handed and no sink passed yet: use one path or the
     * other on a source. Allocates nothing.
     *
     * @param handler receives each record's bytes in the ring.
     * @param limit   the most records.
     * @return the number handed over.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * Records that did not decode and were skipped.
     *
     * @return the count.
     */
    public long malformedCount()
    {
        return malformed.get();
    }

    @Override
    public long backlog()
    {
        return ring.isClosed() ? 0 : ring.unreadCount();
    }

    @Override
    public Object endpoint()
    {
        return ring.path();
    }

    @Override
    public String name()
    {
        return "ipc:" + ring.path();
    }

    @Override
    public void close() throws IOException
    {
        ring.close();
    }

    /**
     * Decodes records and hands them on; reused, so a read allocates only what the codec does.
     */
    private final class Decoder implements RecordHandler
    {
        private MessageHandler<? super T> handler;
        private int handed;

        @Override
        public void onRecord(final DirectBuffer buffer, final int offset, final int length)
        {
            final T message;
            try
            {
                message = codec.decode(buffer, offset, length);
            }
            catch (final CodecException ex)
            {
                skip(length, ex.getMessage());
                return;
            }
            if (message == null)
            {
                skip(length, "it decodes to null, which a router does not carry");
                return;
            }
            handed++;
            retain(ring.readPosition());
            handler.onMessage(message);
        }

        private void skip(final int length, final String reason)
        {
            final long count = malformed.incrementAndGet();
            LOG.warn("ring {}: skipped a record of {} bytes that codec {} cannot decode ({} so far): {}",
                ring.path(), length, codec.name(), count, reason);
        }
    }
}
