package io.ringlink.internal;

import io.ringlink.MessageHandler;
import org.junit.jupiter.api.Test;

import java.nio.CharBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The array scan of {@link LineSplitter} cuts lines exactly as the char-by-char reading does, across chunk ends, CR LF
 * split between chunks, lone CRs, the length limit and surrogate pairs at the limit.
 */
class LineSplitterTest
{
    private static final char[] ALPHABET = {'a', 'b', '\n', '\r', '\uD83D', '\uDE02'};

    @Test
    void shouldCutLinesAsTheCharByCharReadingDoes() throws Exception
    {
        final Random random = new Random(11);
        for (int round = 0; round < 2000; round++)
        {
            final StringBuilder text = new StringBuilder();
            final int length = random.nextInt(80);
            for (int i = 0; i < length; i++)
            {
                final char c = ALPHABET[random.nextInt(ALPHABET.length)];
                if (c == '\uD83D' || c == '\uDE02')
                {
                    text.append("\uD83D\uDE02");
                }
                else
                {
                    text.append(c);
                }
            }
            final int maxLine = 2 + random.nextInt(8);
            final long seed = random.nextLong();
            final LineSplitter arrays = new LineSplitter(maxLine, true, "arrays");
            final LineSplitter chars = new LineSplitter(maxLine, true, "chars");
            final List<Object> fromArrays = split(arrays, text.toString(), new Random(seed), true);
            final List<Object> fromChars = split(chars, text.toString(), new Random(seed), false);
            assertThat(fromArrays).as("text %s, limit %d", text, maxLine).isEqualTo(fromChars);
            assertThat(arrays.changed()).isEqualTo(chars.changed());
        }
    }

    private static List<Object> split(final LineSplitter splitter, final String text, final Random chunks,
        final boolean array) throws Exception
    {
        final List<Object> lines = new ArrayList<>();
        final MessageHandler<Object> handler = lines::add;
        int at = 0;
        while (at < text.length())
        {
            final int next = Math.min(text.length(), at + 1 + chunks.nextInt(12));
            final String chunk = text.substring(at, next);
            // A heap buffer with an offset takes the array scan; a wrapped string has no array.
            final CharBuffer buffer = array ? CharBuffer.wrap(("xx" + chunk).toCharArray(), 2, chunk.length()).slice() :
                CharBuffer.wrap(chunk);
            splitter.onChars(buffer, handler);
            assertThat(buffer.hasRemaining()).isFalse();
            at = next;
        }
        splitter.finish(handler);
        return lines;
    }
}
