package io.ringlink.internal;

/**
 * A preallocated ring slot holding one reference: 16 bytes with compressed references, as small as the Disruptor's own
 * reference slot, so a message moves as few cache lines between cores as possible. The end of a source and a skipped
 * slot are marked with sentinel objects no user message can be; publish times, when recorded, live in a separate
 * array of the ring ({@link SourceRing#publishedNanos}).
 */
final class Envelope
{
    /** The source has ended: a delivery that reads this has seen everything the source will publish. */
    static final Object END = new Marker("end of source");
    /** A claimed slot that carries nothing (a publish that lost a race with close). */
    static final Object SKIP = new Marker("skipped slot");

    Object value;

    private static final class Marker
    {
        private final String name;

        Marker(final String name)
        {
            this.name = name;
        }

        @Override
        public String toString()
        {
            return name;
        }
    }
}
