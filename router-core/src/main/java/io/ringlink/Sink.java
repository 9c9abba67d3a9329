package io.ringlink;

import java.io.IOException;

/**
 * A destination the router delivers every message of every source to.
 * <p>
 * Each (source, sink) pair is one handler thread. A sink fed by several sources is called from several threads; unless
 * {@link #isThreadSafe()} says otherwise the router serialises those calls, so an implementation need not be
 * thread-safe. {@link #onEndOfBatch()} follows the last message of each batch the router hands over: flush there.
 * <p>
 * A sink that blocks (a full bounded queue) must give up when its thread is interrupted: that is how
 * {@link Router#stop(java.time.Duration)} abandons it after the drain timeout. The router owns a sink it was given and
 * calls {@link #close()} once when the sink is removed or the router stops.
 *
 * @param <T> type of message.
 */
public interface Sink<T> extends AutoCloseable
{
    /**
     * Delivers one message.
     *
     * @param message the message.
     * @throws Exception if delivery failed; counted, logged and handled by the router's {@link SinkErrorPolicy}.
     */
    void onMessage(T message) throws Exception;

    /**
     * Called after the last message of a batch; the place to flush buffered output.
     *
     * @throws Exception if flushing failed; handled as a failed delivery.
     */
    default void onEndOfBatch() throws Exception
    {
    }

    /**
     * Whether {@link #onMessage(Object)} may be called from several threads at once.
     *
     * @return {@code true} when the router need not serialise calls, {@code false} by default.
     */
    default boolean isThreadSafe()
    {
        return false;
    }

    /**
     * The object this sink writes to, for cycle detection; see {@link Source#endpoint()}.
     *
     * @return the underlying endpoint, {@code this} by default.
     */
    default Object endpoint()
    {
        return this;
    }

    /**
     * A short name for metrics and logs.
     *
     * @return the name.
     */
    default String name()
    {
        return getClass().getSimpleName();
    }

    /**
     * Flushes and releases what this sink opened.
     *
     * @throws IOException if closing failed; it is logged.
     */
    @Override
    default void close() throws IOException
    {
    }
}
