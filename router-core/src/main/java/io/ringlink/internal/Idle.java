package io.ringlink.internal;

import io.ringlink.WaitStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * How a delivery agent idles when none of its rings has anything, per wait strategy, as Agrona's idle strategies
 * do: {@code BUSY_SPIN} spins, {@code YIELDING} spins then yields, {@code SLEEPING} spins, yields, then parks
 * briefly. ({@code BLOCKING} agents park until a producer wakes them: see {@link DeliveryAgent}.)
 */
final class Idle
{
    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long SLEEP_NANOS = 100_000;

    private final WaitStrategy strategy;
    private int attempt;

    Idle(final WaitStrategy strategy)
    {
        this.strategy = strategy;
    }

    /** Work was done: the next idle starts from the beginning. */
    void reset()
    {
        attempt = 0;
    }

    /** Nothing to do this cycle. */
    void idle()
    {
        final int n = attempt++;
        if (strategy == WaitStrategy.BUSY_SPIN || n < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (strategy == WaitStrategy.YIELDING || n < YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(SLEEP_NANOS);
        }
    }
}
