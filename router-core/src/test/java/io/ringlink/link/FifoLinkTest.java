package io.ringlink.link;

import io.ringlink.Link;
import io.ringlink.StopResult;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static io.ringlink.link.SourceContractTest.EMOJI;
import static io.ringlink.link.SourceContractTest.linker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class FifoLinkTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCarryQueueThroughFifoIntoASecondLinkAndRemoveTheFifo() throws Exception
    {
        final Path fifo = dir.resolve("pipe");
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final List<String> sent = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            sent.add(i % 10 == 0 ? EMOJI : "line " + i);
        }
        final Link writer = linker().name("fifo-writer").link(in, "fifo:" + fifo);
        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class).isOther()).isTrue();
        final Link reader = linker().name("fifo-reader").link("fifo:" + fifo, out);
        try
        {
            in.addAll(sent);
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= sent.size());
            assertThat(writer.stop().isClean()).isTrue();
            assertThat(reader.awaitCompletion(Duration.ofSeconds(10))).as("the reader ends when the writer closes")
                .isTrue();
            assertThat(new ArrayList<>(out)).isEqualTo(sent);
            assertThat(Files.exists(fifo)).as("the link that made the FIFO removes it").isFalse();
        }
        finally
        {
            writer.close();
            reader.close();
        }
        Threads.assertNoThreadsNamed("ringlink-fifo-writer-");
        Threads.assertNoThreadsNamed("ringlink-fifo-reader-");
    }

    @Test
    void shouldStopPromptlyWhenNoWriterEverOpensTheFifo() throws Exception
    {
        final Path fifo = dir.resolve("lonely");
        final Link link = linker().name("fifo-lonely").stopTimeout(Duration.ofMillis(500))
            .link("fifo:" + fifo, new LinkedBlockingQueue<>());
        final long start = System.nanoTime();
        final StopResult result = link.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(result.abandonedSources()).isEmpty();
        assertThat(link.failure()).isEmpty();
        assertThat(Files.exists(fifo)).isFalse();
        Threads.assertNoThreadsNamed("ringlink-fifo-lonely-");
    }

    @Test
    void shouldStopPromptlyWhenNoReaderEverOpensTheFifoAndKeepItWhenAsked() throws Exception
    {
        final Path fifo = dir.resolve("kept");
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        final Link link = linker().name("fifo-kept").keep(true).stopTimeout(Duration.ofMillis(500))
            .link(in, "fifo:" + fifo);
        in.put("nobody reads this");
        await().atMost(Duration.ofSeconds(10)).until(in::isEmpty);
        final long start = System.nanoTime();
        link.stop();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(link.failure()).isEmpty();
        assertThat(Files.readAttributes(fifo, BasicFileAttributes.class).isOther()).isTrue();
        Threads.assertNoThreadsNamed("ringlink-fifo-kept-");
    }

    @Test
    void shouldRefuseAFifoPathThatIsARegularFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("plain"), "x");
        final Object destination = "fifo:" + file;
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        assertThatThrownBy(() -> linker().link(in, destination))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("not a named pipe");
    }

    @Test
    void shouldOpenAFifoGivenAsAPathLazilyAndLeaveIt() throws Exception
    {
        final Path fifo = dir.resolve("made-elsewhere");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Link reader = linker().link(fifo, out);
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        final Link writer = linker().link(in, fifo.toFile());
        try
        {
            in.put(EMOJI);
            await().atMost(Duration.ofSeconds(10)).until(() -> EMOJI.equals(out.poll()));
            writer.stop();
            assertThat(reader.awaitCompletion(Duration.ofSeconds(10))).isTrue();
            assertThat(Files.exists(fifo)).as("a FIFO the link did not make stays").isTrue();
        }
        finally
        {
            writer.close();
            reader.close();
        }
    }
}
