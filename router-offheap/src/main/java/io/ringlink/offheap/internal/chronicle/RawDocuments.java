package io.ringlink.offheap.internal.chronicle;

import io.ringlink.offheap.CodecException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.BinaryWireCode;
import net.openhft.chronicle.wire.Wire;

import java.nio.file.Path;

/**
 * Plain Chronicle documents, without RingLink's format byte ({@code codec=raw}): a text document is one text value
 * as {@code appender.writeText} writes it, a bytes document just its bytes as {@code appender.writeBytes} writes it.
 * Chronicle's own wire writes and reads the text values; this class only chooses between the two kinds.
 */
public final class RawDocuments
{
    private RawDocuments()
    {
    }

    /**
     * Checks that a message can be a raw document, before its document opens.
     *
     * @param dir     the queue directory, for the message.
     * @param message the message.
     * @throws CodecException if it is neither text nor bytes, or empty bytes.
     */
    public static void check(final Path dir, final Object message)
    {
        if (message instanceof byte[])
        {
            checkLength(dir, ((byte[])message).length);
        }
        else if (!(message instanceof CharSequence))
        {
            throw new CodecException("chronicle " + dir + ": a raw document holds text or bytes, not a " +
                (message == null ? "null" : message.getClass().getName()));
        }
    }

    /**
     * Checks the length of a raw bytes document.
     *
     * @param dir    the queue directory, for the message.
     * @param length the document's length.
     * @throws CodecException if it is empty: Chronicle pads an empty document, so it could not be read back.
     */
    public static void checkLength(final Path dir, final int length)
    {
        if (length == 0)
        {
            throw new CodecException("chronicle " + dir + ": a raw bytes document needs at least one byte (Chronicle " +
                "pads an empty document, so it could not be read back)");
        }
    }

    /**
     * Reads the document at the wire's read position: exactly one text value becomes its {@code String}, anything
     * else a {@code byte[]} of the document's bytes.
     *
     * @param wire   the open document's wire.
     * @param length the document's length, checked by the caller.
     * @return a {@code String} or a {@code byte[]}.
     */
    public static Object read(final Wire wire, final int length)
    {
        final Bytes<?> bytes = wire.bytes();
        final long start = bytes.readPosition();
        final int code = length == 0 ? -1 : bytes.peekUnsignedByte();
        if (code == BinaryWireCode.STRING_ANY || code >= BinaryWireCode.STRING_0 && code <= BinaryWireCode.STRING_31)
        {
            try
            {
                final String text = wire.getValueIn().text();
                if (text != null && bytes.readRemaining() == 0)
                {
                    return text;
                }
            }
            catch (final RuntimeException ex)
            {
                // Not one well-formed text value (a length past the document, say): its bytes, then.
            }
            bytes.readPosition(start);
        }
        final byte[] copy = new byte[length];
        bytes.read(copy);
        return copy;
    }
}
