package io.ringlink;

/**
 * How a router's deliveries are threaded ({@link Router.Builder#threading(ThreadingMode)}).
 * <ul>
 *     <li>{@link #DEDICATED}: one delivery thread per (source, sink) pair, each waiting on its ring with the wait
 *     strategy: the lowest latency for a few endpoints; N sources and M sinks run N &times; M delivery threads.</li>
 *     <li>{@link #SHARED}: {@link Router.Builder#deliveryThreads(int)} agents; each sink is owned by one agent, which
 *     reads every ring that feeds the sink in turn and idles with the wait strategy when none has anything. A source
 *     that {@linkplain Source#readsWithoutBlocking() reads without blocking} ({@code ipc:}, {@code chronicle:}, a live
 *     {@code aeron:} subscription, a regular file of some size read as bytes and not followed) runs on an agent
 *     too; a blocking one (a queue, a stream, a process) keeps a pump thread. N sources of which B block and M sinks
 *     run B pump threads and the agents: threads grow with the agents and the blocking sources, not with sources
 *     &times; sinks, and a sink is only ever called from its agent's thread.
 *     Under {@link WaitStrategy#BLOCKING} an idle agent that runs sources parks at most 1 ms at a time (nothing signals
 *     it when such a source gets a message), so it sees one within about a millisecond.</li>
 * </ul>
 * Every guarantee of {@link Router} holds in both modes.
 */
public enum ThreadingMode
{
    /** A delivery thread per (source, sink) pair. */
    DEDICATED,
    /** A fixed set of delivery agents, each owning some of the sinks. */
    SHARED
}
