package io.ringlink.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@link RawLines} message goes to every sink of its router at once, each on its delivery thread: what one sink
 * asks of it ({@link RawLines#lineEnds()}, {@link RawLines#ends()}, {@link RawLines#isAscii()}) must be right
 * however many ask together, also for a message {@linkplain RawLines#set set} by its source without its lines looked
 * at (the {@code ringlink} command's reader of a text {@code ipc:} ring, whose two {@code ipc:} destinations both ask).
 * Runs {@value #DEFAULT_ROUNDS} rounds by default; {@code -Dringlink.rawlines.rounds=N} runs more.
 */
@Timeout(60)
class RawLinesSharedTest
{
    private static final int DEFAULT_ROUNDS = 2_000;
    private static final int SINKS = 2;

    @Test
    void shouldTellEverySinkOfAMessageSetByItsSourceTheSameLinesWhenTheyAskTogether() throws Exception
    {
        // 64 KiB of 3-byte lines: 21,845 line ends, far more than a RawLines first makes room for.
        final byte[] ascii = "ab\n".repeat(64 * 1024 / 3).getBytes(StandardCharsets.US_ASCII);
        final byte[] utf8 = ascii.clone();
        utf8[ascii.length / 2 - 1] = (byte)0xC3;
        final int lineEnds = ascii.length / 3;
        final int rounds = Integer.getInteger("ringlink.rawlines.rounds", DEFAULT_ROUNDS);
        final CyclicBarrier start = new CyclicBarrier(SINKS + 1);
        final CyclicBarrier done = new CyclicBarrier(SINKS + 1);
        final RawLines[] message = new RawLines[1];
        final List<String> wrong = new CopyOnWriteArrayList<>();
        final Thread[] sinks = new Thread[SINKS];
        for (int s = 0; s < SINKS; s++)
        {
            final int sink = s;
            sinks[s] = new Thread(() ->
            {
                try
                {
                    for (int round = 0; round < rounds; round++)
                    {
                        start.await(10, TimeUnit.SECONDS);
                        final RawLines lines = message[0];
                        // What LineRecordSink.onRaw asks, in its order.
                        final int[] ends = lines.ends();
                        final int found = lines.lineEnds();
                        final boolean isAscii = lines.isAscii();
                        final boolean expectAscii = round % 2 == 0;
                        if (found != lineEnds || ends.length < found || ends[found - 1] != ascii.length - 1 ||
                            isAscii != expectAscii)
                        {
                            wrong.add("round " + round + ", sink " + sink + ": " + found + " line ends (last at " +
                                (found > 0 && ends.length >= found ? ends[found - 1] : -1) + "), ascii " + isAscii);
                        }
                        done.await(10, TimeUnit.SECONDS);
                    }
                }
                catch (final Exception ex)
                {
                    wrong.add("sink " + sink + " failed: " + ex);
                }
            }, "sink-" + s);
            sinks[s].start();
        }
        try
        {
            for (int round = 0; round < rounds && wrong.isEmpty(); round++)
            {
                // A new message now and then (its ends not grown yet), the others reused as a source's pool does.
                if (round % 4 < 2 || message[0] == null)
                {
                    message[0] = RawLines.allocate(64 * 1024);
                }
                final byte[] bytes = round % 2 == 0 ? ascii : utf8;
                System.arraycopy(bytes, 0, message[0].bytes(), 0, bytes.length);
                message[0].set(bytes.length, lineEnds);
                start.await(10, TimeUnit.SECONDS);
                done.await(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            for (final Thread sink : sinks)
            {
                sink.interrupt();
                sink.join(10_000);
            }
        }
        assertThat(wrong).isEmpty();
    }
}
