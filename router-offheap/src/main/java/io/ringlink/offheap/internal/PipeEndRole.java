package io.ringlink.offheap.internal;

import io.ringlink.offheap.RingFileException;
import io.ringlink.offheap.RingRoleException;
import io.ringlink.offheap.SharedPipe.PeerGoneException;
import org.agrona.concurrent.AtomicBuffer;

import java.nio.file.Path;

import static io.ringlink.offheap.internal.SharedPipeDescriptor.END_HEARTBEAT_FIELD;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.END_OWNER_FIELD;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.END_STATE_FIELD;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.STATE_BROKEN;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.STATE_CLOSED;
import static io.ringlink.offheap.internal.SharedPipeDescriptor.STATE_OPEN;

/**
 * One end of a {@code SharedPipe} as the header records it, and what this end sees of the other: the holder (a
 * {@link ProcessRole}: pid and process start time, taken with a compare-and-set), the end's state and the holder's
 * heartbeat.
 * <p>
 * The peer is judged from its fields: {@link #PEER_CLOSED} once its holder closed it (state closed, owner cleared),
 * {@link #PEER_DIED} once its holder's process is gone without closing it (or a process that tried to take it found
 * that and marked it broken), else {@link #PEER_PRESENT} (also while it was never taken: a peer may attach later). Is
 * the holder's process alive is asked of the operating system ({@code ProcessHandle}), which costs a few
 * microseconds and allocates, so callers ask it only now and then ({@code checkLiveness}).
 */
public final class PipeEndRole
{
    /**
     * The peer end is held by a live process, or was never held.
     */
    public static final int PEER_PRESENT = 0;

    /**
     * The peer end's holder closed it and nobody holds it now.
     */
    public static final int PEER_CLOSED = 1;

    /**
     * The peer end's holder died holding it.
     */
    public static final int PEER_DIED = 2;

    private static final long PID_MASK = ProcessIdentity.MAX_TOKEN_PID;

    private final AtomicBuffer header;
    private final Path path;
    private final int index;
    private final int ownerOffset;
    private final int stateOffset;
    private final int heartbeatOffset;
    private final int peerOwnerOffset;
    private final int peerStateOffset;
    private final int peerHeartbeatOffset;
    private final ProcessRole role;
    private final ProcessRole peerRole;

    /**
     * Describes an end of a mapped pipe.
     *
     * @param header the pipe's header.
     * @param path   the pipe file, for messages.
     * @param index  0 or 1.
     */
    public PipeEndRole(final AtomicBuffer header, final Path path, final int index)
    {
        this.header = header;
        this.path = path;
        this.index = index;
        this.ownerOffset = SharedPipeDescriptor.endOffset(index, END_OWNER_FIELD);
        this.stateOffset = SharedPipeDescriptor.endOffset(index, END_STATE_FIELD);
        this.heartbeatOffset = SharedPipeDescriptor.endOffset(index, END_HEARTBEAT_FIELD);
        this.peerOwnerOffset = SharedPipeDescriptor.endOffset(1 - index, END_OWNER_FIELD);
        this.peerStateOffset = SharedPipeDescriptor.endOffset(1 - index, END_STATE_FIELD);
        this.peerHeartbeatOffset = SharedPipeDescriptor.endOffset(1 - index, END_HEARTBEAT_FIELD);
        this.role = new ProcessRole(header, ownerOffset, path,
            "holder of end " + index);
        this.peerRole = new ProcessRole(header, peerOwnerOffset, path, "holder of end " + (1 - index));
    }

    /**
     * Takes the end for this process.
     *
     * @throws RingRoleException if a live process (or another pipe object in this one) holds it, naming its pid.
     * @throws RingFileException if its last holder died holding it: the pipe is broken for good.
     */
    public void attach() throws RingFileException
    {
        if (header.getIntVolatile(stateOffset) == STATE_BROKEN)
        {
            throw broken();
        }
        final long previous = header.getLongVolatile(ownerOffset);
        final boolean tookOver;
        try
        {
            tookOver = role.acquire(", last heartbeat " + ago(header.getLongVolatile(heartbeatOffset)));
        }
        catch (final ProcessRole.RoleHeldException ex)
        {
            throw new RingRoleException(path, ex.problem(), ex.holderPid());
        }
        if (tookOver && header.getIntVolatile(stateOffset) != STATE_CLOSED)
        {
            // its holder died holding it: messages it was writing or reading may be half done; tell the peer
            header.putIntVolatile(stateOffset, STATE_BROKEN);
            role.release();
            header.compareAndSetLong(ownerOffset, 0, previous);
            throw new RingFileException(path, "end " + index + " was held by process " + (previous & PID_MASK) +
                ", which died without closing it: the pipe is broken; create a new one");
        }
        header.putIntVolatile(stateOffset, STATE_OPEN);
        heartbeat(System.currentTimeMillis());
    }

