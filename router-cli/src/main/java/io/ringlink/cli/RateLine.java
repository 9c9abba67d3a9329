package io.ringlink.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * A live rate line on standard error, rewritten in place twice a second while a command runs; only when standard
 * error is a terminal. The launcher tells whether it is ({@code RINGLINK_STDERR_TTY=1|0}, from {@code [ -t 2 ]});
 * without the launcher the JVM's own view is asked.
 */
final class RateLine implements AutoCloseable
{
    private static final long PERIOD_MILLIS = 500;

    private final PrintStream err;
    private final String label;
    private final LongSupplier messages;
    private final LongSupplier bytes;
    private final Thread thread;
    private volatile boolean running = true;
    private int width;

    private RateLine(final PrintStream err, final String label, final LongSupplier messages, final LongSupplier bytes)
    {
        this.err = err;
        this.label = label;
        this.messages = messages;
        this.bytes = bytes;
        this.thread = new Thread(this::run, "ringlink-rate-line");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a rate line, or returns {@code null} when standard error is not a terminal or {@code quiet}.
     */
    static RateLine startIfTerminal(
        final boolean quiet, final String label, final LongSupplier messages, final LongSupplier bytes)
    {
        if (quiet || !isStderrTerminal())
        {
            return null;
        }
        final RateLine line = new RateLine(System.err, label, messages, bytes);
        line.thread.start();
        return line;
    }

    static boolean isStderrTerminal()
    {
        final String told = System.getenv("RINGLINK_STDERR_TTY");
        if (told != null)
        {
            return told.equals("1");
        }
        try
        {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            return System.console() != null;
        }
    }

    private void run()
    {
        long lastMessages = 0;
        long lastBytes = 0;
        long last = System.nanoTime();
        while (running)
        {
            try
            {
                Thread.sleep(PERIOD_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                break;
            }
            final long now = System.nanoTime();
            final long totalMessages = messages.getAsLong();
            final long totalBytes = bytes.getAsLong();
            final double seconds = (now - last) / 1e9;
            print(String.format("%s: %,d messages, %s  |  %s msg/s, %s/s",
                label, totalMessages, Units.bytes(totalBytes),
                Units.rate((totalMessages - lastMessages) / seconds),
                Units.bytes((long)((totalBytes - lastBytes) / seconds))));
            lastMessages = totalMessages;
            lastBytes = totalBytes;
            last = now;
        }
    }

    private synchronized void print(final String text)
    {
        if (running)
        {
            err.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
            err.flush();
            width = text.length();
        }
    }

    /**
     * Stops the line and erases it, so that what follows starts on a clean line.
     */
    @Override
    public void close()
    {
        running = false;
        thread.interrupt();
        try
        {
            thread.join(PERIOD_MILLIS * 2);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        synchronized (this)
        {
            if (width > 0)
            {
                err.print("\r" + " ".repeat(width) + "\r");
                err.flush();
            }
        }
    }
}
