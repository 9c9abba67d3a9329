package io.ringlink.cli;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Tells well-formed UTF-8 (as the JDK's strict decoder takes it: no overlong forms, no surrogates, nothing past
 * U+10FFFF) from other bytes without decoding or allocating, eight ASCII bytes at a time.
 */
final class Utf8Check
{
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Check()
    {
    }

    /**
     * Whether the bytes are well-formed UTF-8, a sequence cut at either end included as malformed.
     *
     * @param bytes the bytes.
     * @param from  the first.
     * @param to    the end, exclusive.
     * @return {@code true} if {@code bytes[from, to)} decodes strictly.
     */
    static boolean isValid(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        while (i < to)
        {
            if (i + 8 <= to && ((long)LONGS.get(bytes, i) & HIGH_BITS) == 0)
            {
                i += 8;
                continue;
            }
            final int b = bytes[i] & 0xFF;
            if (b < 0x80)
            {
                i++;
                continue;
            }
            final int length;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF)
            {
                length = 2;
            }
            else if (b >= 0xE0 && b <= 0xEF)
            {
                length = 3;
                if (b == 0xE0)
                {
                    min = 0xA0;
                }
                else if (b == 0xED)
                {
                    max = 0x9F;
                }
            }
            else if (b >= 0xF0 && b <= 0xF4)
            {
                length = 4;
                if (b == 0xF0)
                {
                    min = 0x90;
                }
                else if (b == 0xF4)
                {
                    max = 0x8F;
                }
            }
            else
            {
                return false;
            }
            if (i + length > to)
            {
                return false;
            }
            final int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max)
            {
                return false;
            }
            for (int k = 2; k < length; k++)
            {
                if ((bytes[i + k] & 0xC0) != 0x80)
                {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
