package io.ringlink.cli;

import io.ringlink.offheap.IpcRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink link --codec bytes ipc:RING DST} frees the records of length 0 a Java producer wrote to a
 * {@code bytes} ring: a read of the ring that found only such records hands nothing on, but must still count them,
 * or they (and every record after them) are never freed and the producer of a ring of 64 KiB waits forever after
 * some thousands of them.
 */
@Timeout(60)
class BytesRingEmptyRecordsIT
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
