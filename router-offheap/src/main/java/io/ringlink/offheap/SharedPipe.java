package io.ringlink.offheap;

import io.ringlink.offheap.internal.PipeEnd;
import io.ringlink.offheap.internal.PipeFiles;
import io.ringlink.offheap.internal.PipeMapping;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * A pipe between two JVMs on one host: Python's {@code multiprocessing.Pipe()} for the JVM. One file holds two
 * Agrona one-to-one rings, one per direction (one ring for a one-way pipe); each process takes one of the two ends.
 * <pre>{@code
 * // JVM A                                                  // JVM B
 * try (SharedPipe<String> pipe = SharedPipe.create(         try (SharedPipe<String> pipe = SharedPipe.open(
 *     path, 1 << 16, Codecs.utf8()))                            path, Codecs.utf8()))
 * {                                                         {
 *     SharedPipe.End<String> a = pipe.end(0);                   SharedPipe.End<String> b = pipe.end(1);
 *     a.send("ping");                                           b.send(b.recv() + " pong");
 *     String reply = a.recv();                              }
 * }
 * }</pre>
 * <ul>
 *     <li><b>Ends.</b> {@link #end(int)} takes end 0 or 1 for this process, recorded in the file's header (pid and
 *     process start time). One process at a time holds an end: another that asks for it while the holder lives is
 *     refused with {@link RingRoleException} naming the holder's pid. A process may hold both ends (two threads
 *     talking). An end closed normally may be taken by another process, which continues where it stopped.</li>
 *     <li><b>Duplex</b> by default: both ends {@link End#send send} and {@link End#recv recv}. A one-way pipe
 *     ({@code create(path, capacity, codec, false)}, Python's {@code Pipe(duplex=False)}) has end 0 receive only and
 *     end 1 send only, as Python returns {@code (reader, writer)}; the other calls raise
 *     {@link IllegalStateException}.</li>
 *     <li><b>Peer closed.</b> Once the other end's holder closed it, {@code recv} returns what is still in the pipe,
 *     then raises {@link PeerGoneException} (an {@link EOFException}, as Python raises {@code EOFError}); {@code send}
 *     raises it at once (Python: {@code BrokenPipeError}).</li>
 *     <li><b>Peer killed</b> ({@code kill -9}): a waiting {@code recv} or {@code send} sees it within
 *     {@link #PEER_CHECK_INTERVAL} (0.1 s) of the process ending, then behaves as for a closed peer but the exception
 *     says it died ({@link PeerGoneException#died()}). The operating system says whether the holder lives (same pid
 *     namespace needed); a killed process counts as alive until its parent reaps it, which a JVM or a shell does at
 *     once. An end whose holder died is broken for good: a process asking for it is refused with
 *     {@link RingFileException}; create a new pipe. While the peer was never taken, {@code recv} waits for it.</li>
 *     <li><b>Waits</b> poll with back-off (spin, yield, then park up to 1 ms; no signal crosses processes), so a
 *     {@code recv} wakes within about a millisecond of a {@code send}. Nothing is allocated per call but the decoded
 *     message (and, every {@link #PEER_CHECK_INTERVAL} of sending or waiting, the liveness check's few objects).</li>
 * </ul>
 * Messages must not be {@code null} ({@link End#recv(Duration)} returns {@code null} on timeout). A message may
 * encode to at most capacity / 8 bytes ({@link MessageTooLargeException}). Never Java serialization: the
 * {@link Codec} turns messages into bytes, and its name is checked when the file is opened.
 * <p>
 * The file is created owner-only ({@code 0600}, new directories {@code 0700}) whatever the umask; opening validates
 * the header (magic, version, every length) before mapping, raising {@link RingFileException}, and never creates.
 * Closing the pipe closes the ends it holds and unmaps the file; the file stays unless the builder asked for
 * {@link Builder#deleteOnClose(boolean)}.
 *
 * @param <T> type of message.
 */
public final class SharedPipe<T> implements AutoCloseable
{
    /**
     * Ring capacity (each direction) when none is given: 1 MiB, so a message may be up to 128 KiB.
     */
    public static final int CAPACITY_DEFAULT = 1 << 20;

    /**
     * How often a waiting call asks whether the peer's process is alive: a peer killed with {@code kill -9} is seen
     * within this time.
     */
    public static final Duration PEER_CHECK_INTERVAL = Duration.ofMillis(100);

    /**
     * How long closing an end waits for a call in progress on it (a codec that blocks) before it reports it.
     */
    public static final Duration CLOSE_TIMEOUT_DEFAULT = Duration.ofSeconds(5);

    private final Path path;
    private final Codec<T> codec;
    private final PipeFiles.Header fileHeader;
    private final PipeMapping mapping;
    private final long closeTimeoutNs;
    private End<T> end0;
    private End<T> end1;
    private boolean closed;

    private SharedPipe(final Codec<T> codec, final PipeMapping mapping, final Duration closeTimeout)
    {
        this.path = mapping.path();
        this.codec = codec;
        this.fileHeader = mapping.fileHeader();
        this.mapping = mapping;
        this.closeTimeoutNs = closeTimeout.toNanos();
    }

    /**
     * Creates a duplex pipe file; refuses if it exists. Closing leaves the file.
     *
     * @param path          the file, e.g. under {@link IpcRing#defaultDirectory()}.
     * @param capacityBytes each direction's ring capacity, a power of two from 1 KiB to 512 MiB.
     * @param codec         encodes messages.
     * @param <T>           type of message.
     * @return the pipe, holding neither end yet.
     * @throws RingFileException if the file exists.
     * @throws IOException       if it cannot be created.
     */
    public static <T> SharedPipe<T> create(final Path path, final int capacityBytes, final Codec<T> codec)
        throws IOException
    {
        return create(path, capacityBytes, codec, true);
    }

    /**
     * Creates a pipe file, duplex or one-way ({@code Pipe(duplex=False)}: end 0 receives, end 1 sends); refuses if
     * it exists. Closing leaves the file.
     *
     * @param path          the file.
     * @param capacityBytes each ring's capacity, a power of two from 1 KiB to 512 MiB.
     * @param codec         encodes messages.
     * @param duplex        {@code true} for both directions, {@code false} for one-way.
     * @param <T>           type of message.
     * @return the pipe, holding neither end yet.
     * @throws RingFileException if the file exists.
     * @throws IOException       if it cannot be created.
     */
    public static <T> SharedPipe<T> create(
        final Path path, final int capacityBytes, final Codec<T> codec, final boolean duplex) throws IOException
    {
        return builder(path).codec(codec).capacity(capacityBytes).duplex(duplex).create();
    }

    /**
     * Opens an existing pipe file, duplex or one-way as it was created; never creates one.
     *
     * @param path  the file.
     * @param codec decodes messages; must match the file's codec.
     * @param <T>   type of message.
     * @return the pipe, holding neither end yet.
     * @throws RingFileException if it does not exist, is not a valid pipe file, or holds another codec.
     * @throws IOException       if it cannot be opened.
     */
    public static <T> SharedPipe<T> open(final Path path, final Codec<T> codec) throws IOException
    {
        return builder(path).codec(codec).open();
    }

    /**
     * Starts describing a pipe file: {@code SharedPipe.builder(path).capacity(1 << 16).duplex(false)
     * .codec(Codecs.utf8()).create()}, or {@code .open()} for an existing one.
     *
     * @param path the file.
     * @return the builder, with the {@code bytes} codec until {@link Builder#codec(Codec)} names another.
     */
    public static Builder<byte[]> builder(final Path path)
    {
        return new Builder<>(path, Codecs.bytes());
    }

    /**
     * Takes an end for this process, or returns it if this pipe object took it already. The first call for an end
     * records this process as its holder in the file.
     *
     * @param index 0 or 1.
     * @return the end.
     * @throws RingRoleException         if a live process (or another pipe object in this one) holds it, naming its
     *                                   pid.
     * @throws RingFileException         if its last holder died holding it: the pipe is broken.
     * @throws IllegalArgumentException  if {@code index} is not 0 or 1.
     * @throws IllegalStateException     if this pipe or that end was closed.
     */
    public synchronized End<T> end(final int index) throws RingFileException
    {
        if (index != 0 && index != 1)
        {
            throw new IllegalArgumentException("end index " + index + " must be 0 or 1");
        }
        if (closed)
        {
            throw new IllegalStateException(this + " is closed");
        }
        End<T> end = index == 0 ? end0 : end1;
        if (end == null)
        {
            end = new End<>(new PipeEnd<>(this, mapping, index, codec, closeTimeoutNs));
            mapping.retain();
            if (index == 0)
            {
                end0 = end;
            }
            else
            {
                end1 = end;
            }
        }
        else if (end.isClosed())
        {
            throw new IllegalStateException("end " + index + " of " + this + " was closed; open the pipe again to " +
                "take it again");
        }
        return end;
    }

    /**
     * The pipe file.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * Whether both ends send and receive.
     *
     * @return {@code false} for a one-way pipe (end 0 receives, end 1 sends).
     */
    public boolean isDuplex()
    {
        return fileHeader.duplex();
    }

    /**
     * Bytes each ring holds.
     *
     * @return the capacity.
     */
    public int capacity()
    {
        return fileHeader.capacity();
    }

    /**
     * The longest encoded message: capacity / 8.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return fileHeader.capacity() >> 3;
    }

    /**
     * Closes the ends this object holds (each waits for calls in progress on it, bounded by the close timeout, and
     * wakes those waiting), then unmaps the file once no end uses it, and deletes it if the pipe was built with
     * {@code deleteOnClose}. Idempotent.
     *
     * @throws IOException if an end's close timed out ({@link RingCloseTimeoutException}) or deleting failed.
     */
    @Override
    public void close() throws IOException
    {
        final End<T> first;
        final End<T> second;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            first = end0;
            second = end1;
        }
        mapping.closeWith(first == null ? null : first::close, second == null ? null : second::close);
    }

    @Override
    public String toString()
    {
        return "SharedPipe[" + path + ", " + (fileHeader.duplex() ? "duplex" : "one-way") + ", capacity " +
            fileHeader.capacity() + ", codec " + fileHeader.codecName() + "]";
    }

    /**
     * One end of a pipe, held by this process until closed. {@code send} may be called from any thread, as may
     * {@code recv} and {@code poll} (each kind one call at a time, in turn; a send and a recv run at the same time);
     * {@link #close()} from any thread, also while another is waiting in a call, which then raises
     * {@link IllegalStateException}.
     *
     * @param <T> type of message.
     */
    public static final class End<T> implements AutoCloseable
    {
        private final PipeEnd<T> end;

        private End(final PipeEnd<T> end)
        {
            this.end = end;
        }

        /**
         * Which end this is.
         *
         * @return 0 or 1.
         */
        public int index()
        {
            return end.index();
        }

        /**
         * Whether this end sends: every end of a duplex pipe, end 1 of a one-way pipe.
         *
         * @return {@code true} if {@link #send(Object)} is allowed.
         */
        public boolean canSend()
        {
            return end.canSend();
        }

        /**
         * Whether this end receives: every end of a duplex pipe, end 0 of a one-way pipe.
         *
         * @return {@code true} if {@link #recv()} and {@link #poll(Duration)} are allowed.
         */
        public boolean canReceive()
        {
            return end.canReceive();
        }

        /**
         * The process recorded as holding the other end.
         *
         * @return its pid, or {@code -1} if nobody holds it.
         */
        public long peerPid()
        {
            return end.peerPid();
        }

        /**
         * Sends a message, waiting while the pipe is full.
         *
         * @param message the message, not {@code null}.
         * @throws PeerGoneException        if the other end was closed or its process died (then what this end sent
         *                                  and the other did not receive stays unread).
         * @throws MessageTooLargeException if it encodes to more than capacity / 8 bytes; nothing is sent.
         * @throws IllegalStateException    if this end only receives (end 0 of a one-way pipe) or is closed.
         * @throws InterruptedException     if interrupted while waiting for room.
         */
        public void send(final T message) throws PeerGoneException, InterruptedException
        {
            end.send(message);
        }

        /**
         * Receives the next message, waiting for one.
         *
         * @return the message.
         * @throws PeerGoneException    once nothing is left and the other end was closed or its process died.
         * @throws CodecException       if the message does not decode (it is dropped).
         * @throws IllegalStateException if this end only sends (end 1 of a one-way pipe) or is closed.
         * @throws InterruptedException if interrupted while waiting.
         */
        public T recv() throws PeerGoneException, InterruptedException
        {
            return end.recv();
        }

        /**
         * Receives the next message, waiting up to the timeout for one.
         *
         * @param timeout how long to wait; zero or negative for not at all.
         * @return the message, or {@code null} if none came in time.
         * @throws PeerGoneException    once nothing is left and the other end was closed or its process died.
         * @throws CodecException       if the message does not decode (it is dropped).
         * @throws IllegalStateException if this end only sends (end 1 of a one-way pipe) or is closed.
         * @throws InterruptedException if interrupted while waiting.
         */
        public T recv(final Duration timeout) throws PeerGoneException, InterruptedException
        {
            return end.recv(timeout);
        }

        /**
         * Whether a message is waiting, or {@link #recv()} would raise at once because the other end is gone (as
         * Python's {@code poll} is true at end of file), without taking anything or waiting.
         *
         * @return {@code true} if {@code recv} would not wait.
         * @throws IllegalStateException if this end only sends (end 1 of a one-way pipe) or is closed.
         */
        public boolean poll()
        {
            return end.poll();
        }

        /**
         * Waits up to the timeout until a message is waiting, or {@link #recv()} would raise at once because the
         * other end is gone; takes nothing.
         *
         * @param timeout how long to wait; zero or negative for not at all.
         * @return {@code true} if {@code recv} would not wait, {@code false} on timeout.
         * @throws IllegalStateException if this end only sends (end 1 of a one-way pipe) or is closed.
         * @throws InterruptedException  if interrupted while waiting.
         */
        public boolean poll(final Duration timeout) throws InterruptedException
        {
            return end.poll(timeout);
        }

        /**
         * Whether {@link #close()} was called.
         *
         * @return {@code true} once closed.
         */
        public boolean isClosed()
        {
            return end.isClosed();
        }

        /**
         * Gives the end back: wakes calls waiting on it (they raise {@link IllegalStateException}), waits for calls
         * in progress (bounded by the close timeout), then records in the file that it was closed, so that the other
         * end's {@code recv} raises {@link PeerGoneException} once it has read everything this end sent.
         * Idempotent.
         *
         * @throws RingCloseTimeoutException if a call was still running at the timeout (a codec that blocks); the
         *                                   end is given back when it returns.
         * @throws IOException               if the pipe's file was to be deleted and could not be.
         */
        @Override
        public void close() throws IOException
        {
            end.close();
        }

        @Override
        public String toString()
        {
            return end.toString();
        }
    }

    /**
     * The other end is gone: its holder closed it ({@link #died()} {@code false}, Python's {@code EOFError} on
     * {@code recv}, {@code BrokenPipeError} on {@code send}) or its process ended without closing it
     * ({@link #died()} {@code true}). {@code recv} raises it only once the pipe holds nothing more.
     */
    public static final class PeerGoneException extends EOFException
    {
        private static final long serialVersionUID = 1L;

        private final long peerPid;
        private final boolean died;

        /**
         * The other end is gone.
         *
         * @param message what happened and what could not be done, naming the pipe and the end.
         * @param peerPid the process that held the other end, or {@code -1} if not known.
         * @param died    whether that process ended without closing it.
         */
        public PeerGoneException(final String message, final long peerPid, final boolean died)
        {
            super(message);
            this.peerPid = peerPid;
            this.died = died;
        }

        /**
         * The process that held the other end.
         *
         * @return its pid, or {@code -1} if not known.
         */
        public long peerPid()
        {
            return peerPid;
        }

        /**
         * Whether the other end's process ended without closing it ({@code kill -9}, a crash).
         *
         * @return {@code true} if it died, {@code false} if it closed its end.
         */
        public boolean died()
        {
            return died;
        }
    }

    /**
     * Describes a pipe file to create or open; {@link #create()} checks the values once.
     *
     * @param <T> type of message, from the codec.
     */
    public static final class Builder<T>
    {
        private final Path path;
        private final Codec<T> codec;
        private int capacity = CAPACITY_DEFAULT;
        private boolean duplex = true;
        private boolean deleteOnClose;
        private Duration closeTimeout = CLOSE_TIMEOUT_DEFAULT;

        private Builder(final Path path, final Codec<T> codec)
        {
            this.path = Objects.requireNonNull(path, "path");
            this.codec = codec;
        }

        private <U> Builder<U> copyTo(final Builder<U> other)
        {
            other.capacity = capacity;
            other.duplex = duplex;
            other.deleteOnClose = deleteOnClose;
            other.closeTimeout = closeTimeout;
            return other;
        }

        /**
         * Bytes each ring holds, a power of two from 1 KiB to 512 MiB; {@link #CAPACITY_DEFAULT} by default. A
         * message may encode to at most capacity / 8 bytes.
         *
         * @param capacityBytes the capacity.
         * @return this builder.
         */
        public Builder<T> capacity(final int capacityBytes)
        {
            this.capacity = capacityBytes;
            return this;
        }

        /**
         * Whether both ends send and receive ({@code true}, the default) or end 0 only receives and end 1 only
         * sends ({@code false}, Python's {@code Pipe(duplex=False)}). Only for {@link #create()}: an opened pipe is
         * as it was created.
         *
         * @param duplex the flag.
         * @return this builder.
         */
        public Builder<T> duplex(final boolean duplex)
        {
            this.duplex = duplex;
            return this;
        }

        /**
         * The codec of the messages.
         *
         * @param codec the codec; an opened file must hold this codec's messages.
         * @param <U>   its message type.
         * @return a builder for that type, with this one's other values.
         */
        public <U> Builder<U> codec(final Codec<U> codec)
        {
            return copyTo(new Builder<>(path, Objects.requireNonNull(codec, "codec")));
        }

        /**
         * Whether closing this pipe object deletes the file (processes that have it open keep using it);
         * {@code false} by default.
         *
         * @param deleteOnClose the flag.
         * @return this builder.
         */
        public Builder<T> deleteOnClose(final boolean deleteOnClose)
        {
            this.deleteOnClose = deleteOnClose;
            return this;
        }

        /**
         * How long closing an end waits for a call in progress on it before it reports it;
         * {@link #CLOSE_TIMEOUT_DEFAULT} by default. Waiting calls wake at once; only a codec that blocks delays it.
         *
         * @param closeTimeout the timeout, positive.
         * @return this builder.
         */
        public Builder<T> closeTimeout(final Duration closeTimeout)
        {
            this.closeTimeout = closeTimeout;
            return this;
        }

        /**
         * Creates the file, owner-only, and maps it.
         *
         * @return the pipe, holding neither end yet.
         * @throws RingFileException        if the file exists.
         * @throws IOException              if it cannot be written or mapped.
         * @throws IllegalArgumentException if a value is out of range, naming it.
         */
        public SharedPipe<T> create() throws IOException
        {
            checkTimeout();
            PipeFiles.create(path, duplex, capacity, codec.name());
            return map();
        }

        /**
         * Opens an existing pipe file after checking its header; never creates anything.
         *
         * @return the pipe, holding neither end yet.
         * @throws RingFileException if it does not exist, is not a valid pipe file, or holds another codec; nothing
         *                           is modified.
         * @throws IOException       if it cannot be read or mapped.
         */
        public SharedPipe<T> open() throws IOException
        {
            checkTimeout();
            return map();
        }

        private SharedPipe<T> map() throws IOException
        {
            return new SharedPipe<>(codec, PipeMapping.map(path, PipeFiles.validate(path, codec.name()), deleteOnClose),
                closeTimeout);
        }

        private void checkTimeout()
        {
            if (closeTimeout == null || closeTimeout.isNegative() || closeTimeout.isZero())
            {
                throw new IllegalArgumentException("closeTimeout " + closeTimeout + " must be positive");
            }
        }
    }
}
