package io.ringlink.cli;

import io.ringlink.offheap.IpcRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink link --codec bytes ipc:RING DST} with a {@code bytes} ring a Java producer writes: records of
 * length 0 are freed (a read of the ring that found only such records hands nothing on, but must still count them, or
 * they and every record after them are never freed and the producer of a ring of 64 KiB waits forever after some
 * thousands of them); records longer than a message of 64 KiB reach a file byte for byte; and another
 * {@code bytes} ring as the destination gets the same records (the same messages), not the records run together.
 * A read longer than a small ring's longest record goes in as several.
 */
@Timeout(60)
class BytesRingRecordsIT
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Far more records (of 8 bytes of header each) than a ring of 64 KiB holds. */
    private static final int EMPTY_RECORDS = 40_000;

    @TempDir
    Path dir;

    @Test
    void shouldFreeRecordsOfLengthZero() throws Exception
    {
        final Path ringFile = dir.resolve("ring");
        final Path out = dir.resolve("out");
        final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
        final UnsafeBuffer end = new UnsafeBuffer("end\n".getBytes(StandardCharsets.US_ASCII));
        try (IpcRing ring = IpcRing.builder(ringFile).capacity(64 * 1024).codec("bytes").create();
            Ringlink reader = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "ipc:" + ringFile,
                "file:" + out))
        {
            for (int i = 0; i < EMPTY_RECORDS; i++)
            {
                offer(ring, empty, reader);
            }
            offer(ring, end, reader);
            await().atMost(WAIT).until(() -> Files.exists(out) && Files.size(out) == 4);
            await().atMost(WAIT).until(() -> ring.consumedCount() == EMPTY_RECORDS + 1);
            reader.process().destroy();
            assertThat(reader.awaitExit(WAIT)).as(reader::stderr).isZero();
        }
        assertThat(Files.readString(out)).isEqualTo("end\n");
    }

    @Test
    void shouldCopyRecordsLongerThanAMessageAsTheyAre() throws Exception
    {
        final Path ringFile = dir.resolve("ring");
        final Path out = dir.resolve("out");
        final Random random = new Random(11);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (IpcRing ring = IpcRing.builder(ringFile).capacity(4 * 1024 * 1024).codec("bytes").create();
            Ringlink reader = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "ipc:" + ringFile,
                "file:" + out))
        {
            for (int i = 0; i < 60; i++)
            {
                // 0 to 300 KiB: most longer than a message of 64 KiB, some empty
                final byte[] record = new byte[i % 7 == 0 ? 0 : random.nextInt(300 * 1024)];
                random.nextBytes(record);
                expected.write(record);
                offer(ring, new UnsafeBuffer(record), reader);
            }
            await().atMost(WAIT).until(() -> Files.exists(out) && Files.size(out) == expected.size());
            await().atMost(WAIT).until(() -> ring.consumedCount() == 60);
            reader.process().destroy();
            assertThat(reader.awaitExit(WAIT)).as(reader::stderr).isZero();
        }
        assertThat(Arrays.equals(Files.readAllBytes(out), expected.toByteArray())).isTrue();
    }

    @Test
    void shouldKeepEachRecordAMessageFromRingToRing() throws Exception
    {
        final Path from = dir.resolve("from");
        final Path to = dir.resolve("to");
        final int records = 200;
        final List<Integer> lengths = new ArrayList<>();
        int sum = 0;
        for (int i = 0; i < records; i++)
        {
            sum += i % 50;
        }
        final int total = sum;
        try (IpcRing source = IpcRing.builder(from).capacity(1024 * 1024).codec("bytes").create();
            IpcRing destination = IpcRing.builder(to).capacity(1024 * 1024).codec("bytes").create();
            Ringlink link = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "ipc:" + from,
                "ipc:" + to))
        {
            for (int i = 0; i < records; i++)
            {
                offer(source, new UnsafeBuffer(new byte[i % 50]), link);
            }
            await().atMost(WAIT).until(() ->
            {
                destination.read((buffer, offset, length) -> lengths.add(length), records);
                return lengths.stream().mapToInt(Integer::intValue).sum() >= total || !link.process().isAlive();
            });
            link.process().destroy();
            assertThat(link.awaitExit(WAIT)).as(link::stderr).isZero();
        }
        final List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < records; i++)
        {
            expected.add(i % 50);
        }
        assertThat(lengths).isEqualTo(expected);
    }

    @Test
    void shouldCarryReadsLongerThanTheRingsLongestRecordInPieces() throws Exception
    {
        // A ring of 64 KiB takes records of at most 8 KiB; the writer reads 64 KiB at a time. Each read goes in as
        // several records, and a second command puts them back together byte for byte.
        final byte[] input = new byte[1 << 20];
        new Random(5).nextBytes(input);
        final Path in = dir.resolve("in.bin");
        Files.write(in, input);
        final Path ringFile = dir.resolve("ring");
        final Path out = dir.resolve("out.bin");
        try (Ringlink writer = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "file:" + in,
            "ipc:" + ringFile + "?capacity=64k"))
        {
            await().atMost(WAIT).until(() -> Files.exists(ringFile) && Files.size(ringFile) > 0 ||
                !writer.process().isAlive());
            try (Ringlink reader = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "ipc:" + ringFile,
                "file:" + out))
            {
                assertThat(writer.awaitExit(WAIT)).as(writer::stderr).isZero();
                await().atMost(WAIT).until(() -> Files.exists(out) && Files.size(out) >= input.length ||
                    !reader.process().isAlive());
                reader.process().destroy();
                assertThat(reader.awaitExit(WAIT)).as(reader::stderr).isZero();
            }
        }
        assertThat(Files.mismatch(in, out)).isEqualTo(-1);
    }

    private static void offer(final IpcRing ring, final UnsafeBuffer record, final Ringlink reader)
    {
        if (!ring.offer(record, 0, record.capacity()))
        {
            await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                .alias("room in the ring (reader alive: " + reader.process().isAlive() + ")")
                .until(() -> ring.offer(record, 0, record.capacity()));
        }
    }
}
