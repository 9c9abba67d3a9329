package io.ringlink.offheap;

import io.ringlink.MessageHandler;
import io.ringlink.Source;
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
 * decodes to {@code null}) is skipped, counted ({@link #malformedCount()}) and logged. Records are consumed when a
 * read returns: a consumer process killed during a read leaves that read's records (at most {@code limit}) for the
 * next consumer, which sees them again; nothing committed is lost.
 *
 * @param <T> type of message.
 */
public final class IpcRingSource<T> implements Source<T>
{
    private static final Logger LOG = LoggerFactory.getLogger(IpcRingSource.class);
    private static final long READ_WAIT_NS = TimeUnit.MILLISECONDS.toNanos(50);

    private final IpcRing ring;
    private final Codec<T> codec;
    private final IdleStrategy idleStrategy;
    private final Decoder decoder = new Decoder();
    private final AtomicLong malformed = new AtomicLong();

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
        decoder.handler = handler;
        decoder.handed = 0;
        try
        {
            final int read = ring.read(decoder, limit);
            return read == 0 ? 0 : decoder.handed;
        }
        finally
        {
            decoder.handler = null;
        }
    }

    /**
     * Hands up to {@code limit} records to the handler in place, without decoding or waiting: the zero-copy path.
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
        return ring.isClosed() ? 0 : ring.size();
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
