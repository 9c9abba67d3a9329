/**
 * RingLink: links sources to destinations through ring buffers.
 * <pre>
 *  source --pump--&gt; Disruptor ring (one per source) --delivery--&gt; sink A
 *  (queue, stream,                                   +-delivery--&gt; sink B
 *   file, process,      or Publisher.publish()       +-delivery--&gt; sink C
 *   IpcRing, Chronicle)    straight into the ring
 *
 *  fan-in: several sources, each with its own ring, feed the same sinks
 *  source 1 --&gt; ring 1 --+--&gt; sink A      (calls to a sink that is not thread-safe
 *  source 2 --&gt; ring 2 --+                 are serialised by the router)
 * </pre>
 * <ul>
 *     <li>{@link io.ringlink.RingLink#link(Object, Object...)}: one call that links queues, streams, files,
 *     processes, channels, FIFOs and URIs, returning a {@link io.ringlink.Link}; options in
 *     {@link io.ringlink.Linker}.</li>
 *     <li>{@link io.ringlink.Router}: the router; sources ({@link io.ringlink.Router#read(Object)},
 *     {@link io.ringlink.Router#publisher(String)}) and sinks ({@link io.ringlink.Router#write(Object)}) come and go
 *     while it runs.</li>
 *     <li>{@link io.ringlink.Source} and {@link io.ringlink.Sink}: the endpoint SPI.</li>
 *     <li>{@link io.ringlink.RouterMetrics}: counters, backlog, lag and latency.</li>
 * </ul>
 * Per source, every sink sees messages in publication order; across sources there is no order. The router allocates
 * nothing per message in steady state: ring slots are preallocated envelopes.
 */
package io.ringlink;
