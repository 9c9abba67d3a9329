package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.CodecException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tagged tree of plain values. Each value is a one-byte tag followed by its body, numbers little-endian:
 * <pre>
 *   NULL, FALSE, TRUE                      tag only
 *   BYTE, SHORT, INT, LONG, FLOAT, DOUBLE  tag, 1/2/4/8/4/8 bytes
 *   STRING, BYTES                          tag, int length, that many bytes (strict UTF-8 for STRING)
 *   LIST, SET                              tag, int count, count values
 *   MAP                                    tag, int count, count (key value) pairs
 * </pre>
 * A record is exactly one value; trailing bytes are malformed. Decoding checks every length and count against the
 * bytes left in the record before it allocates (every value takes at least one byte).
 */
public final class ValueCodec implements Codec<Object>
{
    static final byte NULL = 0;
    static final byte FALSE = 1;
    static final byte TRUE = 2;
    static final byte BYTE = 3;
    static final byte SHORT = 4;
    static final byte INT = 5;
    static final byte LONG = 6;
    static final byte FLOAT = 7;
    static final byte DOUBLE = 8;
    static final byte STRING = 9;
    static final byte BYTES = 10;
    static final byte LIST = 11;
    static final byte SET = 12;
    static final byte MAP = 13;

    /**
     * Deepest nesting a codec may be configured with, to keep recursion well inside a thread's stack.
     */
    public static final int MAX_DEPTH_LIMIT = 1024;

    private static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;

    private final int maxDepth;
    private final int maxElements;

