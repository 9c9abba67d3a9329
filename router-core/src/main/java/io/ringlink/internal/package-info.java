/**
 * Implementation of RingLink: the Disruptor-backed router, pumps, deliveries and endpoint adapters.
 * <p>
 * {@code Endpoints} turns user objects into sources and sinks: {@code ChannelSource}/{@code ChannelSink} for every
 * byte endpoint (streams, files, FIFOs, processes, channels; lines via {@code LineSplitter}), {@code TextEndpoints}
 * for readers and writers, {@code CoreEndpointProvider} for the {@code -}, {@code file:} and {@code fifo:} URIs.
 * {@code LinkFactory} and {@code DefaultLink} make {@code RingLink.link()}.
 * <p>
 * Not API: anything here may change without notice. Use the types in {@code io.ringlink}.
 */
package io.ringlink.internal;
