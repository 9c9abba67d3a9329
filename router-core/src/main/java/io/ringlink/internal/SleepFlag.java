package io.ringlink.internal;

import java.lang.invoke.VarHandle;

/**
 * The sleeping flag of a delivery agent under {@code BLOCKING}: one half of a Dekker pair with the producers of the
 * rings it reads, so that a publish never leaves the agent parked with the message unseen.
 * <pre>
 *   agent (idle, spins and yields spent)    producer (after each publish)
 *   raise():  sleeping = 1; full fence      cursor = seq           (the Disruptor's publish)
 *   look at every ring once more            full fence; if isRaised(): unpark the agent
 *   nothing: park; then lower()
 * </pre>
 * The two full fences make the pair sequentially consistent: either the agent's second look sees the cursor, or the
 * producer sees the flag and unparks (a permit left before the park makes the park return at once). Looking before
 * raising the flag would lose the publishes that land between the look and the flag. Proven by jcstress
 * ({@code io.ringlink.jcstress.SleepFlagTest}) and by {@code AgentWakeupStressTest}.
 */
public final class SleepFlag
{
    private volatile boolean sleeping;

    /** The agent, before its last look and its park: raises the flag, then a full fence. */
    public void raise()
    {
        sleeping = true;
        VarHandle.fullFence();
    }

    /** The agent, awake again (or not parking after all). */
    public void lower()
    {
        sleeping = false;
    }

    /**
     * The producer, after it published and after a full fence ({@link #fenceAfterPublish()}, once for all the agents
     * of a ring): whether this agent may be parked or parking and must be unparked.
     *
     * @return {@code true} if the flag is up.
     */
    public boolean isRaised()
    {
        return sleeping;
    }

    /** The producer's half of the pair: orders its publish before its reads of the agents' flags. */
    public static void fenceAfterPublish()
    {
        VarHandle.fullFence();
    }
}
