package io.ringlink.internal;

import io.ringlink.AcknowledgingSource;

/**
 * What a pump reports to an {@link AcknowledgingSource}: how many of its messages every delivery has passed (received
 * and flushed), and, for a stop that gives up on a blocked sink, how many every delivery had received. Kept on the
 * pump's thread (its own, or its agent's), between reads. Pump rings carry no skipped slots, so message n sits at
 * sequence n - 1; the end marker is not counted.
 */
final class Acknowledgements
{
    private final SourceRing source;
    private final AcknowledgingSource<?> acknowledging;
    /** -1 until the first report, made before the first read even when it is 0: the source learns reports come. */
    private long acknowledged = -1;
    /** Messages every delivery had received (its sink returned), as last seen while the source was not abandoned. */
    private long receivedByAll;

    Acknowledgements(final SourceRing source, final AcknowledgingSource<?> acknowledging)
    {
        this.source = source;
        this.acknowledging = acknowledging;
    }

    /** Reports how many messages every delivery has passed, if more than before; notes what each has received. */
    void report()
    {
        // Not the gating sequences: a delivery frees a slot as soon as its sink returns, before the batch's flush.
        long slowest = Long.MAX_VALUE;
        for (final Delivery delivery : source.deliveries)
        {
            slowest = Math.min(slowest, delivery.flushedPosition());
        }
        final long passed = Math.min(source.published(), slowest + 1);
        // Once abandoned, a halted delivery may have left the list: the minimum would skip what it lacks.
        if (slowest != Long.MAX_VALUE && passed > acknowledged && !source.abandoned)
        {
            acknowledged = passed;
            acknowledging.onDelivered(passed);
        }
        noteReceived();
    }

    /**
     * After the last read: whether nothing is left to wait for before the last report.
     *
     * @param published what the ring held after the last read.
     * @return {@code true} once every delivery passed it, none is left, or the ring is abandoned.
     */
    boolean allPassed(final long published)
    {
        return source.abandoned || source.deliveries.isEmpty() || acknowledged >= published;
    }

    /**
     * The last report: everything published, or, when the router gave up on a blocked sink (abandoned), what every
     * sink had received by then; the router closes the sinks next, which flushes what they received, so a reader
     * resumes just after the last message every sink got.
     *
     * @param published what the ring held after the last read.
     */
    void reportLast(final long published)
    {
        if (source.abandoned)
        {
            noteReceivedWhenAbandoned();
            if (receivedByAll > acknowledged)
            {
                acknowledged = receivedByAll;
                acknowledging.onDelivered(receivedByAll);
            }
        }
        else if (published > acknowledged)
        {
            acknowledged = published;
            acknowledging.onDelivered(published);
        }
    }

    /**
     * Notes how many messages every delivery has received, flushed or not: what a stop that abandons a blocked sink
     * reports. Only while the source is not abandoned, when every delivery that counts is still in the list.
     */
    private void noteReceived()
    {
        long slowest = Long.MAX_VALUE;
        for (final Delivery delivery : source.deliveries)
        {
            slowest = Math.min(slowest, delivery.received());
        }
        final long received = Math.min(source.published(), slowest);
        if (slowest != Long.MAX_VALUE && received > receivedByAll && !source.abandoned)
        {
            receivedByAll = received;
        }
    }

    /**
     * Once the ring is abandoned: what every delivery of the stop had received, those still in the list and those that
     * have left it since ({@link SourceRing#receivedAtExit}). A pump on an agent needs it: while a sink of the same
     * agent was blocked, it could not note what the others received.
     */
    private void noteReceivedWhenAbandoned()
    {
        long slowest = source.receivedAtExit.get();
        for (final Delivery delivery : source.deliveries)
        {
            slowest = Math.min(slowest, delivery.received());
        }
        final long received = Math.min(source.published(), slowest);
        if (slowest != Long.MAX_VALUE && received > receivedByAll)
        {
            receivedByAll = received;
        }
    }
}
