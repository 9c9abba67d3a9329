package io.ringlink;

/**
 * A {@link Source} that wants to know how far its messages have been delivered, so that it can commit a read
 * position only once every sink has passed it (at-least-once): a Chronicle named reader, a durable consumer offset.
 * <p>
 * The router calls {@link #onDelivered(long)} on the thread that reads the source only, between reads, so an
 * implementation needs no locking against {@link #read(MessageHandler, int)}.
 * The first report comes before the first read, with the count 0 when nothing was read yet, so that a source can
 * tell that reports will come (a source wrapped by one that does not pass them on never hears one).
 * After the source's last read the pump waits (within the stop
 * timeout) until every sink has passed every message and reports the final count before it closes the source; if the
 * router gives up on a blocked sink (a stop past its timeout, also after an unregister), the final count is what every
 * sink had received by then (its {@code onMessage} returned), flushed or not, as the router closes the sinks next: a
 * durable reader resumes just after the last message every sink got. With no sink at all, nothing waits for the
 * messages and they count as passed.
 *
 * @param <T> type of message.
 */
public interface AcknowledgingSource<T> extends Source<T>
{
    /**
     * Reports how many of the messages this source handed over, counted from its first, every sink of the router has
     * now passed: delivered and flushed (the {@link Sink#onEndOfBatch()} after it returned), or failed and handled by
     * the {@link SinkErrorPolicy}. The count only grows.
     *
     * @param messages the number of messages passed by every sink.
     */
    void onDelivered(long messages);
}
