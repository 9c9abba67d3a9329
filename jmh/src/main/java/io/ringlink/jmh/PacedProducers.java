package io.ringlink.jmh;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * N producer threads that together offer a fixed rate of {@link Stamp}s. Each keeps a schedule of its own (rate / N
 * messages per second from its start): it publishes every message whose time has come, stamping each with
 * {@link System#nanoTime()} just before its publish, then parks until the next one is due. {@code parkNanos} wakes at
 * a granularity of tens of microseconds on Linux, so messages leave in small bursts; a producer that falls behind
 * (descheduled, or held back by a full ring) catches up at once, and {@link #published()} tells whether it kept up.
 */
final class PacedProducers implements AutoCloseable
{
    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final Thread[] threads;
    private final AtomicLongArray published;
    private final long ratePerProducer;
    private volatile boolean running = true;

    /**
     * Starts the producers.
     *
     * @param totalRate messages per second offered by all producers together, at least one per producer.
     * @param targets   where each producer publishes (one per producer, called from that producer's thread only).
     * @param poolSize  stamps per producer: a power of two larger than what can be in flight to the slowest sink.
     */
    PacedProducers(final long totalRate, final List<Consumer<Object>> targets, final int poolSize)
    {
        if (totalRate < targets.size())
        {
            throw new IllegalArgumentException("rate " + totalRate + " is less than one message/s per producer");
        }
        ratePerProducer = totalRate / targets.size();
        published = new AtomicLongArray(targets.size());
        threads = new Thread[targets.size()];
        for (int p = 0; p < targets.size(); p++)
        {
            final int index = p;
            final Consumer<Object> target = targets.get(p);
            final Stamp[] pool = Stamp.pool(poolSize);
            threads[p] = Harness.start("paced-producer-" + p, () -> produce(index, target, pool));
        }
    }

    /**
     * Messages published so far by all producers.
     *
     * @return the count.
     */
    long published()
    {
        long total = 0;
        for (int p = 0; p < published.length(); p++)
        {
            total += published.get(p);
        }
        return total;
    }

    /**
     * The rate actually offered: rate / N per producer, times N.
     *
     * @return messages per second.
     */
    long offeredRate()
    {
        return ratePerProducer * threads.length;
    }

    private void produce(final int index, final Consumer<Object> target, final Stamp[] pool)
    {
        final int mask = pool.length - 1;
        final long rate = ratePerProducer;
        final long start = System.nanoTime();
        long sent = 0;
        while (running)
        {
            final long due = (System.nanoTime() - start) * rate / NANOS_PER_SECOND + 1;
            while (sent < due)
            {
                final Stamp stamp = pool[(int)sent & mask];
                stamp.nanos = System.nanoTime();
                target.accept(stamp);
                sent++;
            }
            published.lazySet(index, sent);
            final long next = start + sent * NANOS_PER_SECOND / rate;
            final long wait = next - System.nanoTime();
            if (wait > 0)
            {
                LockSupport.parkNanos(wait);
            }
        }
    }

    /** Stops and joins the producers. */
    @Override
    public void close()
    {
        running = false;
        for (final Thread thread : threads)
        {
            LockSupport.unpark(thread);
        }
        Harness.join(threads);
    }
}
