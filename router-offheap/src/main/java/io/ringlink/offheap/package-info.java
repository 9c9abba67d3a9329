/**
 * Links between JVMs on one host: Agrona memory-mapped rings ({@code ipc:}), the cross-JVM {@code SharedQueue}, and
 * persistent Chronicle Queue links ({@code chronicle:}), with the {@link io.ringlink.offheap.Codec}s that carry
 * messages across.
 */
package io.ringlink.offheap;
