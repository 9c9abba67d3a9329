/**
 * Implementation of the off-heap links: ring file layout and validation, the ring endpoints and the standard codecs.
 * Not an API: use the types in {@link io.ringlink.offheap}.
 */
package io.ringlink.offheap.internal;
