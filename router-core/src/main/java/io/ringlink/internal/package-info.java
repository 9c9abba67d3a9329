/**
 * Implementation of RingLink: the Disruptor-backed router, pumps, deliveries and endpoint adapters.
 * <p>
 * Not API: anything here may change without notice. Use the types in {@code io.ringlink}.
 */
package io.ringlink.internal;