    /**
     * Creates a codec with limits.
     *
     * @param maxDepth    deepest nesting, 1 to {@link #MAX_DEPTH_LIMIT}.
     * @param maxElements most elements in one collection, at least 0.
     */
    public ValueCodec(final int maxDepth, final int maxElements)
    {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH_LIMIT)
        {
            throw new IllegalArgumentException("maxDepth=" + maxDepth + " must be between 1 and " + MAX_DEPTH_LIMIT);
        }
        if (maxElements < 0)
        {
            throw new IllegalArgumentException("maxElements=" + maxElements + " must not be negative");
        }
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
    }

    @Override
    public String name()
    {
        return "values";
    }

    @Override
    public int encode(final Object message, final MutableDirectBuffer buffer, final int offset)
    {
        return encodeValue(message, buffer, offset, 1) - offset;
    }

    private int encodeValue(final Object value, final MutableDirectBuffer buffer, final int offset, final int depth)
    {
        if (depth > maxDepth)
        {
            throw new CodecException("value nested deeper than the limit of " + maxDepth + " (a cycle?)");
        }
        if (value == null)
        {
            buffer.putByte(offset, NULL);
            return offset + 1;
        }
        if (value instanceof Boolean b)
        {
            buffer.putByte(offset, b ? TRUE : FALSE);
            return offset + 1;
        }
        if (value instanceof Integer i)
        {
            buffer.putByte(offset, INT);
            buffer.putInt(offset + 1, i, ORDER);
            return offset + 1 + Integer.BYTES;
        }
        if (value instanceof Long l)
        {
            buffer.putByte(offset, LONG);
            buffer.putLong(offset + 1, l, ORDER);
            return offset + 1 + Long.BYTES;
        }
        if (value instanceof Double d)
        {
            buffer.putByte(offset, DOUBLE);
            buffer.putDouble(offset + 1, d, ORDER);
            return offset + 1 + Double.BYTES;
        }
        if (value instanceof String s)
        {
            return encodeBytes(STRING, CodecChecks.utf8Bytes(s), buffer, offset);
        }
        if (value instanceof byte[] bytes)
        {
            return encodeBytes(BYTES, bytes, buffer, offset);
        }
        if (value instanceof Byte b)
        {
            buffer.putByte(offset, BYTE);
            buffer.putByte(offset + 1, b);
            return offset + 2;
        }
        if (value instanceof Short s)
        {
            buffer.putByte(offset, SHORT);
            buffer.putShort(offset + 1, s, ORDER);
            return offset + 1 + Short.BYTES;
        }
        if (value instanceof Float f)
        {
            buffer.putByte(offset, FLOAT);
            buffer.putFloat(offset + 1, f, ORDER);
            return offset + 1 + Float.BYTES;
        }
        if (value instanceof List<?> || value instanceof Set<?>)
        {
            final Collection<?> collection = (Collection<?>)value;
            int position = encodeHeader(value instanceof List<?> ? LIST : SET, collection.size(), buffer, offset);
            for (final Object element : collection)
            {
                position = encodeValue(element, buffer, position, depth + 1);
            }
            return position;
        }
        if (value instanceof Map<?, ?> map)
        {
            int position = encodeHeader(MAP, map.size(), buffer, offset);
            for (final Map.Entry<?, ?> entry : map.entrySet())
            {
                position = encodeValue(entry.getKey(), buffer, position, depth + 1);
                position = encodeValue(entry.getValue(), buffer, position, depth + 1);
            }
            return position;
        }
        throw new CodecException("values codec cannot encode a " + value.getClass().getName() +
            "; it takes null, Boolean, Byte, Short, Integer, Long, Float, Double, String, byte[], List, Set, Map");
    }

    private static int encodeBytes(
        final byte tag, final byte[] bytes, final MutableDirectBuffer buffer, final int offset)
    {
        buffer.putByte(offset, tag);
        buffer.putInt(offset + 1, bytes.length, ORDER);
        buffer.putBytes(offset + 1 + Integer.BYTES, bytes);
        return offset + 1 + Integer.BYTES + bytes.length;
    }

    private int encodeHeader(final byte tag, final int count, final MutableDirectBuffer buffer, final int offset)
    {
        if (count > maxElements)
        {
            throw new CodecException("collection of " + count + " elements is over the limit of " + maxElements);
        }
        buffer.putByte(offset, tag);
        buffer.putInt(offset + 1, count, ORDER);
        return offset + 1 + Integer.BYTES;
    }

    @Override
    public Object decode(final DirectBuffer buffer, final int offset, final int length)
    {
        CodecChecks.checkRecord(buffer, offset, length, name());
        final Reader reader = new Reader(buffer, offset, offset + length);
        final Object value = decodeValue(reader, 1);
        if (reader.position != reader.end)
        {
            throw new CodecException("values record has " + (reader.end - reader.position) +
                " trailing bytes after the value at offset " + reader.position);
        }
        return value;
    }

    private Object decodeValue(final Reader reader, final int depth)
    {
        if (depth > maxDepth)
        {
            throw new CodecException("values record nested deeper than the limit of " + maxDepth);
        }
        final int tagPosition = reader.position;
        final byte tag = reader.readByte();
        switch (tag)
        {
            case NULL:
                return null;
            case FALSE:
                return Boolean.FALSE;
            case TRUE:
                return Boolean.TRUE;
            case BYTE:
                return reader.readByte();
            case SHORT:
                return reader.readShort();
            case INT:
                return reader.readInt();
            case LONG:
                return reader.readLong();
            case FLOAT:
                return Float.intBitsToFloat(reader.readInt());
            case DOUBLE:
                return Double.longBitsToDouble(reader.readLong());
            case STRING:
            {
                final int length = reader.readLength(1, "string");
                final String text = CodecChecks.utf8String(reader.buffer, reader.position, length);
                reader.position += length;
                return text;
            }
            case BYTES:
            {
                final int length = reader.readLength(1, "byte array");
                final byte[] bytes = new byte[length];
                reader.buffer.getBytes(reader.position, bytes);
                reader.position += length;
                return bytes;
            }
            case LIST:
            {
                final int count = readCount(reader, 1, "list");
                final List<Object> list = new ArrayList<>(initialCapacity(count));
                for (int i = 0; i < count; i++)
                {
                    list.add(decodeValue(reader, depth + 1));
                }
                return list;
            }
            case SET:
            {
                final int count = readCount(reader, 1, "set");
                final Set<Object> set = new LinkedHashSet<>(initialCapacity(count));
                for (int i = 0; i < count; i++)
                {
                    final int elementPosition = reader.position;
                    if (!set.add(decodeValue(reader, depth + 1)))
                    {
                        throw new CodecException("values record repeats a set element at offset " + elementPosition);
                    }
                }
                return set;
            }
            case MAP:
            {
                final int count = readCount(reader, 2, "map");
                final Map<Object, Object> map = new LinkedHashMap<>(initialCapacity(count));
                for (int i = 0; i < count; i++)
                {
                    final int keyPosition = reader.position;
                    final Object key = decodeValue(reader, depth + 1);
                    if (map.containsKey(key))
                    {
                        throw new CodecException("values record repeats a map key at offset " + keyPosition);
                    }
                    map.put(key, decodeValue(reader, depth + 1));
                }
                return map;
            }
            default:
                throw new CodecException("values record has unknown tag " + tag + " at offset " + tagPosition);
        }
    }

    private int readCount(final Reader reader, final int bytesPerElement, final String what)
    {
        final int count = reader.readLength(bytesPerElement, what);
        if (count > maxElements)
        {
            throw new CodecException("values record has a " + what + " of " + count + " elements, over the limit of " +
                maxElements);
        }
        return count;
    }

    /**
     * Collections start small and grow as elements are actually decoded, so a count never sizes an allocation.
     */
    private static int initialCapacity(final int count)
    {
        return Math.min(count, 16);
    }

    /**
     * A cursor over one record that refuses to read past its end.
     */
    private static final class Reader
    {
        private final DirectBuffer buffer;
        private final int end;
        private int position;

        private Reader(final DirectBuffer buffer, final int position, final int end)
        {
            this.buffer = buffer;
            this.position = position;
            this.end = end;
        }

        private void require(final int bytes)
        {
            if (end - position < bytes)
            {
                throw new CodecException("values record truncated: " + bytes + " bytes needed at offset " + position +
                    ", " + (end - position) + " left");
            }
        }

        private byte readByte()
        {
            require(1);
            return buffer.getByte(position++);
        }

        private short readShort()
        {
            require(Short.BYTES);
            final short value = buffer.getShort(position, ORDER);
            position += Short.BYTES;
            return value;
        }

        private int readInt()
        {
            require(Integer.BYTES);
            final int value = buffer.getInt(position, ORDER);
            position += Integer.BYTES;
            return value;
        }

        private long readLong()
        {
            require(Long.BYTES);
            final long value = buffer.getLong(position, ORDER);
            position += Long.BYTES;
            return value;
        }

        /**
         * Reads a length or count and checks that what it announces fits in the bytes left.
         */
        private int readLength(final int bytesPerUnit, final String what)
        {
            final int lengthPosition = position;
            final int length = readInt();
            if (length < 0 || (long)length * bytesPerUnit > end - position)
            {
                throw new CodecException("values record has a " + what + " length " + length + " at offset " +
                    lengthPosition + " but only " + (end - position) + " bytes left");
            }
            return length;
        }
    }
}
