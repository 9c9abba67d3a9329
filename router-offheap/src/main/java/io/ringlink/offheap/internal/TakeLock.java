package io.ringlink.offheap.internal;

import org.agrona.concurrent.AtomicBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.ringlink.offheap.internal.IpcRingDescriptor.OWNER_PID_BITS;
import static io.ringlink.offheap.internal.IpcRingDescriptor.TAKE_LOCK_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.TAKE_LOCK_STOLEN_OFFSET;

/**
 * The lock that serialises the takes of a {@code SharedQueue}'s consumers, in any number of processes: one word in
 * the ring file's header ({@link IpcRingDescriptor#TAKE_LOCK_OFFSET}), 0 when free, else a <em>hold token</em>:
 * <pre>
 *   bits  0..21  the holder's pid (Linux's PID_MAX_LIMIT is 2^22; a process whose pid does not fit is refused)
 *   bits 22..53  the low 32 bits of the holder's start time ({@link ProcessIdentity}: tells a reused pid apart)
 *   bits 54..63  a number the holder draws anew for every hold (tells one long hold from many short ones)
 * </pre>
 * A taker takes it with a compare-and-set from 0, reads one record, frees it (moves the ring's head) and gives the
 * lock back with a compare-and-set to 0: a hold lasts a few microseconds and runs no user code.
 * <p>
 * <b>The lock is never taken from a live process.</b> A waiter that sees the same token for a millisecond checks
 * whether the process it names (pid and start time) still exists, every millisecond while the hold lasts (every 10 ms
 * once past the lease), and takes the lock over (a compare-and-set from that token) only once it is certainly gone:
 * it exited or was killed (-9), is a zombie not yet reaped, or its pid now names a process started at another time.
 * A process that is gone runs no code, so it cannot resume and free with a stale head; what it left mid-take is
 * repaired by the next holder ({@link RingReader#recover()}): the head did not move (the record is taken by the
 * next), or its free was under way (the next one finishes it).
 * <p>
 * A holder that is alive but does not move (stopped with SIGSTOP or Ctrl-Z, a debugger, a long GC pause, a frozen
 * container) holds the others up for as long as it is stopped: its take is waited for, never broken. The lease is
 * only a warning threshold: once a waiter has seen one hold for that long, it logs a warning (once per hold and
 * waiter) naming the process, and keeps waiting; if that process is then killed, the lock is taken over as above.
 * <p>
 * Not thread-safe: one object per ring object, used by one thread at a time (the queue's consumer lock).
 */
public final class TakeLock
{
    private static final Logger LOG = LoggerFactory.getLogger(TakeLock.class);
    private static final long PID_MASK = ProcessIdentity.MAX_TOKEN_PID;
    private static final int START_SHIFT = OWNER_PID_BITS;
    private static final long START_MASK = (1L << ProcessIdentity.START_BITS) - 1;
    private static final int HOLD_SHIFT = OWNER_PID_BITS + ProcessIdentity.START_BITS;
    private static final long HOLD_MASK = -1L >>> HOLD_SHIFT;
    private static final long LIVENESS_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long STUCK_LIVENESS_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long PID = ProcessHandle.current().pid();
    private static final AtomicLong HOLDS = new AtomicLong(System.nanoTime());
    private static volatile long identity;

    private final AtomicBuffer header;
    private final Path path;
    private final long leaseNs;
    private final long self;
    private long token;
    private long observed;
    private long observedSinceNs;
    private long livenessCheckedNs;
    private boolean warned;

    /**
     * The take lock of a ring file.
     *
     * @param header  the ring file's header.
     * @param path    the ring file, for messages.
     * @param leaseNs how long a waiter waits on one hold of a live holder before it logs a warning (it keeps waiting).
     * @throws IllegalStateException if this process's pid does not fit the token's 22 bits
     *                               ({@link ProcessIdentity#checkTokenPid(long)}).
     */
    public TakeLock(final AtomicBuffer header, final Path path, final long leaseNs)
    {
        ProcessIdentity.checkTokenPid(PID);
        this.header = header;
        this.path = path;
        this.leaseNs = leaseNs;
        this.self = selfIdentity();
    }

    /**
     * The token that a hold by a running process would carry: for tests that write a hold into a file.
     *
     * @param pid  the process, running.
     * @param hold the hold's number (its low 10 bits are kept).
     * @return the token.
     * @throws IllegalArgumentException if no such process runs.
     * @throws IllegalStateException    if its pid does not fit ({@link ProcessIdentity#checkTokenPid(long)}).
     */
    public static long tokenOf(final long pid, final long hold)
    {
        return token(ProcessIdentity.checkTokenPid(pid), ProcessIdentity.startTime(pid), hold);
    }

