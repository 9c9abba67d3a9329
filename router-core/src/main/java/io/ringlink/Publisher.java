package io.ringlink;

import java.time.Duration;

/**
 * Publishes messages straight into a router's ring from the caller's thread: no pump thread, no extra hop.
 * <p>
 * A publisher from {@link Router#publisher(String)} is for one thread at a time; one from
 * {@link Router#concurrentPublisher(String)} may be shared by several threads. Closing it ends that source: what is
 * already in its ring is still delivered.
 *
 * @param <T> type of message.
 */
public interface Publisher<T> extends AutoCloseable
{
    /**
     * Publishes a message, waiting while the ring is full.
     *
     * @param message the message, not {@code null}.
     * @throws IllegalStateException if the publisher or its router is closed.
     */
    void publish(T message);

    /**
     * Publishes a message if the ring has room now.
     *
     * @param message the message, not {@code null}.
     * @return {@code true} if published, {@code false} if the ring was full.
     * @throws IllegalStateException if the publisher or its router is closed.
     */
    boolean tryPublish(T message);

    /**
     * Publishes a message, waiting at most {@code timeout} for room in the ring.
     *
     * @param message the message, not {@code null}.
     * @param timeout the longest wait.
     * @return {@code true} if published, {@code false} if the ring stayed full for the whole timeout.
     * @throws IllegalStateException if the publisher or its router is closed.
     */
    boolean publish(T message, Duration timeout);

    /**
     * Publishes {@code messages[offset, offset + length)} in order, as that many calls of {@link #publish(Object)}
     * would, waiting while the ring is full, but claiming as many free slots as it can at a time: one claim and one
     * cursor store per run of slots rather than per message and, for a publisher of one thread, one pass of the close
     * check per call rather than per message. The fast path for messages that come in batches.
     * <p>
     * A source that ends meanwhile (this publisher closed from another thread, unregistered, its router stopped) makes
     * it return early: every message it counts is published and will be delivered as any other; the rest are not.
     *
     * @param messages holds the messages, none {@code null}.
     * @param offset   the index of the first to publish.
     * @param length   how many to publish.
     * @return the number published, counted from {@code offset}: {@code length} unless the source ended meanwhile.
     * @throws IllegalStateException     if the publisher or its router was closed before the call.
     * @throws NullPointerException      if one of the messages is {@code null}; none of the run of slots it would have
     *                                   been claimed in is published (the runs before it are).
     * @throws IndexOutOfBoundsException if the range is not within {@code messages}.
     */
    int publishBatch(T[] messages, int offset, int length);

    /**
     * The id of this publisher's source in its router.
     *
     * @return the id.
     */
    SourceId id();

    /**
     * Ends this source; what was published is still delivered. Idempotent.
     */
    @Override
    void close();
}
