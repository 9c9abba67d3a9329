package io.ringlink.cli;

import io.ringlink.offheap.IpcRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink link ipc:FROM ipc:TO1 ipc:TO2} with {@code utf8} rings, both destinations' writers on their own
 * delivery threads (or agents, under {@code --threading shared}): every record of both destinations must be a record
 * of the source, none a run of records with their line ends inside (what two writers looking at one shared message of
 * many lines at once once made), and a record that holds line ends stays one record.
 */
@Timeout(120)
class TextRingFanOutIT
{
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Lines of two bytes: 21,845 to a message of 64 KiB, and about ten messages in all. */
    private static final int RECORDS = 200_000;
    private static final int CAPACITY = 16 * 1024 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dedicated", "shared"})
    void shouldWriteEveryLineOfEachMessageAsARecordToBothRings(final String threading) throws Exception
    {
        final Path from = dir.resolve("from");
        final Path first = dir.resolve("first");
        final Path second = dir.resolve("second");
        final UnsafeBuffer line = new UnsafeBuffer("ab".getBytes(StandardCharsets.US_ASCII));
        try (IpcRing source = IpcRing.builder(from).capacity(CAPACITY).codec("utf8").create();
            IpcRing to1 = IpcRing.builder(first).capacity(CAPACITY).codec("utf8").create();
            IpcRing to2 = IpcRing.builder(second).capacity(CAPACITY).codec("utf8").create())
        {
            // All in the ring before the link reads: its first messages are full, and both writers get them at once.
            for (int i = 0; i < RECORDS; i++)
            {
                assertThat(source.offer(line, 0, 2)).as("record %d fits", i).isTrue();
            }
            try (Ringlink link = Ringlink.start(dir, null, "link", "--quiet", "--threading", threading, "ipc:" + from,
                "ipc:" + first, "ipc:" + second))
            {
                final List<String> wrong = new ArrayList<>();
                final long[] read = new long[2];
                final IpcRing[] rings = {to1, to2};
                await().atMost(WAIT).until(() ->
                {
                    // Once the source's records are freed, both writers have written all they will.
                    final boolean freed = source.consumedCount() == RECORDS;
                    int now = 0;
                    for (int r = 0; r < rings.length; r++)
                    {
                        final int ring = r;
                        now += rings[r].read((buffer, offset, length) ->
                        {
                            if ((length != 2 || buffer.getByte(offset) != 'a' || buffer.getByte(offset + 1) != 'b')
                                && wrong.size() < 10)
                            {
                                wrong.add("ring " + (ring + 1) + ", record " + read[ring] + ": " + length + " bytes");
                            }
                            read[ring]++;
                        }, 100_000);
                    }
                    return freed && now == 0 || !link.process().isAlive();
                });
                link.process().destroy();
                assertThat(link.awaitExit(WAIT)).as(link::stderr).isZero();
                assertThat(wrong).isEmpty();
                assertThat(read).containsExactly(RECORDS, RECORDS);
            }
        }
    }

    @Test
    void shouldKeepARecordWithLineEndsInsideOneRecordFromRingToRing() throws Exception
    {
        // A utf8 record may hold line ends (any String does); ring to ring, a record stays a record, as a decoded
        // message would, and one longer than a reader's message of 64 KiB too.
        final Path from = dir.resolve("from");
        final Path to = dir.resolve("to");
        final List<String> sent = List.of("first\nsecond", "third", "x".repeat(100_000), "", "\n\n", "last");
        final List<String> received = new ArrayList<>();
        try (IpcRing source = IpcRing.builder(from).capacity(CAPACITY).codec("utf8").create();
            IpcRing destination = IpcRing.builder(to).capacity(CAPACITY).codec("utf8").create())
        {
            for (final String message : sent)
            {
                final byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
                assertThat(source.offer(new UnsafeBuffer(bytes), 0, bytes.length)).isTrue();
            }
            try (Ringlink link = Ringlink.start(dir, null, "link", "--quiet", "ipc:" + from, "ipc:" + to))
            {
                await().atMost(WAIT).until(() ->
                {
                    destination.read((buffer, offset, length) ->
                        received.add(buffer.getStringWithoutLengthUtf8(offset, length)), 100);
                    return received.size() >= sent.size() || !link.process().isAlive();
                });
                link.process().destroy();
                assertThat(link.awaitExit(WAIT)).as(link::stderr).isZero();
            }
        }
        assertThat(received).isEqualTo(sent);
    }
}
