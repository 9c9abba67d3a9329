package io.ringlink.offheap.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * Which process a pid names, exactly enough to tell a live holder of a take lock from a dead one whose pid was
 * reused: the pid plus the process's start time. On Linux the start time is {@code starttime} of
 * {@code /proc/PID/stat} (clock ticks since boot, 10 ms at the usual 100 Hz), of which the low {@link #START_BITS}
 * bits are kept; elsewhere the start instant {@link ProcessHandle} gives, in 10 ms units. A pid is reused only after
 * its previous process was reaped and, Linux allocating pids cyclically, after the other pids came round, so two
 * processes with the same pid and the same start tick do not occur; the kept bits wrap after 2^32 ticks (497 days
 * at 100 Hz), so a reused pid is mistaken for its predecessor only if it starts a whole multiple of that later, to
 * the tick.
 * <p>
 * A zombie (Linux state {@code Z} or {@code X}: it exited, its parent has not reaped it yet) runs no code and counts as
 * dead, unless only its main thread exited and others still run (it then has more than one task). When the state
 * cannot be read for a reason other than the process being gone, the process counts as alive: a lock is never taken
 * from a holder that might run.
 */
public final class ProcessIdentity
{
    /**
     * Bits of the start time kept.
     */
    public static final int START_BITS = 32;

    /**
     * The largest pid a holder's token in a ring or pipe file keeps ({@link IpcRingDescriptor#OWNER_PID_BITS} bits):
     * 2^22 - 1. Every Linux pid fits: pids stay below {@code /proc/sys/kernel/pid_max}, which the kernel caps at
     * {@code PID_MAX_LIMIT}, 2^22 on 64-bit systems.
     */
    public static final long MAX_TOKEN_PID = (1L << IpcRingDescriptor.OWNER_PID_BITS) - 1;

    private static final long START_MASK = (1L << START_BITS) - 1;
    private static final Path PROC = Path.of("/proc");
    private static final boolean PROC_STAT = Files.isReadable(PROC.resolve("self").resolve("stat"));
    private static final int STATE_FIELD = 3;
    private static final int START_TIME_FIELD = 22;
    private static final long MILLIS_PER_TICK = 10;
    private static final long UNKNOWN = -1;
    private static final long GONE = -2;

    private ProcessIdentity()
    {
    }

    /**
     * Checks that a pid fits a holder's token, so that a token never names another process than the one it was made
     * for (a pid cut to its low bits would).
     *
     * @param pid the pid to keep in a token.
     * @return the pid.
     * @throws IllegalStateException if it is not positive or above {@link #MAX_TOKEN_PID} (not on Linux, where
     *                               {@code PID_MAX_LIMIT} keeps every pid below 2^22).
     */
    public static long checkTokenPid(final long pid)
    {
        if (pid <= 0 || pid > MAX_TOKEN_PID)
        {
            throw new IllegalStateException("pid " + pid + " does not fit the " + IpcRingDescriptor.OWNER_PID_BITS +
                " bits that ring and pipe files keep for a holder's pid (1 to " + MAX_TOKEN_PID + ", as Linux's " +
                "PID_MAX_LIMIT of 2^22 keeps every Linux pid); this process cannot hold a role in such a file");
        }
        return pid;
    }

    /**
     * The start time of a running process, as kept in a token.
     *
     * @param pid the process.
     * @return its start time, the low {@link #START_BITS} bits, or 0 if it cannot be read.
     * @throws IllegalArgumentException if no such process runs.
     */
    public static long startTime(final long pid)
    {
        final long start = PROC_STAT ? procStartTime(pid) : handleStartTime(pid);
        if (start == GONE)
        {
            throw new IllegalArgumentException("no process " + pid + " runs");
        }
        return start == UNKNOWN ? 0 : start;
    }

    /**
     * Whether the process that had this pid and start time still exists and is not a zombie.
     *
     * @param pid       its pid.
     * @param startTime its start time, as {@link #startTime(long)} gave it then.
     * @return {@code false} only if it is certainly gone (exited, a zombie, or its pid now names another process).
     */
    public static boolean isAlive(final long pid, final long startTime)
    {
        final long start = PROC_STAT ? procStartTime(pid) : handleStartTime(pid);
        // 0: the start time was unknown when the token was made, so only the pid can tell
        return start != GONE && (start == UNKNOWN || startTime == 0 || start == startTime);
    }

    private static long procStartTime(final long pid)
    {
        final Path dir = PROC.resolve(Long.toString(pid));
        final String stat;
        try
        {
            stat = Files.readString(dir.resolve("stat"));
        }
        catch (final NoSuchFileException ex)
        {
            return GONE;
        }
        catch (final IOException ex)
        {
            return UNKNOWN;
        }
        // the command name is in parentheses and may hold spaces: fields are counted from the last ')'
        final int close = stat.lastIndexOf(')');
        if (close < 0)
        {
            return UNKNOWN;
        }
        final String[] fields = stat.substring(close + 2).trim().split(" ");
        if (fields.length <= START_TIME_FIELD - STATE_FIELD)
        {
            return UNKNOWN;
        }
        final String state = fields[0];
        if (("Z".equals(state) || "X".equals(state)) && taskCount(dir) <= 1)
        {
            return GONE;
        }
        try
        {
            return Long.parseLong(fields[START_TIME_FIELD - STATE_FIELD]) & START_MASK;
        }
        catch (final NumberFormatException ex)
        {
            return UNKNOWN;
        }
    }

    private static long taskCount(final Path dir)
    {
        try (Stream<Path> tasks = Files.list(dir.resolve("task")))
        {
            return tasks.count();
        }
        catch (final NoSuchFileException ex)
        {
            return 0;
        }
        catch (final IOException | RuntimeException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    private static long handleStartTime(final long pid)
    {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .map((handle) -> handle.info().startInstant().map(ProcessIdentity::ticks).orElse(UNKNOWN))
            .orElse(GONE);
    }

    private static long ticks(final Instant start)
    {
        return start.toEpochMilli() / MILLIS_PER_TICK & START_MASK;
    }
}
