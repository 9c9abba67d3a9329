package io.ringlink.jmh;

import io.ringlink.offheap.internal.counters.CountersFiles;

import java.nio.file.Path;

/**
 * A second JVM that reads every counters file of a directory every 10 ms, as {@code ringlink stat --watch=10ms}
 * would (ten times more often than its default), until its standard input closes or it is killed.
 */
final class CountersReaderLoop
{
    private static final long PAUSE_MS = 10;

    private CountersReaderLoop()
    {
    }

    /**
     * Reads until stopped.
     *
     * @param args the counters directory.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args[0]);
        final Thread watchdog = new Thread(() ->
        {
            try
            {
                while (System.in.read() >= 0)
                {
                    continue;
                }
            }
            catch (final java.io.IOException ignore)
            {
                // The parent is gone either way.
            }
            System.exit(0);
        }, "stdin-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        while (true)
        {
            CountersFiles.list(directory);
            Thread.sleep(PAUSE_MS);
        }
    }
}
