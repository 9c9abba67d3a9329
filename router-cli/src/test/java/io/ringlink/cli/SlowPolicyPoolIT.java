package io.ringlink.cli;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --slow drop} and {@code --slow disconnect=DURATION} between byte endpoints, for byte chunks
 * ({@code --codec bytes}) and text lines: a destination that has not started reading never holds the source, so a
 * fast destination next to it gets all of a file at once (the source reads into a pool of 16 buffers, reused once
 * every destination wrote them, only with {@code block}: under the other policies a slow destination would hold the
 * source at 16 reads, 1 MiB, without ever falling a full ring behind to be dropped or disconnected).
 */
@Timeout(60)
class SlowPolicyPoolIT
{
    private static final int SIZE = 3_000_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--codec {0} --slow {1}")
    @CsvSource({"bytes, drop", "bytes, disconnect=1s", "lines, drop", "lines, disconnect=1s"})
    void shouldNotLetAStalledDestinationHoldTheSource(final String codec, final String policy) throws Exception
    {
        final byte[] data = new byte[SIZE];
        final Random random = new Random(7);
        random.nextBytes(data);
        if (codec.equals("lines"))
        {
            // text: lines of 60 printable ASCII characters
            for (int i = 0; i < SIZE; i++)
            {
                data[i] = i % 61 == 60 ? (byte)'\n' : (byte)('a' + random.nextInt(26));
            }
            data[SIZE - 1] = '\n';
        }
        final Path in = Files.write(dir.resolve("in"), data);
        final Path fast = dir.resolve("fast");
        final Path slow = dir.resolve("slow");
        final Path go = dir.resolve("go");
        // 65,536 slots hold every message (49,180 lines, or 46 chunks), so neither destination is ever a full ring
        // behind: nothing may be dropped, nobody disconnected, and only the pool could make the fast one wait.
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "--codec", codec, "--slow", policy,
            "--ring-size", "65536", "file:" + in,
            "exec:until [ -e '" + go + "' ]; do sleep 0.05; done; cat > '" + slow + "'", "file:" + fast))
        {
            // The slow destination reads nothing until the fast one has everything (a marker, not a clock: a JVM
            // start on a loaded machine took most of the 5 s the test once allowed).
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(fast) && Files.size(fast) == SIZE);
            assertThat(slow).as("the slow destination has not read yet").doesNotExist();
            Files.createFile(go);
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isZero();
        }
        assertThat(Arrays.equals(Files.readAllBytes(fast), data)).isTrue();
        assertThat(Arrays.equals(Files.readAllBytes(slow), data)).isTrue();
    }
}
