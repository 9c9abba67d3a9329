package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * {@link String} as strict UTF-8: the record is the string's bytes, with no length prefix.
 */
public final class Utf8Codec implements Codec<String>
{
    /**
     * The one instance.
     */
    public static final Utf8Codec INSTANCE = new Utf8Codec();

    private Utf8Codec()
    {
    }

    @Override
    public String name()
    {
        return "utf8";
    }

    @Override
    public int encode(final String message, final MutableDirectBuffer buffer, final int offset)
    {
        final byte[] bytes = CodecChecks.utf8Bytes(message);
        buffer.putBytes(offset, bytes);
        return bytes.length;
    }

    @Override
    public String decode(final DirectBuffer buffer, final int offset, final int length)
    {
        CodecChecks.checkRecord(buffer, offset, length, name());
        return CodecChecks.utf8String(buffer, offset, length);
    }
}
