package io.ringlink.jcstress;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.ringlink.internal.OwnerGate;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.TimeUnit;

/**
 * The exclusive publisher's close protocol on a real single-producer Disruptor ring: the owner publishes one message
 * through the {@link OwnerGate} while another thread closes the gate and publishes the end marker. {@code r1}: the
 * publish returned (1) or was refused (0). {@code r2}: the ring holds what it must (1) — the message before the end
 * marker if the publish returned, the end marker alone at sequence 0 otherwise — or not (0: a lost publish, a slot
 * claimed twice, an end marker overwritten).
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "published, then the end marker")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "refused: the gate was closed first; the end marker alone")
@Outcome(expect = Expect.FORBIDDEN, desc = "both claimed, or a publish that returned is not before the end marker")
@State
public class OwnerGateTest
{
    private static final Integer MESSAGE = 1;
    private static final Integer END = 2;

    private final RingBuffer<Slot> ring = RingBuffer.createSingleProducer(Slot::new, 4, new BusySpinWaitStrategy());
    private final OwnerGate gate = new OwnerGate();

    /** The owner's publish. */
    @Actor
    public void owner(final II_Result result)
    {
        if (!gate.enter())
        {
            result.r1 = 0;
            return;
        }
        try
        {
            final long sequence = ring.next();
            ring.get(sequence).value = MESSAGE;
            ring.publish(sequence);
            result.r1 = 1;
        }
        finally
        {
            gate.exit();
        }
    }

    /** Another thread's close. */
    @Actor
    public void closer()
    {
        if (gate.closeAndAwaitOwner(System.nanoTime() + TimeUnit.SECONDS.toNanos(10)))
        {
            final long sequence = ring.next();
            ring.get(sequence).value = END;
            ring.publish(sequence);
        }
    }

    /** Checks the ring after both. */
    @Arbiter
    public void arbiter(final II_Result result)
    {
        final long cursor = ring.getCursor();
        final boolean consistent = result.r1 == 1 ?
            cursor == 1 && ring.get(0).value == MESSAGE && ring.get(1).value == END :
            cursor == 0 && ring.get(0).value == END;
        result.r2 = consistent ? 1 : 0;
    }

    /** A ring slot. */
    public static final class Slot
    {
        Object value;
    }
}
