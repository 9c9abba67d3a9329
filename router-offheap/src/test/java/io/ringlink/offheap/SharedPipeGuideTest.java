package io.ringlink.offheap;

import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link SharedPipe} example of {@code docs/guide-ipc.md}, run across two JVMs, and a check that the guide quotes
 * it as it is here (the text between the {@code // example:} markers).
 */
@Timeout(30)
class SharedPipeGuideTest
{
    @TempDir
    Path dir;

    /**
     * The child side of the example.
     */
    public static final class Child
    {
        public static void main(final String[] args) throws Exception
        {
            final Path path = Path.of(args[0]);
            // example: pipe-child
            try (SharedPipe<Object> pipe = SharedPipe.open(path, Codecs.values()))
            {
                SharedPipe.End<Object> conn = pipe.end(1);
                conn.send(Arrays.asList(42L, null, "hello"));
            }                                                    // closes end 1: the parent sees end of file
            // end
        }
    }

    private static Path logs;
    private static ChildJvm started;

    static Object parent(final Path path) throws Exception
    {
        // example: pipe-parent
        try (SharedPipe<Object> pipe = SharedPipe.create(path, 1 << 16, Codecs.values()))
        {
            SharedPipe.End<Object> conn = pipe.end(0);
            startJvm(Child.class, path.toString());              // the other JVM opens the file, takes end 1
            Object message = conn.recv();                        // [42, null, hello]
            try
            {
                conn.recv();
            }
            catch (EOFException ex)                              // Python's EOFError: the child closed its end
            {
                System.out.println("child done: " + ex.getMessage());
            }
            return message;
        }
        // end
    }

    private static void startJvm(final Class<?> main, final String argument) throws Exception
    {
        started = ChildJvm.start(logs, main, argument);
    }

    @Test
    void shouldRunTheGuidesExampleAcrossTwoJvms() throws Exception
    {
        logs = dir;
        try
        {
            assertThat(parent(dir.resolve("pipe"))).isEqualTo(Arrays.asList(42L, null, "hello"));
            assertThat(started.awaitExit(Duration.ofSeconds(20))).as(started.output()).isZero();
        }
        finally
        {
            if (started != null)
            {
                started.close();
            }
        }
    }

    @Test
    void shouldQuoteTheExamplesInTheGuideAsTheyAre() throws Exception
    {
        final Path root = Path.of("").toAbsolutePath().getParent();
        final String source = Files.readString(
            root.resolve("router-offheap/src/test/java/io/ringlink/offheap/SharedPipeGuideTest.java"));
        final String guide = Files.readString(root.resolve("docs/guide-ipc.md"));
        final Matcher example = Pattern.compile("// example: ([\\w-]+)\\n(.*?)\\n\\s*// end", Pattern.DOTALL)
            .matcher(source);
        final List<String> quoted = new java.util.ArrayList<>();
        while (example.find())
        {
            final String indent = example.group(2).substring(0, example.group(2).indexOf(example.group(2).trim()));
            final String body = example.group(2).replaceAll("(?m)^" + indent, "");
            assertThat(guide).as("docs/guide-ipc.md quotes example " + example.group(1)).contains(body);
            quoted.add(example.group(1));
        }
        assertThat(quoted).containsExactly("pipe-child", "pipe-parent");
    }
}
