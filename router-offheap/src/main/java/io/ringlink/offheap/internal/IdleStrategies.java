package io.ringlink.offheap.internal;

import io.ringlink.WaitStrategy;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Maps the router's {@link WaitStrategy} onto Agrona idle strategies for waits across processes, where there is no
 * signal to block on: {@code BLOCKING} and {@code SLEEPING} back off to parking, so a wait wakes within about a
 * millisecond of the other process acting.
 */
public final class IdleStrategies
{
    private IdleStrategies()
    {
    }

    /**
     * A new idle strategy for one waiting thread.
     *
     * @param waitStrategy how to wait.
     * @return the idle strategy.
     */
    public static IdleStrategy of(final WaitStrategy waitStrategy)
    {
        return switch (waitStrategy)
        {
            case BUSY_SPIN -> new BusySpinIdleStrategy();
            case YIELDING -> new YieldingIdleStrategy();
            case SLEEPING -> new BackoffIdleStrategy(100, 100, 1_000, 1_000_000);
            case BLOCKING -> new BackoffIdleStrategy(10, 10, 100_000, 1_000_000);
        };
    }
}
