package io.ringlink.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the shell examples of the README as written, in the order shown, with {@code bash -euo pipefail}: every line
 * of every fenced block without a language. Only paths change: {@code ./ringlink} is the launcher, and
 * {@code /dev/shm/} and {@code /tmp/} become directories under a temp directory, so that runs do not meet. Left out:
 * the build and test commands ({@code ./mvnw}), the benchmark suite ({@code jmh/run-benchmarks}) and
 * {@code ringlink bench} (BenchCommandIT runs it).
 */
@Timeout(300)
class ReadmeExamplesIT
{
    private static final List<String> LEFT_OUT = List.of("./mvnw", "jmh/run-benchmarks", "./ringlink bench");

    @TempDir
    Path dir;

    @Test
    void shouldRunEveryShellExampleOfTheReadmeAsWritten() throws Exception
    {
        final List<String> examples = shellExamples(Ringlink.launcher().getParent().resolve("README.md"));
        assertThat(examples).as("the README's ring example").anyMatch((line) -> line.contains("ipc:/dev/shm/"));
        final Path shm = Files.createDirectory(dir.resolve("shm"));
        final Path tmp = Files.createDirectory(dir.resolve("tmp"));
        final StringBuilder script = new StringBuilder("set -euo pipefail\n");
        for (final String line : examples)
        {
            // /tmp/ first: the temp directory is itself under /tmp.
            script.append(line.replace("/tmp/", tmp + "/")
                .replace("/dev/shm/", shm + "/")
                .replace("./ringlink", Ringlink.launcher().toString())).append('\n');
        }
        final Path out = dir.resolve("readme.out");
        final Path err = dir.resolve("readme.err");
        final ProcessBuilder builder = new ProcessBuilder("bash", "-c", script.toString())
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        final Process bash = Ringlink.countersIn(builder, dir).start();
        try
        {
            assertThat(bash.waitFor(240, TimeUnit.SECONDS)).as("the examples end").isTrue();
        }
        finally
        {
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        }
        final String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as("exit status of:%n%s%nstderr:%n%s", script, stderr).isZero();
        assertThat(Files.readAllLines(out)).as("tail of the ring takes all 100,000").contains("100000");
        try (var left = Files.list(shm))
        {
            assertThat(left).as("the example removes its ring").isEmpty();
        }
    }

    /** The lines of every fenced block that has no language (a shell example), without those left out. */
    static List<String> shellExamples(final Path readme) throws Exception
    {
        final List<String> lines = new ArrayList<>();
        boolean inShell = false;
        boolean inOther = false;
        for (final String line : Files.readAllLines(readme, StandardCharsets.UTF_8))
        {
            if (line.startsWith("```"))
            {
                if (inShell || inOther)
                {
                    inShell = false;
                    inOther = false;
                }
                else if (line.equals("```"))
                {
                    inShell = true;
                }
                else
                {
                    inOther = true;
                }
                continue;
            }
            if (inShell && !line.isBlank() && LEFT_OUT.stream().noneMatch(line::startsWith))
            {
                lines.add(line);
            }
        }
        return lines;
    }
}
