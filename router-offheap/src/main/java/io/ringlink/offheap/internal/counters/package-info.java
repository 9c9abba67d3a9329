/**
 * Live counters of a router in a memory-mapped Agrona counters file, for {@code Router.builder().counters(true)}:
 * the layout ({@link io.ringlink.offheap.internal.counters.CountersDescriptor}), the writer and its one sampler thread
 * per JVM, and the reader that {@code ringlink stat} uses. Internal: not for use outside RingLink.
 */
package io.ringlink.offheap.internal.counters;
