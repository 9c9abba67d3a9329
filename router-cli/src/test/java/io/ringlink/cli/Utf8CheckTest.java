package io.ringlink.cli;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Utf8Check} says "well-formed" exactly when the JDK's strict UTF-8 decoder decodes the bytes.
 */
class Utf8CheckTest
{
    @Test
    void shouldAgreeWithTheStrictDecoderOnTheEdgesOfEveryForm()
    {
        final int[][] cases = {
            {}, {'a'}, {0x7F}, {0x80}, {0xC1, 0xBF}, {0xC2, 0x80}, {0xDF, 0xBF}, {0xDF}, {0xE0, 0x9F, 0x80},
            {0xE0, 0xA0, 0x80}, {0xED, 0x9F, 0xBF}, {0xED, 0xA0, 0x80}, {0xEF, 0xBF, 0xBF}, {0xEF, 0xBF},
            {0xF0, 0x8F, 0x80, 0x80}, {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x8F, 0xBF, 0xBF}, {0xF4, 0x90, 0x80, 0x80},
            {0xF5, 0x80, 0x80, 0x80}, {0xFF}, {0xE2, 0x82, 0x41}, {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 0xC3, 0xA9},
        };
        for (final int[] values : cases)
        {
            final byte[] bytes = new byte[values.length];
            for (int i = 0; i < values.length; i++)
            {
                bytes[i] = (byte)values[i];
            }
            assertThat(Utf8Check.isValid(bytes, 0, bytes.length)).as(java.util.Arrays.toString(values))
                .isEqualTo(decodes(bytes, 0, bytes.length));
        }
    }

    @Test
    void shouldAgreeWithTheStrictDecoderOnRandomTextAndBytes()
    {
        final Random random = new Random(12);
        final String sample = "plain ascii text, é ü ß, € ₿, 日本語, a😂b, \uD83D\uDE02\uD83D\uDE02";
        final byte[] text = sample.repeat(4).getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < 20_000; round++)
        {
            final byte[] bytes = text.clone();
            for (int flips = random.nextInt(3); flips > 0; flips--)
            {
                bytes[random.nextInt(bytes.length)] = (byte)random.nextInt(256);
            }
            final int from = random.nextInt(bytes.length);
            final int to = from + random.nextInt(bytes.length - from + 1);
            assertThat(Utf8Check.isValid(bytes, from, to)).as("round %d", round).isEqualTo(decodes(bytes, from, to));
        }
    }

    private static boolean decodes(final byte[] bytes, final int from, final int to)
    {
        try
        {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, from, to - from));
            return true;
        }
        catch (final CharacterCodingException ex)
        {
            return false;
        }
    }
}
