package io.ringlink.link;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.Router;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.ringlink.link.SourceContractTest.EMOJI;
import static io.ringlink.link.SourceContractTest.linker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class LinkEndToEndTest
{
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldFanOutSubprocessStdoutToThreeQueues() throws Exception
    {
        final Process process = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 500 ]; do echo line$i; " +
            "i=$((i+1)); done; printf '" + EMOJI + "'").start();
        final List<BlockingQueue<Object>> queues = List.of(
            new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        final Link link = linker().link(process, queues.toArray());
        assertThat(link.awaitCompletion(WAIT)).isTrue();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++)
        {
            expected.add("line" + i);
        }
        expected.add(EMOJI);
        for (final BlockingQueue<Object> queue : queues)
        {
            assertThat(new ArrayList<>(queue)).isEqualTo(expected);
        }
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(link.failure()).isEmpty();
    }

    @Test
    void shouldMergeThreeQueuesIntoOneFileKeepingEachSourcesOrder() throws Exception
    {
        final Path file = dir.resolve("merged.txt");
        final List<BlockingQueue<String>> queues = List.of(
            new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>(), new LinkedBlockingQueue<>());
        final Link link = linker().linkAll(queues, file);
        for (int i = 0; i < 2000; i++)
        {
            for (int q = 0; q < queues.size(); q++)
            {
                queues.get(q).put("q" + q + " " + i + " " + EMOJI);
            }
        }
        assertThat(link.stop().isClean()).isTrue();
        final List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(6000);
        for (int q = 0; q < queues.size(); q++)
        {
            final String prefix = "q" + q + " ";
            final List<String> expected = new ArrayList<>();
            for (int i = 0; i < 2000; i++)
            {
                expected.add(prefix + i + " " + EMOJI);
            }
            assertThat(lines.stream().filter((line) -> line.startsWith(prefix)).toList()).isEqualTo(expected);
        }
    }

    @Test
    void shouldWriteAllTwentyThousandQueuedLinesOnClose() throws Exception
    {
        final Path file = dir.resolve("out.txt");
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20_000; i++)
        {
            expected.add("item " + i);
        }
        queue.addAll(expected);
        final Link link = RingLink20k.link(queue, file);
        link.close();
        assertThat(Files.readAllLines(file)).isEqualTo(expected);
        assertThat(link.metrics().delivered()).isEqualTo(20_000);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    /** The default linker, as a user would call it. */
    private static final class RingLink20k
    {
        static Link link(final Object source, final Object destination)
        {
            return io.ringlink.RingLink.link(source, destination);
        }
    }

    @Test
    void shouldFeedARealSubprocessThatWritesAFile() throws Exception
    {
        final Path file = dir.resolve("upper.txt");
        final Process process = new ProcessBuilder("sh", "-c", "tr a-z A-Z > '" + file + "'").start();
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final Link link = linker().link(queue, process);
        queue.put("hello");
        queue.put(EMOJI);
        link.close();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).as("the link closed its stdin").isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("HELLO", "A😂".repeat(10));
    }

    @Test
    void shouldReadEchoAndStderrOfARealSubprocessWhenAsked() throws Exception
    {
        final Process echo = new ProcessBuilder("echo", "hello", EMOJI).start();
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        assertThat(linker().link(echo, out).awaitCompletion(WAIT)).isTrue();
        assertThat(out).containsExactly("hello " + EMOJI);

        final Process both = new ProcessBuilder("sh", "-c", "echo out; echo err >&2").start();
        final BlockingQueue<Object> merged = new LinkedBlockingQueue<>();
        assertThat(linker().stderr(true).link(both, merged).awaitCompletion(WAIT)).isTrue();
        assertThat(merged).containsExactlyInAnyOrder("out", "err");
    }

    @Test
    void shouldRaiseErrorsKnownAtLinkTimeAndLeaveNoThreads()
    {
        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        final Linker linker = linker().name("refused");
        assertThatThrownBy(() -> linker.link(dir.resolve("missing.txt"), queue))
            .isInstanceOf(UncheckedIOException.class)
            .hasCauseInstanceOf(NoSuchFileException.class)
            .hasMessageContaining("missing.txt");
        assertThatThrownBy(() -> linker.link(new Object(), queue))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java.lang.Object")
            .hasMessageContaining("supported");
        assertThatThrownBy(() -> linker.link(queue, new ByteArrayInputStream(new byte[0])))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("can only be a source");
        assertThatThrownBy(() -> linker.link(new LinkedBlockingQueue<>(), queue, List.of(queue)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("given twice");
        assertThatThrownBy(() -> linker.link("zzz:/x", queue))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("zzz")
            .hasMessageContaining("file")
            .hasMessageContaining("fifo");
        assertThatThrownBy(() -> RingLink20k.link(queue, Path.of("/nonexistent-dir/out.txt")))
            .isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> linker().ringSize(1000).link(queue, new LinkedBlockingQueue<>()))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("1000");
        Threads.assertNoThreadsNamed("ringlink-refused-");
    }

    @Test
    void shouldReplaceOrReportMalformedInputPerOption() throws Exception
    {
        final byte[] bad = {'a', (byte)0xff, 'b', '\n', 'c', '\n'};
        final BlockingQueue<Object> replaced = new LinkedBlockingQueue<>();
        assertThat(linker().link(new ByteArrayInputStream(bad), replaced).awaitCompletion(WAIT)).isTrue();
        assertThat(replaced).containsExactly("a\uFFFDb", "c");

        final Link reporting = linker().malformed(Linker.Malformed.REPORT)
            .link(new ByteArrayInputStream(bad), new LinkedBlockingQueue<>());
        reporting.awaitCompletion(WAIT);
        assertThat(reporting.failure()).containsInstanceOf(CharacterCodingException.class);
        assertThat(reporting.metrics().sources()).isEmpty();
    }

    @Test
    void shouldSplitOrRejectLongLinesPerOptionWithoutSplittingASurrogatePair() throws Exception
    {
        final BlockingQueue<Object> split = new LinkedBlockingQueue<>();
        assertThat(linker().maxLineLength(4, Linker.LongLines.SPLIT)
            .link(input("abcdefghij\na😂b\n"), split).awaitCompletion(WAIT)).isTrue();
        assertThat(split).containsExactly("abcd", "efgh", "ij", "a😂b");

        final BlockingQueue<Object> pairs = new LinkedBlockingQueue<>();
        assertThat(linker().maxLineLength(2, Linker.LongLines.SPLIT).link(input("a😂\n"), pairs)
            .awaitCompletion(WAIT)).isTrue();
        assertThat(pairs).containsExactly("a", "😂");

        final Link rejecting = linker().maxLineLength(4, Linker.LongLines.REJECT)
            .link(input("abc\nabcdefghij\n"), new LinkedBlockingQueue<>());
        rejecting.awaitCompletion(WAIT);
        assertThat(rejecting.failure()).get().asString().contains("limit of 4");
    }

    @Test
    void shouldNeverHoldMoreThanTheLineLimitOfAnEndlessLine() throws Exception
    {
        final long total = 32L * 1024 * 1024;
        final InputStream endless = new InputStream()
        {
            private long left = total;

            @Override
            public int read()
            {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(final byte[] buffer, final int offset, final int length)
            {
                if (left <= 0)
                {
                    return -1;
                }
                final int n = (int)Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + n, (byte)'x');
                left -= n;
                return n;
            }
        };
        final long[] pieces = new long[2];
        final java.util.function.Consumer<String> counter = (piece) ->
        {
            pieces[0]++;
            pieces[1] = Math.max(pieces[1], piece.length());
        };
        assertThat(linker().ringSize(64).maxLineLength(1 << 20, Linker.LongLines.SPLIT).link(endless, counter)
            .awaitCompletion(WAIT)).isTrue();
        assertThat(pieces[0]).isEqualTo(32);
        assertThat(pieces[1]).isEqualTo(1 << 20);
    }

    @Test
    void shouldCarryRawByteChunksFromStreamToStream() throws Exception
    {
        final byte[] data = new byte[100_000];
        new Random(42).nextBytes(data);
        final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
        assertThat(linker().chunks(4096).link(new ByteArrayInputStream(data), chunks).awaitCompletion(WAIT))
            .isTrue();
        final ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (final Object chunk : chunks)
        {
            assertThat(((byte[])chunk).length).isLessThanOrEqualTo(4096);
            joined.write((byte[])chunk);
        }
        assertThat(joined.toByteArray()).isEqualTo(data);

        final ByteArrayOutputStream copy = new ByteArrayOutputStream();
        assertThat(linker().chunks(1000).link(new ByteArrayInputStream(data), copy).awaitCompletion(WAIT)).isTrue();
        assertThat(copy.toByteArray()).isEqualTo(data);
    }

    @Test
    void shouldLeaveStreamsTheCallerHandedInOpenUnlessAsked() throws Exception
    {
        final boolean[] closed = new boolean[2];
        final ByteArrayOutputStream kept = new ByteArrayOutputStream()
        {
            @Override
            public void close()
            {
                closed[0] = true;
            }
        };
        final ByteArrayOutputStream closedByLink = new ByteArrayOutputStream()
        {
            @Override
            public void close()
            {
                closed[1] = true;
            }
        };
        assertThat(linker().link(input("x\n"), kept).awaitCompletion(WAIT)).isTrue();
        assertThat(linker().closeGiven(true).link(input("x\n"), closedByLink).awaitCompletion(WAIT)).isTrue();
        assertThat(closed).containsExactly(false, true);
        assertThat(kept.toString(StandardCharsets.UTF_8)).isEqualTo("x\n");
    }

    @Test
    void shouldAppendToAFileUnlessAskedToTruncate() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("log.txt"), "old\n");
        assertThat(linker().link(input("new\n"), file).awaitCompletion(WAIT)).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("old", "new");
        assertThat(linker().truncate(true).link(input("only\n"), file).awaitCompletion(WAIT)).isTrue();
        assertThat(Files.readAllLines(file)).containsExactly("only");
    }

    @Test
    void shouldFollowAFileLikeTailDashF() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("growing.txt"), "one\ntwo\n");
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        try (Link link = linker().follow(true).link(file, out))
        {
            await().atMost(WAIT).until(() -> out.size() == 2);
            Files.writeString(file, "three\n", StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> out.size() == 3);
            assertThat(link.awaitCompletion(Duration.ofMillis(100))).as("a followed file never ends").isFalse();
        }
        assertThat(out).containsExactly("one", "two", "three");
    }

    @Test
    void shouldKeepRunningWhenTheLinkIsNoLongerReferenced() throws Exception
    {
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Router<Object> router = linker().link(in, out).router();
        try
        {
            System.gc();
            in.put("still linked");
            await().atMost(WAIT).until(() -> "still linked".equals(out.poll()));
        }
        finally
        {
            router.close();
        }
    }

    @Test
    void shouldLetRouterReadAndWriteEveryTypeLinkAccepts() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("in.txt"), "a\n" + EMOJI + "\n");
        final StringWriter writer = new StringWriter();
        try (Router<Object> router = Router.builder().name("types").build())
        {
            router.write(writer);
            router.read(file);
            await().atMost(WAIT).until(() -> writer.toString().equals("a\n" + EMOJI + "\n"));
        }
    }

    @Test
    void shouldReportAFailedDestinationOnTheLink() throws Exception
    {
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        final java.io.OutputStream broken = new java.io.OutputStream()
        {
            @Override
            public void write(final int b) throws IOException
            {
                throw new IOException("pipe closed by the peer");
            }
        };
        try (Link link = linker().link(in, broken))
        {
            in.put("lost");
            await().atMost(WAIT).until(() -> link.failure().isPresent());
            assertThat(link.failure()).get().asString().contains("pipe closed by the peer");
            await().atMost(WAIT).until(() -> link.metrics().errors() >= 1);
        }
    }

    @Test
    void shouldNotHangStopOnACallersStreamThatNeverEnds() throws Exception
    {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final InputStream silent = new InputStream()
        {
            @Override
            public int read()
            {
                return -1;
            }

            @Override
            public int read(final byte[] buffer, final int offset, final int length)
            {
                reading.countDown();
                boolean interrupted = false;
                while (release.getCount() > 0)
                {
                    try
                    {
                        release.await();
                    }
                    catch (final InterruptedException ex)
                    {
                        interrupted = true;
                    }
                }
                if (interrupted)
                {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
        };
        final Link link = linker().name("silent").stopTimeout(Duration.ofMillis(300))
            .link(silent, new LinkedBlockingQueue<>());
        try
        {
            assertThat(reading.await(20, TimeUnit.SECONDS)).isTrue();
            final long start = System.nanoTime();
            final io.ringlink.StopResult result = link.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
            assertThat(result.abandonedSources()).hasSize(1);
        }
        finally
        {
            release.countDown();
        }
        await().atMost(WAIT).untilAsserted(() -> Threads.assertNoThreadsNamed("ringlink-silent-"));
    }

    @Test
    void shouldTakeOptionsFromUriParametersOverTheLinkers() throws Exception
    {
        final Path in = Files.writeString(dir.resolve("in.bin"), "abcdefghij");
        final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
        assertThat(linker().link("file:" + in + "?codec=bytes&chunk=4", chunks).awaitCompletion(WAIT)).isTrue();
        assertThat(chunks).hasSize(3);
        assertThat((byte[])chunks.poll()).isEqualTo("abcd".getBytes(StandardCharsets.UTF_8));

        final Path out = Files.writeString(dir.resolve("out.txt"), "old\n");
        assertThat(linker().link(input("latin é\n"), "file:" + out + "?truncate&charset=ISO-8859-1")
            .awaitCompletion(WAIT)).isTrue();
        assertThat(Files.readAllBytes(out)).isEqualTo("latin é\n".getBytes(StandardCharsets.ISO_8859_1));

        final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        assertThatThrownBy(() -> linker().link("file:" + in + "?codec=longs", queue))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec=longs");
        assertThatThrownBy(() -> linker().link("file:" + in + "?longLines=maybe", queue))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longLines=maybe");
    }

    private static InputStream input(final String text)
    {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
