package io.ringlink.offheap.internal.chronicle;

/**
 * Maps "the first n messages handed to the router" back to Chronicle indices, so that a named position is committed
 * only up to what every sink has passed.
 * <p>
 * One mark per read batch: the messages handed over before it and after it, and the indices of its first and last
 * message. A count that ends inside a batch maps to the exact index when the batch's indices are consecutive (no cycle
 * roll or other document inside it, which is the usual case), else to the end of the batch before. Marks sit in a
 * fixed ring and nothing is allocated per message. When the ring is full the newest mark is extended instead of adding
 * one: commits then come in coarser steps, never ahead of delivery. Single-threaded: the pump thread only.
 */
public final class DeliveredPositions
{
    private static final int CAPACITY = 1024;
    private static final int MASK = CAPACITY - 1;

    private final long[] starts = new long[CAPACITY];
    private final long[] ends = new long[CAPACITY];
    private final long[] firstIndices = new long[CAPACITY];
    private final long[] lastIndices = new long[CAPACITY];
    private long head;
    private long tail;

    /**
     * Records a read batch.
     *
     * @param handedOver messages handed over so far, this batch included.
     * @param count      messages in this batch, at least one.
     * @param firstIndex Chronicle index of the batch's first message.
     * @param lastIndex  Chronicle index of the batch's last message.
     */
    public void onBatch(final long handedOver, final int count, final long firstIndex, final long lastIndex)
    {
        if (tail - head == CAPACITY)
        {
            final int newest = (int)((tail - 1) & MASK);
            ends[newest] = handedOver;
            lastIndices[newest] = lastIndex;
            return;
        }
        final int slot = (int)(tail & MASK);
        starts[slot] = handedOver - count;
        ends[slot] = handedOver;
        firstIndices[slot] = firstIndex;
        lastIndices[slot] = lastIndex;
        tail++;
    }

    /**
     * The index up to which every message has been passed by every sink.
     *
     * @param delivered messages passed by every sink, counted from the first handed over.
     * @return the Chronicle index of the last message passed, or {@code -1} if none is known to be passed since the
     *         last call that returned one.
     */
    public long onDelivered(final long delivered)
    {
        long index = -1;
        while (head < tail)
        {
            final int slot = (int)(head & MASK);
            if (ends[slot] <= delivered)
            {
                index = lastIndices[slot];
                head++;
                continue;
            }
            final long within = delivered - starts[slot];
            // Strictly increasing indices that span exactly the batch's count are consecutive.
            if (within > 0 && lastIndices[slot] - firstIndices[slot] == ends[slot] - starts[slot] - 1)
            {
                index = firstIndices[slot] + within - 1;
            }
            break;
        }
        return index;
    }
}
