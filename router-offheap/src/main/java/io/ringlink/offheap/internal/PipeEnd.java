package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.MessageTooLargeException;
import io.ringlink.offheap.RingFileException;
import io.ringlink.offheap.SharedPipe;
import io.ringlink.offheap.SharedPipe.PeerGoneException;
import org.agrona.ExpandableArrayBuffer;

import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a {@link SharedPipe.End} does, behind that documented façade: the end's role in the header
 * ({@link PipeEndRole}), the ring it reads and the ring it writes ({@link PipeRing}, either absent in a one-way pipe),
 * and the {@link CloseGate} that lets it be closed while a call waits.
 * <p>
 * {@code send} and {@code recv}/{@code poll} each take a lock of their own, so each ring has one caller at a time (as
 * its one-to-one ring wants) and a send and a recv run at the same time. Waits poll with {@link Backoff#pause(int)};
 * every {@link SharedPipe#PEER_CHECK_INTERVAL} of sending or waiting a call writes this end's heartbeat and asks the
 * operating system whether the peer's holder lives (the only allocation but the decoded message). The peer wrote
 * everything it sent before its state said it was gone, so a receive that sees it gone reads what is left before it
 * raises.
 *
 * @param <T> type of message.
 */
public final class PipeEnd<T>
{
    private static final long PEER_CHECK_INTERVAL_NS = SharedPipe.PEER_CHECK_INTERVAL.toNanos();

    private final Object pipe;
    private final PipeMapping mapping;
    private final int index;
    private final Codec<T> codec;
    private final PipeEndRole role;
    private final PipeRing in;
    private final PipeRing out;
    private final CloseGate gate;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final PipeReceiver<T> receiver;
    private final PeerCheck sendCheck = new PeerCheck();
    private final PeerCheck recvCheck = new PeerCheck();

    /**
     * Takes an end of a mapped pipe for this process, recording it in the header. The end holds no reference to the
     * mapping yet: the caller {@link PipeMapping#retain() retains} one for it, which its close releases.
     *
     * @param pipe           the pipe, for messages.
     * @param mapping        the pipe's file.
     * @param index          0 or 1.
     * @param codec          encodes and decodes the messages.
     * @param closeTimeoutNs how long {@link #close()} waits for a call in progress.
     * @throws io.ringlink.offheap.RingRoleException if a live process (or another pipe object in this one) holds it.
     * @throws RingFileException                     if its last holder died holding it: the pipe is broken.
     */
    public PipeEnd(
        final Object pipe,
        final PipeMapping mapping,
        final int index,
        final Codec<T> codec,
        final long closeTimeoutNs) throws RingFileException
    {
        this.pipe = pipe;
        this.mapping = mapping;
        this.index = index;
        this.codec = codec;
        this.role = mapping.role(index);
        role.attach();
        final boolean duplex = mapping.fileHeader().duplex();
        in = duplex || index == 0 ? mapping.ring(1 - index) : null;
        out = duplex || index == 1 ? mapping.ring(index) : null;
        receiver = new PipeReceiver<>(codec, pipe);
        gate = new CloseGate("end " + index + " of " + pipe, closeTimeoutNs, this::release);
    }

    /** See {@link SharedPipe.End#index()}. */
    public int index()
    {
        return index;
    }

    /** See {@link SharedPipe.End#canSend()}. */
    public boolean canSend()
    {
        return out != null;
    }

    /** See {@link SharedPipe.End#canReceive()}. */
    public boolean canReceive()
    {
        return in != null;
    }

    /** See {@link SharedPipe.End#peerPid()}. */
    public long peerPid()
    {
        return role.peerPid();
    }

    /**
     * See {@link SharedPipe.End#send(Object)}.
     *
     * @param message the message, not {@code null}.
     * @throws PeerGoneException    if the other end was closed or its process died.
     * @throws InterruptedException if interrupted while waiting for room.
     */
    public void send(final T message) throws PeerGoneException, InterruptedException
    {
        Objects.requireNonNull(message, "message");
        if (out == null)
        {
            throw new IllegalStateException("end " + index + " of " + pipe + " only receives: in a one-way " +
                "pipe end 0 receives and end 1 sends");
        }
        sendLock.lock();
        try
        {
            gate.enterProducer();
            try
            {
                sendLocked(message);
            }
            finally
            {
                gate.exitProducer();
            }
        }
        finally
        {
            sendLock.unlock();
        }
    }

    private void sendLocked(final T message) throws PeerGoneException, InterruptedException
    {
        final int length = codec.encode(message, scratch, 0);
        if (length > out.maxMessageLength())
        {
            throw new MessageTooLargeException(length, out.maxMessageLength(), pipe);
        }
        checkPeerForSend();
        int attempt = 0;
        while (!out.offer(scratch, length))
        {
            if (gate.isClosed())
            {
                throw closedWhileWaiting();
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for room in " + pipe);
            }
            Backoff.pause(attempt++);
            checkPeerForSend();
        }
    }

    private void checkPeerForSend() throws PeerGoneException
    {
        final int status = sendCheck.peerStatus(role, System.nanoTime());
        if (status != PipeEndRole.PEER_PRESENT)
        {
            throw role.peerGone(status, pipe, "cannot send");
        }
    }

    /**
     * See {@link SharedPipe.End#recv()}.
     *
     * @return the message.
     * @throws PeerGoneException    once nothing is left and the other end is gone.
     * @throws InterruptedException if interrupted while waiting.
     */
    public T recv() throws PeerGoneException, InterruptedException
    {
        return receive(Long.MAX_VALUE);
    }

    /**
     * See {@link SharedPipe.End#recv(Duration)}.
     *
     * @param timeout how long to wait; zero or negative for not at all.
     * @return the message, or {@code null} if none came in time.
     * @throws PeerGoneException    once nothing is left and the other end is gone.
     * @throws InterruptedException if interrupted while waiting.
     */
    public T recv(final Duration timeout) throws PeerGoneException, InterruptedException
    {
        return receive(timeoutNs(timeout));
    }

    private T receive(final long timeoutNs) throws PeerGoneException, InterruptedException
    {
        checkReceives();
        recvLock.lock();
        try
        {
            gate.enterConsumer();
            try
            {
                if (in.receive(receiver) != 0 || awaitMessage(timeoutNs, true))
                {
                    return receiver.take();
                }
                return null;
            }
            finally
            {
                gate.exitConsumer();
            }
        }
        finally
        {
            recvLock.unlock();
        }
    }

    /** See {@link SharedPipe.End#poll()}. */
    public boolean poll()
    {
        try
        {
            return poll(Duration.ZERO);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * See {@link SharedPipe.End#poll(Duration)}.
     *
     * @param timeout how long to wait; zero or negative for not at all.
     * @return {@code true} if {@code recv} would not wait, {@code false} on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean poll(final Duration timeout) throws InterruptedException
    {
        checkReceives();
        recvLock.lock();
        try
        {
            gate.enterConsumer();
            try
            {
                return in.hasMessage() || awaitPeek(timeoutNs(timeout));
            }
            finally
            {
                gate.exitConsumer();
            }
        }
        finally
        {
            recvLock.unlock();
        }
    }

    private boolean awaitPeek(final long timeoutNs) throws InterruptedException
    {
        try
        {
            return awaitMessage(timeoutNs, false);
        }
        catch (final PeerGoneException ex)
        {
            return true;
        }
    }

    /**
     * Waits until a message is waiting (received into the receiver when {@code take}), the timeout passes, or
     * the peer is gone and nothing is left.
     */
    private boolean awaitMessage(final long timeoutNs, final boolean take)
        throws PeerGoneException, InterruptedException
    {
        final long deadline = timeoutNs == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + timeoutNs;
        for (int attempt = 0; ; attempt++)
        {
            if (gate.isClosed())
            {
                throw closedWhileWaiting();
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for a message from " + pipe);
            }
            final long now = System.nanoTime();
            final int status = recvCheck.peerStatus(role, now);
            if (status != PipeEndRole.PEER_PRESENT)
            {
                // the peer wrote everything before its state said so: what is left can still be read
                if (take ? in.receive(receiver) != 0 : in.hasMessage())
                {
                    return true;
                }
                throw role.peerGone(status, pipe, "nothing more to receive");
            }
            if (deadline != Long.MAX_VALUE && now - deadline >= 0)
            {
                return false;
            }
            Backoff.pause(attempt);
            if (take ? in.receive(receiver) != 0 : in.hasMessage())
            {
                return true;
            }
        }
    }

    private void checkReceives()
    {
        if (in == null)
        {
            throw new IllegalStateException("end " + index + " of " + pipe + " only sends: in a one-way pipe " +
                "end 0 receives and end 1 sends");
        }
    }

    private static long timeoutNs(final Duration timeout)
    {
        return timeout.isNegative() ? 0 : timeout.toNanos();
    }

    private IllegalStateException closedWhileWaiting()
    {
        return new IllegalStateException("end " + index + " of " + pipe + " was closed while waiting");
    }

    /** See {@link SharedPipe.End#isClosed()}. */
    public boolean isClosed()
    {
        return gate.isClosed();
    }

    /**
     * See {@link SharedPipe.End#close()}: wakes waiting calls, waits for calls in progress, then records the end
     * closed in the header and releases its reference to the mapping.
     *
     * @throws io.ringlink.offheap.RingCloseTimeoutException if a call was still running at the timeout.
     * @throws IOException                                   if the pipe's file was to be deleted and could not be.
     */
    public void close() throws IOException
    {
        gate.close("a send or recv");
    }

    private void release() throws IOException
    {
        role.close();
        mapping.release();
    }

    @Override
    public String toString()
    {
        return "end " + index + " of " + pipe;
    }

    /**
     * When one kind of call (send, or recv and poll) last wrote this end's heartbeat and asked whether the peer's
     * holder lives; each kind has its own, used under its lock.
     */
    private static final class PeerCheck
    {
        private long lastCheckNs;

        /**
         * What the peer is; every {@link SharedPipe#PEER_CHECK_INTERVAL} also writes the heartbeat and asks the
         * operating system whether the peer's holder lives.
         */
        int peerStatus(final PipeEndRole role, final long nowNs)
        {
            final boolean check = nowNs - lastCheckNs >= PEER_CHECK_INTERVAL_NS;
            if (check)
            {
                lastCheckNs = nowNs;
                role.heartbeat(System.currentTimeMillis());
            }
            return role.peerStatus(check);
        }
    }
}
