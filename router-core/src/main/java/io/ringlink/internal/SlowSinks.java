package io.ringlink.internal;

/**
 * What a producer waiting for room does about sinks that chose not to hold it (see
 * {@link io.ringlink.SinkOptions}): it moves a {@code drop} sink's delivery ahead, and it disconnects a
 * {@code disconnectAfter} sink that has kept the ring full for longer than the sink's timeout. Called only on the
 * producer's slow path (the ring is full), never per message.
 */
final class SlowSinks
{
    private SlowSinks()
    {
    }

    /**
     * Relieves the ring of the sinks that hold it and may not.
     *
     * @param source      the full ring.
     * @param waitedNanos how long the producer has waited for room so far.
     * @return whether room may have been made (the caller claims again).
     */
    static boolean relieve(final SourceRing source, final long waitedNanos)
    {
        final Delivery[] slow = source.slowDeliveries;
        if (slow == null)
        {
            return false;
        }
        boolean relieved = false;
        for (final Delivery delivery : slow)
        {
            if (delivery.pushAhead())
            {
                relieved = true;
            }
            else if (delivery.sink.disconnectNanos > 0 && waitedNanos >= delivery.sink.disconnectNanos &&
                delivery.holdsProducer() && !delivery.sink.removed)
            {
                source.router.disconnect(delivery.sink, waitedNanos);
                relieved = true;
            }
        }
        return relieved;
    }
}
