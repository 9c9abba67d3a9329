package io.ringlink;

import java.time.Duration;
import java.util.Optional;

/**
 * A running link made by {@link RingLink#link(Object, Object...)}: a {@link Router} with the given sources and
 * destinations, and the endpoints the link opened for them.
 * <p>
 * When every source has ended (a stream, a file, a process's output) and every destination has every message, the
 * link stops by itself: what it opened is flushed and closed, and {@link #awaitCompletion(Duration)} returns. A link
 * whose object is no longer referenced keeps running until its sources end or it is stopped.
 */
public interface Link extends AutoCloseable
{
    /**
     * Stops the link: what the sources already hold is delivered within the linker's stop timeout, then the
     * endpoints the link opened are closed. Idempotent.
     *
     * @return what was delivered and what was abandoned.
     */
    StopResult stop();

    /**
     * {@link #stop()}.
     */
    @Override
    void close();

    /**
     * A snapshot of the counters of the link's router.
     *
     * @return the metrics.
     */
    RouterMetrics metrics();

    /**
     * Waits until every source has ended and every destination has every message, and the link has closed what it
     * opened (or until the link was stopped).
     *
     * @param timeout the longest wait.
     * @return {@code true} if the link completed in time with nothing undelivered.
     * @throws InterruptedException if interrupted while waiting.
     */
    boolean awaitCompletion(Duration timeout) throws InterruptedException;

    /**
     * The first failure of a source or a destination (a pipe closed by its peer, malformed input under
     * {@link Linker.Malformed#REPORT}); failures are also counted in {@link #metrics()} and logged.
     *
     * @return the failure, if any.
     */
    Optional<Throwable> failure();

    /**
     * The router underneath, to add sources or sinks while the link runs.
     *
     * @return the router.
     */
    Router<Object> router();
}
