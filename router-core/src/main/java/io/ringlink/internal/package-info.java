/**
 * Implementation of RingLink: the Disruptor-backed router, pumps, deliveries and endpoint adapters.
 * <p>
 * {@code Endpoints} turns user objects into sources and sinks: {@code ChannelSource}/{@code ChannelSink} for every
 * byte endpoint (streams, files, FIFOs, processes, channels; lines via {@code LineSplitter}), {@code TextEndpoints}
 * for readers and writers, {@code CoreEndpointProvider} for the {@code -}, {@code file:} and {@code fifo:} URIs.
 * {@code LinkFactory} and {@code DefaultLink} make {@code RingLink.link()}.
 * <p>
 * The engine, one concern per class:
 * <pre>
 *   DisruptorRouter   ties the parts: registration, sink removal, error and slow-sink callbacks, metrics
 *   Registry          the lock, the sources (SourceRing) and sinks (SinkState) by id, the link graph (LinkGraph)
 *   Shutdown          the stop: RUNNING, ENDING_SOURCES, DRAINING, ABANDONING, CLOSING, STOPPED
 *   producers         ExclusivePublisher (one thread, OwnerGate), ConcurrentPublisher (any threads), Pump (its own
 *                     thread, or an agent's duty cycle; Acknowledgements for an acknowledging source);
 *                     all claim through Claims, which relieves drop/disconnect sinks (SlowSinks)
 *   consumers         Delivery (one ring into one sink), DeliveryAgent (SHARED: runs many), Spill (spill sinks)
 *   waiting           Idle (spin, yield, park: agents and off-path waits), AgentSignal (SHARED + BLOCKING wake-up),
 *                     AgentInterrupts (SHARED: a halt interrupts an agent only while it runs the halted delivery)
 * </pre>
 * The rules every change to it keeps:
 * <ul>
 *     <li><b>Who writes a ring.</b> A single-producer ring has one producer at a time: its pump (on its own thread, or
 *     in {@code SHARED} for a source that reads without blocking on one {@code DeliveryAgent}, which then claims, ends
 *     and gives up that ring itself and never waits inside a step), or its exclusive publisher's owner; a close from
 *     another thread goes through the {@code OwnerGate} and never claims while the owner may. A multi-producer ring
 *     ({@code ConcurrentPublisher}) takes any number. Producers claim through
 *     {@code Claims}, which gives up when the ring is abandoned, at the source's give-up time or at the caller's
 *     deadline, and relieves {@code drop}/{@code disconnectAfter} sinks that hold a full ring ({@code SlowSinks}).</li>
 *     <li><b>Who reads a ring.</b> One {@code Delivery} per (ring, sink), on its own thread ({@code DEDICATED}) or
 *     polled by the sink's {@code DeliveryAgent} ({@code SHARED}). A delivery's gating sequence moves once per batch;
 *     it is set to the ring's cursor when the delivery is added (under the router lock), so a late sink receives a
 *     gap-free suffix. Only a {@code drop} delivery's sequence is ever moved by someone else (producers, by CAS), and
 *     only a {@code disconnectAfter} delivery's is ever removed while it runs; both validate each read after a
 *     load-load fence.</li>
 *     <li><b>Order.</b> Per source, each sink receives messages in ring order; a {@code drop} sink may skip, never
 *     reorder. A sink is called by one thread at a time, decided once when it is written ({@code SinkState.lock}):
 *     in {@code DEDICATED} a sink that is not thread-safe and is fed by several rings is locked per batch once the
 *     {@code Handshake} has made every delivery see it shared; in {@code SHARED} all of a sink's deliveries run on
 *     its agent and nothing is locked.</li>
 *     <li><b>Counts.</b> A delivery's position and delivered count advance after each message, so metrics are exact
 *     whenever the router is quiescent, a sink blocked in a call included; a single-producer ring's published count
 *     is its cursor. {@code isDrained} reads source, pump, ring in the order a message moves through them.</li>
 *     <li><b>Signals.</b> Whoever raises a flag and then reads what it announces pairs with whoever publishes and then
 *     reads the flag, with a full fence (or volatile accesses) on both sides: the {@code Handshake} (clear the alert,
 *     then read the request), the agents' sleep ({@code DeliveryAgent}, {@code AgentSignal}), a halt's interrupt of
 *     an agent ({@code AgentInterrupts}: halted flag, then what the agent runs; what it runs, then the halted flag).
 *     The {@code OwnerGate} alone fences one side: its owner, once per publish, stores opaquely; its closer, once,
 *     stores volatile and then brings every thread through a safepoint ({@code AsymmetricFence}), which stands for
 *     the owner's fence. An agent spins and yields before it raises its flag; the flag, fence, look-again, park
 *     sequence is unchanged. Each pair has a jcstress test (module {@code router-jcstress}).</li>
 *     <li><b>Lifecycle.</b> Registration changes take the router lock; the message path never does. A source ends
 *     with an end marker published by its only producer; a delivery ends at that marker or when halted, and the last
 *     delivery of a removed sink closes it (for a spill, after draining it at a router stop). A ring retires once ended
 *     and without deliveries. Stop ({@code Shutdown}): publishers close, pumps move what their source holds and end,
 *     deliveries run to the end markers within the timeout; then producers are given up first (a claim in an
 *     abandoned ring fails) and deliveries halted, sinks closed, agents stopped; nothing waits past the timeout plus
 *     a join grace.</li>
 * </ul>
 * <p>
 * Not API: anything here may change without notice. Use the types in {@code io.ringlink}.
 */
package io.ringlink.internal;
