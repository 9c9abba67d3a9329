package io.ringlink.offheap.chronicle;

import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.internal.chronicle.ChronicleSupport;
import io.ringlink.test.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class JvmFlagsTest
{
    private static final String JDK24_PREFIX = "[jdk24+] ";

    @TempDir
    Path temp;

    @Test
    void shouldListInDocsExactlyTheFlagsTheBuildGivesThisJvm() throws IOException
    {
        final Set<String> documented = new LinkedHashSet<>();
        for (final String raw : Files.readAllLines(docsFile()))
        {
            final String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            if (line.startsWith(JDK24_PREFIX))
            {
                if (Runtime.version().feature() >= 24)
                {
                    documented.add(line.substring(JDK24_PREFIX.length()));
                }
                continue;
            }
            documented.add(line);
        }
        final Set<String> given = new LinkedHashSet<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                argument.startsWith("--sun-misc-unsafe-memory-access") ||
                argument.startsWith("-Dchronicle.analytics"))
            {
                given.add(argument);
            }
        }
        assertThat(given).as("flags of the parent pom's ringlink.jvm.flags (surefire argLine) vs docs/jvm-flags.txt")
            .containsExactlyInAnyOrderElementsOf(documented);
        assertThat(ChronicleSupport.missingJvmFlags()).isEmpty();
    }

    @Test
    void shouldFailEarlyNamingTheMissingFlagsInAJvmStartedWithoutThem() throws Exception
    {
        final List<String> command = new ArrayList<>();
        for (final String argument : ChildJvm.command(OpenSinkMain.class, temp.resolve("q").toString()))
        {
            if (!argument.startsWith("--add-"))
            {
                command.add(argument);
            }
        }
        final Path out = temp.resolve("child.out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
            .start();
        try
        {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            process.destroyForcibly();
        }
        final String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isEqualTo(3);
        assertThat(output)
            .contains("Chronicle Queue needs JVM flags")
            .contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
            .contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")
            .contains("--add-opens=java.base/java.lang.reflect=ALL-UNNAMED")
            .contains("--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED")
            .contains("docs/jvm-flags.txt")
            .doesNotContain("IllegalAccessError")
            .doesNotContain("read-only chronicle");
        assertThat(temp.resolve("q")).doesNotExist();
    }

    @Test
    void shouldWriteNothingIntoTheUsersHomeDirectory() throws Exception
    {
        final Path home = Files.createDirectories(temp.resolve("home"));
        final List<String> command = new ArrayList<>(ChildJvm.command(RoundTripMain.class,
            temp.resolve("q").toString()));
        command.add(1, "-Duser.home=" + home);
        final Path out = temp.resolve("child.out");
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile())
            .start();
        try
        {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        finally
        {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("read back hello");
        try (Stream<Path> written = Files.walk(home))
        {
            assertThat(written.filter((path) -> !path.equals(home)).map(Path::toString).toList()).isEmpty();
        }
    }

    private static Path docsFile()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/jvm-flags.txt")))
        {
            dir = dir.getParent();
        }
        assertThat(dir).as("docs/jvm-flags.txt above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("docs/jvm-flags.txt");
    }

    /** Writes one message and reads it back through a named reader. */
    public static final class RoundTripMain
    {
        private RoundTripMain()
        {
        }

        /**
         * Entry point.
         *
         * @param args the queue directory.
         * @throws IOException if the queue cannot be opened.
         */
        public static void main(final String[] args) throws IOException
        {
            final Path dir = Path.of(args[0]);
            try (ChronicleSink<String> sink = ChronicleSink.builder(dir, Codecs.utf8()).build())
            {
                sink.onMessage("hello");
            }
            try (ChronicleSource<String> source = ChronicleSource.builder(dir, Codecs.utf8()).name("home").build())
            {
                source.read((message) -> System.out.println("read back " + message), 1);
                source.onDelivered(1);
            }
        }
    }

    /** Opens a Chronicle sink; prints the failure and exits 3 when refused. */
    public static final class OpenSinkMain
    {
        private OpenSinkMain()
        {
        }

        /**
         * Entry point.
         *
         * @param args the queue directory.
         * @throws IOException if the queue cannot be opened.
         */
        public static void main(final String[] args) throws IOException
        {
            try (ChronicleSink<String> sink = ChronicleSink.builder(Path.of(args[0]), Codecs.utf8()).build())
            {
                sink.onMessage("should not get here");
                System.out.println("opened");
            }
            catch (final IllegalStateException ex)
            {
                System.out.println(ex.getMessage());
                System.exit(3);
            }
        }
    }
}
