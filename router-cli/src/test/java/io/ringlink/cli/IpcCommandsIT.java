package io.ringlink.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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

    /**
     * {@code open-timeout}: the reader starts first and waits for the ring, so a two-process link need not start its
     * JVMs one after the other; the copy is the input byte for byte, as lines and as chunks.
     */
    @ParameterizedTest(name = "--codec {0}")
    @ValueSource(strings = {"lines", "bytes"})
    void shouldCarryAFileByteForByteToAReaderStartedBeforeItsWriter(final String codec) throws Exception
    {
        final Path in = dir.resolve("in.txt");
        Files.writeString(in, LongStream.rangeClosed(1, LINES).mapToObj((i) -> i % 1000 == 0 ? i + " a\uD83D\uDE02" :
            Long.toString(i)).collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
        final Path out = dir.resolve("out.txt");
        final Path ring = dir.resolve("later.ring");
        try (Ringlink reader = Ringlink.start(dir, null, "link", "--quiet", "--codec", codec,
            "ipc:" + ring + "?open-timeout=20s", "file:" + out))
        {
            // Its destination is open (that comes before the source), and for half a second more the reader waits:
            // without the timeout it would have ended at once, no such ring.
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(out) || !reader.process().isAlive());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> reader.process().isAlive() && !Files.exists(ring));
            try (Ringlink writer = Ringlink.run(dir, "link", "--quiet", "--codec", codec, "file:" + in, "ipc:" + ring))
            {
                assertThat(writer.exitCode()).as(writer::stderr).isZero();
            }
            await().atMost(Duration.ofSeconds(60))
                .until(() -> Files.size(out) >= Files.size(in) || !reader.process().isAlive());
            reader.process().destroy();
            assertThat(reader.awaitExit(Duration.ofSeconds(30))).as(reader::stderr).isZero();
        }
        assertThat(Files.mismatch(in, out)).as("the copy differs from the input at").isEqualTo(-1);
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

    @Test
    void shouldStatARingMadeAfterItStartedWithinItsOpenTimeoutAndTakeALinksParameters() throws Exception
    {
        final Path input = dir.resolve("three.txt");
        Files.writeString(input, "a\nb\nc\n");
        final Path file = dir.resolve("late.ring");
        // stat first, waiting for the ring; the writer makes it after; the URI is the writer's, capacity and all.
        try (Ringlink stat = Ringlink.start(dir, null, "stat", "ipc:" + file + "?capacity=1m&open-timeout=60s",
            "--json"))
        {
            // Long enough for a stat that does not wait to have started and exited 2 (no such ring).
            await("stat waits for the ring").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> stat.process().isAlive());
            assertThat(file).doesNotExist();
            try (Ringlink link = Ringlink.run(dir, "link", "--quiet", "file:" + input, "ipc:" + file + "?capacity=1m"))
            {
                assertThat(link.exitCode()).as(link.stderr()).isZero();
            }
            assertThat(stat.awaitExit(Duration.ofSeconds(60))).as(stat::stderr).isZero();
            // stat shows the ring as soon as it exists: the writer may not have written its lines yet.
            final JsonObject json = JsonParser.parseString(stat.stdout()).getAsJsonObject();
            assertThat(json.get("capacityBytes").getAsLong()).isEqualTo(1024 * 1024);
            assertThat(json.get("produced").getAsLong()).isBetween(0L, 3L);
        }
    }
}
