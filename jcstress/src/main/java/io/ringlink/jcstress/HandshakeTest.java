package io.ringlink.jcstress;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import io.ringlink.internal.Handshake;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The fan-in hand-shake on a real Disruptor barrier. A first request is pending (its alert raised); the delivery
 * answers it while the router raises a second. {@code r1}: the barrier is still alerted. {@code r2}: the second
 * request is answered. The second request must end answered, or still alerted so that the delivery answers it at
 * its next batch; neither is a lost wake-up, and a sibling delivery would wait for ever.
 */
@JCStressTest
@Outcome(id = "true, false", expect = Expect.ACCEPTABLE, desc = "second request pending, alert raised")
@Outcome(id = "false, true", expect = Expect.ACCEPTABLE, desc = "second request answered")
@Outcome(id = "true, true", expect = Expect.ACCEPTABLE, desc = "answered; its alert came after the clear")
@Outcome(id = "false, false", expect = Expect.FORBIDDEN, desc = "lost wake-up: neither answered nor alerted")
@State
public class HandshakeTest
{
    private final SequenceBarrier barrier =
        RingBuffer.createSingleProducer(Slot::new, 4, new BlockingWaitStrategy()).newBarrier();
    private final Handshake handshake = new Handshake(barrier);
    private final long second;

    /** A first request pending; the second will be {@code first + 1}. */
    public HandshakeTest()
    {
        second = handshake.request() + 1;
    }

    /** The router gives the sink another source. */
    @Actor
    public void router()
    {
        handshake.request();
    }

    /** The delivery, woken by the first alert, answers between two batches. */
    @Actor
    public void delivery()
    {
        handshake.answer();
    }

    /** Checks the state after both. */
    @Arbiter
    public void arbiter(final ZZ_Result result)
    {
        result.r1 = barrier.isAlerted();
        result.r2 = handshake.isAnswered(second);
    }

    /** A ring slot. */
    public static final class Slot
    {
        Object value;
    }
}
