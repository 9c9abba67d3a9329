package io.ringlink.offheap.internal;

import io.ringlink.offheap.RecordHandler;
import io.ringlink.offheap.RingFileException;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

import java.io.UncheckedIOException;
import java.nio.file.Path;

import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_INTENT_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.CONSUMER_INTENT_POSITION_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.PRODUCER_COUNT_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.RECONCILED_UNBLOCKED_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.TASKS_DONE_OFFSET;
import static io.ringlink.offheap.internal.IpcRingDescriptor.UNBLOCKED_COUNT_OFFSET;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.lengthOffset;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.typeOffset;

/**
 * The consumer's side of an Agrona ring buffer (one-to-one or many-to-one layout), reading ahead of the ring's head
 * so that records are freed only when the caller says so: the basis of at-least-once reading.
 * <p>
 * Agrona's own {@code read} hands records and frees them in the same call. This class keeps a private
 * <em>read position</em> at or after the ring's head: {@link #read(RecordHandler, int)} hands the records after it
 * and moves only it; {@link #freeTo(long)} later frees the records before a position, as Agrona's many-to-one read
 * does at the end of its batch: it zeroes the freed bytes (many-to-one producers and the unblocking rely on zeroed
 * free space; Agrona's one-to-one consumer leaves them and its producer pre-zeroes the next header instead, but a
 * producer killed between moving the tail and that pre-zeroing would leave stale bytes that look like a record, so
 * this reader zeroes for both kinds), then publishes the new head with a release store. Producers never write into
 * records between the head and the read position, because they see only the head.
 * <p>
 * Counters stay exact across a kill of the consumer: the count of records taken and the head are two words, so a free
 * first records its intent (target head, then target count, each a release store), then moves the head, then the
 * count. A consumer that takes over ({@link #recover()}) finishes an intent whose head was reached, and one whose
 * zeroing was under way (the head not moved yet: the bytes may be partly zeroed, so they are freed). A record that a
 * dead producer left half-written may or may not have been counted as produced (it counts just before its commit), so
 * after skipping such records the reader reconciles at the next quiescent point, when every claimed record has been
 * taken: the taken count is then set to the produced count.
 * <p>
 * Not thread-safe: one thread at a time calls it, the ring's one consumer or, for a {@code SharedQueue} with several
 * consumers, the holder of its {@link TakeLock}, which calls {@link #recover()} first on every hold.
 */
public final class RingReader
{
    private final Path path;
    private final AtomicBuffer records;
    private final AtomicBuffer header;
    private final int capacity;
    private final int maxRecordLength;
    private final int mask;
    private final boolean oneToOne;
    private final int headPositionIndex;
    private final int tailPositionIndex;
    private long readPosition;
    private long readCount;
    private long head;
    private long consumed;

    /**
     * A reader over a ring.
     *
     * @param path             the ring file, for messages.
     * @param records          the ring buffer: {@code capacity} bytes of records, then Agrona's trailer.
     * @param header           the ring file's header, holding the counters.
     * @param capacity         the ring's capacity.
     * @param maxMessageLength the longest message a producer writes (a record is that plus its header, aligned).
     * @param oneToOne         whether the ring has one producer (its dead claims are found from the takeover
     *                         position).
     */
    public RingReader(final Path path, final AtomicBuffer records, final AtomicBuffer header, final int capacity,
        final int maxMessageLength, final boolean oneToOne)
    {
        this.path = path;
        this.records = records;
        this.header = header;
        this.capacity = capacity;
        this.maxRecordLength = BitUtil.align(maxMessageLength + HEADER_LENGTH, ALIGNMENT);
        this.mask = capacity - 1;
        this.oneToOne = oneToOne;
        this.headPositionIndex = capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        this.tailPositionIndex = capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
    }

    /**
     * The count of records taken, as a consumer that died would have left it: the intent's count when its head was
     * reached, else the stored count. For readers of the header in any process.
     *
     * @param header the ring file's header.
     * @param head   the ring's head position.
     * @return the count of records taken.
     */
    public static long consumedCount(final AtomicBuffer header, final long head)
    {
        final long count = header.getLongVolatile(CONSUMER_COUNT_OFFSET);
        final long intentPosition = header.getLongVolatile(CONSUMER_INTENT_POSITION_OFFSET);
        final long intentCount = header.getLongVolatile(CONSUMER_INTENT_COUNT_OFFSET);
        return intentPosition == head && intentCount > count ? intentCount : count;
    }

