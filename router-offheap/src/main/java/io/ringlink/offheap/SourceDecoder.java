package io.ringlink.offheap;

import io.ringlink.MessageHandler;
import io.ringlink.offheap.internal.CarriedDecoding;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The at-least-once read of a ring as a router source, shared by {@link IpcRingSource} and {@link SharedQueue}:
 * decodes each record and hands it on without freeing it ({@link RetainedReads} frees once every sink has it). A
 * record that does not decode, or decodes to {@code null}, is skipped, counted and logged. Reused, so a read
 * allocates only what the codec does. Called on the reading thread only.
 *
 * @param <T> type of message.
 */
final class SourceDecoder<T> implements RecordHandler
{
    private static final Logger LOG = LoggerFactory.getLogger(SourceDecoder.class);

    private final IpcRing ring;
    private final Codec<T> codec;
    private final RetainedReads retained;
    private final AtomicLong malformed = new AtomicLong();
    private MessageHandler<? super T> handler;
    /** Set while {@link #readRecords} hands records as they are. */
    private RecordHandler records;
    private int handed;

    SourceDecoder(final IpcRing ring, final Codec<T> codec)
    {
        this.ring = ring;
        this.codec = codec;
        this.retained = new RetainedReads(ring);
    }

    /**
     * Hands up to {@code limit} messages after the read position, without waiting or freeing.
     */
    int read(final MessageHandler<? super T> handler, final int limit)
    {
        retained.beforeRead();
        this.handler = handler;
        handed = 0;
        try
        {
            ring.readRetained(this, limit);
            return handed;
        }
        finally
        {
            this.handler = null;
        }
    }

    /**
     * Hands up to {@code limit} records after the read position as they are, without decoding, waiting or freeing:
     * each counts as one message handed, freed by {@link #onDelivered(long)} as a decoded one would be.
     */
    int readRecords(final RecordHandler handler, final int limit)
    {
        retained.beforeRead();
        records = handler;
        handed = 0;
        try
        {
            ring.readRetained(this, limit);
            return handed;
        }
        finally
        {
            records = null;
        }
    }

    /**
     * Every sink has passed the first {@code messages} messages handed: free their records.
     */
    void onDelivered(final long messages)
    {
        retained.onDelivered(messages);
    }

    long malformedCount()
    {
        return malformed.get();
    }

    @Override
    public void onRecord(final DirectBuffer buffer, final int offset, final int length)
    {
        final RecordHandler records = this.records;
        if (records != null)
        {
            handed++;
            retained.onHanded();
            records.onRecord(buffer, offset, length);
            return;
        }
        final T message;
        try
        {
            message = CarriedDecoding.decode(codec, buffer, offset, length);
        }
        catch (final CodecException ex)
        {
            skip(length, ex.getMessage());
            return;
        }
        handed++;
        retained.onHanded();
        handler.onMessage(message);
    }

    private void skip(final int length, final String reason)
    {
        final long count = malformed.incrementAndGet();
        LOG.warn("ring {}: skipped a record of {} bytes that codec {} cannot decode ({} so far): {}",
            ring.path(), length, codec.name(), count, reason);
    }
}
