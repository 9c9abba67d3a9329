/**
 * Implementation of the off-heap links: ring file layout and validation, the ring endpoints, a {@code SharedPipe}'s
 * file, mapping and ends ({@link io.ringlink.offheap.internal.PipeFiles},
 * {@link io.ringlink.offheap.internal.PipeMapping}, {@link io.ringlink.offheap.internal.PipeEnd}) and the standard
 * codecs. Not an API: use the types in {@link io.ringlink.offheap}.
 */
package io.ringlink.offheap.internal;
