package io.ringlink.offheap;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns messages into bytes and back for links between JVMs. Never Java serialization. Get the standard ones from
 * {@code Codecs}.
 * <p>
 * A codec is stateless and thread-safe. Decoding checks every length it reads against the bytes the record holds and
 * raises {@link CodecException} for malformed input; it never allocates more than the record's own length.
 *
 * @param <T> type of message.
 */
public interface Codec<T>
{
    /**
     * The codec's name, stored in ring file headers and checked when a ring is opened: {@code utf8}, {@code bytes},
     * {@code longs}, {@code values}. At most 32 ASCII characters.
     *
     * @return the name.
     */
    String name();

    /**
     * Encodes a message.
     *
     * @param message the message, not {@code null}.
     * @param buffer  where to write; expandable buffers grow as needed, fixed ones raise
     *                {@link IndexOutOfBoundsException} when too small.
     * @param offset  where to start writing.
     * @return the number of bytes written.
     * @throws CodecException if the message cannot be encoded (an unsupported type, over a limit).
     */
    int encode(T message, MutableDirectBuffer buffer, int offset);

    /**
     * Decodes one message that occupies exactly {@code length} bytes.
     *
     * @param buffer holds the record.
     * @param offset where the record starts.
     * @param length the record's length.
     * @return the message.
     * @throws CodecException if the bytes are malformed.
     */
    T decode(DirectBuffer buffer, int offset, int length);
}
