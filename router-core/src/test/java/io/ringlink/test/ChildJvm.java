package io.ringlink.test;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a second JVM running a class's {@code main}, with this JVM's class path and module flags (so Agrona and
 * Chronicle get the {@code --add-exports}/{@code --add-opens} they need), for cross-process tests.
 * <p>
 * Close it to kill the process if it is still running: tests use it in try-with-resources.
 */
public final class ChildJvm implements AutoCloseable
{
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(final Process process, final Path stdout, final Path stderr)
    {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code mainClass.main(args)} in a new JVM; its output goes to files in {@code logDir}.
     *
     * @param logDir    a directory for the child's stdout and stderr (a test's temp dir).
     * @param mainClass the class whose main runs.
     * @param args      its arguments.
     * @return the running child.
     * @throws IOException if it cannot be started.
     */
    public static ChildJvm start(final Path logDir, final Class<?> mainClass, final String... args) throws IOException
    {
        final String name = mainClass.getSimpleName() + "-" + System.nanoTime();
        final Path out = logDir.resolve(name + ".out");
        final Path err = logDir.resolve(name + ".err");
        final ProcessBuilder builder = new ProcessBuilder(command(mainClass, args))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
        return new ChildJvm(builder.start(), out, err);
    }

    /**
     * Starts the child with its standard input, output and error left as pipes to this JVM.
     *
     * @param mainClass the class whose main runs.
     * @param args      its arguments.
     * @return the process.
     * @throws IOException if it cannot be started.
     */
    public static Process startPiped(final Class<?> mainClass, final String... args) throws IOException
    {
        return new ProcessBuilder(command(mainClass, args)).start();
    }

    /**
     * The command line that runs {@code mainClass} in a JVM like this one.
     *
     * @param mainClass the class whose main runs.
     * @param args      its arguments.
     * @return the command.
     */
    public static List<String> command(final Class<?> mainClass, final String... args)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * This JVM's module and system-property flags, without debugger or agent flags.
     *
     * @return the flags.
     */
    public static List<String> jvmFlags()
    {
        final List<String> flags = new ArrayList<>();
        for (final String argument : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (argument.startsWith("--add-") || argument.startsWith("--enable-native-access") ||
                argument.startsWith("--sun-misc-unsafe-memory-access") ||
                argument.startsWith("-Dchronicle.") || argument.startsWith("-Dorg.slf4j."))
            {
                flags.add(argument);
            }
        }
        if (flags.stream().noneMatch((flag) -> flag.startsWith("-Dchronicle.analytics.disable")))
        {
            flags.add("-Dchronicle.analytics.disable=true");
        }
        return flags;
    }

    /**
     * The process.
     *
     * @return the process.
     */
    public Process process()
    {
        return process;
    }

    /**
     * Waits for the child to exit.
     *
     * @param timeout the longest wait.
     * @return the exit code.
     * @throws AssertionError if it did not exit in time (it is then killed), with its output.
     * @throws InterruptedException if interrupted.
     */
    public int awaitExit(final Duration timeout) throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child JVM did not exit within " + timeout + "\n" + output());
        }
        return process.exitValue();
    }

    /**
     * Kills the child at once, as {@code kill -9} would, and waits for it to be gone.
     *
     * @throws InterruptedException if interrupted.
     */
    public void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * What the child wrote to stdout so far.
     *
     * @return the text.
     */
    public String stdout()
    {
        return read(stdout);
    }

    /**
     * What the child wrote to stdout and stderr so far, for failure messages.
     *
     * @return the text.
     */
    public String output()
    {
        return "--- stdout:\n" + read(stdout) + "--- stderr:\n" + read(stderr);
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return "(unreadable: " + ex + ")";
        }
    }

    @Override
    public void close()
    {
        if (process.isAlive())
        {
            try
            {
                kill();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString()
    {
        return "ChildJvm[pid " + process.pid() + "]" + File.separator;
    }
}
