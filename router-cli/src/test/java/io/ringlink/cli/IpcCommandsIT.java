package io.ringlink.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code link}, {@code tail} and {@code stat} over {@code ipc:} rings, each command a separate process started through
 * the real launcher.
 */
@Timeout(180)
class IpcCommandsIT
{
    private static final int LINES = 100_000;

    @TempDir
    Path dir;

    @Test
    void shouldCarryEveryLineFromStdinThroughAnIpcRingToTailInAnotherProcess() throws Exception
    {
        final Path input = dir.resolve("numbers.txt");
        Files.writeString(input, LongStream.rangeClosed(1, LINES).mapToObj(Long::toString)
            .collect(Collectors.joining("\n", "", "\n")));
        final String ring = "ipc:" + dir.resolve("numbers.ring");
        // the writer creates the ring; a reader never does, so tail starts once the file is there
        try (Ringlink link = Ringlink.start(dir, input, "link", "--quiet", "-", ring);
            Ringlink tail = startWhenExists(dir.resolve("numbers.ring"), () -> Ringlink.start(dir, null, "tail", ring,
                "--count", Integer.toString(LINES))))
        {
            assertThat(link.awaitExit(Duration.ofSeconds(120))).as(link::stderr).isZero();
            assertThat(tail.awaitExit(Duration.ofSeconds(120))).as(tail::stderr).isZero();
            assertThat(LinkCommandIT.summaryCount(link.stderr())).isEqualTo(LINES);
            final List<String> lines = tail.stdout().lines().toList();
            assertThat(lines).hasSize(LINES);
            for (int i = 0; i < LINES; i++)
            {
                if (!lines.get(i).equals(Integer.toString(i + 1)))
                {
                    throw new AssertionError("line " + (i + 1) + " from tail is '" + lines.get(i) + "'");
                }
            }
        }
        try (Ringlink stat = Ringlink.run(dir, "stat", ring, "--json"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            final JsonObject json = JsonParser.parseString(stat.stdout()).getAsJsonObject();
            assertThat(json.get("produced").getAsLong()).isEqualTo(LINES);
            assertThat(json.get("consumed").getAsLong()).isEqualTo(LINES);
            assertThat(json.get("backlog").getAsLong()).isZero();
            assertThat(json.get("codec").getAsString()).isEqualTo("utf8");
            assertThat(json.get("capacityBytes").getAsLong()).isPositive();
        }
    }

    private static Ringlink startWhenExists(final Path file, final java.util.concurrent.Callable<Ringlink> start)
        throws Exception
    {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(file));
        return start.call();
    }
}
