package io.ringlink.offheap.internal;

import io.ringlink.offheap.CodecException;
import org.agrona.DirectBuffer;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Checks and strict UTF-8 conversions shared by the codecs.
 */
final class CodecChecks
{
    /**
     * One strict encoder and decoder per thread, reused: building them for every message was two objects (and their
     * replacement arrays) per message on every text path. {@code encode(CharBuffer)} and {@code decode(ByteBuffer)}
     * reset them before each use.
     */
    private static final ThreadLocal<CharsetEncoder> ENCODER = ThreadLocal.withInitial(() ->
        StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));
    private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
        StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT));

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
            final ByteBuffer encoded = ENCODER.get().encode(CharBuffer.wrap(text));
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
            return DECODER.get().decode(ByteBuffer.wrap(bytes)).toString();
        }
        catch (final CharacterCodingException ex)
        {
            throw new CodecException("malformed UTF-8 in " + length + " bytes at offset " + offset + ": " + ex, ex);
        }
    }
}
