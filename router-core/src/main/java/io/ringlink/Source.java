package io.ringlink;

import java.io.IOException;

/**
 * A pull source that a router's pump moves into the source's ring: a thread of its own, or, for a source that
 * {@linkplain #readsWithoutBlocking() reads without blocking} in {@link ThreadingMode#SHARED}, a delivery agent.
 * <p>
 * The pump calls {@link #read(MessageHandler, int)} in a loop from one thread (on an agent,
 * {@link #readAvailable(MessageHandler, int)} instead). A read hands each available message to
 * the handler and returns how many it handed, {@code 0} when nothing arrived for a short while, or
 * {@link #END_OF_STREAM} once the source is finished. A read should come back within about 100 ms when nothing
 * arrives, so that the pump notices a stop; a source that blocks longer must unblock when {@link #close()} is called.
 * <p>
 * The router owns a source it was given: it calls {@link #close()} once, from the thread that reads it or the stopping
 * thread, after the last read. Implementations close only what they opened themselves, never an object a caller handed
 * in unless told to.
 *
 * @param <T> type of message.
 */
public interface Source<T> extends AutoCloseable
{
    /**
     * Returned by {@link #read(MessageHandler, int)} when the source has ended and will hand out nothing more.
     */
    int END_OF_STREAM = -1;

    /**
     * Hands up to {@code limit} messages to the handler, waiting a short while if none is available.
     *
     * @param handler receives each message, on the calling thread, in source order.
     * @param limit   the most messages to hand over in this call, at least 1.
     * @return the number of messages handed over, {@code 0} if none arrived, or {@link #END_OF_STREAM}.
     * @throws Exception if the source failed; the pump counts it, logs it and ends the source.
     */
    int read(MessageHandler<? super T> handler, int limit) throws Exception;

    /**
     * Hands over, without waiting, what the source already holds (a queue's items at this moment, a stream's buffered
     * lines). Called by the pump when the router stops, before the source is closed; and for every read of a source
     * that {@linkplain #readsWithoutBlocking() reads without blocking} when it runs on a delivery agent.
     *
     * @param handler receives each message.
     * @param limit   the most messages to hand over in this call.
     * @return the number of messages handed over, {@code 0} when nothing more is held, or {@link #END_OF_STREAM}.
     * @throws Exception if the source failed.
     */
    default int readAvailable(final MessageHandler<? super T> handler, final int limit) throws Exception
    {
        return 0;
    }

    /**
     * Whether {@link #readAvailable(MessageHandler, int)} is a complete poll that never waits: it hands what is there
     * now, at most {@code limit} messages, returns {@code 0} when nothing is, and {@link #END_OF_STREAM} once the
     * source has ended (or was closed); it never blocks on a lock, a peer or a timer. A router in
     * {@link ThreadingMode#SHARED} then runs such a source on one of its delivery agents, calling only
     * {@code readAvailable} (never {@link #read(MessageHandler, int)}), instead of giving it a pump thread of its own.
     * Every other guarantee is unchanged: reads come from one thread at a time,
     * {@link AcknowledgingSource#onDelivered(long)} between them on the same thread, and {@link #close()} after the
     * last.
     *
     * @return {@code false} by default: the source keeps a pump thread.
     */
    default boolean readsWithoutBlocking()
    {
        return false;
    }

    /**
     * Messages waiting in the source that have not been read yet, used by drain checks.
     *
     * @return the number waiting, or {@code -1} when the source cannot tell.
     */
    default long backlog()
    {
        return -1;
    }

    /**
     * Breaks this source noticed in its stream where messages may have been lost (a network subscriber that joined
     * mid-stream, a publisher that died), for metrics and logs.
     *
     * @return the count, {@code 0} for sources that cannot have any (the default).
     */
    default long gaps()
    {
        return 0;
    }

    /**
     * The object this source reads from, for cycle detection: the same object as a sink's {@link Sink#endpoint()}
     * means a link would feed itself. Objects are compared by identity, except {@link java.nio.file.Path},
     * {@link CharSequence} and {@link java.net.URI} keys, which are compared by value.
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
     * Releases what this source opened. Must unblock a {@link #read(MessageHandler, int)} in progress.
     *
     * @throws IOException if closing failed; it is logged.
     */
    @Override
    default void close() throws IOException
    {
    }
}
