package io.ringlink.offheap.internal.counters;

import io.ringlink.Router;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The one thread of a JVM that copies every published router's {@link Router#metrics()} into its counters file, every
 * {@link #INTERVAL_PROP_NAME} ms. It starts with the first router and ends, joined, with the last: removing the last
 * file returns only once the thread is gone, so no thread outlives the router's stop.
 */
final class CountersSampler implements Runnable
{
    /** System property: ms between two updates of a counters file. */
    static final String INTERVAL_PROP_NAME = "ringlink.counters.interval";
    /** Update interval when none is set. */
    static final int INTERVAL_DEFAULT_MS = 100;
    static final String THREAD_NAME = "ringlink-counters";

    private static final Logger LOG = LoggerFactory.getLogger(CountersSampler.class);
    private static final Object LOCK = new Object();
    private static final List<Entry> ENTRIES = new ArrayList<>();
    private static CountersSampler current;

    private final int intervalMs;
    private final Thread thread;
    private boolean running = true;

    private CountersSampler(final int intervalMs)
    {
        this.intervalMs = intervalMs;
        this.thread = new Thread(this, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** A router and its file. */
    private record Entry(Router<?> router, CountersFile file)
    {
    }

    /**
     * Starts sampling a router into its file, starting the thread if it is the first; writes one sample at once.
     *
     * @param router     the router.
     * @param file       its counters file.
     * @param intervalMs the interval the thread uses if it starts now.
     */
    static void add(final Router<?> router, final CountersFile file, final int intervalMs)
    {
        final Entry entry = new Entry(router, file);
        synchronized (LOCK)
        {
            sample(entry, System.currentTimeMillis());
            ENTRIES.add(entry);
            if (current == null)
            {
                current = new CountersSampler(intervalMs);
                current.thread.start();
            }
        }
    }

    /**
     * Stops sampling the file and closes it (which deletes it); when it was the last, ends the thread and joins it.
     *
     * @param file the file.
     */
    static void remove(final CountersFile file)
    {
        CountersSampler ended = null;
        synchronized (LOCK)
        {
            ENTRIES.removeIf((entry) -> entry.file == file);
            file.close();
            if (ENTRIES.isEmpty() && current != null)
            {
                ended = current;
                ended.running = false;
                current = null;
                LOCK.notifyAll();
            }
        }
        if (ended != null && ended.thread != Thread.currentThread())
        {
            boolean interrupted = false;
            while (ended.thread.isAlive())
            {
                try
                {
                    ended.thread.join();
                }
                catch (final InterruptedException ex)
                {
                    interrupted = true;
                }
            }
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void run()
    {
        synchronized (LOCK)
        {
            while (running)
            {
                final long now = System.currentTimeMillis();
                for (final Entry entry : ENTRIES)
                {
                    sample(entry, now);
                }
                try
                {
                    LOCK.wait(intervalMs);
                }
                catch (final InterruptedException ex)
                {
                    LOG.warn("counters sampler interrupted; counters files stop updating");
                    return;
                }
            }
        }
    }

    private static void sample(final Entry entry, final long now)
    {
        try
        {
            entry.file.update(entry.router.metrics(), now);
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("router {}: counters file {} not updated: {}", entry.router.name(), entry.file.path(),
                ex.toString());
        }
    }
}
