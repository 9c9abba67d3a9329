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
