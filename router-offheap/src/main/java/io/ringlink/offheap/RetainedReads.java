package io.ringlink.offheap;

/**
 * The at-least-once bookkeeping of a reader in a router: records handed stay in the ring until every sink has
 * passed their messages ({@link io.ringlink.AcknowledgingSource#onDelivered(long)}). Keeps the ring position just
 * after each message handed and not yet passed, oldest first, in a circular array that grows when needed (a steady
 * state allocates nothing). Used by {@link IpcRingSource} and {@link SharedQueue} on their reading thread only.
 */
final class RetainedReads
{
    private final IpcRing ring;
    private long[] ends = new long[1024];
    private int first;
    private int count;
    private long handed;
    private long passed;

    RetainedReads(final IpcRing ring)
    {
        this.ring = ring;
    }

    /**
     * Before a read: when every message handed is passed, frees what follows them (skipped records), if anything.
     */
    void beforeRead()
    {
        if (count == 0)
        {
            ring.freeAll();
        }
    }

    /**
     * A message was just handed from the record the ring read last.
     */
    void onHanded()
    {
        if (count == ends.length)
        {
            final long[] larger = new long[ends.length * 2];
            for (int i = 0; i < count; i++)
            {
                larger[i] = ends[(first + i) & (ends.length - 1)];
            }
            ends = larger;
            first = 0;
        }
        ends[(first + count) & (ends.length - 1)] = ring.readPosition();
        count++;
        handed++;
    }

    /**
     * Frees the records of the first {@code messages} messages handed, and any skipped records among them.
     *
     * @param messages the number of messages every sink has passed, counted from the first handed.
     * @throws IllegalArgumentException if it is more than were handed.
     */
    void onDelivered(final long messages)
    {
        if (messages <= passed)
        {
            return;
        }
        if (messages > handed)
        {
            throw new IllegalArgumentException("onDelivered(" + messages + ") but only " + handed + " were handed");
        }
        if (messages == handed)
        {
            count = 0;
            ring.freeAll();
        }
        else
        {
            final int passing = (int)(messages - passed);
            final long position = ends[(first + passing - 1) & (ends.length - 1)];
            first = (first + passing) & (ends.length - 1);
            count -= passing;
            ring.freeTo(position);
        }
        passed = messages;
    }
}
