package io.ringlink.jcstress;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.internal.SleepFlag;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * A {@code SHARED} + {@code BLOCKING} delivery agent going to sleep while a producer publishes into a real Disruptor
 * ring it reads. The agent raises its {@link SleepFlag} and looks at the ring once more; the producer publishes, then
 * (after its fence) reads the flag. {@code r1}: the agent's look saw the message (it would not park). {@code r2}: the
 * producer saw the flag (it would unpark the agent). At least one must be true; both false is a lost wake-up, the
 * agent parked for good with a message in its ring.
 */
@JCStressTest
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "both saw each other (one spare unpark)")
@Outcome(id = "true, false", expect = Expect.ACCEPTABLE, desc = "the agent saw the message and does not park")
@Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "the producer saw the flag and unparks")
@Outcome(id = "false, false", expect = Expect.FORBIDDEN, desc = "lost wake-up: the agent parks past a message")
@State
public class SleepFlagTest
{
    private final RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 4, new BusySpinWaitStrategy());
    private final SleepFlag flag = new SleepFlag();

    /** The agent, its spins and yields spent: flag, then the last look before it would park. */
    @Actor
    public void agent(final ZZ_Result result)
    {
        flag.raise();
        result.r1 = ring.getCursor() >= 0;
    }

    /** A producer publishes one message, then decides whether to wake the agent (as {@code AgentSignal} does). */
    @Actor
    public void producer(final ZZ_Result result)
    {
        final long sequence = ring.next();
        ring.get(sequence).value = 1;
        ring.publish(sequence);
        SleepFlag.fenceAfterPublish();
        result.r2 = flag.isRaised();
    }

    /** A ring slot. */
    public static final class Slot
    {
        Object value;
    }
}
