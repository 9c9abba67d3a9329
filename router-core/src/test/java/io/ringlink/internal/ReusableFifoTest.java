package io.ringlink.internal;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.StopResult;
import io.ringlink.WaitStrategy;
import io.ringlink.test.Threads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code fifo:PATH?reopen} is a reusable pipe: a writer that closes and another that opens later are one stream, and a
 * stop still ends the source at once. The writers are a real separate process ({@code sh}).
 */
@Timeout(60)
class ReusableFifoTest
{
    @TempDir
    Path dir;

    @Test
    void shouldKeepReadingWhenAWriterClosesAndAnotherOpensAndStopPromptly() throws Exception
    {
        final Path fifo = dir.resolve("pipe");
        final BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        final Link link = RingLink.linker().name("fifo-reopen").waitStrategy(WaitStrategy.BLOCKING).ringSize(1024)
            .stopTimeout(Duration.ofSeconds(5)).link("fifo:" + fifo + "?reopen", out);
        // Three writers one after the other, the last after a pause, each opening and closing the FIFO.
        final Process writers = new ProcessBuilder("sh", "-c",
            "for i in 1 2 3 4 5; do echo first-$i; done > \"$1\"; " +
            "echo second > \"$1\"; sleep 1; " +
            "for i in 1 2 3 4 5 6 7 8 9; do echo third-$i; done > \"$1\"", "writers", fifo.toString())
            .redirectErrorStream(true)
            .start();
        try
        {
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
            assertThat(writers.waitFor(20, TimeUnit.SECONDS)).as("every writer got its lines into the pipe").isTrue();
            assertThat(writers.exitValue()).isZero();
            await().atMost(Duration.ofSeconds(20)).until(() -> out.size() >= expected.size());
            assertThat(new ArrayList<>(out)).isEqualTo(expected);
            assertThat(link.awaitCompletion(Duration.ofMillis(200))).as("the source outlives its writers").isFalse();

            final long start = System.nanoTime();
            final StopResult result = link.stop();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(result.isClean()).as(result.toString()).isTrue();
            assertThat(Files.exists(fifo)).as("the link that made the FIFO removes it").isFalse();
        }
        finally
        {
            writers.destroyForcibly();
            link.close();
        }
        Threads.assertNoThreadsNamed("ringlink-fifo-reopen-");
    }
}
