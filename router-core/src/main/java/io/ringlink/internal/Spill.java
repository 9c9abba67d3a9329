package io.ringlink.internal;

import io.ringlink.MessageHandler;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.SinkErrorPolicy;
import io.ringlink.Source;
import io.ringlink.spi.EndpointUri;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink's spill queue ({@code SinkOptions.spill(uri)}): the deliveries append to a persistent queue (the URI opened
 * as a destination, e.g. {@code chronicle:DIR}), and the spill's own thread reads it back (the same URI opened as a
 * source, after the destination created it) into the user's sink at the sink's pace. The producer waits only for the
 * append. The queue belongs to the sink: its directory must not exist at the start and is deleted at the end.
 */
final class Spill implements Sink<Object>, Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);
    private static final int READ_LIMIT = 256;
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String uri;
    private final Path directory;
    private final Sink<Object> target;
    private final Sink<Object> writer;
    private final Source<Object> reader;
    private final BiFunction<Spill, Throwable, SinkErrorPolicy> onError;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong drained = new AtomicLong();
    private final MessageHandler<Object> handler = this::hand;
    private Thread thread;
    /** No more appends; the thread ends once it has drained what was written. */
    private volatile boolean closing;
    /** The thread ends now, whatever is left. */
    private volatile boolean halted;
    private boolean finished;

    /**
     * Opens the queue for writing, then for reading.
     *
     * @param uri     the queue's URI.
     * @param target  the user's sink.
     * @param onError what the router does when the user's sink throws; the thread ends unless it returns KEEP.
     * @throws IllegalArgumentException if the queue already exists.
     */
    Spill(final String uri, final Sink<Object> target, final BiFunction<Spill, Throwable, SinkErrorPolicy> onError)
    {
        this.uri = uri;
        this.target = target;
        this.onError = onError;
        this.directory = EndpointUri.parse(uri).filePath();
        if (Files.exists(directory))
        {
            throw new IllegalArgumentException("spill queue " + uri + " already exists: a spill queue belongs to its " +
                "sink, is created by write() and deleted with the sink");
        }
        this.writer = Endpoints.sink(uri);
        Source<Object> source = null;
        try
        {
            source = Endpoints.source(uri);
        }
        finally
        {
            if (source == null)
            {
                closeQuietly(writer);
                deleteQueue();
            }
        }
        this.reader = source;
    }

    /** Starts the draining thread. */
    void start(final Thread drainer)
    {
        thread = drainer;
        drainer.start();
    }

    long drained()
    {
        return drained.get();
    }

    /** Messages appended and not yet handed to the user's sink. */
    long backlog()
    {
        return Math.max(0, written.get() - drained.get());
    }

    @Override
    public void onMessage(final Object message) throws Exception
    {
        writer.onMessage(message);
        written.lazySet(written.get() + 1);
    }

    @Override
    public void onEndOfBatch() throws Exception
    {
        writer.onEndOfBatch();
    }

    @Override
    public boolean isThreadSafe()
    {
        return false;
    }

    @Override
    public Object endpoint()
    {
        return target.endpoint();
    }

    @Override
    public String name()
    {
        return target.name();
    }

    /** The draining thread: the user's sink is only ever called from here. */
    @Override
    public void run()
    {
        while (!halted)
        {
            final int count;
            try
            {
                count = reader.read(handler, READ_LIMIT);
            }
            catch (final Exception ex)
            {
                LOG.error("spill queue {} cannot be read any more; its sink {} gets nothing more", uri, name(), ex);
                return;
            }
            if (count < 0)
            {
                return;
            }
            if (count > 0)
            {
                flushTarget();
            }
            else if (closing && drained.get() >= written.get())
            {
                return;
            }
        }
    }

    private void flushTarget()
    {
        try
        {
            target.onEndOfBatch();
        }
        catch (final Exception ex)
        {
            if (!halted && onError.apply(this, ex) != SinkErrorPolicy.KEEP)
            {
                halted = true;
            }
        }
    }

    private void hand(final Object message)
    {
        try
        {
            target.onMessage(message);
        }
        catch (final Exception ex)
        {
            if (!halted && onError.apply(this, ex) != SinkErrorPolicy.KEEP)
            {
                halted = true;
            }
        }
        finally
        {
            drained.lazySet(drained.get() + 1);
        }
    }

    /**
     * Called once no delivery appends any more: drains what is left until the deadline (or not at all), then ends the
     * thread, closes the queue and the user's sink and deletes the queue.
     *
     * @param deadlineNanos a {@link System#nanoTime()} until which the backlog is still handed to the sink.
     * @return messages left undelivered in the queue.
     */
    synchronized long finish(final long deadlineNanos)
    {
        if (finished)
        {
            return 0;
        }
        finished = true;
        closeQuietly(writer);
        closing = true;
        if (thread != null && thread != Thread.currentThread())
        {
            if (!Shutdown.joinUntil(thread, deadlineNanos))
            {
                halted = true;
                thread.interrupt();
                Shutdown.joinUntil(thread, System.nanoTime() + GRACE_NANOS);
            }
        }
        halted = true;
        final long left = backlog();
        closeQuietly(reader);
        closeQuietly(target);
        deleteQueue();
        return left;
    }

    @Override
    public void close()
    {
        finish(System.nanoTime());
    }

    private void deleteQueue()
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot delete spill queue " + uri + ": " + ex, ex);
        }
    }

    private void closeQuietly(final AutoCloseable closeable)
    {
        try
        {
            closeable.close();
        }
        catch (final Exception ex)
        {
            LOG.warn("closing {} failed", closeable, ex);
        }
    }

    @Override
    public String toString()
    {
        return "Spill[" + uri + " -> " + target.name() + "]";
    }
}
