package io.ringlink.offheap;

import java.nio.file.Path;

/**
 * A role of a ring file that one process at a time may hold (its consumer, or the producer of a
 * {@link RingKind#ONE_TO_ONE} ring) is held by another live process, or by another ring object in this one. Raised
 * when the role is taken, before anything is read or written.
 */
public class RingRoleException extends RingFileException
{
    private static final long serialVersionUID = 1L;

    private final long holderPid;

    /**
     * Creates the exception.
     *
     * @param file      the ring file.
     * @param problem   which role, and who holds it.
     * @param holderPid the holder's pid, this process's own when another ring object here holds it.
     */
    public RingRoleException(final Path file, final String problem, final long holderPid)
    {
        super(file, problem);
        this.holderPid = holderPid;
    }

    /**
     * The process that holds the role.
     *
     * @return its pid.
     */
    public long holderPid()
    {
        return holderPid;
    }
}
