package io.ringlink.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RawLines}' one look at a read against a byte-by-byte count: line ends, lines and ASCII, for reads of few and
 * of many more lines than it first makes room for, a byte of 0x80 or more anywhere (also past the 1,024th line end),
 * and one message reused, looked at by {@link RawLines#setLines} or {@link RawLines#set} in turn.
 */
@Timeout(60)
class RawLinesScanTest
{
    private static final int CAPACITY = 64 * 1024;

    @Test
    void shouldSeeWhatAByteByByteLookSeesOfEveryRead()
    {
        final Random random = new Random(42);
        final RawLines reused = RawLines.allocate(CAPACITY);
        for (int round = 0; round < 400; round++)
        {
            final int length = random.nextInt(8) == 0 ? random.nextInt(40) : random.nextInt(CAPACITY + 1);
            final byte[] bytes = new byte[length];
            final int density = 1 + random.nextInt(round % 3 == 0 ? 4 : 200);
            for (int i = 0; i < length; i++)
            {
                bytes[i] = random.nextInt(density) == 0 ? (byte)'\n' : (byte)('a' + random.nextInt(26));
            }
            if (length > 0 && random.nextBoolean())
            {
                bytes[random.nextInt(length)] = (byte)(0x80 + random.nextInt(128));
            }
            final RawLines lines = random.nextBoolean() ? reused : RawLines.allocate(CAPACITY);
            System.arraycopy(bytes, 0, lines.bytes(), 0, length);
            final boolean last = random.nextBoolean();
            final boolean bySet = random.nextBoolean();
            if (bySet)
            {
                lines.set(length, 7);
            }
            else
            {
                lines.setLines(length, last);
            }
            int expected = 0;
            boolean ascii = true;
            final int[] ends = new int[length + 1];
            for (int i = 0; i < length; i++)
            {
                if (bytes[i] == '\n')
                {
                    ends[expected++] = i;
                }
                ascii &= bytes[i] >= 0;
            }
            final String what = "round " + round + ", " + length + " bytes, " + expected + " line ends";
            assertThat(lines.lineEnds()).as(what).isEqualTo(expected);
            assertThat(Arrays.copyOf(lines.ends(), expected)).as(what).isEqualTo(Arrays.copyOf(ends, expected));
            assertThat(lines.isAscii()).as(what).isEqualTo(ascii);
            assertThat(lines.length()).as(what).isEqualTo(length);
            assertThat(lines.lines()).as(what).isEqualTo(bySet ? 7 :
                expected + (last && length > 0 && bytes[length - 1] != '\n' ? 1 : 0));
        }
    }
}
