package io.ringlink;

/**
 * How a thread waits for the next message in a ring, mapped to the Disruptor's wait strategies.
 */
public enum WaitStrategy
{
    /**
     * Spins on the ring cursor: lowest latency, burns a core per waiting thread. Use only with as many waiting threads
     * as spare cores.
     */
    BUSY_SPIN,

    /**
     * Spins briefly, then yields the core: low latency, high CPU use.
     */
    YIELDING,

    /**
     * Spins, yields, then parks for short periods: moderate latency, low CPU when idle.
     */
    SLEEPING,

    /**
     * Parks on a lock and condition until signalled: highest latency, no CPU when idle. The default, safe on small
     * machines.
     */
    BLOCKING
}
