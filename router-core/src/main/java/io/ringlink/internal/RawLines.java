package io.ringlink.internal;

/**
 * Whole lines as the bytes that were read, line ends included ({@code \n}, {@code \r\n} or whatever the input has),
 * so that a byte destination writes exactly what the source read, valid UTF-8 or not. One message carries as many
 * lines as one read of the source completed; the last of an input may lack its terminator, and a line longer than a
 * read is carried in pieces. Handed over by line sources with {@code lines=raw}, which the {@code ringlink} command
 * sets when every destination is a byte endpoint; a byte source with {@code codec=bytes} and {@code lines=raw} hands
 * over each read whole in one, as a chunk.
 * <p>
 * A flyweight: the source reuses the message once every sink has passed it, so a sink must copy or write the bytes
 * in {@link io.ringlink.Sink#onMessage(Object)} and keep no reference (as every byte destination does).
 */
public final class RawLines
{
    private final byte[] bytes;
    private int length;
    private int lines;

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
