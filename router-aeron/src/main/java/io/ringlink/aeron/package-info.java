/**
 * {@code aeron:} links across hosts on the Aeron engine: {@link io.ringlink.aeron.AeronSink} publishes a router's
 * messages on an Aeron stream (UDP unicast or multicast, or {@code aeron:ipc} on one host) and
 * {@link io.ringlink.aeron.AeronSource} subscribes to one. Both are normally opened from a URI through the
 * {@code aeron} scheme:
 * <pre>
 *  host A                                         host B
 *  source ──▶ router ──▶ AeronSink  ──UDP──▶  AeronSource ──▶ router ──▶ sinks
 *                        (publication)        (subscription, FragmentAssembler)
 *            'aeron:udp?endpoint=10.0.0.2:40123|stream=7'   (the same URI on both sides)
 * </pre>
 * The media driver is embedded (one per JVM, shared by its endpoints) unless a URI says {@code driver=external}.
 * See docs/guide-aeron.md.
 */
package io.ringlink.aeron;
