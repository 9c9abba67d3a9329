package io.ringlink.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader of the output going away ends the command at once, as for {@code cat}: {@code ringlink ... | head -1},
 * and an {@code exec:} destination that exits. Each test reads one line from the command's stdout pipe and closes it,
 * which is what {@code head -1} does.
 */
@Timeout(180)
class BrokenPipeIT
{
    private static final Duration PROMPTLY = Duration.ofSeconds(20);
    private static final Pattern WRITTEN =
        Pattern.compile("closed its end \\(broken pipe\\): ([0-9,]+) messages written");
    private static final int LINES = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void shouldEndAtOnceWithStatus141WhenStdoutClosesUnderAnEndlessCommand() throws Exception
    {
        try (Ringlink ringlink = Ringlink.startWithStdoutPipe(dir, null, "link", "--quiet", "exec:yes", "-"))
        {
            assertThat(firstLineThenClose(ringlink)).isEqualTo("y");
            assertThat(ringlink.awaitExit(PROMPTLY)).as(ringlink::stderr).isEqualTo(BrokenPipe.EXIT_STATUS);
            assertThat(ringlink.stderr()).contains("link: broken pipe; ").doesNotContain("\tat ");
            assertThat(written(ringlink.stderr())).isPositive();
        }
    }

    @Test
    void shouldStopReadingStdinWhenStdoutCloses() throws Exception
    {
        final Path input = numbers(LINES);
        try (Ringlink ringlink = Ringlink.startWithStdoutPipe(dir, input, "link", "--quiet", "-", "-"))
        {
            assertThat(firstLineThenClose(ringlink)).isEqualTo("1");
            assertThat(ringlink.awaitExit(PROMPTLY)).as(ringlink::stderr).isEqualTo(BrokenPipe.EXIT_STATUS);
            final String stderr = ringlink.stderr();
            assertThat(LinkCommandIT.summaryCount(stderr)).as("messages read").isLessThan(LINES / 10);
            assertThat(written(stderr)).isPositive().isLessThanOrEqualTo(LinkCommandIT.summaryCount(stderr));
        }
    }

    @Test
    void shouldEndTheLinkWhenAnExecDestinationExits() throws Exception
    {
        final Path input = numbers(LINES);
        try (Ringlink ringlink = Ringlink.start(dir, input, "link", "--quiet", "-", "exec:head -1"))
        {
            assertThat(ringlink.awaitExit(PROMPTLY)).as(ringlink::stderr).isEqualTo(BrokenPipe.EXIT_STATUS);
            assertThat(ringlink.stdout()).isEqualTo("1\n");
            final String stderr = ringlink.stderr();
            assertThat(stderr).contains("exec:head -1 closed its end (broken pipe)").doesNotContain("failed");
            assertThat(LinkCommandIT.summaryCount(stderr)).as("messages read").isLessThan(LINES / 10);
        }
    }

    @Test
    void shouldLeaveANamedChronicleReaderWithinOneBatchOfWhatWasWrittenWhenTailsStdoutCloses() throws Exception
    {
        final int messages = 200_000;
        final String queue = queueOfNumbers(messages);
        try (Ringlink tail = Ringlink.startWithStdoutPipe(dir, null, "tail", queue + "?name=h"))
        {
            assertThat(firstLineThenClose(tail)).isEqualTo("1");
            assertThat(tail.awaitExit(PROMPTLY)).as(tail::stderr).isEqualTo(BrokenPipe.EXIT_STATUS);
        }
        final long committed = committed(queue, "h", messages);
        // At most what fits in a 64 KiB pipe (lines of at least 2 bytes) plus one read batch of 1,024: not the end.
        assertThat(committed).isPositive().isLessThanOrEqualTo(64 * 1024 / 2 + 1024);
        try (Ringlink resumed = Ringlink.run(dir, "tail", queue + "?name=h", "--count", "1"))
        {
            assertThat(resumed.stdout()).as("the reader resumes after what it committed")
                .isEqualTo((committed + 1) + "\n");
        }
    }

    @Test
    void shouldNotCommitANamedChronicleReaderPastWhatALinkWroteToAClosedStdout() throws Exception
    {
        final int messages = 200_000;
        final String queue = queueOfNumbers(messages);
        final long written;
        try (Ringlink link = Ringlink.startWithStdoutPipe(dir, null, "link", "--quiet", queue + "?name=k", "-"))
        {
            assertThat(firstLineThenClose(link)).isEqualTo("1");
            assertThat(link.awaitExit(PROMPTLY)).as(link::stderr).isEqualTo(BrokenPipe.EXIT_STATUS);
            written = written(link.stderr());
        }
        assertThat(committed(queue, "k", messages)).isLessThanOrEqualTo(written);
    }

    private String queueOfNumbers(final int messages) throws Exception
    {
        final String queue = "chronicle:" + dir.resolve("queue");
        try (Ringlink link = Ringlink.run(dir, "link", "--quiet", "exec:seq 1 " + messages, queue))
        {
            assertThat(link.exitCode()).as(link.stderr()).isZero();
        }
        return queue;
    }

    private long committed(final String queue, final String reader, final int messages) throws Exception
    {
        try (Ringlink stat = Ringlink.run(dir, "stat", queue, "--json"))
        {
            assertThat(stat.exitCode()).as(stat.stderr()).isZero();
            final JsonObject json = JsonParser.parseString(stat.stdout()).getAsJsonObject();
            for (final var element : json.getAsJsonArray("namedReaders"))
            {
                final JsonObject named = element.getAsJsonObject();
                if (named.get("name").getAsString().equals(reader))
                {
                    return messages - named.get("behind").getAsLong();
                }
            }
            return 0;
        }
    }

    private Path numbers(final int count) throws Exception
    {
        final Path input = dir.resolve("numbers.txt");
        Files.writeString(input, LongStream.rangeClosed(1, count).mapToObj(Long::toString)
            .collect(Collectors.joining("\n", "", "\n")));
        return input;
    }

    private static String firstLineThenClose(final Ringlink ringlink) throws Exception
    {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(ringlink.stdoutPipe(), StandardCharsets.UTF_8)))
        {
            return reader.readLine();
        }
    }

    private static long written(final String stderr)
    {
        final Matcher matcher = WRITTEN.matcher(stderr);
        assertThat(matcher.find()).as("how many were written, in: %s", stderr).isTrue();
        return Long.parseLong(matcher.group(1).replace(",", ""));
    }
}
