package io.ringlink.offheap;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A {@link SharedQueue}'s {@code takeAsync()}: one daemon thread, started on first use, completes the futures in the
 * order they were asked, each with the next element taken. An element is taken for a future only while it is not done;
 * one whose future was cancelled while it was being taken is put back at the tail, so nothing taken is lost. Closing
 * interrupts the thread, waits for it (so a put back is in the file before the ring closes) and cancels what is left.
 *
 * @param <T> type of element.
 */
final class BackgroundTakes<T>
{
    private final IpcRing ring;
    private final QueueTakes<T> takes;
    private final QueuePuts<T> puts;
    private final Queue<CompletableFuture<T>> pending = new ConcurrentLinkedQueue<>();
    private ExecutorService taker;

    BackgroundTakes(final IpcRing ring, final QueueTakes<T> takes, final QueuePuts<T> puts)
    {
        this.ring = ring;
        this.takes = takes;
        this.puts = puts;
    }

    CompletableFuture<T> takeAsync()
    {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final ExecutorService executor;
        synchronized (this)
        {
            if (ring.isClosed())
            {
                future.completeExceptionally(new CancellationException("queue " + ring.path() + " is closed"));
                return future;
            }
            if (taker == null)
            {
                final String name = "ringlink-sharedqueue-" + ring.path().getFileName() + "-taker";
                taker = Executors.newSingleThreadExecutor((task) ->
                {
                    final Thread thread = new Thread(task, name);
                    thread.setDaemon(true);
                    return thread;
                });
            }
            executor = taker;
            pending.add(future);
        }
        executor.execute(() -> completeWithNext(future));
        return future;
    }

    private void completeWithNext(final CompletableFuture<T> future)
    {
        int attempt = 0;
        try
        {
            while (!future.isDone())
            {
                final T element = takes.tryTakeFor(future);
                if (element != null)
                {
                    if (!future.complete(element))
                    {
                        puts.putBack(element);
                    }
                    return;
                }
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted");
                }
                RingWaits.pause(attempt++);
            }
        }
        catch (final InterruptedException | IllegalStateException ex)
        {
            future.completeExceptionally(new CancellationException("queue " + ring.path() + " closed: " + ex));
        }
        catch (final CodecException ex)
        {
            future.completeExceptionally(ex);
        }
        finally
        {
            pending.remove(future);
        }
    }

    /**
     * Stops the thread and cancels the futures left.
     *
     * @throws IOException if the thread did not stop within 10 seconds.
     */
    void close() throws IOException
    {
        final ExecutorService executor;
        synchronized (this)
        {
            executor = taker;
            taker = null;
        }
        if (executor != null)
        {
            executor.shutdownNow();
            try
            {
                if (!executor.awaitTermination(10, TimeUnit.SECONDS))
                {
                    throw new IOException("background taker of queue " + ring.path() + " did not stop");
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
        for (CompletableFuture<T> left = pending.poll(); left != null; left = pending.poll())
        {
            left.completeExceptionally(new CancellationException("queue " + ring.path() + " closed"));
        }
    }
}
