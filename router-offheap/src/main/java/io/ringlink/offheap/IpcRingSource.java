package io.ringlink.offheap;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;

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
 * {@link #onDelivered(long)} after handling messages, or the ring fills up. Two zero-copy paths hand records as
 * bytes in the ring: {@link #readRetained(RecordHandler, int)}, freed by {@link #onDelivered(long)} like decoded
 * messages, and {@link #read(RecordHandler, int)}, which frees them when it returns (at-most-once).
 *
 * @param <T> type of message.
 */
public final class IpcRingSource<T> implements AcknowledgingSource<T>, RingWaits.AvailableReader<T>
{
    private final IpcRing ring;
    private final Codec<T> codec;
    private final IdleStrategy idleStrategy;
    private final SourceDecoder<T> decoder;

    private IpcRingSource(final IpcRing ring, final Codec<T> codec, final WaitStrategy waitStrategy)
    {
        this.ring = ring;
        this.codec = codec;
        this.idleStrategy = IdleStrategies.of(waitStrategy);
        this.decoder = new SourceDecoder<>(ring, codec);
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
        return RingWaits.read(ring, this, handler, limit, idleStrategy);
    }

    /**
     * Hands up to {@code limit} messages that are in the ring now, without waiting.
     *
     * @param handler receives each message.
     * @param limit   the most messages.
     * @return the number handed, {@code 0} when none is there, or {@link #END_OF_STREAM} once the ring is closed.
     */
    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        return ring.isClosed() ? END_OF_STREAM : decoder.read(handler, limit);
    }

    /**
     * {@code true}: {@link #readAvailable(MessageHandler, int)} polls the ring and never waits, so in {@code SHARED}
     * this source runs on a delivery agent instead of a pump thread. (Its first read takes the consumer role, refused
     * at once if a live process holds it; only if {@link SharedQueue} takers use the same file does it wait for a
     * take in progress, which lasts microseconds.)
     *
     * @return {@code true}.
     */
    @Override
    public boolean readsWithoutBlocking()
    {
        return true;
    }

    @Override
    public void onDelivered(final long messages)
    {
        decoder.onDelivered(messages);
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
     * Hands up to {@code limit} records to the handler in place, without decoding, waiting or freeing them: the
     * zero-copy path that stays at-least-once. Each record counts as one message for {@link #onDelivered(long)},
     * which frees it once every sink has it, as it frees the messages of {@link #read(MessageHandler, int)} (the two
     * may be mixed: both count in one sequence). Allocates nothing in a steady state.
     *
     * @param handler receives each record's bytes in the ring; they stay valid until the records are freed.
     * @param limit   the most records.
     * @return the number handed over.
     */
    public int readRetained(final RecordHandler handler, final int limit)
    {
        return decoder.readRecords(handler, limit);
    }

    /**
     * Records that did not decode and were skipped.
     *
     * @return the count.
     */
    public long malformedCount()
    {
        return decoder.malformedCount();
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

}
