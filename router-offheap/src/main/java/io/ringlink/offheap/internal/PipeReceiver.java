package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;

/**
 * Decodes the one message a {@link PipeEnd}'s receive hands over, and keeps it until taken: one per end, used
 * under its receive lock.
 *
 * @param <T> type of message.
 */
final class PipeReceiver<T> implements MessageHandler
{
    private final Codec<T> codec;
    private final Object pipe;
    private T message;

    PipeReceiver(final Codec<T> codec, final Object pipe)
    {
        this.codec = codec;
        this.pipe = pipe;
    }

    @Override
    public void onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final T decoded = codec.decode(buffer, index, length);
        if (decoded == null)
        {
            throw new CodecException("a message of " + length + " bytes in " + pipe + " decodes to null, " +
                "which a pipe cannot carry");
        }
        message = decoded;
    }

    T take()
    {
        final T taken = message;
        message = null;
        return taken;
    }
}
