package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * {@link Long} as 8 little-endian bytes; any other record length is malformed.
 */
public final class LongCodec implements Codec<Long>
{
    /**
     * The one instance.
     */
    public static final LongCodec INSTANCE = new LongCodec();

    private LongCodec()
    {
    }

    @Override
    public String name()
    {
        return "longs";
    }

    @Override
    public int encode(final Long message, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putLong(offset, message, ByteOrder.LITTLE_ENDIAN);
        return Long.BYTES;
    }

    @Override
    public Long decode(final DirectBuffer buffer, final int offset, final int length)
    {
        CodecChecks.checkRecord(buffer, offset, length, name());
        if (length != Long.BYTES)
        {
            throw new CodecException("longs record must be 8 bytes, was " + length);
        }
        return buffer.getLong(offset, ByteOrder.LITTLE_ENDIAN);
    }
}
