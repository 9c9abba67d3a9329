package io.ringlink.internal;

import io.ringlink.MessageHandler;

import java.io.IOException;
import java.nio.CharBuffer;

/**
 * Cuts text into lines without their terminator ({@code \n}, {@code \r\n} or {@code \r}). A line is never held longer
 * than the limit: longer ones are split (never between the two chars of a surrogate pair) or rejected.
 */
final class LineSplitter
{
    private final StringBuilder line = new StringBuilder(128);
    private final int maxLineLength;
    private final boolean split;
    private final String name;
    private boolean afterCarriageReturn;
    /** Input bytes a text destination would not write back as they were; see {@link ChangedBytes}. */
    private volatile long changed;

    LineSplitter(final int maxLineLength, final boolean split, final String name)
    {
        this.maxLineLength = maxLineLength;
        this.split = split;
        this.name = name;
    }

    /** Hands over every line the chars complete; the rest waits for more chars. */
    int onChars(final CharBuffer chars, final MessageHandler<? super Object> handler) throws IOException
    {
        if (!chars.hasArray())
        {
            return onEachChar(chars, handler);
        }
        // Scans for line ends in the array and makes each line from its chars at once.
        final char[] array = chars.array();
        final int end = chars.arrayOffset() + chars.limit();
        int i = chars.arrayOffset() + chars.position();
        int count = 0;
        while (i < end)
        {
            if (afterCarriageReturn)
            {
                afterCarriageReturn = false;
                if (array[i] == '\n')
                {
                    i++;
                    continue;
                }
            }
            final int scanEnd = (int)Math.min(end, (long)i + maxLineLength - line.length());
            int j = i;
            while (j < scanEnd && array[j] != '\n' && array[j] != '\r')
            {
                j++;
            }
            if (j == end)
            {
                line.append(array, i, j - i);
                break;
            }
            if (array[j] == '\n' || array[j] == '\r')
            {
                final String text = line.length() == 0 ? new String(array, i, j - i) :
                    line.append(array, i, j - i).toString();
                line.setLength(0);
                handler.onMessage(text);
                count++;
                afterCarriageReturn = array[j] == '\r';
                if (afterCarriageReturn)
                {
                    changed++;
                }
            }
            else
            {
                // The line is at the limit and goes on.
                line.append(array, i, j - i);
                count += onLongLine(array[j], handler);
                line.append(array[j]);
            }
            i = j + 1;
        }
        chars.position(chars.limit());
        return count;
    }

    private int onEachChar(final CharBuffer chars, final MessageHandler<? super Object> handler) throws IOException
    {
        int count = 0;
        while (chars.hasRemaining())
        {
            final char c = chars.get();
            if (c == '\n' && afterCarriageReturn)
            {
                afterCarriageReturn = false;
                continue;
            }
            afterCarriageReturn = c == '\r';
            if (afterCarriageReturn)
            {
                changed++;
            }
            if (c == '\n' || c == '\r')
            {
                handler.onMessage(line.toString());
                line.setLength(0);
                count++;
                continue;
            }
            if (line.length() == maxLineLength)
            {
                count += onLongLine(c, handler);
            }
            line.append(c);
        }
        return count;
    }

    private int onLongLine(final char next, final MessageHandler<? super Object> handler) throws IOException
    {
        if (!split)
        {
            throw new IOException(name + ": a line is longer than the limit of " + maxLineLength + " chars");
        }
        final char last = line.charAt(line.length() - 1);
        final boolean keepHighSurrogate = Character.isHighSurrogate(last) && Character.isLowSurrogate(next);
        if (keepHighSurrogate)
        {
            line.setLength(line.length() - 1);
        }
        handler.onMessage(line.toString());
        line.setLength(0);
        changed++;
        if (keepHighSurrogate)
        {
            line.append(last);
        }
        return 1;
    }

    /** At the end of the input: hands over the last line if it had no terminator. */
    int finish(final MessageHandler<? super Object> handler)
    {
        if (line.length() == 0)
        {
            return 0;
        }
        handler.onMessage(line.toString());
        line.setLength(0);
        changed++;
        return 1;
    }

    /** The {@code \r} of line ends, the splits of long lines and a last line without its end, counted so far. */
    long changed()
    {
        return changed;
    }
}
