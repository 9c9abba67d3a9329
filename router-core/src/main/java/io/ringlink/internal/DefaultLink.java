package io.ringlink.internal;

import io.ringlink.Link;
import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.StopResult;

import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Link} over a {@link DisruptorRouter}: a watcher thread stops the router, which closes every endpoint,
 * once every source has ended and been delivered. Nothing is tied to this object's reachability: an unreferenced link
 * runs on.
 */
final class DefaultLink implements Link
{
    private static final Duration WATCH_INTERVAL = Duration.ofMinutes(1);
    private static final long JOIN_MILLIS = 2_000;

    private final DisruptorRouter<Object> router;
    private final AtomicReference<Throwable> sinkFailure = new AtomicReference<>();
    private final CompletableFuture<StopResult> done = new CompletableFuture<>();
    private final Thread watcher;

    DefaultLink(final DisruptorRouter<Object> router)
    {
        this.router = router;
        this.watcher = new Thread(this::watch, "ringlink-" + router.name() + "-link");
        this.watcher.setDaemon(true);
    }

    void start()
    {
        watcher.start();
    }

    Sink<Object> recording(final Sink<Object> sink)
    {
        return new RecordingSink(sink, sinkFailure, router);
    }

    private void watch()
    {
        try
        {
            while (!router.awaitSourcesCompleted(WATCH_INTERVAL))
            {
                if (!router.isRunning())
                {
                    return;
                }
            }
            done.complete(router.stop(router.defaultStopTimeout()));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException ex)
        {
            done.completeExceptionally(ex);
        }
    }

    @Override
    public StopResult stop()
    {
        final StopResult result = router.stop(router.defaultStopTimeout());
        done.complete(result);
        if (Thread.currentThread() != watcher)
        {
            watcher.interrupt();
            try
            {
                watcher.join(JOIN_MILLIS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        return result;
    }

    @Override
    public void close()
    {
        stop();
    }

    @Override
    public RouterMetrics metrics()
    {
        return router.metrics();
    }

    @Override
    public boolean awaitCompletion(final Duration timeout) throws InterruptedException
    {
        try
        {
            final StopResult result = done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return result.isClean();
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final ExecutionException ex)
        {
            return false;
        }
    }

    @Override
    public Optional<Throwable> failure()
    {
        final Optional<Throwable> routerFailure = router.failure();
        return routerFailure.isPresent() ? routerFailure : Optional.ofNullable(sinkFailure.get());
    }

    @Override
    public Router<Object> router()
    {
        return router;
    }

    @Override
    public String toString()
    {
        return "Link[" + router + "]";
    }

    /** Remembers the first failure of a destination for {@link Link#failure()}, then lets the router handle it. */
    private static final class RecordingSink implements Sink<Object>
    {
        private final Sink<Object> sink;
        private final AtomicReference<Throwable> failure;
        private final DisruptorRouter<Object> router;

        RecordingSink(final Sink<Object> sink, final AtomicReference<Throwable> failure,
            final DisruptorRouter<Object> router)
        {
            this.sink = sink;
            this.failure = failure;
            this.router = router;
        }

        @Override
        public void onMessage(final Object message) throws Exception
        {
            try
            {
                sink.onMessage(message);
            }
            catch (final Exception ex)
            {
                onFailure(ex);
                throw ex;
            }
        }

        @Override
        public void onEndOfBatch() throws Exception
        {
            try
            {
                sink.onEndOfBatch();
            }
            catch (final Exception ex)
            {
                onFailure(ex);
                throw ex;
            }
        }

        private void onFailure(final Exception ex)
        {
            final boolean causedByStop = ex instanceof InterruptedException || ex instanceof ClosedChannelException;
            if (!causedByStop || router.isRunning())
            {
                failure.compareAndSet(null, ex);
            }
        }

        @Override
        public boolean isThreadSafe()
        {
            return sink.isThreadSafe();
        }

        @Override
        public Object endpoint()
        {
            return sink.endpoint();
        }

        @Override
        public String name()
        {
            return sink.name();
        }

        @Override
        public void close() throws java.io.IOException
        {
            sink.close();
        }
    }
}
