package io.ringlink.internal;

import io.ringlink.Sink;

import java.util.function.Consumer;

/**
 * Calls a {@link Consumer} per message; the router serialises calls when several sources feed it.
 *
 * @param <T> type of message.
 */
final class ConsumerSink<T> implements Sink<T>
{
    private final Consumer<T> consumer;

    ConsumerSink(final Consumer<T> consumer)
    {
        this.consumer = consumer;
    }

    @Override
    public void onMessage(final T message)
    {
        consumer.accept(message);
    }

    @Override
    public Object endpoint()
    {
        return consumer;
    }

    @Override
    public String name()
    {
        return "consumer@" + Integer.toHexString(System.identityHashCode(consumer));
    }
}
