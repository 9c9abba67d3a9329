package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import org.agrona.DirectBuffer;

/**
 * Decoding a record that a router is to carry: what the codec cannot decode and what decodes to {@code null} (which a
 * router does not carry) are both a {@link CodecException}, so a source skips and counts them in one place.
 */
public final class CarriedDecoding
{
    private CarriedDecoding()
    {
    }

    /**
     * Decodes a record for a router.
     *
     * @param codec  the endpoint's codec.
     * @param buffer the record's buffer.
     * @param offset where the record starts.
     * @param length the record's length.
     * @param <T>    type of message.
     * @return the message, never {@code null}.
     * @throws CodecException if the record cannot be decoded, or decodes to {@code null}.
     */
    public static <T> T decode(final Codec<T> codec, final DirectBuffer buffer, final int offset, final int length)
    {
        final T message = codec.decode(buffer, offset, length);
        if (message == null)
        {
            throw new CodecException("it decodes to null, which a router does not carry");
        }
        return message;
    }
}
