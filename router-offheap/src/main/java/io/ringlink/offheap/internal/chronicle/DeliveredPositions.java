package io.ringlink.offheap.internal.chronicle;

/**
 * Maps "the first n messages handed to the router" back to Chronicle indices, so that a named position is committed
 * only up to what every sink has passed.
 * <p>
 * One mark per read batch: (messages handed over so far, index of the batch's last message). Marks sit in a fixed
 * ring and nothing is allocated per message. When the ring is full the newest mark is extended instead of adding one:
 * commits then come in coarser steps, never ahead of delivery. Single-threaded: the pump thread only.
 */
public final class DeliveredPositions
{
    private static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private final long[] counts = new long[CAPACITY];
    private final long[] indices = new long[CAPACITY];
    private long head;
    private long tail;

    /**
     * Records the end of a read batch.
     *
     * @param handedOver messages handed over so far, this batch included.
     * @param lastIndex  Chronicle index of the batch's last message.
     */
    public void onBatch(final long handedOver, final long lastIndex)
    {
        if (tail - head == CAPACITY)
        {
            final int newest = (int)((tail - 1) & MASK);
            counts[newest] = handedOver;
            indices[newest] = lastIndex;
            return;
        }
        final int slot = (int)(tail & MASK);
        counts[slot] = handedOver;
        indices[slot] = lastIndex;
        tail++;
    }

    /**
     * The index up to which every message has been passed by every sink.
     *
     * @param delivered messages passed by every sink, counted from the first handed over.
     * @return the Chronicle index of the last fully delivered batch's last message, or {@code -1} if no whole
     *         batch is delivered since the last call.
     */
    public long onDelivered(final long delivered)
    {
        long index = -1;
        while (head < tail)
        {
            final int slot = (int)(head & MASK);
            if (counts[slot] > delivered)
            {
                break;
            }
            index = indices[slot];
            head++;
        }
        return index;
    }
}
