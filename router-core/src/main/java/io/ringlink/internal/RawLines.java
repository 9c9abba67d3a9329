package io.ringlink.internal;

import java.util.Arrays;

/**
 * Whole lines as the bytes that were read, line ends included ({@code \n}, {@code \r\n} or whatever the input has),
 * so that a byte destination writes exactly what the source read, valid UTF-8 or not. One message carries as many
 * lines as one read of the source completed; the last of an input may lack its terminator, and a line longer than a
 * read is carried in pieces. Handed over by line sources with {@code lines=raw}, which the {@code ringlink} command
 * sets when every destination is a byte endpoint; a byte source with {@code codec=bytes} and {@code lines=raw} hands
 * over each read whole in one, as a chunk.
 * <p>
 * A flyweight: the source reuses the message once every sink has passed it, so a sink must copy or write the bytes
 * in {@link io.ringlink.Sink#onMessage(Object)} and keep no reference (as every byte destination does). Every sink
 * gets it at once, each on its own thread: {@link #lineEnds()}, {@link #ends()} and {@link #isAscii()} may be asked by
 * all of them together.
 */
public final class RawLines
{
    private final byte[] bytes;
    private int length;
    private int lines;
    /** Where the line ends of the bytes are, the first {@link #lineEnds} of it; grown as a read needs. */
    private int[] ends = new int[1024];
    /**
     * How many of {@link #ends} hold line ends, or -1 before the bytes were looked at. Volatile, written last: a
     * message {@linkplain #set set} without a look goes to every sink at once, and the first to ask looks for all.
     */
    private volatile int lineEnds = -1;
    private boolean ascii;

    RawLines(final int capacity)
    {
        this.bytes = new byte[capacity];
    }

    /**
     * An empty message for a line source of another package to fill (its {@link #bytes()}) and {@link #set} before
     * it hands it over, as the {@code ringlink} command's reader of a text {@code ipc:} ring does.
     *
     * @param capacity the size of its buffer.
     * @return the message.
     */
    public static RawLines allocate(final int capacity)
    {
        return new RawLines(capacity);
    }

    /**
     * Says what the buffer holds, before the message is handed over.
     *
     * @param length the number of bytes of the lines, from the start of {@link #bytes()}.
     * @param lines  the number of lines they complete.
     */
    public void set(final int length, final int lines)
    {
        this.length = length;
        this.lines = lines;
        this.lineEnds = -1;
    }

    /**
     * Says that the buffer holds whole lines, the first {@code length} bytes, and counts them: one pass finds where
     * each line ends and whether the bytes are all ASCII, and is kept for the sinks that ask ({@link #ends()},
     * {@link #isAscii()}), so that nobody looks at the bytes twice.
     *
     * @param length the number of bytes of the lines.
     * @param last   whether these are the last bytes of the input: a last line without its {@code \n} counts too.
     */
    void setLines(final int length, final boolean last)
    {
        this.length = length;
        scan();
        this.lines = lineEnds + (last && length > 0 && bytes[length - 1] != '\n' ? 1 : 0);
    }

    /**
     * The number of line ends ({@code \n}) in the bytes, found once per message.
     *
     * @return how many of {@link #ends()} hold line ends.
     */
    public int lineEnds()
    {
        final int found = lineEnds;
        return found < 0 ? scanShared() : found;
    }

    /**
     * The look of a message set without one, asked for by its sinks, each on its own thread: one looks, under the
     * lock, and the others wait for it, so that none sees the ends of a look half done (or of an array outgrown).
     */
    private synchronized int scanShared()
    {
        if (lineEnds < 0)
        {
            scan();
        }
        return lineEnds;
    }

    /**
     * Where each line end is: the index of each {@code \n} in {@link #bytes()}, in order, the first
     * {@link #lineEnds()} of the array. Not to be changed.
     *
     * @return the indices.
     */
    public int[] ends()
    {
        lineEnds();
        return ends;
    }

    /**
     * Whether every byte of the lines is ASCII (below 0x80), hence valid UTF-8; found in the same pass as the line
     * ends.
     *
     * @return {@code true} if no byte is 0x80 or more.
     */
    public boolean isAscii()
    {
        lineEnds();
        return ascii;
    }

    /** Looks at the bytes: on the source's thread before it hands the message over, or under the lock. */
    private void scan()
    {
        boolean allAscii = true;
        int found = 0;
        int from = 0;
        while (true)
        {
            final int result = LineCounter.scan(bytes, from, length, ends, found);
            allAscii &= result >= 0;
            found = result < 0 ? ~result : result;
            if (found < ends.length)
            {
                break;
            }
            // A read of more lines than the array holds: look on after the last end found, in a larger one.
            from = ends[found - 1] + 1;
            ends = Arrays.copyOf(ends, Math.min(ends.length * 2, bytes.length + 1));
        }
        ascii = allAscii;
        lineEnds = found;
    }

    /**
     * The buffer; the lines are its first {@link #length()} bytes. Not to be changed.
     *
     * @return the buffer.
     */
    public byte[] bytes()
    {
        return bytes;
    }

    /**
     * The number of bytes of the lines.
     *
     * @return the length.
     */
    public int length()
    {
        return length;
    }

    /**
     * The number of line ends ({@code \n}) in the bytes, plus one for the last line of an input that had none; 1 for
     * a chunk of a byte source ({@code codec=bytes} with {@code lines=raw}: one read, one message).
     *
     * @return the number of messages (lines, or the one chunk) this message stands for.
     */
    public int lines()
    {
        return lines;
    }

    @Override
    public String toString()
    {
        return "RawLines[" + lines + " lines, " + length + " bytes]";
    }
}
