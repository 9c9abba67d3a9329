package io.ringlink.offheap;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Sink;
import io.ringlink.WaitStrategy;
import io.ringlink.offheap.internal.IdleStrategies;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A queue between JVMs on one host, over a {@link RingKind#MANY_TO_ONE} {@link IpcRing}: Python's
 * {@code multiprocessing.Queue} for the JVM, with the {@link java.util.concurrent.BlockingQueue} method forms.
 * <pre>{@code
 * // JVM A                                                  // JVM B
 * SharedQueue<String> q = SharedQueue.create(path, 1 << 20,  SharedQueue<String> q = SharedQueue.open(path,
 *     Codecs.utf8());                                           Codecs.utf8());
 * String job = q.take();                                    q.put("job-1");
 * }</pre>
 * Elements must not be {@code null} ({@link NullPointerException}), as in a {@code BlockingQueue}.
 * <p>
 * <b>Producers and consumers.</b> Any number of JVMs and threads may put, and any number may take: each element goes
 * to exactly one taker. Per producer (one thread putting), elements are taken in the order put, so the elements one
 * consumer gets from one producer are in that producer's order. The takes of all consumers are serialised by a take
 * lock in the file's header: a take holds it for microseconds (it copies one record out, frees it, gives the lock
 * back, then decodes), never while user code runs.
 * <p>
 * <b>A consumer killed with -9.</b> An element is <em>taken</em> when its take frees it from the file, just before
 * the take returns it; a killed consumer loses exactly the elements it had taken and not finished with: at most one
 * per thread of it that was taking or handling an element (its take returned or was returning). An element whose
 * take had not freed it stays in the file and goes to another consumer; no element is ever handed to two takes. A
 * consumer killed while holding the take lock holds up the others for about a millisecond once its process is gone
 * (exited, or a zombie not yet reaped: the others see that the process its lock names, by pid and start time, is
 * gone, and take the lock over); the next holder finishes what the dead one left (a free under way).
 * <p>
 * <b>A consumer stopped while holding the take lock</b> (SIGSTOP or Ctrl-Z, a debugger, a long GC pause, a frozen
 * container) is alive, so the lock is never taken from it: the other consumers wait for as long as it is stopped
 * ({@code take} and the timed {@code poll} keep waiting; {@code poll()} returns {@code null} at once, as Python's
 * {@code get_nowait()}), and once it runs again it finishes its take and gives the lock back; nothing is lost or taken
 * twice. Each waiter logs a warning once a hold has lasted the
 * take lease ({@link #TAKE_LEASE_DEFAULT}, or {@link Builder#takeLease(Duration)}), a warning threshold only. Kill a
 * consumer that stays stopped, and the others take over as from any dead one.
 * <p>
 * {@link #size()}, {@link #isEmpty()} and {@link #isFull()} are exact across all JVMs: the header counts elements put
 * (just before each commit) and taken (with the free), so right after {@code put} returns the element is counted until
 * someone takes it, and once every take has returned, {@code size()} is the number waiting. {@code maxSize} is exact
 * with producers in any number of JVMs. Capacity is in bytes; an element may be at most capacity / 8 bytes encoded.
 * Waits poll the ring with back-off (there is no cross-process signal), so a blocked {@code take} wakes within about a
 * millisecond of a {@code put} in another JVM.
 * <p>
 * <b>As a Python {@code JoinableQueue}.</b> {@link #taskDone()} counts in the file with a compare-and-set and refuses
 * to count more than were taken by all consumers; {@link #join()} in any JVM waits until every element put is done.
 * An element taken by a consumer that died before its {@code taskDone()} stays unfinished, as in Python, so
 * {@code join()} then waits for ever: use {@link #join(Duration)}, and {@link #unfinishedCount()} to see it.
 * <p>
 * <b>In a router.</b> A queue is also a {@link io.ringlink.Source} and a {@link Sink}: {@code RingLink.link(queue,
 * out)} and {@code Router.read(queue)} consume it (at-least-once, as an {@code ipc:} source: an element leaves the file
 * only once every sink has it), {@code RingLink.link(in, queue)} and {@code Router.write(queue)} put into it. A router
 * keeps elements it read in the file until its sinks have them, which other takers would take again, so its first read
 * takes the queue's <em>exclusive consumer</em> role (waiting for a take in progress): while its process is alive,
 * takes by others are refused with {@link IllegalStateException} naming its pid, and a second router is refused too.
 * Once it closes, or its process dies, takes work again (after a kill, they take the elements its sinks did not all
 * get, again). Its {@link #endpoint()} is the file, so a link from a queue to itself is refused. The router then owns
 * the queue and closes it; do not also {@code take} from a queue object a router reads.
 *
 * @param <T> type of element.
 */
public final class SharedQueue<T> implements AcknowledgingSource<T>, Sink<T>, RingWaits.AvailableReader<T>
{
    /**
     * How long one take of another consumer whose process is alive may hold the take lock before a waiting taker logs
     * a warning (a take holds it for microseconds; the waiter keeps waiting, as the lock is never taken from a live
     * process; a consumer killed with -9 is taken over from within about a millisecond of its process being gone):
     * 5 seconds.
     */
    public static final Duration TAKE_LEASE_DEFAULT = Duration.ofSeconds(5);

    private final IpcRing ring;
    private final QueuePuts<T> puts;
    private final QueueTakes<T> takes;
    private final QueueTasks tasks;
    private final IdleStrategy readIdle = IdleStrategies.of(WaitStrategy.BLOCKING);
    private final BackgroundTakes<T> backgroundTakes;

    private SharedQueue(final IpcRing ring, final Codec<T> codec)
    {
        this.ring = ring;
        this.puts = new QueuePuts<>(ring, codec);
        this.takes = new QueueTakes<>(ring, codec);
        this.tasks = new QueueTasks(ring);
        this.backgroundTakes = new BackgroundTakes<>(ring, takes, puts);
    }

    /**
     * Creates a queue file; refuses if it exists. Closing leaves the file for others.
     *
     * @param path          the file, e.g. under {@link IpcRing#defaultDirectory()}.
     * @param capacityBytes ring capacity, a power of two from 1 KiB to 1 GiB.
     * @param codec         encodes elements.
     * @param <T>           type of element.
     * @return the queue.
     * @throws RingFileException if the file exists.
     * @throws IOException       if it cannot be created.
     */
    public static <T> SharedQueue<T> create(final Path path, final int capacityBytes, final Codec<T> codec)
        throws IOException
    {
        return create(path, capacityBytes, codec, false);
    }

    /**
     * Creates a queue file; refuses if it exists.
     *
     * @param path          the file.
     * @param capacityBytes ring capacity, a power of two from 1 KiB to 1 GiB.
     * @param codec         encodes elements.
     * @param deleteOnClose whether {@link #close()} deletes the file.
     * @param <T>           type of element.
     * @return the queue.
     * @throws RingFileException if the file exists.
     * @throws IOException       if it cannot be created.
     */
    public static <T> SharedQueue<T> create(
        final Path path, final int capacityBytes, final Codec<T> codec, final boolean deleteOnClose) throws IOException
    {
        return builder(path).codec(codec).capacity(capacityBytes).deleteOnClose(deleteOnClose).create();
    }

    /**
     * Opens an existing queue file.
     *
     * @param path  the file.
     * @param codec decodes elements; must match the file's codec.
     * @param <T>   type of element.
     * @return the queue.
     * @throws RingFileException if it is not a valid ring file, holds another codec, or is not many-to-one.
     * @throws IOException       if it cannot be opened.
     */
    public static <T> SharedQueue<T> open(final Path path, final Codec<T> codec) throws IOException
    {
        return builder(path).codec(codec).open();
    }

    /**
     * Starts describing a queue file: {@code SharedQueue.builder(path).capacity(1 << 20).codec(Codecs.utf8())
     * .create()}, or {@code .open()} for an existing one.
     *
     * @param path the file.
     * @return the builder, with the {@code bytes} codec until {@link Builder#codec(Codec)} names another.
     */
    public static Builder<byte[]> builder(final Path path)
    {
        return new Builder<>(path, Codecs.bytes());
    }

    /**
     * The queue file.
     *
     * @return the path.
     */
    public Path path()
    {
        return ring.path();
    }

    /**
     * The ring under the queue, for tests in this package.
     */
    IpcRing ring()
    {
        return ring;
    }

    /**
     * Adds an element if there is room now, without waiting, as Python's {@code put_nowait()}: producers take no lock
     * across processes (a put claims its room with one compare-and-set), so no stopped producer or consumer holds it
     * up; another thread of this JVM putting into the same queue object is waited for (one encode and copy).
     *
     * @param element the element.
     * @return {@code true} if added, {@code false} if full.
     * @throws MessageTooLargeException if it encodes to more than capacity / 8 bytes.
     */
    public boolean offer(final T element)
    {
        return puts.offer(element);
    }

    /**
     * Adds an element, waiting up to the timeout for room.
     *
     * @param element the element.
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return {@code true} if added, {@code false} if still full.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean offer(final T element, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return puts.offer(element, unit.toNanos(timeout));
    }

    /**
     * Adds an element, waiting for room.
     *
     * @param element the element.
     * @throws InterruptedException if interrupted while waiting.
     */
    public void put(final T element) throws InterruptedException
    {
        puts.offer(element, Long.MAX_VALUE);
    }

    /**
     * Adds an element if there is room now.
     *
     * @param element the element.
     * @return {@code true}.
     * @throws IllegalStateException if the queue is full.
     */
    public boolean add(final T element)
    {
        if (!offer(element))
        {
            throw new IllegalStateException("queue " + ring.path() + " is full (" + (ring.maxSize() > 0 ?
                size() + " of maxSize " + ring.maxSize() + " messages; " : "") + ring.remainingBytes() + " of " +
                ring.capacity() + " bytes free)");
        }
        return true;
    }

    /**
     * Takes the head element if there is one and the take lock is free, without waiting, as Python's
     * {@code get_nowait()} ({@code get(block=False)} tries the reader lock once and raises {@code Empty}): it returns
     * {@code null} at once also when elements are waiting but another consumer holds the take lock (its take lasts
     * microseconds; a consumer stopped while taking holds it for as long as it is stopped). Use
     * {@link #poll(long, TimeUnit)} or {@link #take()} to wait for a take in progress. A holder whose process is gone
     * is taken over by the poll that finds the same hold a millisecond after a poll of this queue object first saw it
     * (its process is then checked, as a waiting take does), so right after a consumer is killed holding the lock,
     * polls return {@code null} for about a millisecond. Another thread of this JVM taking from the same queue object
     * is waited for (one take, microseconds).
     *
     * @return the element, or {@code null} if empty or another live process is taking.
     * @throws IllegalStateException if a router or an {@code ipc:} reader in a live process reads this queue (the
     *                               exclusive consumer role), naming its pid.
     * @throws CodecException        if the element's bytes do not decode; the element is taken all the same.
     */
    public T poll()
    {
        return takes.poll();
    }

    /**
     * Takes the head element, waiting up to the timeout for one.
     *
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return the element, or {@code null} if none came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public T poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return takes.poll(unit.toNanos(timeout));
    }

    /**
     * Takes the head element, waiting for one.
     *
     * @return the element.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if a router or an {@code ipc:} reader in a live process reads this queue (naming
     *                               its pid), or it was closed meanwhile.
     */
    public T take() throws InterruptedException
    {
        return takes.poll(Long.MAX_VALUE);
    }

    /**
     * Takes the head element.
     *
     * @return the element.
     * @throws NoSuchElementException if the queue is empty, or another consumer holds the take lock (as for
     *                                {@link #poll()}, which it calls).
     */
    public T remove()
    {
        final T element = poll();
        if (element == null)
        {
            final int waiting = size();
            throw new NoSuchElementException("queue " + ring.path() + (waiting == 0 ? " is empty" : " holds " +
                waiting + " element(s), but another consumer holds the take lock (a take in progress)"));
        }
        return element;
    }

    /**
     * Takes the head element in the background: the future completes when an element arrives, or exceptionally with
     * {@link CancellationException} when the queue is closed first. Futures complete in the order they were asked.
     * A future cancelled before its element was taken leaves the element in the file for the next take; in the rare
     * case that it is cancelled while its element is being taken, the element is put back at the tail of the queue
     * (after those put meanwhile), so nothing taken from the file is lost.
     *
     * @return the future.
     */
    public CompletableFuture<T> takeAsync()
    {
        return backgroundTakes.takeAsync();
    }

    /**
     * Hands up to {@code limit} elements to the handler, waiting up to about 50 ms for one: the source side in a
     * router. Elements stay in the file until {@link #onDelivered(long)} says every sink has them. An element that
     * does not decode is skipped and logged.
     *
     * @param handler receives each element.
     * @param limit   the most elements.
     * @return the number handed, 0 if none came, {@link #END_OF_STREAM} once the queue is closed.
     * @throws InterruptedException if interrupted while waiting.
     */
    @Override
    public int read(final MessageHandler<? super T> handler, final int limit) throws InterruptedException
    {
        final int read = RingWaits.read(ring, this, handler, limit, readIdle);
        if (read == 0 && Thread.interrupted())
        {
            throw new InterruptedException("interrupted while waiting on queue " + ring.path());
        }
        return read;
    }

    @Override
    public int readAvailable(final MessageHandler<? super T> handler, final int limit)
    {
        return takes.readAvailable(handler, limit);
    }

    @Override
    public void onDelivered(final long messages)
    {
        takes.onDelivered(messages);
    }

    @Override
    public long backlog()
    {
        return ring.isClosed() ? 0 : ring.unreadCount();
    }

    /**
     * Puts an element, waiting for room: the sink side in a router.
     *
     * @param message the element.
     * @throws InterruptedException if interrupted while waiting.
     */
    @Override
    public void onMessage(final T message) throws InterruptedException
    {
        put(message);
    }

    /**
     * The queue file: links compare it by value, so a link from a queue to the same file is a cycle.
     *
     * @return the path.
     */
    @Override
    public Object endpoint()
    {
        return ring.path();
    }

    @Override
    public String name()
    {
        return "queue:" + ring.path();
    }

    /**
     * Marks one taken element as processed, as {@code JoinableQueue.task_done()}: any consumer, in any JVM, calls it
     * once per element it took; {@link #join()} in any JVM returns once every element put is done.
     *
     * @throws IllegalStateException if called more often than elements were taken (from this queue file, by all
     *                               consumers), as Python raises {@code ValueError}.
     */
    public void taskDone()
    {
        tasks.taskDone();
    }

    /**
     * Elements put and not yet marked done: queued, taken and being processed, or taken by a consumer that died
     * before its {@link #taskDone()} (those stay unfinished: {@code join()} then waits for ever, as in Python;
     * use {@link #join(Duration)}).
     *
     * @return the count, across all JVMs.
     */
    public long unfinishedCount()
    {
        return tasks.unfinished();
    }

    /**
     * Waits until every element put (by any JVM, up to now and meanwhile) has been taken and marked done with
     * {@link #taskDone()}, as {@code JoinableQueue.join()}.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void join() throws InterruptedException
    {
        tasks.join(Long.MAX_VALUE);
    }

    /**
     * Waits up to the timeout until every element put has been taken and marked done.
     *
     * @param timeout the longest wait.
     * @return {@code true} if all were done, {@code false} on timeout.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean join(final Duration timeout) throws InterruptedException
    {
        return tasks.join(timeout.toNanos());
    }

    /**
     * Elements in the queue, from the header counters: exact, across all JVMs.
     *
     * @return the count.
     */
    public int size()
    {
        return (int)Math.min(Integer.MAX_VALUE, ring.size());
    }

    /**
     * Whether the queue is empty, from the header counters.
     *
     * @return {@code true} if no element is waiting.
     */
    public boolean isEmpty()
    {
        return size() == 0;
    }

    /**
     * Whether an {@code offer} would be refused now: the queue holds {@code maxSize} messages, or its ring has no
     * room for even an empty element.
     *
     * @return {@code true} when full.
     */
    public boolean isFull()
    {
        final int maxSize = ring.maxSize();
        return maxSize > 0 && ring.size() >= maxSize || ring.remainingBytes() < RecordDescriptor.HEADER_LENGTH;
    }

    /**
     * Messages that may still be put before {@code maxSize} is reached (what {@code BlockingQueue
     * .remainingCapacity()} counts); {@link Integer#MAX_VALUE} when the queue has no {@code maxSize}. Bytes may run
     * out first: see {@link #remainingCapacity()}.
     *
     * @return the count of messages.
     */
    public int remainingMessages()
    {
        final int maxSize = ring.maxSize();
        return maxSize == 0 ? Integer.MAX_VALUE : (int)Math.max(0, maxSize - ring.size());
    }

    /**
     * The most messages the queue holds ({@link Builder#maxSize(int)}), 0 for no limit but its capacity in bytes.
     *
     * @return the limit.
     */
    public int maxSize()
    {
        return ring.maxSize();
    }

    /**
     * Bytes free in the ring. Unlike {@link java.util.concurrent.BlockingQueue#remainingCapacity()} this counts bytes,
     * as elements vary in size: an element takes its encoded length plus 8, rounded up to a multiple of 8. For the
     * count of messages under {@code maxSize}, see {@link #remainingMessages()}.
     *
     * @return free bytes.
     */
    public int remainingCapacity()
    {
        return ring.remainingBytes();
    }

    /**
     * Stops background takes (their futures complete with {@link CancellationException}), gives back the consumer
     * role and unmaps the file. The file stays, with any elements in it, unless the queue was created delete-on-close.
     *
     * @throws IOException if deleting the file failed.
     */
    @Override
    public void close() throws IOException
    {
        backgroundTakes.close();
        ring.close();
    }

    @Override
    public String toString()
    {
        return "SharedQueue[" + ring + "]";
    }

    /**
     * Describes a queue file; {@link #create()} and {@link #open()} check the values once.
     *
     * @param <T> type of element, from the codec.
     */
    public static final class Builder<T>
    {
        private final Path path;
        private final Codec<T> codec;
        private int capacity = IpcRing.CAPACITY_DEFAULT;
        private boolean deleteOnClose;
        private Duration unblockTimeout = IpcRing.UNBLOCK_TIMEOUT_DEFAULT;
        private Duration takeLease = TAKE_LEASE_DEFAULT;
        private int maxSize;

        private Builder(final Path path, final Codec<T> codec)
        {
            this.path = path;
            this.codec = codec;
        }

        /**
         * Ring capacity in bytes, a power of two from 1 KiB to 1 GiB; {@link IpcRing#CAPACITY_DEFAULT} by default.
         * An element may encode to at most capacity / 8 bytes.
         *
         * @param bytes the capacity.
         * @return this builder.
         */
        public Builder<T> capacity(final int bytes)
        {
            this.capacity = bytes;
            return this;
        }

        /**
         * The codec of the elements.
         *
         * @param codec the codec; an opened file must hold this codec's records.
         * @param <U>   its element type.
         * @return a builder for that type, with this one's other values.
         */
        public <U> Builder<U> codec(final Codec<U> codec)
        {
            final Builder<U> typed = new Builder<>(path, Objects.requireNonNull(codec, "codec"));
            typed.capacity = capacity;
            typed.deleteOnClose = deleteOnClose;
            typed.unblockTimeout = unblockTimeout;
            typed.takeLease = takeLease;
            typed.maxSize = maxSize;
            return typed;
        }

        /**
         * The most messages the queue holds, as Python's {@code Queue(maxsize)}: {@code put} waits and {@code offer}
         * is {@code false} while that many are queued. Stored in the file, so every JVM keeps it; 0 (the default)
         * means no limit but the capacity in bytes. Exact with producers in any number of JVMs: a put counts itself
         * with one compare-and-set that also checks the limit.
         *
         * @param maxSize the limit in messages, 0 or more.
         * @return this builder.
         */
        public Builder<T> maxSize(final int maxSize)
        {
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Whether {@link SharedQueue#close()} deletes the file; {@code false} by default.
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
         * How long a taker waits on an element a producer left half-written (it died mid-put) before skipping it;
         * {@link IpcRing#UNBLOCK_TIMEOUT_DEFAULT} by default.
         *
         * @param unblockTimeout the timeout, positive.
         * @return this builder.
         */
        public Builder<T> unblockTimeout(final Duration unblockTimeout)
        {
            this.unblockTimeout = unblockTimeout;
            return this;
        }

        /**
         * How long one take of another consumer whose process is alive (stopped, paused) may hold the take lock
         * before a waiting taker logs a warning; {@link #TAKE_LEASE_DEFAULT} by default. A warning threshold only:
         * the lock is never taken from a live process, the taker keeps waiting. A consumer whose process is gone
         * (exited, killed, a zombie) is taken over from within about a millisecond, whatever the lease.
         *
         * @param takeLease the lease, positive.
         * @return this builder.
         */
        public Builder<T> takeLease(final Duration takeLease)
        {
            this.takeLease = takeLease;
            return this;
        }

        /**
         * Creates the queue file; refuses if it exists.
         *
         * @return the queue.
         * @throws RingFileException        if the file exists.
         * @throws IOException              if it cannot be created.
         * @throws IllegalArgumentException if a value is out of range, naming it.
         */
        public SharedQueue<T> create() throws IOException
        {
            if (maxSize < 0)
            {
                throw new IllegalArgumentException("maxSize=" + maxSize + " must not be negative");
            }
            return new SharedQueue<>(IpcRing.builder(path).kind(RingKind.MANY_TO_ONE).capacity(capacity)
                .codec(codec.name()).deleteOnClose(deleteOnClose).unblockTimeout(unblockTimeout).maxSize(maxSize)
                .takeLease(takeLease).create(), codec);
        }

        /**
         * Opens an existing queue file; never creates one.
         *
         * @return the queue.
         * @throws RingFileException if it does not exist, is not a valid ring file, holds another codec, or is not
         *                           many-to-one.
         * @throws IOException       if it cannot be opened.
         */
        public SharedQueue<T> open() throws IOException
        {
            final IpcRing ring = IpcRing.builder(path).codec(codec.name()).deleteOnClose(deleteOnClose)
                .unblockTimeout(unblockTimeout).takeLease(takeLease).open();
            if (ring.kind() != RingKind.MANY_TO_ONE)
            {
                ring.close();
                throw new RingFileException(path, "is a " + ring.kind() + " ring; a SharedQueue needs MANY_TO_ONE");
            }
            return new SharedQueue<>(ring, codec);
        }
    }
}
