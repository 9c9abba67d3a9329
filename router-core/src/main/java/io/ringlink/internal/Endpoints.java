package io.ringlink.internal;

import io.ringlink.Sink;
import io.ringlink.Source;

import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Turns the objects users hand to {@code Router.read/write} into {@link Source}s and {@link Sink}s.
 */
public final class Endpoints
{
    private Endpoints()
    {
    }

    /**
     * The source for an object.
     *
     * @param source a {@link Source} or a {@link BlockingQueue}.
     * @return the source.
     * @throws IllegalArgumentException naming the type when it is not supported.
     */
    @SuppressWarnings("unchecked")
    public static Source<Object> source(final Object source)
    {
        if (source instanceof Source)
        {
            return (Source<Object>)source;
        }
        if (source instanceof BlockingQueue)
        {
            return new QueueSource<>((BlockingQueue<Object>)source);
        }
        throw new IllegalArgumentException("unsupported source type " + typeName(source) +
            "; supported: io.ringlink.Source, java.util.concurrent.BlockingQueue");
    }

    /**
     * The sink for an object.
     *
     * @param sink a {@link Sink}, a {@link BlockingQueue} or a {@link Consumer}.
     * @return the sink.
     * @throws IllegalArgumentException naming the type when it is not supported.
     */
    @SuppressWarnings("unchecked")
    public static Sink<Object> sink(final Object sink)
    {
        if (sink instanceof Sink)
        {
            return (Sink<Object>)sink;
        }
        if (sink instanceof BlockingQueue)
        {
            return new QueueSink<>((BlockingQueue<Object>)sink);
        }
        if (sink instanceof Consumer)
        {
            return new ConsumerSink<>((Consumer<Object>)sink);
        }
        throw new IllegalArgumentException("unsupported sink type " + typeName(sink) +
            "; supported: io.ringlink.Sink, java.util.concurrent.BlockingQueue, java.util.function.Consumer");
    }

    static String typeName(final Object endpoint)
    {
        return endpoint == null ? "null" : endpoint.getClass().getName();
    }
}
