package io.ringlink;

/**
 * Receives messages from a {@link Source}. Implemented by the router's pump; called on the pump thread.
 *
 * @param <T> type of message.
 */
@FunctionalInterface
public interface MessageHandler<T>
{
    /**
     * Takes one message. May wait while the ring is full.
     *
     * @param message the message, never {@code null}.
     */
    void onMessage(T message);
}
