package io.ringlink.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Interrupts a delivery agent ({@code SHARED}) for a halt of one of its tasks (deliveries) only while it runs that
 * task, never while it runs another: an interrupt meant for one sink, blocked in a call, must not fail the next sink
 * the agent calls. The agent says which task it runs ({@link #enter}, {@link #leave}); a halter raises the task's
 * halted flag, then interrupts through {@link #interruptIfRunning}.
 * <pre>
 *   halter                                   agent
 *   halted = true             (volatile)     running = task         (volatile; enter)
 *   interrupting++            (atomic)       poll: reads halted, calls the sink
 *   if running == task: interrupt            running = null         (volatile; leave)
 *   interrupting--            (atomic)       if halted: wait while interrupting != 0; clear the interrupt
 * </pre>
 * Two Dekker pairs on sequentially consistent accesses. Entering: either the halter sees the agent in the task and
 * interrupts it, or the agent's poll (which reads {@code halted} after it entered) sees the halt and calls no sink.
 * Leaving: either the halter sees the agent gone and sends nothing, or the agent sees {@code halted}; then it waits
 * until no halter is between its look at {@code running} and its interrupt (that one looked while the agent was in
 * the task, so it counted itself in first), and clears the interrupt before it runs any other task. So once
 * {@link #leave} returns, no interrupt for that task is pending or on its way. A counter, not a flag: two halts of a
 * task may overlap (a stop and an unregister), and the first to finish must not hide the other.
 * <p>
 * The interrupt and its clearing are actions given to the constructor: the agent's thread's {@code interrupt()} and
 * {@code Thread::interrupted}; a jcstress test gives a model of the interrupt status, so that it runs this code and
 * not a copy. Proven by jcstress ({@code io.ringlink.jcstress.AgentInterruptLeaveTest},
 * {@code io.ringlink.jcstress.AgentInterruptEnterTest}) and by {@code PolledPumpReviewTest}.
 */
public final class AgentInterrupts
{
    private final Runnable interrupt;
    private final BooleanSupplier clear;
    /** The task the agent runs now (its sink may be called), or {@code null}. */
    private volatile Task running;

    /**
     * The interrupts of one agent.
     *
     * @param interrupt interrupts the agent's thread; called by halters, on their threads.
     * @param clear     clears the agent's interrupt status; called by the agent, on its thread.
     */
    public AgentInterrupts(final Runnable interrupt, final BooleanSupplier clear)
    {
        this.interrupt = interrupt;
        this.clear = clear;
    }

    /**
     * The agent, before it polls the task: from now on a halt of the task interrupts it.
     *
     * @param task the task it runs next; it reads the task's halted flag after this.
     */
    public void enter(final Task task)
    {
        running = task;
    }

    /**
     * The agent, after the task's poll (whatever it threw): from when this returns, no interrupt for a halt of the
     * task is pending or on its way. Waits, only if the task was halted, while a halter is between its look and its
     * interrupt (a few instructions).
     *
     * @param task the task it ran.
     */
    public void leave(final Task task)
    {
        running = null;
        if (task.halted)
        {
            for (int attempt = 0; task.isInterrupting(); attempt++)
            {
                Idle.backoff(attempt);
            }
            clear.getAsBoolean();
        }
    }

    /**
     * A halter, after it raised the task's halted flag ({@link Task#markHalted()}): interrupts the agent if it runs
     * the task now.
     *
     * @param task the halted task.
     * @return {@code true} if the agent was interrupted (the agent consumes it by {@link #leave} at the latest).
     */
    public boolean interruptIfRunning(final Task task)
    {
        task.interrupting.incrementAndGet();
        try
        {
            if (running == task)
            {
                interrupt.run();
                return true;
            }
            return false;
        }
        finally
        {
            task.interrupting.decrementAndGet();
        }
    }

    /**
     * What an agent runs and a halt stops (a {@code Delivery}): its halted flag, and the halts on their way to
     * interrupting the agent.
     */
    public static class Task
    {
        /** Raised once by a halt; read by the task's poll, before each message, and by {@link #leave}. */
        volatile boolean halted;
        private final AtomicInteger interrupting = new AtomicInteger();

        /** Raises the halted flag (a volatile store), before {@link #interruptIfRunning}. */
        public final void markHalted()
        {
            halted = true;
        }

        /**
         * Whether the task was halted.
         *
         * @return {@code true} once {@link #markHalted()} was called.
         */
        public final boolean isHalted()
        {
            return halted;
        }

        /**
         * Whether a halt is between looking at what the agent runs and interrupting it: an interrupt meant for this
         * task may still be on its way.
         *
         * @return {@code true} while such a halt is under way.
         */
        public final boolean isInterrupting()
        {
            return interrupting.get() != 0;
        }
    }
}
