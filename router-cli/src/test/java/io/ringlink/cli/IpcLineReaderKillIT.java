package io.ringlink.cli;

import io.ringlink.offheap.IpcRing;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fast path of {@code ringlink link ipc:RING DST} between a text ring and a byte destination stays at-least-once,
 * as an {@code ipc:} source in a router must: a reader killed with {@code kill -9} while its destination holds lines
 * it has not written leaves them in the ring, and the next reader starts at or before the first line the killed one
 * did not write, repeating at most what it had in flight. In both threading modes (under {@code shared} with one
 * agent, the agent reads the file (writer) and the ring (reader) itself, with no pump thread), and for chunks too
 * ({@code --codec bytes}: a ring of the {@code bytes} codec, a record per read of the file, copied out as it is).
 */
@Timeout(300)
class IpcLineReaderKillIT
{
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int LINES = 400_000;
    /** "line 0000000\n". */
    private static final int LINE_LENGTH = 13;
    /** Bytes a killed reader may have had in flight: its messages (RingLineSource's 16 of 64 KiB) and one more. */
    private static final int REPEAT_BOUND = 17 * 64 * 1024;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--threading {0} --codec {1}")
    @CsvSource({"dedicated, lines", "shared, lines", "dedicated, bytes", "shared, bytes"})
    void shouldLeaveWhatAKilledReaderDidNotWriteForTheNextReader(final String threading, final String codec)
        throws Exception
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++)
        {
            text.append(line(i));
        }
        final Path in = Files.writeString(dir.resolve("in.txt"), text);
        final Path ringFile = dir.resolve("ring");
        try (Ringlink writer = Ringlink.start(dir, null, "link", "--quiet", "--codec", codec, "--threading",
            threading, "--delivery-threads", "1", "file:" + in, "ipc:" + ringFile + "?capacity=1m"))
        {
            await().atMost(WAIT).until(() -> Files.exists(ringFile) && Files.size(ringFile) > 0 ||
                !writer.process().isAlive());
            final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
            try (Ringlink reader = Ringlink.startWithStdoutPipe(dir, null, "link", "--quiet", "--codec", codec,
                "--threading", threading, "--delivery-threads", "1", "ipc:" + ringFile, "-");
                IpcRing ring = IpcRing.open(ringFile, codec.equals("lines") ? "utf8" : "bytes"))
            {
                // Take some lines, then stop reading: the reader's stdout fills, its destination blocks, the reader
                // fills its buffers from the ring and stops taking; the ring fills up behind it.
                final InputStream stdout = reader.stdoutPipe();
                final byte[] some = stdout.readNBytes(100 * LINE_LENGTH);
                delivered.write(some);
                // Full but for less than two records of 64 KiB (a chunk's record may not fit the end of the ring).
                await().atMost(WAIT).until(() -> ring.remainingBytes() < 2 * 64 * 1024);
                assertThat(reader.process().isAlive()).as(reader::stderr).isTrue();

                // SIGKILL through the handle: Process.destroyForcibly() would also close our end of its stdout.
                reader.process().toHandle().destroyForcibly();
                assertThat(reader.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                // What it had written to the pipe before it died is what it delivered.
                delivered.write(stdout.readAllBytes());
            }
            final int written = delivered.size();
            assertThat(delivered.toString(StandardCharsets.US_ASCII))
                .as("the killed reader wrote what it was given, in order").isEqualTo(text.substring(0, written));
            assertThat(written).isGreaterThan(100 * LINE_LENGTH);

            final Path out = dir.resolve("out.txt");
            try (Ringlink next = Ringlink.start(dir, null, "link", "--quiet", "--codec", codec, "--threading",
                threading, "--delivery-threads", "1", "ipc:" + ringFile, "file:" + out))
            {
                assertThat(writer.awaitExit(WAIT)).as(writer::stderr).isZero();
                final String last = line(LINES - 1);
                await().atMost(WAIT).until(() -> Files.exists(out) && Files.readString(out).endsWith(last));
                next.process().destroy();
                assertThat(next.awaitExit(WAIT)).as(next::stderr).isZero();
            }
            final String rest = Files.readString(out, StandardCharsets.US_ASCII);
            final int first = text.length() - rest.length();
            assertThat(first).as("the next reader starts at or before the first byte the killed one did not write " +
                "(it wrote %,d)", written).isLessThanOrEqualTo(written);
            assertThat(written - first).as("what is repeated is at most what the killed reader had in flight")
                .isLessThanOrEqualTo(REPEAT_BOUND);
            assertThat(rest).as("and from there every byte once, in order").isEqualTo(text.substring(first));
        }
    }

    private static String line(final int i)
    {
        return String.format("line %07d\n", i);
    }
}