    /**
     * Marks the end closed and gives it back, if this object holds it. Everything this end wrote before is visible
     * to a peer that sees the closed state.
     */
    public void close()
    {
        if (role.isHeld())
        {
            header.putIntVolatile(stateOffset, STATE_CLOSED);
            role.release();
        }
    }

    /**
     * Records that the holder is alive now.
     *
     * @param nowMs epoch milliseconds.
     */
    public void heartbeat(final long nowMs)
    {
        header.putLongRelease(heartbeatOffset, nowMs);
    }

    /**
     * What the peer end is now.
     *
     * @param checkLiveness whether to ask the operating system if the peer's holder is alive (slow, allocates); if
     *                      not, a peer that died is seen only once a process marked its end broken.
     * @return {@link #PEER_PRESENT}, {@link #PEER_CLOSED} or {@link #PEER_DIED}.
     */
    public int peerStatus(final boolean checkLiveness)
    {
        final int state = header.getIntVolatile(peerStateOffset);
        if (state == STATE_BROKEN)
        {
            return PEER_DIED;
        }
        final long owner = header.getLongVolatile(peerOwnerOffset);
        if (owner == 0)
        {
            // a holder closes by storing the closed state, then clearing the owner; one attaching does the reverse
            return state == STATE_CLOSED ? PEER_CLOSED : PEER_PRESENT;
        }
        if (!checkLiveness || peerRole.holderPid() != -1)
        {
            return PEER_PRESENT;
        }
        final long ownerNow = header.getLongVolatile(peerOwnerOffset);
        if (ownerNow == 0)
        {
            return header.getIntVolatile(peerStateOffset) == STATE_CLOSED ? PEER_CLOSED : PEER_PRESENT;
        }
        return ownerNow == owner ? PEER_DIED : PEER_PRESENT;
    }

    /**
     * The pid last recorded as holding the peer end, live or not.
     *
     * @return the pid, or {@code -1} if none.
     */
    public long peerPid()
    {
        final long owner = header.getLongVolatile(peerOwnerOffset);
        return owner == 0 ? -1 : owner & PID_MASK;
    }

    /**
     * How long ago the peer's holder last showed it was alive, for messages.
     *
     * @return such as {@code "120 ms ago"} or {@code "never"}.
     */
    public String peerHeartbeat()
    {
        return ago(header.getLongVolatile(peerHeartbeatOffset));
    }

    /**
     * The exception for a peer that is gone, saying how it went.
     *
     * @param status      {@link #PEER_CLOSED} or {@link #PEER_DIED}, as {@link #peerStatus(boolean)} said.
     * @param pipe        the pipe, for the message.
     * @param consequence what the caller could not do, such as {@code "cannot send"}.
     * @return the exception, naming the peer's pid and, if it died, its last heartbeat.
     */
    public PeerGoneException peerGone(final int status, final Object pipe, final String consequence)
    {
        final long pid = peerPid();
        final String who = pid == -1 ? "its holder" : "its holder, process " + pid + ",";
        return status == PEER_CLOSED ?
            new PeerGoneException(pipe + ": end " + (1 - index) + " was closed; " + consequence, pid, false) :
            new PeerGoneException(pipe + ": end " + (1 - index) + " is gone: " + who + " died without " +
                "closing it (last heartbeat " + peerHeartbeat() + "); " + consequence, pid, true);
    }

    private RingFileException broken()
    {
        return new RingFileException(path, "end " + index + " is broken: its holder died without closing it; " +
            "create a new pipe");
    }

    private static String ago(final long heartbeatMs)
    {
        return heartbeatMs == 0 ? "never" : (System.currentTimeMillis() - heartbeatMs) + " ms ago";
    }
}
