/**
 * Chronicle Queue plumbing behind {@link io.ringlink.offheap.ChronicleSink} and
 * {@link io.ringlink.offheap.ChronicleSource}: opening queues (owner-only directories, roll cycles, the JVM flag
 * check), committed reader positions, retention of old cycle files and the {@code chronicle:} URI provider.
 * Internal: not for use outside RingLink, may change without notice.
 */
package io.ringlink.offheap.internal.chronicle;
