package io.ringlink.jmh;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@link EchoServer} in a second JVM with this JVM's class path and module flags, waits until it says it is
 * ready, and ends it. The child's output goes to a log file next to the shared files; it exits on its own when its
 * standard input closes, so a JMH fork that dies takes its echo process with it.
 */
final class EchoProcess implements AutoCloseable
{
    private static final long READY_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String READY = "READY";

    private final Process process;
    private final Path log;
    private String readyArgument = "";

    private EchoProcess(final Process process, final Path log)
    {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts the echo side and waits for it.
     *
     * @param directory where the shared files are and the log goes.
     * @param arguments {@link EchoServer}'s arguments.
     * @return the running echo process.
     * @throws IOException if it could not start or said it failed.
     */
    static EchoProcess start(final Path directory, final String... arguments) throws IOException
    {
        return start(EchoServer.class, directory.resolve("echo-" + arguments[0] + ".log"), arguments);
    }

    /**
     * Starts another child main of this module that prints {@code READY} once set up and exits when its standard
     * input closes, and waits for it.
     *
     * @param mainClass the class whose main runs.
     * @param log       where its output goes.
     * @param arguments its arguments.
     * @return the running process.
     * @throws IOException if it could not start or said it failed.
     */
    static EchoProcess start(final Class<?> mainClass, final Path log, final String... arguments) throws IOException
    {
        final List<String> command = javaCommand(mainClass, arguments);
        final Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
        final EchoProcess echo = new EchoProcess(process, log);
        try
        {
            echo.readyArgument = echo.awaitReady();
            return echo;
        }
        catch (final IOException | RuntimeException ex)
        {
            echo.close();
            throw ex;
        }
    }

    /**
     * The command that runs {@code mainClass} in a JVM like this one: its class path and module flags.
     *
     * @param mainClass the class whose main runs.
     * @param arguments its arguments.
     * @return the command.
     */
    static List<String> javaCommand(final Class<?> mainClass, final String... arguments)
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (final String flag : ManagementFactory.getRuntimeMXBean().getInputArguments())
        {
            if (flag.startsWith("--add-") || flag.startsWith("--enable-native-access") ||
                flag.startsWith("--sun-misc-unsafe-memory-access") || flag.startsWith("-Dchronicle."))
            {
                command.add(flag);
            }
        }
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(arguments));
        return command;
    }

    /** What the echo side printed after READY (the TCP port), or an empty string. */
    String readyArgument()
    {
        return readyArgument;
    }

    private String awaitReady() throws IOException
    {
        final long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        while (System.nanoTime() - deadline < 0)
        {
            for (final String line : Files.readAllLines(log, StandardCharsets.UTF_8))
            {
                if (line.startsWith(READY))
                {
                    return line.substring(READY.length()).trim();
                }
            }
            if (!process.isAlive())
            {
                throw new IOException("echo process exited with " + process.exitValue() + ": " + output());
            }
            try
            {
                Thread.sleep(10);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the echo process", ex);
            }
        }
        throw new IOException("echo process not ready within 60 s: " + output());
    }

    private String output() throws IOException
    {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException
    {
        process.getOutputStream().close();
        try
        {
            if (!process.waitFor(5, TimeUnit.SECONDS))
            {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
