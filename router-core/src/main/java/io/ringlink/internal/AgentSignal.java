package io.ringlink.internal;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

/**
 * The Disruptor wait strategy of a ring read by {@link DeliveryAgent}s under {@code BLOCKING}: nobody waits on the
 * ring itself; a publish wakes the agents that read it and have gone to sleep. The publisher has stored the cursor;
 * the full fence orders that store before the read of each agent's sleeping flag, as the agent orders its flag's
 * store before its read of the cursor: one of the two sees the other (no lost wake-up; see {@link SleepFlag}).
 */
final class AgentSignal implements WaitStrategy
{
    private volatile DeliveryAgent[] agents = new DeliveryAgent[0];

    /** Under the router lock: the agents that read this ring. */
    void agents(final DeliveryAgent[] readers)
    {
        agents = readers;
    }

    @Override
    public long waitFor(
        final long sequence, final Sequence cursor, final Sequence dependentSequence, final SequenceBarrier barrier)
        throws AlertException
    {
        long available;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            Thread.onSpinWait();
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking()
    {
        SleepFlag.fenceAfterPublish();
        for (final DeliveryAgent agent : agents)
        {
            agent.wakeIfSleeping();
        }
    }
}
