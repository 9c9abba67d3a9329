package io.ringlink.offheap;

import io.ringlink.Sink;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IdleStrategies;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.IdleStrategy;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The producer side of an {@link IpcRing}: encodes each message with a {@link Codec} and writes it into the ring.
 * Plugs into {@code Router.write}; the router then calls {@link #onMessage(Object)}, which waits per the wait
 * strategy while the ring is full (never drops) and gives up when its thread is interrupted.
 * <p>
 * Not thread-safe: one thread at a time per sink (the router serialises calls). For several producer threads or
 * processes use a {@link RingKind#MANY_TO_ONE} ring and one sink per thread.
 *
 * @param <T> type of message.
 */
public final class IpcRingSink<T> implements Sink<T>
{
    private final IpcRing ring;
    private final Codec<T> codec;
    private final IdleStrategy idleStrategy;
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);

    private IpcRingSink(final IpcRing ring, final Codec<T> codec, final WaitStrategy waitStrategy)
    {
        this.ring = ring;
        this.codec = codec;
        this.idleStrategy = IdleStrategies.of(waitStrategy);
    }

    /**
     * A sink writing into a ring, which it then owns and closes.
     *
     * @param ring         the ring.
     * @param codec        encodes messages; its name must match the ring's codec.
     * @param waitStrategy how {@link #put(Object)} waits while the ring is full.
     * @param <T>          type of message.
     * @return the sink.
     * @throws IllegalArgumentException if the codec does not match the ring's.
     */
    public static <T> IpcRingSink<T> of(final IpcRing ring, final Codec<T> codec, final WaitStrategy waitStrategy)
    {
        ring.checkCodec(codec);
        return new IpcRingSink<>(ring, codec, waitStrategy);
    }

    /**
     * The ring written to.
     *
     * @return the ring.
     */
    public IpcRing ring()
    {
        return ring;
    }

    /**
     * Writes a message if there is room now.
     *
     * @param message the message.
     * @return {@code true} if written, {@code false} if the ring is full.
     * @throws MessageTooLargeException if its encoding is over the ring's maximum; nothing is written.
     * @throws CodecException           if it cannot be encoded.
     */
    public boolean offer(final T message)
    {
        final int length = codec.encode(message, scratch, 0);
        ring.checkLength(length);
        return ring.offer(scratch, 0, length);
    }

    /**
     * Writes a message, waiting up to the timeout for room.
     *
     * @param message the message.
     * @param timeout how long to wait.
     * @param unit    unit of the timeout.
     * @return {@code true} if written, {@code false} if the ring stayed full.
     * @throws InterruptedException     if interrupted while waiting; nothing was written.
     * @throws MessageTooLargeException if its encoding is over the ring's maximum.
     */
    public boolean offer(final T message, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final int length = codec.encode(message, scratch, 0);
        return RingWaits.offer(ring, scratch, length, unit.toNanos(timeout), idleStrategy);
    }

    /**
     * Writes a message, waiting per the wait strategy while the ring is full.
     *
     * @param message the message.
     * @throws InterruptedException     if interrupted while waiting; nothing was written.
     * @throws MessageTooLargeException if its encoding is over the ring's maximum.
     */
    public void put(final T message) throws InterruptedException
    {
        final int length = codec.encode(message, scratch, 0);
        RingWaits.offer(ring, scratch, length, Long.MAX_VALUE, idleStrategy);
    }

    /**
     * Writes one record of bytes as they are, without encoding: the zero-copy producer path.
     *
     * @param buffer holds the record.
     * @param offset where it starts.
     * @param length its length.
     * @return {@code true} if written, {@code false} if the ring is full.
     * @throws MessageTooLargeException if {@code length} is over the ring's maximum.
     */
    public boolean offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return ring.offer(buffer, offset, length);
    }

    @Override
    public void onMessage(final T message) throws InterruptedException
    {
        put(message);
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
