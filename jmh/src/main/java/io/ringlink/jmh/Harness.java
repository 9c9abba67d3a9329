package io.ringlink.jmh;

import io.ringlink.WaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.TimeUnit;

/**
 * What the throughput benchmarks share: sizes, a pool of messages (so that producing allocates nothing), the wait
 * strategy mappings and the wait for a consumer to catch up.
 */
final class Harness
{
    /** Messages each producer sends per benchmark invocation; large against the ring so the pipeline runs full. */
    static final int BATCH = 1 << 16;
    /** The independent harness's batch: 1M (2^20) pre-boxed messages per invocation. */
    static final int MILLION = 1 << 20;
    /** Ring size of the router and the raw Disruptor, capacity of the JCTools and ArrayBlockingQueue peers. */
    static final int RING_SIZE = 16384;

    private static final int POOL_MASK = 1023;
    private static final Object[] POOL = new Object[POOL_MASK + 1];
    private static final int SPINS_BEFORE_YIELD = 100;
    private static final long STALL_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** {@link #MILLION} pre-boxed messages (the pool's, in turn) for the batch publishes. */
    static final Object[] MILLION_MESSAGES = new Object[MILLION];

    static
    {
        for (int i = 0; i < POOL.length; i++)
        {
            POOL[i] = i;
        }
        for (int i = 0; i < MILLION; i++)
        {
            MILLION_MESSAGES[i] = POOL[i & POOL_MASK];
        }
    }

    private Harness()
    {
    }

    /**
     * A preallocated message.
     *
     * @param i any number; the pool wraps.
     * @return a message, never {@code null}.
     */
    static Object message(final int i)
    {
        return POOL[i & POOL_MASK];
    }

    /** The Disruptor wait strategy the router maps the same {@link WaitStrategy} to. */
    static com.lmax.disruptor.WaitStrategy disruptorWait(final WaitStrategy waitStrategy)
    {
        return switch (waitStrategy)
        {
            case BUSY_SPIN -> new com.lmax.disruptor.BusySpinWaitStrategy();
            case YIELDING -> new com.lmax.disruptor.YieldingWaitStrategy();
            case SLEEPING -> new com.lmax.disruptor.SleepingWaitStrategy();
            case BLOCKING -> new com.lmax.disruptor.BlockingWaitStrategy();
        };
    }

    /**
     * The closest Agrona idle strategy for peers that have no wait strategy of their own (JCTools): BUSY_SPIN spins,
     * YIELDING spins 100 times then yields (as the Disruptor's), BLOCKING backs off to parking since a lock-free
     * queue has nothing to signal.
     */
    static IdleStrategy idle(final WaitStrategy waitStrategy)
    {
        return switch (waitStrategy)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELDING -> new BackoffIdleStrategy(SPINS_BEFORE_YIELD, Long.MAX_VALUE, 1, 1);
            case SLEEPING, BLOCKING -> new BackoffIdleStrategy(SPINS_BEFORE_YIELD, 10, 1_000, 100_000);
        };
    }

    /**
     * Waits until a consumer has received {@code target} messages: spins, then yields. Only the tail of a batch is
     * waited for, so the way of waiting hardly shows in the score.
     *
     * @throws IllegalStateException if the consumer made no progress for 30 s (a broken pipeline must not hang JMH).
     */
    static void awaitReceived(final Received consumer, final long target)
    {
        int attempt = 0;
        long seen = -1;
        long seenAt = 0;
        long received;
        while ((received = consumer.received()) < target)
        {
            if (attempt++ < SPINS_BEFORE_YIELD)
            {
                Thread.onSpinWait();
                continue;
            }
            Thread.yield();
            if (received != seen)
            {
                seen = received;
                seenAt = System.nanoTime();
            }
            else if (System.nanoTime() - seenAt > STALL_TIMEOUT_NANOS)
            {
                throw new IllegalStateException("consumer stalled at " + received + " of " + target + " messages");
            }
        }
    }

    /** Interrupts and joins threads the benchmark started; fails loudly if one will not end. */
    static void stop(final Thread... threads)
    {
        for (final Thread thread : threads)
        {
            thread.interrupt();
        }
        join(threads);
    }

    /** Joins threads that were told to end in their own way (a halted Disruptor processor). */
    static void join(final Thread... threads)
    {
        for (final Thread thread : threads)
        {
            try
            {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
            if (thread.isAlive())
            {
                throw new IllegalStateException("thread " + thread.getName() + " did not stop");
            }
        }
    }

    /** How many messages a consumer has received, as far as its producer can see. */
    interface Received
    {
        /**
         * Messages received and made visible so far.
         *
         * @return the count.
         */
        long received();
    }

    /** A daemon thread, started, so that a failed tear-down can never keep a JMH fork alive. */
    static Thread start(final String name, final Runnable task)
    {
        final Thread thread = new Thread(task, "jmh-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
