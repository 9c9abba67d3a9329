package io.ringlink.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code ./ringlink} launcher at the repository root as a subprocess, from a test's temp directory,
 * with its output in files there. Close it to kill the process if still running.
 */
final class Ringlink implements AutoCloseable
{
    private static final Path LAUNCHER = findLauncher();
    private static boolean warm;

    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private Ringlink(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static Path launcher()
    {
        warmUp();
        return LAUNCHER;
    }

    /**
     * Runs {@code ringlink --version} once per test JVM, before any test's own timeout runs: after a build the
     * launcher makes its class-data archive on first use (seconds, more on a loaded machine), which no test times.
     */
    private static synchronized void warmUp()
    {
        if (warm)
        {
            return;
        }
        try
        {
            final Process process = new ProcessBuilder(LAUNCHER.toString(), "--version")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!process.waitFor(10, TimeUnit.MINUTES))
            {
                process.destroyForcibly();
                throw new IllegalStateException("ringlink --version did not end within 10 minutes");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while warming up ringlink", ex);
        }
        warm = true;
    }

    private static Path findLauncher()
    {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null)
        {
            if (Files.isExecutable(dir.resolve("ringlink")) && Files.isRegularFile(dir.resolve("mvnw")))
            {
                return dir.resolve("ringlink");
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("no ./ringlink launcher above " + Path.of("").toAbsolutePath());
    }

    /**
     * Starts {@code ringlink args...} in {@code dir}, standard input from {@code stdin} (or nothing).
     */
    static Ringlink start(final Path dir, final Path stdin, final String... args) throws IOException
    {
        return launch(dir, stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) :
            ProcessBuilder.Redirect.from(stdin.toFile()), args);
    }

    /**
     * Starts {@code ringlink args...} in {@code dir} with its standard input a pipe from {@link #stdin()}.
     */
    static Ringlink startWithStdinPipe(final Path dir, final String... args) throws IOException
    {
        return launch(dir, ProcessBuilder.Redirect.PIPE, args);
    }

    /**
     * Starts {@code ringlink args...} in {@code dir} with these variables added to its environment, its standard input
     * a pipe from {@link #stdin()}.
     */
    static Ringlink startWithStdinPipe(final Path dir, final Map<String, String> environment, final String... args)
        throws IOException
    {
        return launch(dir, ProcessBuilder.Redirect.PIPE, null, environment, args);
    }

    /**
     * Starts {@code ringlink args...} in {@code dir}, standard input from {@code stdin} (or nothing), its standard
     * output a pipe read with {@link #stdoutPipe()}: closing that pipe is what {@code | head} does when it exits.
     */
    static Ringlink startWithStdoutPipe(final Path dir, final Path stdin, final String... args) throws IOException
    {
        return launch(dir, stdin == null ? ProcessBuilder.Redirect.from(new File("/dev/null")) :
            ProcessBuilder.Redirect.from(stdin.toFile()), ProcessBuilder.Redirect.PIPE, Map.of(), args);
    }

    private static Ringlink launch(final Path dir, final ProcessBuilder.Redirect stdin, final String... args)
        throws IOException
    {
        return launch(dir, stdin, null, Map.of(), args);
    }

    private static Ringlink launch(
        final Path dir, final ProcessBuilder.Redirect stdin, final ProcessBuilder.Redirect stdoutRedirect,
        final Map<String, String> environment, final String... args)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(launcher().toString());
        command.addAll(List.of(args));
        final String name = "ringlink-" + System.nanoTime();
        final Path out = dir.resolve(name + ".out");
        final Path err = dir.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(stdoutRedirect == null ? ProcessBuilder.Redirect.to(out.toFile()) : stdoutRedirect)
            .redirectError(err.toFile())
            .redirectInput(stdin);
        countersIn(builder, dir).environment().putAll(environment);
        return new Ringlink(builder.start(), out, err);
    }

    /**
     * Sends the counters files of the commands a process starts to the test's directory, never to
     * {@code /dev/shm/ringlink-USER}.
     *
     * @param builder the process, not started yet.
     * @param dir     the test's temporary directory.
     * @return the builder.
     */
    static ProcessBuilder countersIn(final ProcessBuilder builder, final Path dir)
    {
        builder.environment().put("RINGLINK_COUNTERS_DIR", dir.resolve("counters").toString());
        return builder;
    }

    /**
     * Runs {@code ringlink args...} in {@code dir} to its end.
     */
    static Ringlink run(final Path dir, final String... args) throws IOException, InterruptedException
    {
        final Ringlink ringlink = start(dir, null, args);
        ringlink.awaitExit(Duration.ofSeconds(90));
        return ringlink;
    }

    int awaitExit(final Duration timeout) throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly();
            throw new AssertionError("ringlink did not end within " + timeout + "; stderr: " + stderr());
        }
        return process.exitValue();
    }

    int exitCode()
    {
        return process.exitValue();
    }

    /**
     * Whether the command's JVM runs a thread whose name starts with {@code prefix} (Linux: the first 15 characters
     * of a Java thread's name are its native name, in {@code /proc/PID/task/TID/comm}). The link's pump thread starts
     * once its signal handler is in place, so a test waits for it before sending a signal.
     */
    boolean hasThreadNamed(final String prefix)
    {
        final String shortPrefix = prefix.substring(0, Math.min(prefix.length(), 15));
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task")))
        {
            return tasks.anyMatch((task) ->
            {
                try
                {
                    return Files.readString(task.resolve("comm")).startsWith(shortPrefix);
                }
                catch (final IOException ex)
                {
                    return false;
                }
            });
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Standard output when started with {@link #startWithStdoutPipe}. */
    InputStream stdoutPipe()
    {
        return process.getInputStream();
    }

    OutputStream stdin()
    {
        return process.getOutputStream();
    }

    Process process()
    {
        return process;
    }

    String stdout()
    {
        return read(stdout);
    }

    String stderr()
    {
        return read(stderr);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive())
        {
            process.destroyForcibly();
        }
    }
}
