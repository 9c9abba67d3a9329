package io.ringlink.internal;

/**
 * A preallocated ring slot. The router copies a reference into it: nothing is allocated per message.
 */
final class Envelope
{
    static final byte MESSAGE = 0;
    /** The source has ended: a delivery that reads this has seen everything the source will publish. */
    static final byte END = 1;
    /** A claimed slot that carries nothing (a publish that lost a race with close). */
    static final byte SKIP = 2;

    Object value;
    long publishedNanos;
    byte kind;

    void set(final Object value, final byte kind, final long publishedNanos)
    {
        this.value = value;
        this.kind = kind;
        this.publishedNanos = publishedNanos;
    }
}
