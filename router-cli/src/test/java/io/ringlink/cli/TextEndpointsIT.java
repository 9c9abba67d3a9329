package io.ringlink.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ringlink link} with text and byte endpoints, through the real launcher: bytes carried as they are,
 * {@code follow=name} across a rotation, {@code follow} across a truncation, {@code reopen} across writers.
 */
@Timeout(120)
class TextEndpointsIT
{
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldCarryInvalidUtf8AndCrLfByteForByteFromFileToFileAndCountWhatItWrote() throws Exception
    {
        final byte[] input = awkwardBytes(2 << 20);
        final Path in = dir.resolve("in.bin");
        Files.write(in, input);
        final Path out = dir.resolve("out.bin");
        try (Ringlink ringlink = Ringlink.run(dir, "link", "file:" + in, "file:" + out))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(input);
            assertThat(ringlink.stderr()).contains(String.format("link: %,d messages, 2.00 MiB in", lines(input)))
                .doesNotContain("not carried");
        }
    }

    @Test
    void shouldCarryInvalidUtf8AndCrLfByteForByteFromStdinToStdout() throws Exception
    {
        final byte[] input = awkwardBytes(1 << 20);
        final Path in = dir.resolve("in.bin");
        Files.write(in, input);
        final Path out = dir.resolve("out.bin");
        final Process process = Ringlink.countersIn(new ProcessBuilder("sh", "-c",
            "\"$0\" link --quiet - - < in.bin > out.bin", Ringlink.launcher().toString())
            .directory(dir.toFile())
            .redirectError(dir.resolve("err.txt").toFile()), dir)
            .start();
        try
        {
            assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(Files.readString(dir.resolve("err.txt"))).isZero();
            assertThat(Files.readAllBytes(out)).isEqualTo(input);
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    @Test
    void shouldReportTheBytesNotCarriedAsTheyWereToATextDestination() throws Exception
    {
        final Path in = dir.resolve("in.txt");
        Files.write(in, new byte[] {'o', 'k', '\n', 'a', (byte)0xFF, 'b', '\r', '\n'});
        try (Ringlink ringlink = Ringlink.run(dir, "link", "file:" + in, "ipc:" + dir.resolve("ring")))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            // One malformed byte replaced (the ring's codec takes valid UTF-8 only); the CR LF is carried.
            assertThat(ringlink.stderr()).contains("link: 1 input bytes were not carried as they were");
        }
        try (Ringlink ringlink = Ringlink.run(dir, "link", "file:" + in, "ipc:" + dir.resolve("ring"),
            "chronicle:" + dir.resolve("queue")))
        {
            assertThat(ringlink.exitCode()).as(ringlink.stderr()).isZero();
            // Decoded for the queue: one malformed byte replaced, one CR dropped.
            assertThat(ringlink.stderr()).contains("link: 2 input bytes were not carried as they were");
        }
    }

    @Test
    void shouldCarryLinesByteForByteThroughATextRingBetweenTwoProcesses() throws Exception
    {
        final StringBuilder text = new StringBuilder();
        for (int i = 0; i < 200_000; i++)
        {
            text.append("line ").append(i).append(i % 3 == 0 ? " a\uD83D\uDE02 é" : "")
                .append(i % 5 == 0 ? "\r\n" : "\n");
        }
        final byte[] input = text.toString().getBytes(StandardCharsets.UTF_8);
        final Path in = dir.resolve("in.txt");
        Files.write(in, input);
        final Path out = dir.resolve("out.txt");
        final Path ring = dir.resolve("ring");
        try (Ringlink writer = Ringlink.start(dir, null, "link", "file:in.txt", "ipc:" + ring + "?capacity=1m"))
        {
            await().atMost(WAIT).until(() -> Files.exists(ring) && Files.size(ring) > 0 || !writer.process().isAlive());
            try (Ringlink reader = Ringlink.start(dir, null, "link", "ipc:" + ring, "file:out.txt"))
            {
                assertThat(writer.awaitExit(WAIT)).as(writer::stderr).isZero();
                await().atMost(WAIT).until(() -> Files.exists(out) && Files.size(out) >= input.length);
                reader.process().toHandle().destroy();
                assertThat(reader.awaitExit(WAIT)).as(reader::stderr).isZero();
                assertThat(writer.stderr()).contains("link: 200,000 messages").doesNotContain("not carried");
            }
        }
        assertThat(Files.readAllBytes(out)).isEqualTo(input);
    }

    @Test
    void shouldFollowALogByNameAcrossARotationLikeTailCapitalF() throws Exception
    {
        final Path log = dir.resolve("app.log");
        final Path out = dir.resolve("out.log");
        try (FileChannel writer = append(log))
        {
            write(writer, 1, 1000);
            try (Ringlink ringlink = Ringlink.start(dir, null, "link", "file:app.log?follow=name", "file:out.log"))
            {
                awaitLines(out, 1000, ringlink);
                Files.move(log, dir.resolve("app.log.1"));
                write(writer, 1001, 2000);
                try (FileChannel next = append(log))
                {
                    write(next, 2001, 2999);
                }
                awaitLines(out, 2999, ringlink);
                ringlink.process().toHandle().destroy();
                assertThat(ringlink.awaitExit(WAIT)).as(ringlink::stderr).isZero();
                assertThat(ringlink.stderr()).contains("stopped by signal; 2,999 messages")
                    .contains("the name now names a new file");
            }
        }
        assertThat(Files.readAllLines(out)).isEqualTo(numbers(1, 2999));
    }

    @Test
    void shouldReadATruncatedFileAgainAndSaySoOnStderr() throws Exception
    {
        final Path log = dir.resolve("app.log");
        final Path out = dir.resolve("out.log");
        final List<String> before = new ArrayList<>();
        for (int i = 1; i <= 500; i++)
        {
            before.add("a long line before the truncation, number " + i);
        }
        Files.write(log, before);
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "file:app.log?follow", "file:out.log"))
        {
            awaitLines(out, 500, ringlink);
            try (FileChannel writer = FileChannel.open(log, StandardOpenOption.WRITE))
            {
                writer.truncate(0);
                write(writer, 501, 1000);
            }
            awaitLines(out, 1000, ringlink);
            ringlink.process().toHandle().destroy();
            assertThat(ringlink.awaitExit(WAIT)).as(ringlink::stderr).isZero();
            assertThat(ringlink.stderr()).contains("app.log: file truncated");
        }
        final List<String> expected = new ArrayList<>(before);
        expected.addAll(numbers(501, 1000));
        assertThat(Files.readAllLines(out)).isEqualTo(expected);
    }

    @Test
    void shouldKeepReadingAReusableFifoAcrossWritersAndStopPromptlyOnASignal() throws Exception
    {
        final Path fifo = dir.resolve("pipe");
        final Path out = dir.resolve("out.txt");
        try (Ringlink ringlink = Ringlink.start(dir, null, "link", "fifo:pipe?reopen", "file:out.txt"))
        {
            await().atMost(WAIT).until(() -> Files.exists(fifo) &&
                Files.readAttributes(fifo, BasicFileAttributes.class).isOther());
            final Process writers = new ProcessBuilder("sh", "-c",
                "for i in 1 2 3 4 5; do echo first-$i; done > pipe; echo second > pipe; sleep 1; " +
                "for i in 1 2 3 4 5 6 7 8 9; do echo third-$i; done > pipe")
                .directory(dir.toFile())
                .start();
            try
            {
                assertThat(writers.waitFor(30, TimeUnit.SECONDS)).as("no writer blocks").isTrue();
            }
            finally
            {
                writers.destroyForcibly();
            }
            awaitLines(out, 15, ringlink);
            final long start = System.nanoTime();
            ringlink.process().toHandle().destroy();
            assertThat(ringlink.awaitExit(WAIT)).as(ringlink::stderr).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(ringlink.stderr()).contains("stopped by signal; 15 messages");
        }
        final List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++)
        {
            expected.add("first-" + i);
        }
        expected.add("second");
        for (int i = 1; i <= 9; i++)
        {
            expected.add("third-" + i);
        }
        assertThat(Files.readAllLines(out)).isEqualTo(expected);
        assertThat(Files.exists(fifo)).as("the link that made the FIFO removes it").isFalse();
    }

    private static void awaitLines(final Path file, final int count, final Ringlink ringlink)
    {
        await().atMost(WAIT).until(() ->
        {
            assertThat(ringlink.process().isAlive()).as(ringlink::stderr).isTrue();
            return Files.exists(file) && Files.readAllLines(file).size() >= count;
        });
    }

    private static FileChannel append(final Path file) throws IOException
    {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void write(final FileChannel writer, final int from, final int to) throws IOException
    {
        final StringBuilder text = new StringBuilder();
        for (final String line : numbers(from, to))
        {
            text.append(line).append('\n');
        }
        final ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining())
        {
            writer.write(bytes);
        }
    }

    private static List<String> numbers(final int from, final int to)
    {
        final List<String> lines = new ArrayList<>();
        for (int i = from; i <= to; i++)
        {
            lines.add(Integer.toString(i));
        }
        return lines;
    }

    private static long lines(final byte[] bytes)
    {
        long lines = 0;
        for (final byte b : bytes)
        {
            lines += b == '\n' ? 1 : 0;
        }
        return bytes.length > 0 && bytes[bytes.length - 1] != '\n' ? lines + 1 : lines;
    }

    /** Random bytes (much of it invalid UTF-8) cut into lines by LF, CR LF and lone CR. */
    private static byte[] awkwardBytes(final int size)
    {
        final Random random = new Random(42);
        final byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        for (int i = 0; i < size; i += 1 + random.nextInt(200))
        {
            bytes[i] = '\n';
            if (i > 0 && random.nextBoolean())
            {
                bytes[i - 1] = '\r';
            }
        }
        return bytes;
    }
}
