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
    /** For each of {@link #ends}, the ring's read count there: what freeing up to it frees, without a walk. */
    private long[] counts = new long[1024];
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
            ends = grown(ends);
            counts = grown(counts);
            first = 0;
        }
        final int slot = (first + count) & (ends.length - 1);
        ends[slot] = ring.readPosition();
        counts[slot] = ring.readCount();
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
            final int last = (first + passing - 1) & (ends.length - 1);
            first = (first + passing) & (ends.length - 1);
            count -= passing;
            ring.freeTo(ends[last], counts[last]);
        }
        passed = messages;
    }

    /** The circular array twice as long, its {@link #count} entries from {@link #first} moved to the start. */
    private long[] grown(final long[] array)
    {
        final long[] larger = new long[array.length * 2];
        for (int i = 0; i < count; i++)
        {
            larger[i] = array[(first + i) & (array.length - 1)];
        }
        return larger;
    }
}