    /**
     * Takes over from whatever consumer came before (which may have been killed anywhere): finishes its last free if
     * its head was reached, and starts reading again at the head, so that records it read but did not free are read
     * again.
     */
    public void recover()
    {
        head = records.getLongVolatile(headPositionIndex);
        finishInterruptedFree();
        consumed = consumedCount(header, head);
        if (consumed != header.getLong(CONSUMER_COUNT_OFFSET))
        {
            header.putLongRelease(CONSUMER_COUNT_OFFSET, consumed);
        }
        readPosition = head;
        readCount = consumed;
    }

    /**
     * Finishes a free that a consumer killed while zeroing left behind: its intent (head and count) was recorded, the
     * head not yet moved, so the bytes between may be partly zeroed. Those records were handed to it (a take was
     * about to return the last), so they are freed now: zeroed to the end, then the head and count published, as the
     * free would have. An intent outside the ring (a damaged file) is left alone.
     */
    private void finishInterruptedFree()
    {
        final long count = header.getLongVolatile(CONSUMER_COUNT_OFFSET);
        final long intentPosition = header.getLongVolatile(CONSUMER_INTENT_POSITION_OFFSET);
        final long intentCount = header.getLongVolatile(CONSUMER_INTENT_COUNT_OFFSET);
        if (intentCount <= count || intentPosition <= head)
        {
            return;
        }
        final long tail = records.getLongVolatile(tailPositionIndex);
        if (intentPosition > tail || intentPosition - head > capacity || (intentPosition & (ALIGNMENT - 1)) != 0 ||
            intentCount - count > (intentPosition - head) / HEADER_LENGTH)
        {
            return;
        }
        consumed = count;
        free(intentPosition, intentCount);
    }

