package io.ringlink.offheap;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Feeds every codec random values, their records, mutated records and random bytes: each record either round-trips
 * or raises {@link CodecException}, nothing else.
 */
class CodecPropertyTest
{
    private static final int ROUNDS = 40_000;
    private static final int RANDOM_RECORDS = 10_000;
    private static final long SEED = Long.getLong("ringlink.codec.seed", System.nanoTime());

    @Test
    @Timeout(120)
    void shouldRoundTripOrRefuseEveryUtf8Record()
    {
        assertThat(check(Codecs.utf8(), this::randomString)).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    @Timeout(120)
    void shouldRoundTripOrRefuseEveryBytesRecord()
    {
        assertThat(check(Codecs.bytes(), this::randomBytes)).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    @Timeout(120)
    void shouldRoundTripOrRefuseEveryLongsRecord()
    {
        assertThat(check(Codecs.longs(), Random::nextLong)).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    @Timeout(120)
    void shouldRoundTripOrRefuseEveryValuesRecord()
    {
        assertThat(check(Codecs.values(), random -> randomValue(random, 0))).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void shouldRefuseACountLargerThanTheRecordWithoutAllocatingIt()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[5]);
        for (final byte tag : new byte[]{9, 10, 11, 12, 13})
        {
            buffer.putByte(0, tag);
            buffer.putInt(1, Integer.MAX_VALUE, ByteOrder.LITTLE_ENDIAN);
            assertThatThrownBy(() -> Codecs.values().decode(buffer, 0, 5))
                .isInstanceOf(CodecException.class)
                .hasMessageContaining("length 2147483647");
        }
    }

    @Test
    void shouldRefuseValuesNestedDeeperThanTheLimit()
    {
        final Codec<Object> codec = Codecs.values(3, 10);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        final int nested = codec.encode(List.of(List.of(1)), buffer, 0);
        assertThat(codec.decode(buffer, 0, nested)).isEqualTo(List.of(List.of(1)));
        assertThatThrownBy(() -> codec.encode(List.of(List.of(List.of(1))), buffer, 0))
            .isInstanceOf(CodecException.class).hasMessageContaining("limit of 3");
        final int length = Codecs.values().encode(List.of(List.of(List.of(1))), buffer, 0);
        assertThatThrownBy(() -> codec.decode(buffer, 0, length))
            .isInstanceOf(CodecException.class).hasMessageContaining("limit of 3");
        final List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> Codecs.values().encode(cycle, buffer, 0)).isInstanceOf(CodecException.class);
    }

    @Test
    void shouldRefuseCollectionsLargerThanTheLimitAndUnsupportedTypes()
    {
        final Codec<Object> codec = Codecs.values(8, 2);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
        assertThatThrownBy(() -> codec.encode(List.of(1, 2, 3), buffer, 0))
            .isInstanceOf(CodecException.class).hasMessageContaining("limit of 2");
        final int length = Codecs.values().encode(Set.of(1, 2, 3), buffer, 0);
        assertThatThrownBy(() -> codec.decode(buffer, 0, length))
            .isInstanceOf(CodecException.class).hasMessageContaining("limit of 2");
        assertThatThrownBy(() -> codec.encode(new Object(), buffer, 0))
            .isInstanceOf(CodecException.class).hasMessageContaining("java.lang.Object");
    }

    @Test
    void shouldRefuseMalformedUtf8AndLoneSurrogates()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[]{(byte)0xC3, (byte)0x28});
        assertThatThrownBy(() -> Codecs.utf8().decode(buffer, 0, 2)).isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Codecs.utf8().encode("a\uD800b", new ExpandableArrayBuffer(), 0))
            .isInstanceOf(CodecException.class);
        assertThatThrownBy(() -> Codecs.longs().decode(buffer, 0, 2))
            .isInstanceOf(CodecException.class).hasMessageContaining("8 bytes");
        assertThatThrownBy(() -> Codecs.bytes().decode(buffer, 1, 2))
            .isInstanceOf(CodecException.class).hasMessageContaining("outside the buffer");
    }

    private <T> int check(final Codec<T> codec, final Function<Random, T> generator)
    {
        final Random random = new Random(SEED);
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        int records = 0;
        try
        {
            for (int round = 0; round < ROUNDS; round++)
            {
                final T value = generator.apply(random);
                final int length;
                try
                {
                    length = codec.encode(value, buffer, 0);
                }
                catch (final CodecException expected)
                {
                    continue;
                }
                assertThat(same(codec.decode(buffer, 0, length), value)).as("round trip of %s", value).isTrue();
                records++;
                final byte[] record = new byte[length];
                buffer.getBytes(0, record);
                for (int m = 0; m < 2; m++)
                {
                    decodeOrRefuse(codec, mutate(random, record));
                    records++;
                }
            }
            for (int i = 0; i < RANDOM_RECORDS; i++)
            {
                decodeOrRefuse(codec, randomBytes(random));
                records++;
            }
        }
        catch (final AssertionError | RuntimeException ex)
        {
            throw new AssertionError(codec.name() + " failed with -Dringlink.codec.seed=" + SEED + ": " + ex, ex);
        }
        return records;
    }

    private static <T> void decodeOrRefuse(final Codec<T> codec, final byte[] record)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[record.length + 16]);
        buffer.putBytes(8, record);
        final T decoded;
        try
        {
            decoded = codec.decode(buffer, 8, record.length);
        }
        catch (final CodecException expected)
        {
            return;
        }
        final ExpandableArrayBuffer again = new ExpandableArrayBuffer(record.length + 16);
        final int length = codec.encode(decoded, again, 0);
        assertThat(same(codec.decode(again, 0, length), decoded)).as("round trip of decoded %s", decoded).isTrue();
    }

    private static byte[] mutate(final Random random, final byte[] record)
    {
        final int kind = random.nextInt(5);
        if (kind == 0 || record.length == 0)
        {
            final byte[] longer = Arrays.copyOf(record, record.length + 1 + random.nextInt(8));
            for (int i = record.length; i < longer.length; i++)
            {
                longer[i] = (byte)random.nextInt();
            }
            return longer;
        }
        if (kind == 1)
        {
            return Arrays.copyOf(record, random.nextInt(record.length));
        }
        final byte[] copy = record.clone();
        if (kind == 2 && copy.length >= 4)
        {
            final int at = random.nextInt(copy.length - 3);
            final int huge = random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(16) : -1 - random.nextInt(16);
            new UnsafeBuffer(copy).putInt(at, huge, ByteOrder.LITTLE_ENDIAN);
            return copy;
        }
        final int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++)
        {
            copy[random.nextInt(copy.length)] ^= (byte)(1 << random.nextInt(8));
        }
        return copy;
    }

    private byte[] randomBytes(final Random random)
    {
        final byte[] bytes = new byte[random.nextInt(random.nextInt(8) == 0 ? 300 : 24)];
        random.nextBytes(bytes);
        return bytes;
    }

    private String randomString(final Random random)
    {
        final int length = random.nextInt(random.nextInt(8) == 0 ? 200 : 16);
        final StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            switch (random.nextInt(6))
            {
                case 0 -> text.append((char)(0xD800 + random.nextInt(0x800)));
                case 1 -> text.appendCodePoint(0x10000 + random.nextInt(0x10000));
                case 2 -> text.append((char)random.nextInt(0x800));
                default -> text.append((char)(' ' + random.nextInt(95)));
            }
        }
        return random.nextInt(4) == 0 ? text.toString() : text.toString().replaceAll("[\uD800-\uDFFF]", "x");
    }

    private Object randomValue(final Random random, final int depth)
    {
        final int kind = random.nextInt(depth > 4 ? 11 : 14);
        return switch (kind)
        {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> (byte)random.nextInt();
            case 3 -> (short)random.nextInt();
            case 4 -> random.nextInt();
            case 5 -> random.nextLong();
            case 6 -> random.nextFloat();
            case 7 -> random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian() * 1e6;
            case 8 -> randomString(random).replaceAll("[\uD800-\uDFFF]", "x");
            case 9 -> randomBytes(random);
            case 10 -> random.nextInt(3) == 0 ? "" : Long.valueOf(random.nextInt(100));
            case 11 ->
            {
                final List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    list.add(randomValue(random, depth + 1));
                }
                yield list;
            }
            case 12 ->
            {
                final Set<Object> set = new LinkedHashSet<>();
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    set.add(randomKey(random));
                }
                yield set;
            }
            default ->
            {
                final Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = random.nextInt(5); i > 0; i--)
                {
                    map.put(randomKey(random), randomValue(random, depth + 1));
                }
                yield map;
            }
        };
    }

    private Object randomKey(final Random random)
    {
        return switch (random.nextInt(4))
        {
            case 0 -> random.nextInt(20);
            case 1 -> (long)random.nextInt(20);
            case 2 -> null;
            default -> "k" + random.nextInt(20);
        };
    }

    /**
     * Deep equality that compares byte arrays by content and collections in iteration order.
     */
    private static boolean same(final Object a, final Object b)
    {
        if (a instanceof byte[] x && b instanceof byte[] y)
        {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y)
        {
            return sameInOrder(x.iterator(), y.iterator()) && x.size() == y.size();
        }
        if (a instanceof Set<?> x && b instanceof Set<?> y)
        {
            return sameInOrder(x.iterator(), y.iterator()) && x.size() == y.size();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y)
        {
            return x.size() == y.size() && sameInOrder(x.keySet().iterator(), y.keySet().iterator()) &&
                sameInOrder(x.values().iterator(), y.values().iterator());
        }
        if (a == null || b == null)
        {
            return a == b;
        }
        return a.getClass() == b.getClass() && a.equals(b);
    }

    private static boolean sameInOrder(final Iterator<?> x, final Iterator<?> y)
    {
        while (x.hasNext() && y.hasNext())
        {
            if (!same(x.next(), y.next()))
            {
                return false;
            }
        }
        if (x.hasNext() || y.hasNext())
        {
            fail("collections of different sizes");
        }
        return true;
    }
}
