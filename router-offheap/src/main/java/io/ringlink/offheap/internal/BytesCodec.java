package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@code byte[]} as is: the record is the array.
 */
public final class BytesCodec implements Codec<byte[]>
{
    /**
     * The one instance.
     */
    public static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec()
    {
    }

    @Override
    public String name()
    {
        return "bytes";
    }

    @Override
    public int encode(final byte[] message, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putBytes(offset, message);
        return message.length;
    }

    @Override
    public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
    {
        CodecChecks.checkRecord(buffer, offset, length, name());
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
