package io.ringlink.offheap.internal.counters;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Text cut to a number of UTF-8 bytes at a character boundary, for labels and names of fixed room.
 */
final class Labels
{
    private Labels()
    {
    }

    /**
     * The longest prefix of {@code text} whose UTF-8 encoding fits in {@code maxBytes}; a lone surrogate becomes '?'.
     *
     * @param text     the text.
     * @param maxBytes the room.
     * @return the bytes.
     */
    static byte[] utf8Prefix(final String text, final int maxBytes)
    {
        final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
        final ByteBuffer out = ByteBuffer.allocate(maxBytes);
        encoder.encode(CharBuffer.wrap(text), out, true);
        return Arrays.copyOf(out.array(), out.position());
    }
}