    private static long token(final long pid, final long startTime, final long hold)
    {
        return (hold & HOLD_MASK) << HOLD_SHIFT | (startTime & START_MASK) << START_SHIFT | pid;
    }

    /**
     * One attempt to take the lock, without waiting (as Python's {@code lock.acquire(False)}): from free, or over
     * from a holder whose process is gone. A live holder is never taken from, however long it holds: a caller that
     * waits calls again (with a warning once the hold passed the lease), a queue's {@code poll()} gives up. The first
     * attempt that sees a hold only notes it; its holder's process is checked by an attempt once the same hold has
     * lasted a millisecond, then at most every millisecond (every 10 ms past the lease), so attempts read no more
     * than the lock's word in between.
     *
     * @return {@code true} if this object holds the lock now.
     */
    public boolean tryAcquire()
    {
        final long current = header.getLongVolatile(TAKE_LOCK_OFFSET);
        if (current == 0)
        {
            return acquireFree();
        }
        final long now = System.nanoTime();
        if (current != observed)
        {
            observe(current, now);
            return false;
        }
        final long held = now - observedSinceNs;
        if (now - livenessCheckedNs < (held < leaseNs ? LIVENESS_CHECK_NS : STUCK_LIVENESS_CHECK_NS))
        {
            return false;
        }
        livenessCheckedNs = now;
        final long pid = current & PID_MASK;
        if (ProcessIdentity.isAlive(pid, current >>> START_SHIFT & START_MASK))
        {
            if (!warned && held >= leaseNs)
            {
                warned = true;
                LOG.warn("queue {}: process {} has held the take lock for {} ms, past the lease of {} ms, and is " +
                    "alive (stopped, in a debugger, a long GC pause?): waiting for it, never taking the lock from " +
                    "a live process", path, pid, TimeUnit.NANOSECONDS.toMillis(held),
                    TimeUnit.NANOSECONDS.toMillis(leaseNs));
            }
            return false;
        }
        return takeOver(current, held);
    }

    private boolean acquireFree()
    {
        observed = 0;
        final long next = nextToken();
        if (header.compareAndSetLong(TAKE_LOCK_OFFSET, 0, next))
        {
            token = next;
            return true;
        }
        return false;
    }

    private void observe(final long current, final long now)
    {
        observed = current;
        observedSinceNs = now;
        livenessCheckedNs = now;
        warned = false;
    }

    private boolean takeOver(final long current, final long heldNs)
    {
        final long next = nextToken();
        if (!header.compareAndSetLong(TAKE_LOCK_OFFSET, current, next))
        {
            return false;
        }
        token = next;
        observed = 0;
        final long stolen = header.getAndAddLong(TAKE_LOCK_STOLEN_OFFSET, 1) + 1;
        LOG.warn("queue {}: took the take lock over from process {} after {} ms: its process is gone ({} so far)",
            path, current & PID_MASK, TimeUnit.NANOSECONDS.toMillis(heldNs), stolen);
        return true;
    }

    /**
     * Whether this object still holds the lock: always while it does, as the lock is never taken from a live
     * process; checked before the head moves all the same, against a file written by something else.
     *
     * @return {@code true} if the word holds this object's token.
     */
    public boolean isHeld()
    {
        return token != 0 && header.getLongVolatile(TAKE_LOCK_OFFSET) == token;
    }

    /**
     * Gives the lock back, if this object holds it.
     *
     * @return {@code false} if the word no longer held this object's token (written by something else).
     */
    public boolean release()
    {
        if (token == 0)
        {
            return true;
        }
        final long held = token;
        token = 0;
        return header.compareAndSetLong(TAKE_LOCK_OFFSET, held, 0);
    }

    /**
     * The process holding the lock now, as the word says.
     *
     * @return its pid, or {@code -1} when free.
     */
    public long holderPid()
    {
        final long current = header.getLongVolatile(TAKE_LOCK_OFFSET);
        return current == 0 ? -1 : current & PID_MASK;
    }

    /**
     * Holds taken over from a holder whose process was gone, by any process since the file was created.
     *
     * @return the count.
     */
    public long stolenCount()
    {
        return header.getLongVolatile(TAKE_LOCK_STOLEN_OFFSET);
    }

    private long nextToken()
    {
        return (HOLDS.incrementAndGet() & HOLD_MASK) << HOLD_SHIFT | self;
    }

    private static long selfIdentity()
    {
        long known = identity;
        if (known == 0)
        {
            known = token(PID, ProcessIdentity.startTime(PID), 0);
            identity = known;
        }
        return known;
    }
}
