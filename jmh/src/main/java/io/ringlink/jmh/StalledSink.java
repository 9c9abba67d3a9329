package io.ringlink.jmh;

import io.ringlink.Sink;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A sink that stalls in its first message until {@link #release()}: the slow sink of {@link SlowSinkBenchmark}. An
 * interrupt (the router stopping) ends the stall too.
 */
final class StalledSink implements Sink<Object>
{
    private static final long STALL_TIMEOUT_SECONDS = 10;

    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void onMessage(final Object message)
    {
        if (stalled.getCount() == 0)
        {
            return;
        }
        stalled.countDown();
        try
        {
            released.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the sink is stalled in its first message.
     *
     * @throws IllegalStateException if it is not within 10 s.
     */
    void awaitStalled()
    {
        try
        {
            if (!stalled.await(STALL_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException("the stalled sink never received its first message");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sink to stall", ex);
        }
    }

    /** Ends the stall; from then on the sink takes messages at once. */
    void release()
    {
        released.countDown();
    }

    @Override
    public String name()
    {
        return "stalled";
    }
}
