package io.ringlink.jcstress;

import io.ringlink.internal.AgentInterrupts;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZZ_Result;

/**
 * A {@code SHARED} delivery agent leaving a delivery (its poll done) while a router thread halts that delivery and
 * would interrupt the agent if it still ran it; the agent then goes on to the next delivery. The real
 * {@link AgentInterrupts}, the agent's thread's interrupt status modelled by {@link InterruptStatus}. {@code r1}: the
 * halter interrupted the agent. {@code r2}: an interrupt is pending as the agent enters the next delivery.
 * {@code r3}: an interrupt is pending once both are done. Once {@link AgentInterrupts#leave} has returned, no
 * interrupt for the halted delivery may be pending or arrive: it would fail the next delivery's sink.
 */
@JCStressTest
@Outcome(id = "false, false, false", expect = Expect.ACCEPTABLE, desc = "the halter saw the agent gone, no interrupt")
@Outcome(id = "true, false, false", expect = Expect.ACCEPTABLE, desc = "interrupted in the delivery; leave consumed it")
@Outcome(expect = Expect.FORBIDDEN, desc = "an interrupt for the halted delivery after leave returned")
@State
public class AgentInterruptLeaveTest
{
    private final InterruptStatus status = new InterruptStatus();
    private final AgentInterrupts interrupts = new AgentInterrupts(status::interrupt, status::clear);
    private final AgentInterrupts.Task delivery = new AgentInterrupts.Task();
    private final AgentInterrupts.Task next = new AgentInterrupts.Task();

    /** The agent runs the delivery: it entered before the poll. */
    public AgentInterruptLeaveTest()
    {
        interrupts.enter(delivery);
    }

    /** The agent, its poll done: leaves the delivery and enters the next, whose sink an interrupt would fail. */
    @Actor
    public void agent(final ZZZ_Result result)
    {
        interrupts.leave(delivery);
        interrupts.enter(next);
        result.r2 = status.isSet();
    }

    /** A router thread halts the delivery (as {@code Delivery.halt(true)} does). */
    @Actor
    public void halter(final ZZZ_Result result)
    {
        delivery.markHalted();
        result.r1 = interrupts.interruptIfRunning(delivery);
    }

    /** Whether an interrupt arrived after the agent's look. */
    @Arbiter
    public void arbiter(final ZZZ_Result result)
    {
        result.r3 = status.isSet();
    }
}
