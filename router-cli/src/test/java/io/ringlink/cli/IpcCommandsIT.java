package io.ringlink.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    /**
     * Depends on router-offheap taking the producer role of a one-to-one ring when a sink opens it (H1's
     * {@code IpcRing.takeProducerRole}, {@code RingRoleException}): before that, the second link writes into the
     * ring beside the first.
     */
    @Test
    void shouldRefuseASecondProducerOnAOneToOneRingAtOpenNamingTheHoldersPid() throws Exception
    {
        final String ring = "ipc:" + dir.resolve("single.ring");
        try (Ringlink first = Ringlink.startWithStdinPipe(dir, "link", "--quiet", "-", ring))
        {
            first.stdin().write("first\n".getBytes(StandardCharsets.UTF_8));
            first.stdin().flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("single.ring")));
            await().atMost(Duration.ofSeconds(60)).until(() -> produced(ring) == 1);
            try (Ringlink second = Ringlink.run(dir, "link", "--quiet", "exec:seq 1 3", ring))
            {
                LinkCommandIT.assertUsageError(second, "process " + first.process().pid());
            }
            assertThat(produced(ring)).as("nothing written by the refused producer").isEqualTo(1);
        }
    }

    private static void assertTailTakesEveryLine(final Ringlink link, final Ringlink started) throws Exception
    {
        try (Ringlink tail = started)
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
    }

    private long produced(final String ring) throws Exception
    {
        try (Ringlink stat = Ringlink.run(dir, "stat", ring, "--json"))
        {
            return JsonParser.parseString(stat.stdout()).getAsJsonObject().get("produced").getAsLong();
        }
    }

    @Test
    void shouldCarryEveryLineFromStdinThroughAnIpcRingToTailInAnotherProcess() throws Exception
    {
        final Path input = dir.resolve("numbers.txt");
        Files.writeString(input, LongStream.rangeClosed(1, LINES).mapToObj(Long::toString)
            .collect(Collectors.joining("\n", "", "\n")));
        final String ring = "ipc:" + dir.resolve("numbers.ring");
        // The writer makes the ring (a reader never creates it); it waits once the ring is full, until tail reads.
        try (Ringlink link = Ringlink.start(dir, input, "link", "--quiet", "-", ring))
        {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(dir.resolve("numbers.ring")));
            assertTailTakesEveryLine(link, Ringlink.start(dir, null, "tail", ring, "--count", Integer.toString(LINES)));
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
}
