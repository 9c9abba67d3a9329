package io.ringlink.link;

import io.ringlink.Link;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static io.ringlink.link.SourceContractTest.LINES;
import static io.ringlink.link.SourceContractTest.linker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every kind of destination must do when given to {@code RingLink.link}: each subclass makes one kind and reads
 * back what it received (JCTools {@code QueueSanityTest} pattern). Public in router-core's test-jar, so that other
 * modules run it against their kinds.
 */
@Timeout(60)
public abstract class SinkContractTest
{
    @TempDir
    protected Path dir;

    /** A destination of this kind. */
    protected abstract Object sink(Path dir) throws Exception;

    /** The lines the destination received so far. */
    protected abstract List<String> written() throws Exception;

    @Test
    void shouldWriteEveryMessageAsALineAndCompleteThroughLink() throws Exception
    {
        final byte[] text = (String.join("\n", LINES) + "\n").getBytes(StandardCharsets.UTF_8);
        final Link link = linker().link(new ByteArrayInputStream(text), sink(dir));
        try
        {
            assertThat(link.awaitCompletion(Duration.ofSeconds(20))).isTrue();
            assertThat(link.failure()).isEmpty();
        }
        finally
        {
            link.close();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(written()).isEqualTo(LINES));
    }

    @Test
    void shouldLetAReaderSeeEachMessageWhileTheLinkRuns() throws Exception
    {
        final BlockingQueue<String> in = new LinkedBlockingQueue<>();
        try (Link link = linker().link(in, sink(dir)))
        {
            in.put(LINES.get(0));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(written()).contains(LINES.get(0)));
            in.put(LINES.get(1));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(written()).contains(LINES.get(1)));
            assertThat(link.failure()).isEmpty();
        }
    }
}
