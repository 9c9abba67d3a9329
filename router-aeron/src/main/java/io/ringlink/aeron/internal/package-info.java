/**
 * Internals of {@code aeron:} links: URI parsing, the shared media drivers and clients, the SPI provider. Not API: do
 * not use from outside RingLink.
 */
package io.ringlink.aeron.internal;
