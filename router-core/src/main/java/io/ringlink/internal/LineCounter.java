package io.ringlink.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds {@code \n} bytes eight at a time (a zero-byte test on the word XOR {@code 0x0A} in every byte), and tells
 * ASCII from other bytes in the same pass, so that looking at the lines of a read costs a fraction of copying it.
 */
public final class LineCounter
{
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_SEVEN = 0x7F7F7F7F7F7F7F7FL;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private LineCounter()
    {
    }

    /**
     * Where the line ends are and whether the bytes are ASCII, in one pass over a read: every {@code \n} of a word
     * found from the same zero-byte test, with no call or early exit per line, and the words' high bits gathered on
     * the way.
     *
     * @param bytes the bytes.
     * @param from  where to start looking.
     * @param to    where to stop, exclusive.
     * @param ends  receives the index of each {@code \n}, in order, from {@code ends[at]} on.
     * @param at    where in {@code ends} the first index goes.
     * @return {@code found}, where the indices written end in {@code ends} ({@code at} plus their number), when every
     *         byte it looked at is ASCII (below 0x80); {@code ~found} (negative) when one is not. When {@code ends}
     *         filled up, look again after the last end: the bytes after it were not all looked at.
     */
    public static int scan(final byte[] bytes, final int from, final int to, final int[] ends, final int at)
    {
        long any = 0;
        int found = at;
        int i = from;
        for (final int words = to - 7; i < words; i += 8)
        {
            final long word = (long)LONGS.get(bytes, i);
            any |= word;
            final long x = word ^ NEWLINES;
            long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
            while (zeros != 0)
            {
                if (found == ends.length)
                {
                    return (any & HIGH_BITS) == 0 ? found : ~found;
                }
                ends[found++] = i + (Long.numberOfTrailingZeros(zeros) >>> 3);
                zeros &= zeros - 1;
            }
        }
        for (; i < to; i++)
        {
            any |= bytes[i];
            if (bytes[i] == '\n')
            {
                if (found == ends.length)
                {
                    break;
                }
                ends[found++] = i;
            }
        }
        return (any & HIGH_BITS) == 0 ? found : ~found;
    }
}
