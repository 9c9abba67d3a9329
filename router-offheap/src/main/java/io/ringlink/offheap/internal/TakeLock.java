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
 * the ring file's header ({@link IpcRingDescriptor#TAKE_LOCK_OFFSET}), 0 when free, else a <em>hold token</em>: the
 * holder's pid in the low 22 bits and, above them, a number this process draws anew for every hold. A taker takes it
 * with a compare-and-set from 0, reads one record, frees it (moves the ring's head) and gives the lock back with a
 * compare-and-set to 0: a hold lasts a few microseconds and runs no user code.
 * <p>
 * A holder killed with -9 leaves its token in the word. A waiter that sees the same token for a millisecond checks
 * whether its pid is alive and takes the lock over (a compare-and-set from that token) at once if it is not; if the pid
 * is alive (a holder that is paused, a zombie not yet reaped, or a pid reused since), it takes over once it has seen
 * the same token for the whole lease. Since every hold draws a new token, an unchanged token means one hold, so no
 * waiter is held up longer than the lease by one dead or stuck holder. What a holder that died mid-take leaves is
 * repaired by the next one ({@link RingReader#recover()}): the head did not move (the record is taken by the next), or
 * its free was under way (the next one finishes it).
 * <p>
 * A holder that was paused for longer than the lease and then resumes has lost the lock: {@link #isHeld()} (checked
 * before the head moves) then says so and its take backs out. The lease must therefore exceed any pause of a live
 * holder between that check and the head move (a few instructions), which the default of seconds does by far.
 * <p>
 * Not thread-safe: one object per ring object, used by one thread at a time (the queue's consumer lock).
 */
public final class TakeLock
{
    private static final Logger LOG = LoggerFactory.getLogger(TakeLock.class);
    private static final long PID_MASK = (1L << OWNER_PID_BITS) - 1;
    private static final long INCARNATION_MASK = -1L >>> OWNER_PID_BITS;
    private static final long LIVENESS_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final AtomicLong INCARNATIONS = new AtomicLong(System.nanoTime() & INCARNATION_MASK);
    private static final long PID = ProcessHandle.current().pid() & PID_MASK;

    private final AtomicBuffer header;
    private final Path path;
    private final long leaseNs;
    private long token;
    private long observed;
    private long observedSinceNs;
    private long livenessCheckedNs;

    /**
     * The take lock of a ring file.
     *
     * @param header  the ring file's header.
     * @param path    the ring file, for messages.
     * @param leaseNs how long a waiter waits on one hold of a holder whose process is alive before taking over.
     */
    public TakeLock(final AtomicBuffer header, final Path path, final long leaseNs)
    {
        this.header = header;
        this.path = path;
        this.leaseNs = leaseNs;
    }

    /**
     * One attempt to take the lock, without waiting: from free, or over from a holder that is dead or whose lease
     * expired while this object watched.
     *
     * @return {@code true} if this object holds the lock now.
     */
    public boolean tryAcquire()
    {
        final long current = header.getLongVolatile(TAKE_LOCK_OFFSET);
        if (current == 0)
        {
            final long next = nextToken();
            if (header.compareAndSetLong(TAKE_LOCK_OFFSET, 0, next))
            {
                token = next;
                return true;
            }
            return false;
        }
        final long now = System.nanoTime();
        if (current != observed)
        {
            observed = current;
            observedSinceNs = now;
            livenessCheckedNs = now;
            return false;
        }
        final long held = now - observedSinceNs;
        String why = null;
        if (held >= leaseNs)
        {
            why = "its lease of " + TimeUnit.NANOSECONDS.toMillis(leaseNs) + " ms expired";
        }
        else if (now - livenessCheckedNs >= LIVENESS_CHECK_NS)
        {
            livenessCheckedNs = now;
            if (!isAlive(current & PID_MASK))
            {
                why = "its process is gone";
            }
        }
        if (why == null)
        {
            return false;
        }
        final long next = nextToken();
        if (!header.compareAndSetLong(TAKE_LOCK_OFFSET, current, next))
        {
            return false;
        }
        token = next;
        observed = 0;
        final long stolen = header.getAndAddLong(TAKE_LOCK_STOLEN_OFFSET, 1) + 1;
        LOG.warn("queue {}: took the take lock over from process {} after {} ms: {} ({} so far)", path,
            current & PID_MASK, TimeUnit.NANOSECONDS.toMillis(held), why, stolen);
        return true;
    }

    /**
     * Whether this object still holds the lock (a holder paused past the lease may have lost it).
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
     * @return {@code false} if it had been taken over meanwhile (this holder was paused past the lease).
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
     * Holds taken over from a dead holder or one whose lease expired, by any process since the file was created.
     *
     * @return the count.
     */
    public long stolenCount()
    {
        return header.getLongVolatile(TAKE_LOCK_STOLEN_OFFSET);
    }

    private static long nextToken()
    {
        long incarnation;
        do
        {
            incarnation = INCARNATIONS.incrementAndGet() & INCARNATION_MASK;
        }
        while (incarnation == 0);
        return incarnation << OWNER_PID_BITS | PID;
    }

    private static boolean isAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
