package io.ringlink.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds and counts {@code \n} bytes eight at a time (a zero-byte test on the word XOR {@code 0x0A} in every byte), and
 * tells ASCII from other bytes the same way, so that looking at the lines of a read costs a fraction of copying it.
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
     * Where the next line end is.
     *
     * @param bytes the bytes.
     * @param from  where to start looking.
     * @param to    where to stop, exclusive.
     * @return the index of the first {@code \n} in {@code bytes[from, to)}, or {@code to} if there is none.
     */
    public static int indexOf(final byte[] bytes, final int from, final int to)
    {
        int i = from;
        for (final int words = to - 7; i < words; i += 8)
        {
            final long x = (long)LONGS.get(bytes, i) ^ NEWLINES;
            final long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
            if (zeros != 0)
            {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++)
        {
            if (bytes[i] == '\n')
            {
                return i;
            }
        }
        return to;
    }

    /**
     * Where the next line end is, and whether the line before it is ASCII, in one pass: {@link #indexOf} and
     * {@link #isAscii} of the line together.
     *
     * @param bytes the bytes.
     * @param from  where the line starts.
     * @param to    where to stop, exclusive.
     * @return the index {@code end} of the first {@code \n} in {@code bytes[from, to)}, or {@code to} if there is
     *         none, when {@code bytes[from, end)} is all ASCII; {@code -end - 1} when it holds a byte of 0x80 or more.
     */
    public static int lineEnd(final byte[] bytes, final int from, final int to)
    {
        long any = 0;
        int i = from;
        for (final int words = to - 7; i < words; i += 8)
        {
            final long word = (long)LONGS.get(bytes, i);
            final long x = word ^ NEWLINES;
            final long zeros = ~(((x & LOW_SEVEN) + LOW_SEVEN) | x | LOW_SEVEN);
            if (zeros != 0)
            {
                final int at = Long.numberOfTrailingZeros(zeros) >>> 3;
                // the bytes before the line end only: the low `at` bytes of a little-endian word
                any |= word & ((1L << (at << 3)) - 1);
                return (any & HIGH_BITS) == 0 ? i + at : -(i + at) - 1;
            }
            any |= word;
        }
        for (; i < to; i++)
        {
            if (bytes[i] == '\n')
            {
                return (any & HIGH_BITS) == 0 ? i : -i - 1;
            }
            any |= bytes[i];
        }
        return (any & HIGH_BITS) == 0 ? to : -to - 1;
    }

    /**
     * Where the line ends are, in one pass: every {@code \n} of a word found from the same zero-byte test, with no
     * call or early exit per line (what writing each line of a read as its own record needs).
     *
     * @param bytes the bytes.
     * @param from  where to start looking.
     * @param to    where to stop, exclusive.
     * @param ends  receives the index of each {@code \n}, in order, from its start.
     * @return the number of indices written: all the line ends of {@code bytes[from, to)} when fewer than
     *         {@code ends.length}, else the first {@code ends.length} of them (look again after the last).
     */
    public static int lineEnds(final byte[] bytes, final int from, final int to, final int[] ends)
    {
        final int found = scan(bytes, from, to, ends, 0);
        return found < 0 ? ~found : found;
    }

    /**
     * {@link #lineEnds} and {@link #isAscii} in one pass, for a reader that needs both of each read: where the line
     * ends are, and whether any byte before the last one it looked at is 0x80 or more.
     *
     * @param bytes the bytes.
     * @param from  where to start looking.
     * @param to    where to stop, exclusive.
     * @param ends  receives the index of each {@code \n}, in order, from {@code ends[at]} on.
     * @param at    where in {@code ends} the first index goes.
     * @return {@code found}, where the indices written end in {@code ends} ({@code at} plus their number), when every
     *         byte it looked at is ASCII; {@code ~found} (negative) when one is not. When {@code ends} filled up, look
     *         again after the last end: the bytes after it were not all looked at.
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

    /**
     * Whether every byte is ASCII (below 0x80), hence valid UTF-8.
     *
     * @param bytes the bytes.
     * @param from  the first byte.
     * @param to    the end, exclusive.
     * @return {@code true} if {@code bytes[from, to)} holds no byte of 0x80 or more.
     */
    public static boolean isAscii(final byte[] bytes, final int from, final int to)
    {
        long any = 0;
        int i = from;
        for (final int words = to - 7; i < words; i += 8)
        {
            any |= (long)LONGS.get(bytes, i);
        }
        for (; i < to; i++)
        {
            any |= bytes[i];
        }
        return (any & HIGH_BITS) == 0;
    }
}
