package io.ringlink.offheap.internal;

import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.ringlink.offheap.internal.IpcRingDescriptor.OWNER_PID_BITS;

/**
 * A role in a ring (its consumer, or the producer of a one-to-one ring) that one process at a time may hold,
 * recorded in a header field as the holder's pid and start time and taken with a compare-and-set. A holder whose
 * process is gone (or whose pid now belongs to a process started at another time) is replaced at once. Within a
 * process, one ring object at a time may hold it.
 */
public final class ProcessRole
{
    private static final Set<String> HELD_IN_THIS_PROCESS = ConcurrentHashMap.newKeySet();
    private static final long PID_MASK = ProcessIdentity.MAX_TOKEN_PID;

    private final AtomicBuffer header;
    private final int ownerOffset;
    private final Path path;
    private final String key;
    private final String role;
    private long token;
    private boolean held;

    /**
     * Describes a role.
     *
     * @param header      the ring's header.
     * @param ownerOffset the field holding the owner token.
     * @param path        the ring file, for messages.
     * @param role        its name, such as {@code "consumer"}.
     */
    public ProcessRole(final AtomicBuffer header, final int ownerOffset, final Path path, final String role)
    {
        this.header = header;
        this.ownerOffset = ownerOffset;
        this.path = path;
        this.key = path.toAbsolutePath().normalize() + "#" + ownerOffset;
        this.role = role;
    }

    /**
     * Whether this object holds the role.
     *
     * @return {@code true} once acquired, until released.
     */
    public boolean isHeld()
    {
        return held;
    }

    /**
     * Takes the role.
     *
     * @param detail more about the holder for the refusal message, such as its last heartbeat, or empty.
     * @return {@code true} if it was taken over from a holder that is gone (it may have died mid-call).
     * @throws RoleHeldException if a live process, or another ring object in this one, holds it.
     */
    public boolean acquire(final String detail)
    {
        final long self = currentProcessToken();
        while (true)
        {
            final long owner = header.getLongVolatile(ownerOffset);
            if (owner != self && owner != 0 && isAlive(owner))
            {
                throw new RoleHeldException(path, "already has a " + role + ": process " + (owner & PID_MASK) +
                    " (alive" + detail + "); one " + role + " at a time", owner & PID_MASK);
            }
            if (owner == self || header.compareAndSetLong(ownerOffset, owner, self))
            {
                if (!HELD_IN_THIS_PROCESS.add(key))
                {
                    final long pid = ProcessHandle.current().pid();
                    throw new RoleHeldException(path, "already has a " + role + ": another IpcRing in this process (" +
                        pid + "); one " + role + " at a time", pid);
                }
                token = self;
                held = true;
                return owner != 0 && owner != self;
            }
        }
    }

    /**
     * Gives the role back if held.
     */
    public void release()
    {
        if (held)
        {
            held = false;
            header.compareAndSetLong(ownerOffset, token, 0);
            HELD_IN_THIS_PROCESS.remove(key);
        }
    }

    /**
     * The live process holding the role.
     *
     * @return its pid, or {@code -1} if none.
     */
    public long holderPid()
    {
        final long owner = header.getLongVolatile(ownerOffset);
        return owner != 0 && isAlive(owner) ? owner & PID_MASK : -1;
    }

    /**
     * The role is held by another live process or ring object; the message names the file, the role and the pid.
     */
    public static final class RoleHeldException extends IllegalStateException
    {
        private static final long serialVersionUID = 1L;

        private final String problem;
        private final long holderPid;

        RoleHeldException(final Path path, final String problem, final long holderPid)
        {
            super("ring file " + path + " " + problem);
            this.problem = problem;
            this.holderPid = holderPid;
        }

        /**
         * The problem, without the file.
         *
         * @return the text.
         */
        public String problem()
        {
            return problem;
        }

        /**
         * The holder's pid.
         *
         * @return the pid.
         */
        public long holderPid()
        {
            return holderPid;
        }
    }

    private static long currentProcessToken()
    {
        final ProcessHandle self = ProcessHandle.current();
        return token(self.pid(), self.info().startInstant().map(Instant::getEpochSecond).orElse(0L));
    }

    /**
     * The token of a holder: its pid in the low {@link IpcRingDescriptor#OWNER_PID_BITS} bits, its start in epoch
     * seconds above them (42 bits, enough for every start after 1970 for another 139,000 years).
     *
     * @throws IllegalStateException if the pid does not fit ({@link ProcessIdentity#checkTokenPid(long)}): it is
     *                               never cut to its low bits, which would name another process.
     */
    static long token(final long pid, final long startSeconds)
    {
        return startSeconds << OWNER_PID_BITS | ProcessIdentity.checkTokenPid(pid);
    }

    private static boolean isAlive(final long owner)
    {
        final long startSeconds = owner >>> OWNER_PID_BITS;
        return ProcessHandle.of(owner & PID_MASK)
            .filter(ProcessHandle::isAlive)
            .map((handle) -> startSeconds == 0 ||
                handle.info().startInstant().map(Instant::getEpochSecond).orElse(startSeconds) == startSeconds)
            .orElse(false);
    }
}
