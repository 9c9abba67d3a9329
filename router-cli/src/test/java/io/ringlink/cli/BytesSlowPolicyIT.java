package io.ringlink.cli;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --slow drop} and {@code --slow disconnect=DURATION} with {@code --codec bytes} between byte endpoints: a
 * destination that has not started reading never holds the source, so a fast destination next to it gets all of a
 * file at once (the source reads into a pool of 16 buffers, reused once every destination wrote them, only with
 * {@code block}: under the other policies a slow destination would hold the source at 16 reads, 1 MiB, without ever
 * falling a full ring behind to be dropped or disconnected).
 */
@Timeout(60)
class BytesSlowPolicyIT
{
    private static final int SIZE = 3_000_000;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "--slow {0}")
    @ValueSource(strings = {"drop", "disconnect=1s"})
    void shouldNotLetAStalledDestinationHoldTheSource(final String policy) throws Exception
    {
        final byte[] data = new byte[SIZE];
        new Random(7).nextBytes(data);
        final Path in = Files.write(dir.resolve("in"), data);
        final Path fast = dir.resolve("fast");
        final Path slow = dir.resolve("slow");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "--quiet", "--codec", "bytes", "--slow", policy,
            "file:" + in, "exec:sleep 6; cat > '" + slow + "'", "file:" + fast))
        {
            // The slow destination sleeps 6 s before it reads: the fast one is done long before that.
            await().atMost(Duration.ofSeconds(4)).until(() -> Files.exists(fast) && Files.size(fast) == SIZE);
            assertThat(ringlink.awaitExit(Duration.ofSeconds(30))).as(ringlink::stderr).isZero();
        }
        assertThat(Arrays.equals(Files.readAllBytes(fast), data)).isTrue();
        // Neither fell a full ring behind: nothing dropped, nobody disconnected.
        assertThat(Arrays.equals(Files.readAllBytes(slow), data)).isTrue();
    }
}
