package io.ringlink.jcstress;

import io.ringlink.internal.AgentInterrupts;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A {@code SHARED} delivery agent entering a delivery whose sink blocks until interrupted, while a router thread halts
 * that delivery. The real {@link AgentInterrupts}, the agent's thread's interrupt status modelled by
 * {@link InterruptStatus}. The agent enters, then its poll reads the halted flag: if set, it calls no sink; if not,
 * it calls the sink, which waits until the halt is done and then returns only if an interrupt reached it (consuming
 * it, as an {@code InterruptedException} does). {@code r1}: 0, the poll saw the halt; 1, the blocked sink was
 * interrupted; 2, the sink was called after the halt and never interrupted: it would block the agent for ever.
 * {@code r2}: an interrupt for the delivery pending after {@link AgentInterrupts#leave} returned (1), or not (0).
 */
@JCStressTest
@Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "the poll saw the halt, no sink called")
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "the sink was called; the halt interrupted it")
@Outcome(expect = Expect.FORBIDDEN, desc = "sink never interrupted, or an interrupt left after leave")
@State
public class AgentInterruptEnterTest
{
    private static final int SPINS = 100;

    private final InterruptStatus status = new InterruptStatus();
    private final AgentInterrupts interrupts = new AgentInterrupts(status::interrupt, status::clear);
    private final AgentInterrupts.Task delivery = new AgentInterrupts.Task();
    private volatile boolean halterDone;

    /** The agent runs the delivery: enter, the poll, a sink that blocks until interrupted, leave. */
    @Actor
    public void agent(final II_Result result)
    {
        interrupts.enter(delivery);
        if (delivery.isHalted())
        {
            result.r1 = 0;
        }
        else
        {
            // The sink blocks; once the halt is done it must have been interrupted, or it would wait for ever.
            for (int spins = 0; !halterDone; spins++)
            {
                if (spins < SPINS)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                }
            }
            result.r1 = status.clear() ? 1 : 2;
        }
        interrupts.leave(delivery);
        result.r2 = status.isSet() ? 1 : 0;
    }

    /** A router thread halts the delivery (as {@code Delivery.halt(true)} does). */
    @Actor
    public void halter()
    {
        delivery.markHalted();
        interrupts.interruptIfRunning(delivery);
        halterDone = true;
    }

    /** Whether an interrupt arrived after the agent's look. */
    @Arbiter
    public void arbiter(final II_Result result)
    {
        if (status.isSet())
        {
            result.r2 = 1;
        }
    }
}
