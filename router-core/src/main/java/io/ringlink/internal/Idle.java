package io.ringlink.internal;

import io.ringlink.WaitStrategy;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The one idle and back-off helper of the engine: spin, then yield, then park briefly, as Agrona's
 * {@code BackoffIdleStrategy} does. Two uses:
 * <ul>
 *     <li>off the message path (drain checks, hand-shakes, a closer waiting for an owner, a pump waiting for room),
 *     the static {@link #backoff(int)} and {@link #await(BooleanSupplier, long)};</li>
 *     <li>a delivery agent with nothing to do, an instance per agent that follows the router's wait strategy:
 *     {@code BUSY_SPIN} spins, {@code YIELDING} spins then yields, {@code SLEEPING} spins, yields, then parks
 *     100 &micro;s, {@code BLOCKING} spins, yields, then parks until a producer wakes it (see
 *     {@link DeliveryAgent}). The spins and yields first matter most under {@code BLOCKING}: an agent that parked the
 *     moment it caught up would be woken (a system call for both sides) by nearly every publish of a busy ring.</li>
 * </ul>
 * A producer waiting for room in a full ring does not use it: it parks at once ({@link Claims}).
 */
final class Idle
{
    private static final int SPINS = 100;
    private static final int YIELDS = 200;
    private static final long BACKOFF_PARK_NANOS = 20_000;
    private static final long SLEEP_NANOS = 100_000;

    private final WaitStrategy strategy;
    private int attempt;

    Idle(final WaitStrategy strategy)
    {
        this.strategy = strategy;
    }

    /**
     * One step of an off-path wait: spins, then yields, then parks 20 &micro;s.
     *
     * @param attempt how many steps the wait has taken so far.
     */
    static void backoff(final int attempt)
    {
        if (attempt < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (attempt < YIELDS)
        {
            Thread.yield();
        }
        else
        {
            LockSupport.parkNanos(BACKOFF_PARK_NANOS);
        }
    }

    /**
     * Waits, backing off, until a condition holds or a deadline passes.
     *
     * @param condition     what to wait for; read once more at the deadline.
     * @param deadlineNanos a {@link System#nanoTime()} after which to give up.
     * @return {@code true} if the condition held.
     */
    static boolean await(final BooleanSupplier condition, final long deadlineNanos)
    {
        for (int attempt = 0; !condition.getAsBoolean(); attempt++)
        {
            if (System.nanoTime() - deadlineNanos > 0)
            {
                return condition.getAsBoolean();
            }
            backoff(attempt);
        }
        return true;
    }

    /** Work was done: the next idle starts from the beginning. */
    void reset()
    {
        attempt = 0;
    }

    /**
     * Nothing to do this cycle: one step of the wait strategy.
     *
     * @return {@code false} when the strategy is {@code BLOCKING} and its spins and yields are spent: the caller
     *         parks until woken (and keeps parking at once until it has done work again).
     */
    boolean idle()
    {
        final int n = attempt;
        if (n < YIELDS)
        {
            attempt = n + 1;
        }
        if (strategy == WaitStrategy.BUSY_SPIN || n < SPINS)
        {
            Thread.onSpinWait();
        }
        else if (strategy == WaitStrategy.YIELDING || n < YIELDS)
        {
            Thread.yield();
        }
        else if (strategy == WaitStrategy.BLOCKING)
        {
            return false;
        }
        else
        {
            LockSupport.parkNanos(SLEEP_NANOS);
        }
        return true;
    }
}
