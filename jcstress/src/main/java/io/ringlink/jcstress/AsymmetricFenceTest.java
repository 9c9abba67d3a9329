package io.ringlink.jcstress;

import io.ringlink.internal.AsymmetricFence;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Store buffering (Dekker's entry) with a fence on one side only: the frequent side stores {@code x} opaquely and reads
 * {@code y}, as the {@code OwnerGate}'s owner does; the rare side stores {@code y} volatile, calls
 * {@link AsymmetricFence#serialise()} and reads {@code x}, as its closer does. Both reading 0 would let both into the
 * gate. {@link Unfenced} is the same without the serialisation: there, both reading 0 is what the hardware does (the
 * frequent side's store waits in its store buffer), which shows that this test can see what the fence prevents.
 * <p>
 * A limit: the safepoint takes 0.1&ndash;1 ms, so here it also puts time between the two sides, and a mere delay
 * would pass this test too. What a safepoint adds over a delay (an owner preempted between its store and its read is
 * waited for, not overtaken) rests on HotSpot's safepoint protocol, not on anything this test can force.
 */
@JCStressTest
@Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = Expect.ACCEPTABLE, desc = "at least one saw the other's store")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "neither saw the other: both would enter")
@State
public class AsymmetricFenceTest
{
    private final AtomicInteger x = new AtomicInteger();
    private final AtomicInteger y = new AtomicInteger();

    /** The frequent side: no fence (a volatile store where the asymmetric fence is not available, as the gate). */
    @Actor
    public void frequent(final II_Result result)
    {
        if (AsymmetricFence.AVAILABLE)
        {
            x.setOpaque(1);
        }
        else
        {
            x.set(1);
        }
        result.r1 = y.get();
    }

    /** The rare side: pays for both. */
    @Actor
    public void rare(final II_Result result)
    {
        y.set(1);
        if (AsymmetricFence.AVAILABLE)
        {
            AsymmetricFence.serialise();
        }
        result.r2 = x.get();
    }

    /** The same without the rare side's serialisation: both reading 0 is expected, and seen on x86 within seconds. */
    @JCStressTest
    @Outcome(id = {"1, 1", "0, 1", "1, 0"}, expect = Expect.ACCEPTABLE, desc = "at least one saw the other's store")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE_INTERESTING, desc = "neither saw the other: the race exists")
    @State
    public static class Unfenced
    {
        private final AtomicInteger x = new AtomicInteger();
        private final AtomicInteger y = new AtomicInteger();

        /** The frequent side, as above. */
        @Actor
        public void frequent(final II_Result result)
        {
            x.setOpaque(1);
            result.r1 = y.get();
        }

        /** The rare side without the serialisation. */
        @Actor
        public void rare(final II_Result result)
        {
            y.set(1);
            result.r2 = x.get();
        }
    }
}
