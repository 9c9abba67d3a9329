package io.ringlink.link;

import io.ringlink.Link;
import io.ringlink.RingLink;
import io.ringlink.StopResult;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.ringlink.link.SourceContractTest.EMOJI;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code -} as source (stdin) and destination (stdout), in a child JVM whose pipes this test holds.
 */
@Timeout(90)
class StdioLinkTest
{
    @Test
    void shouldCopyStdinToStdoutThroughAChildJvm() throws Exception
    {
        final Process child = ChildJvm.startPiped(Cat.class);
        try
        {
            final List<String> lines = new ArrayList<>();
            for (int i = 0; i < 2000; i++)
            {
                lines.add(i % 7 == 0 ? EMOJI : "line " + i);
            }
            try (OutputStream stdin = child.getOutputStream())
            {
                stdin.write(SourceKindsTest.utf8(lines));
            }
            final String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue())
                .as(new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
            assertThat(SinkKindsTest.lines(stdout)).isEqualTo(lines);
        }
        finally
        {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldStopPromptlyWhileStdinStaysOpen() throws Exception
    {
        final Process child = ChildJvm.startPiped(StopWhileStdinOpen.class);
        try
        {
            final OutputStream stdin = child.getOutputStream();
            stdin.write("hello\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            final String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(stdout).contains("received hello").contains("stopped in time");
            assertThat(child.exitValue()).isZero();
            stdin.close();
        }
        finally
        {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code ringlink -  -}: copies stdin to stdout until stdin ends. */
    static final class Cat
    {
        private Cat()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final Link link = RingLink.link("-", "-");
            System.exit(link.awaitCompletion(Duration.ofSeconds(60)) ? 0 : 1);
        }
    }

    /** Reads stdin into a queue, then stops while the parent keeps stdin open and silent. */
    static final class StopWhileStdinOpen
    {
        private StopWhileStdinOpen()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
            final Link link = RingLink.linker().stopTimeout(Duration.ofMillis(300)).link(System.in, queue);
            System.out.println("received " + queue.poll(30, TimeUnit.SECONDS));
            final long start = System.nanoTime();
            final StopResult result = link.stop();
            final long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            System.out.println((millis < 10_000 ? "stopped in time" : "stopped late") + " after " + millis +
                " ms: " + result);
            System.out.flush();
            System.exit(0);
        }
    }
}