    /**
     * Hands up to {@code limit} records after the read position to the handler, in place, and moves the read position
     * past them; frees nothing. A handler that throws has its record counted as read.
     *
     * @param handler receives each record.
     * @param limit   the most records.
     * @return the number handed.
     */
    public int read(final RecordHandler handler, final int limit)
    {
        final AtomicBuffer records = this.records;
        int handed = 0;
        long position = readPosition;
        // a full many-to-one ring has no zero header at its tail: a lap past the head is the head's record again
        final long end = head + capacity;
        while (handed < limit && position < end)
        {
            final int index = (int)position & mask;
            // acquire: a positive length is the producer's release store of its commit
            final int length = records.getIntVolatile(lengthOffset(index));
            if (length <= 0)
            {
                break;
            }
            final boolean padding = records.getInt(typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID;
            // a length from the file: checked before it sizes anything
            checkLength(position, index, length, padding, end);
            position += BitUtil.align(length, ALIGNMENT);
            if (padding)
            {
                readPosition = position;
                continue;
            }
            readPosition = position;
            readCount++;
            handed++;
            handler.onRecord(records, index + HEADER_LENGTH, length - HEADER_LENGTH);
        }
        return handed;
    }

    /**
     * Moves the read position past committed padding records (such as a skipped half-written record) at it.
     */
    public void skipPadding()
    {
        final long end = head + capacity;
        long position = readPosition;
        while (position < end)
        {
            final int index = (int)position & mask;
            final int length = records.getIntVolatile(lengthOffset(index));
            if (length <= 0 || records.getInt(typeOffset(index)) != RingBuffer.PADDING_MSG_TYPE_ID)
            {
                break;
            }
            checkLength(position, index, length, true, end);
            position += BitUtil.align(length, ALIGNMENT);
        }
        readPosition = position;
    }

    /**
     * The position just after the last record handed.
     *
     * @return the read position.
     */
    public long readPosition()
    {
        return readPosition;
    }

    /**
     * The ring's head: records before it are freed.
     *
     * @return the head position.
     */
    public long head()
    {
        return head;
    }

    /**
     * Records handed but not freed.
     *
     * @return the count.
     */
    public long retainedCount()
    {
        return readCount - consumed;
    }

    /**
     * Records taken so far, counted from the file's creation.
     *
     * @return the count.
     */
    public long readCount()
    {
        return readCount;
    }

    /**
     * Moves the read position back to the head, so that the records handed but not freed are handed again.
     */
    public void rewind()
    {
        readPosition = head;
        readCount = consumed;
    }

    /**
     * Frees every record before {@code position}: a record boundary between the head and the read position.
     *
     * @param position where the head moves to.
     * @throws IllegalArgumentException if it is outside that range.
     */
    public void freeTo(final long position)
    {
        if (position == head)
        {
            return;
        }
        if (position < head || position > readPosition)
        {
            throw new IllegalArgumentException("position " + position + " is outside [" + head + ", " +
                readPosition + "]");
        }
        final long count = consumed + messagesBetween(head, position);
        free(position, count);
    }

    /**
     * Frees every record before {@code position}, as {@link #freeTo(long)}, when the caller knows how many records
     * that makes from the file's creation: {@link #readCount()} as it was when the read position was
     * {@code position}. Saves walking the records again to count them.
     *
     * @param position where the head moves to: a read position this reader had.
     * @param count    the records before it, counted from the file's creation.
     * @throws IllegalArgumentException if either is outside what was read and not freed.
     */
    public void freeTo(final long position, final long count)
    {
        if (position == head)
        {
            return;
        }
        if (position < head || position > readPosition || count < consumed || count > readCount)
        {
            throw new IllegalArgumentException("position " + position + " or count " + count + " is outside [" +
                head + ", " + readPosition + "], [" + consumed + ", " + readCount + "]");
        }
        free(position, count);
    }

    /**
     * Frees everything handed: the head moves to the read position.
     */
    public void freeAll()
    {
        if (readPosition != head)
        {
            free(readPosition, readCount);
        }
    }

    private long messagesBetween(final long from, final long to)
    {
        long messages = 0;
        long position = from;
        while (position < to)
        {
            final int index = (int)position & mask;
            final int length = records.getInt(lengthOffset(index));
            if (length <= 0)
            {
                throw new IllegalStateException("record at position " + position + " has length " + length +
                    " though it was read");
            }
            final boolean padding = records.getInt(typeOffset(index)) == RingBuffer.PADDING_MSG_TYPE_ID;
            checkLength(position, index, length, padding, from + capacity);
            if (!padding)
            {
                messages++;
            }
            position += BitUtil.align(length, ALIGNMENT);
        }
        if (position != to)
        {
            throw new IllegalArgumentException("position " + to + " is not a record boundary");
        }
        return messages;
    }

    /**
     * Checks a record length read from the file before it is used: at least a header, within the ring from its
     * index (records never wrap), not past {@code end} and, for a message, at most the ring's longest message.
     *
     * @throws UncheckedIOException with a {@link RingFileException} naming the file, if it is not.
     */
    private void checkLength(final long position, final int index, final int length, final boolean padding,
        final long end)
    {
        final long aligned = BitUtil.align((long)length, ALIGNMENT);
        if (length < HEADER_LENGTH || index + aligned > capacity || position + aligned > end ||
            !padding && aligned > maxRecordLength)
        {
            throw damaged("the record at position " + position + " has length " + length + ", outside [" +
                HEADER_LENGTH + ", " + (padding ? capacity - index : Math.min(maxRecordLength, capacity - index)) +
                "] (a damaged file, or one written by something other than RingLink)");
        }
    }

    private UncheckedIOException damaged(final String problem)
    {
        final RingFileException cause = new RingFileException(path, problem);
        return new UncheckedIOException(cause.getMessage(), cause);
    }

    private void free(final long position, final long count)
    {
        if (position < head || position - head > capacity)
        {
            throw damaged("a free to position " + position + " from head " + head + " is outside the ring's " +
                capacity + " bytes");
        }
        // intent first (head, then count), so that a consumer killed anywhere below leaves a state recover() fixes
        header.putLongRelease(CONSUMER_INTENT_POSITION_OFFSET, position);
        header.putLongRelease(CONSUMER_INTENT_COUNT_OFFSET, count);
        final int from = (int)head & mask;
        final int length = (int)(position - head);
        final int first = Math.min(length, capacity - from);
        records.setMemory(from, first, (byte)0);
        if (first < length)
        {
            records.setMemory(0, length - first, (byte)0);
        }
        // release: the zeroed bytes are visible before producers see the room
        records.putLongRelease(headPositionIndex, position);
        header.putLongRelease(CONSUMER_COUNT_OFFSET, count);
        head = position;
        consumed = count;
    }

    /**
     * Skips a record a producer left half-written at the read position (it died, or stalled past the unblock
     * timeout): turns it into padding. A record whose header was never written (a claim made just before its
     * producer died) becomes padding up to where that claim ends: in a many-to-one ring (whose free space is zeroed)
     * the next non-zero header, once the bytes between are confirmed still zero; in a one-to-one ring (whose freed
     * bytes are not zeroed, so a scan could land in stale bytes) the position a successor producer recorded when it
     * took the role over, or the tail while no producer holds the role.
     *
     * @param producerGone whether no live process holds the producer role (always true for many-to-one rings).
     * @return {@code true} if a record was skipped.
     */
    public boolean unblock(final boolean producerGone)
    {
        final long tail = records.getLongVolatile(tailPositionIndex);
        if (tail <= readPosition)
        {
            return false;
        }
        final int index = (int)readPosition & mask;
        final int length = records.getIntVolatile(lengthOffset(index));
        if (length < 0)
        {
            checkLength(readPosition, index, -length, true, head + capacity);
            records.putInt(typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
            records.putIntRelease(lengthOffset(index), -length);
            header.getAndAddLong(UNBLOCKED_COUNT_OFFSET, 1);
            return true;
        }
        if (length > 0)
        {
            return false;
        }
        if (oneToOne)
        {
            final long takeover = header.getLongVolatile(IpcRingDescriptor.PRODUCER_TAKEOVER_OFFSET);
            final long end = takeover > readPosition ? takeover : producerGone ? tail : readPosition;
            if (end <= readPosition)
            {
                return false;
            }
            final long bufferEnd = readPosition + (capacity - index);
            if (end > bufferEnd)
            {
                // the dead claim wrapped (its padding header never written): the bytes at index 0 are stale too
                records.putInt(typeOffset(0), RingBuffer.PADDING_MSG_TYPE_ID);
                records.putIntRelease(lengthOffset(0), (int)(end - bufferEnd));
            }
            records.putInt(typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
            records.putIntRelease(lengthOffset(index), (int)(Math.min(end, bufferEnd) - readPosition));
            header.getAndAddLong(UNBLOCKED_COUNT_OFFSET, 1);
            return true;
        }
        final int tailIndex = (int)tail & mask;
        final int limit = tailIndex > index ? tailIndex : capacity;
        for (int next = index + ALIGNMENT; next < limit; next += ALIGNMENT)
        {
            if (records.getIntVolatile(next) != 0)
            {
                return padZeroes(index, next);
            }
        }
        // nothing written up to the tail (or the end): the claim there is the dead one
        return padZeroes(index, limit);
    }

    private boolean padZeroes(final int index, final int end)
    {
        for (int i = end - ALIGNMENT; i > index; i -= ALIGNMENT)
        {
            if (records.getIntVolatile(i) != 0)
            {
                return false;
            }
        }
        records.putInt(typeOffset(index), RingBuffer.PADDING_MSG_TYPE_ID);
        records.putIntRelease(lengthOffset(index), end - index);
        header.getAndAddLong(UNBLOCKED_COUNT_OFFSET, 1);
        return true;
    }

    /**
     * Once every claimed record is taken and freed, sets the taken count to the produced count if it is behind (a
     * record skipped as half-written after its producer counted it), so that the counters' difference (the size) is
     * exactly zero when the ring is empty. A producer counts a record after claiming it, so with the tail unmoved at
     * the head across the reading of the produced count, no count is in flight and the produced count is exact.
     * Cheap when nothing was skipped since the last time, unless {@code always} (then three header reads).
     *
     * @param always whether to check even if no record was skipped since the last reconciliation (a producer that
     *               stalled past the unblock timeout counts its skipped record later).
     */
    public void reconcileWhenQuiet(final boolean always)
    {
        final long unblocked = header.getLongVolatile(UNBLOCKED_COUNT_OFFSET);
        if (!always && unblocked == header.getLong(RECONCILED_UNBLOCKED_OFFSET) || readPosition != head)
        {
            return;
        }
        final long tailBefore = records.getLongVolatile(tailPositionIndex);
        final long produced = header.getLongVolatile(PRODUCER_COUNT_OFFSET);
        final long tailAfter = records.getLongVolatile(tailPositionIndex);
        // a producer counts only after claiming, so an unmoved tail at the head means no count is in flight
        if (tailBefore != head || tailAfter != head)
        {
            return;
        }
        if (produced > consumed)
        {
            // counted records that were skipped will never be taken: they are also done (SharedQueue.join)
            header.getAndAddLong(TASKS_DONE_OFFSET, produced - consumed);
            header.putLongRelease(CONSUMER_INTENT_POSITION_OFFSET, head);
            header.putLongRelease(CONSUMER_INTENT_COUNT_OFFSET, produced);
            header.putLongRelease(CONSUMER_COUNT_OFFSET, produced);
            consumed = produced;
            readCount = produced;
        }
        if (unblocked != header.getLong(RECONCILED_UNBLOCKED_OFFSET))
        {
            header.putLongRelease(RECONCILED_UNBLOCKED_OFFSET, unblocked);
        }
    }
}
