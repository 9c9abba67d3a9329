package io.ringlink.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Counts {@code \n} bytes eight at a time (a zero-byte test on the word XOR {@code 0x0A} in every byte), so that
 * counting the lines of a read costs a fraction of copying it.
 */
final class LineCounter
{
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;

    private LineCounter()
    {
    }

    /** The number of {@code \n} in {@code bytes[from, to)}. */
    static int count(final byte[] bytes, final int from, final int to)
    {
        int count = 0;
        int i = from;
        for (final int words = to - 7; i < words; i += 8)
        {
            final long x = (long)LONGS.get(bytes, i) ^ NEWLINES;
            // High bit of each byte set exactly where x has a zero byte.
            final long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
            count += Long.bitCount(zeros);
        }
        for (; i < to; i++)
        {
            if (bytes[i] == '\n')
            {
                count++;
            }
        }
        return count;
    }
}
