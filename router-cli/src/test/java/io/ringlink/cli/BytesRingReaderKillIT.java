package io.ringlink.cli;

import io.ringlink.offheap.IpcRing;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A reader of a {@code bytes} ring ({@code ringlink link --codec bytes ipc:RING -}) killed with {@code kill -9} while
 * it carries records longer than its messages of 64 KiB in pieces leaves every record it did not write whole for the
 * next reader, which starts at the start of a record at or before the first byte the killed one did not write.
 */
@Timeout(60)
class BytesRingReaderKillIT
{
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int RECORD = 100 * 1024;

    @TempDir
    Path dir;

    @Test
    void shouldLeaveRecordsCarriedInPiecesForTheNextReader() throws Exception
    {
        final Path ringFile = dir.resolve("ring");
        final ByteArrayOutputStream all = new ByteArrayOutputStream();
        final Random random = new Random(3);
        try (IpcRing ring = IpcRing.builder(ringFile).capacity(4 * 1024 * 1024).codec("bytes").create())
        {
            final byte[] record = new byte[RECORD];
            random.nextBytes(record);
            while (ring.offer(new UnsafeBuffer(record), 0, RECORD))
            {
                all.write(record);
                random.nextBytes(record);
            }
        }
        final byte[] expected = all.toByteArray();
        final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
        try (Ringlink reader = Ringlink.startWithStdoutPipe(dir, null, "link", "--quiet", "--codec", "bytes",
            "ipc:" + ringFile, "-"))
        {
            final InputStream stdout = reader.stdoutPipe();
            delivered.write(stdout.readNBytes(RECORD + 1000));
            reader.process().toHandle().destroyForcibly();
            assertThat(reader.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            delivered.write(stdout.readAllBytes());
        }
        final int written = delivered.size();
        assertThat(Arrays.equals(delivered.toByteArray(), Arrays.copyOf(expected, written))).isTrue();

        final Path out = dir.resolve("out");
        try (Ringlink next = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "ipc:" + ringFile,
            "file:" + out);
            IpcRing ring = IpcRing.open(ringFile, "bytes"))
        {
            await().atMost(WAIT).until(() -> ring.consumedCount() == ring.producedCount());
            next.process().destroy();
            assertThat(next.awaitExit(WAIT)).as(next::stderr).isZero();
        }
        final byte[] rest = Files.readAllBytes(out);
        final int first = expected.length - rest.length;
        assertThat(first % RECORD).as("the next reader starts at a record").isZero();
        assertThat(first).as("at or before the first byte not written (%,d)", written).isLessThanOrEqualTo(written);
        assertThat(Arrays.equals(rest, Arrays.copyOfRange(expected, first, expected.length))).isTrue();
    }
}
