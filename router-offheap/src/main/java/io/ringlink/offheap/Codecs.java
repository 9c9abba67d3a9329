package io.ringlink.offheap;

import io.ringlink.offheap.internal.BytesCodec;
import io.ringlink.offheap.internal.LongCodec;
import io.ringlink.offheap.internal.Utf8Codec;
import io.ringlink.offheap.internal.ValueCodec;

/**
 * The standard {@link Codec}s. All are stateless and thread-safe; none uses Java serialization.
 * <ul>
 *     <li>{@link #utf8()}: a {@link String} as strict UTF-8 (malformed bytes and lone surrogates are refused).</li>
 *     <li>{@link #bytes()}: a {@code byte[]} as is.</li>
 *     <li>{@link #longs()}: a {@link Long} as 8 little-endian bytes.</li>
 *     <li>{@link #values()}: a tagged tree of {@code null}, booleans, integers, floating point numbers, strings,
 *     byte arrays, lists, maps and sets, nested up to a depth limit.</li>
 * </ul>
 */
public final class Codecs
{
    /**
     * Nesting depth {@link #values()} allows: a list inside a list is depth 2.
     */
    public static final int VALUES_MAX_DEPTH_DEFAULT = 64;

    /**
     * Elements one list, set or map (entries) may hold in {@link #values()}.
     */
    public static final int VALUES_MAX_ELEMENTS_DEFAULT = 1 << 20;

    private static final Codec<Object> VALUES = new ValueCodec(VALUES_MAX_DEPTH_DEFAULT, VALUES_MAX_ELEMENTS_DEFAULT);

    private Codecs()
    {
    }

    /**
     * Strings as UTF-8, the record being exactly the string's bytes.
     *
     * @return the codec named {@code utf8}.
     */
    public static Codec<String> utf8()
    {
        return Utf8Codec.INSTANCE;
    }

    /**
     * Byte arrays as they are. Decoding copies the record; to read records in place use the ring's bytes handler.
     *
     * @return the codec named {@code bytes}.
     */
    public static Codec<byte[]> bytes()
    {
        return BytesCodec.INSTANCE;
    }

    /**
     * Longs as 8 little-endian bytes.
     *
     * @return the codec named {@code longs}.
     */
    public static Codec<Long> longs()
    {
        return LongCodec.INSTANCE;
    }

    /**
     * Trees of plain values, with the default limits. Encodes {@code null}, {@link Boolean}, {@link Byte},
     * {@link Short}, {@link Integer}, {@link Long}, {@link Float}, {@link Double}, {@link String}, {@code byte[]},
     * {@link java.util.List}, {@link java.util.Set} and {@link java.util.Map} (any implementation), and decodes them to
     * the same boxed types, {@code byte[]}, {@link java.util.ArrayList}, {@link java.util.LinkedHashSet} and
     * {@link java.util.LinkedHashMap} in the encoded order. Any other type raises {@link CodecException}, as does a
     * structure nested deeper than {@link #VALUES_MAX_DEPTH_DEFAULT} (so also a cycle), a collection larger than
     * {@link #VALUES_MAX_ELEMENTS_DEFAULT}, and a decoded set or map with a repeated element or key.
     *
     * @return the codec named {@code values}.
     */
    public static Codec<Object> values()
    {
        return VALUES;
    }

    /**
     * The standard codec with this name.
     *
     * @param name {@code utf8}, {@code bytes}, {@code longs} or {@code values}.
     * @return the codec.
     * @throws IllegalArgumentException if no standard codec has that name.
     */
    public static Codec<?> named(final String name)
    {
        return switch (name)
        {
            case "utf8" -> utf8();
            case "bytes" -> bytes();
            case "longs" -> longs();
            case "values" -> values();
            default -> throw new IllegalArgumentException("codec '" + name + "' is not one of utf8, bytes, longs, " +
                "values");
        };
    }

    /**
     * Trees of plain values, as {@link #values()}, with other limits.
     *
     * @param maxDepth    deepest nesting allowed, at least 1 (a scalar alone is depth 1).
     * @param maxElements most elements in one list or set, or entries in one map, at least 0.
     * @return the codec named {@code values}; records are compatible with {@link #values()} within the limits.
     * @throws IllegalArgumentException if a limit is out of range.
     */
    public static Codec<Object> values(final int maxDepth, final int maxElements)
    {
        return new ValueCodec(maxDepth, maxElements);
    }
}
