package io.ringlink.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class LinkExamplesTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRunEveryExampleOfTheGuide() throws Exception
    {
        assertThat(LinkExamples.queues()).containsExactly("hello", "hello");
        assertThat(LinkExamples.consumerAndSink()).isEqualTo(true);
        assertThat(LinkExamples.streams()).isEqualTo("one\ntwo\n");
        assertThat(LinkExamples.readerToQueue()).isEqualTo(List.of("a😂", "b"));
        assertThat(Files.readAllLines(LinkExamples.files(dir))).containsExactly("started");
        assertThat(LinkExamples.followReopenBytes(dir)).isEqualTo("one");
        assertThat(dir.resolve("copy.log")).hasSameBinaryContentAs(dir.resolve("app.log"));
        assertThat(LinkExamples.processes(dir)).isEqualTo("a😂");
        assertThat(Files.readAllLines(dir.resolve("sorted.txt"))).containsExactly("a", "b");
        assertThat(LinkExamples.channels()).isEqualTo("through a pipe");
        assertThat(LinkExamples.uris(dir)).isEqualTo("over a named pipe");
        assertThat(Files.readAllLines(dir.resolve("copy.txt"))).containsExactly("over a named pipe");
        assertThat(LinkExamples.options(dir)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void shouldQuoteTheExamplesInTheGuideAsTheyAre() throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final String source = Files.readString(
            root.resolve("router-core/src/test/java/io/ringlink/examples/LinkExamples.java"));
        final String guide = Files.readString(root.resolve("docs/guide-link.md"));
        final Matcher example = Pattern.compile("// example: (\\w+)\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
            .matcher(source);
        int count = 0;
        while (example.find())
        {
            final String body = example.group(2).replaceAll("(?m)^ {8}", "");
            assertThat(guide).as("docs/guide-link.md quotes example " + example.group(1)).contains(body);
            count++;
        }
        assertThat(count).isEqualTo(11);
    }
}
