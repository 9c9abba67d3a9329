package io.ringlink.offheap.internal;

import io.ringlink.offheap.CodecException;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks and strict UTF-8 conversions shared by the codecs.
 */
final class CodecChecks
{
    private CodecChecks()
    {
    }

    static void checkRecord(final DirectBuffer buffer, final int offset, final int length, final String codec)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new CodecException(codec + " record at offset " + offset + " with length " + length +
                " lies outside the buffer of " + buffer.capacity() + " bytes");
        }
    }

    static byte[] utf8Bytes(final String text)
    {
        try
        {
            final ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(text));
            final byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        }
        catch (final CharacterCodingException ex)
        {
            throw new CodecException("string cannot be encoded as UTF-8 (a lone surrogate?): " + ex, ex);
        }
    }

    static String utf8String(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        try
        {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new CodecException("malformed UTF-8 in " + length + " bytes at offset " + offset + ": " + ex, ex);
        }
    }
}
