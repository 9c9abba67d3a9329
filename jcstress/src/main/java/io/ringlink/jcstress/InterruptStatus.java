package io.ringlink.jcstress;

/**
 * A model of a thread's interrupt status for the {@code AgentInterrupts} tests, kept as {@link Thread} keeps it: a
 * volatile flag that {@code interrupt()} sets and {@code Thread.interrupted()} reads, then clears. Interrupting a
 * jcstress actor thread for real would leave a stray interrupt (the very failure under test) on a worker thread that
 * runs the next states and jcstress' own waits, and reading the real status from the arbiter's thread is not possible
 * without the clearing read; the model lets the arbiter see an interrupt that lands after the agent's last look.
 */
public final class InterruptStatus
{
    private volatile boolean interrupted;

    /** A halter's interrupt of the agent's thread ({@code Thread.interrupt()}). */
    public void interrupt()
    {
        interrupted = true;
    }

    /**
     * The agent clears its status ({@code Thread.interrupted()}).
     *
     * @return {@code true} if it was set.
     */
    public boolean clear()
    {
        final boolean was = interrupted;
        if (was)
        {
            interrupted = false;
        }
        return was;
    }

    /**
     * Whether an interrupt is pending ({@code Thread.isInterrupted()}).
     *
     * @return {@code true} if set and not cleared since.
     */
    public boolean isSet()
    {
        return interrupted;
    }
}
