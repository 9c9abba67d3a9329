package io.ringlink.jmh;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * The live threads whose names start with a prefix (a router's {@code ringlink-NAME-}, the raw Disruptor's
 * {@code jmh-disruptor-}): how many there are and the CPU time they use, per thread through {@link ThreadMXBean}, and
 * the whole process's through {@code com.sun.management.OperatingSystemMXBean}. Looking threads up allocates; it is
 * done at the edges of an observation window, never inside one.
 */
final class NamedThreads
{
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
        (com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean();

    private final String prefix;
    private long[] ids = new long[0];
    private long[] cpuAtStart = new long[0];
    private long wallAtStart;
    private long processCpuAtStart;

    NamedThreads(final String prefix)
    {
        if (!THREADS.isThreadCpuTimeSupported())
        {
            throw new IllegalStateException("this JVM cannot measure the CPU time of a thread");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        this.prefix = prefix;
    }

    /**
     * The ids of the live threads named with the prefix.
     *
     * @return their ids.
     */
    long[] ids()
    {
        final long[] all = THREADS.getAllThreadIds();
        final ThreadInfo[] infos = THREADS.getThreadInfo(all);
        int count = 0;
        final long[] found = new long[all.length];
        for (final ThreadInfo info : infos)
        {
            if (info != null && info.getThreadName().startsWith(prefix))
            {
                found[count++] = info.getThreadId();
            }
        }
        return Arrays.copyOf(found, count);
    }

    /**
     * How many live threads carry the prefix.
     *
     * @return the count.
     */
    int count()
    {
        return ids().length;
    }

    /**
     * Starts a window: notes the threads, their CPU time, the process's and the clock. Reading hundreds of threads
     * takes a while, so the clock is taken as the midpoint of the reads, at both ends of the window.
     */
    void begin()
    {
        ids = ids();
        cpuAtStart = new long[ids.length];
        final long before = System.nanoTime();
        for (int i = 0; i < ids.length; i++)
        {
            cpuAtStart[i] = THREADS.getThreadCpuTime(ids[i]);
        }
        processCpuAtStart = OS.getProcessCpuTime();
        wallAtStart = before + (System.nanoTime() - before) / 2;
    }

    /**
     * Ends a window begun by {@link #begin()}.
     *
     * @return what the threads and the process used in the window.
     */
    Usage end()
    {
        final long before = System.nanoTime();
        final long processCpu = OS.getProcessCpuTime() - processCpuAtStart;
        long cpu = 0;
        for (int i = 0; i < ids.length; i++)
        {
            final long now = THREADS.getThreadCpuTime(ids[i]);
            if (now >= 0 && cpuAtStart[i] >= 0)
            {
                cpu += now - cpuAtStart[i];
            }
        }
        final long wall = before + (System.nanoTime() - before) / 2 - wallAtStart;
        return new Usage((double)cpu / wall, (double)processCpu / wall, count());
    }

    /**
     * One window's figures.
     *
     * @param cores        CPU seconds the named threads used per wall second.
     * @param processCores CPU seconds the whole JVM used per wall second (JMH, JIT and GC included).
     * @param threads      live named threads at the end of the window.
     */
    record Usage(double cores, double processCores, int threads)
    {
    }
}
