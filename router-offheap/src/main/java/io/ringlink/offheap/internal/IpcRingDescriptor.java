package io.ringlink.offheap.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of an {@code IpcRing} file: a header, then an Agrona ring buffer (its data region followed by its trailer).
 * All numbers are in the platform's byte order (little-endian on every supported host).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+   written once, by the creator
 *  |                    Magic "RLNKRING" (long)                    |   0
 *  +---------------------------------------------------------------+
 *  |                        Format Version                         |   8
 *  +---------------------------------------------------------------+
 *  |                 Ring Kind (1 one-to-one, 2 many-to-one)       |  12
 *  +---------------------------------------------------------------+
 *  |                     Capacity (power of 2)                     |  16
 *  +---------------------------------------------------------------+
 *  |                      Max Message Length                       |  20
 *  +---------------------------------------------------------------+
 *  |                      Codec Name Length                        |  24
 *  +---------------------------------------------------------------+
 *  |                 Codec Name (32 bytes, US-ASCII)              ...  28
 *  +---------------------------------------------------------------+
 *  |                 Creation Time (epoch ms, long)                |  64
 *  +---------------------------------------------------------------+
 *  |                     Creator PID (long)                        |  72
 *  +---------------------------------------------------------------+
 *  |          Max Size in messages (int; 0 unbounded; SharedQueue) |  80
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ...  84
 *  +---------------------------------------------------------------+   written by producers
 *  |             Producer Message Count (long)                     | 128
 *  +---------------------------------------------------------------+
 *  |   Producer Owner (long, ONE_TO_ONE only; as Consumer Owner)   | 136
 *  +---------------------------------------------------------------+
 *  |   Producer Takeover Position (long, ONE_TO_ONE only)          | 144
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 152
 *  +---------------------------------------------------------------+   written by the consumer
 *  |             Consumer Message Count (long)                     | 256
 *  +---------------------------------------------------------------+
 *  |           Consumer Heartbeat (epoch ms, long)                 | 264
 *  +---------------------------------------------------------------+
 *  |           Unblocked Records Count (long)                      | 272
 *  +---------------------------------------------------------------+
 *  |           Consumer Intent Position (long)                     | 280
 *  +---------------------------------------------------------------+
 *  |           Consumer Intent Count (long)                        | 288
 *  +---------------------------------------------------------------+
 *  |           Reconciled Unblocked Count (long)                   | 296
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 304
 *  +---------------------------------------------------------------+   written by would-be consumers (CAS)
 *  |   Consumer Owner (long: pid | process start seconds &lt;&lt; 22) | 384
 *  +---------------------------------------------------------------+
 *  |   Tasks Done (long; SharedQueue.taskDone, any consumer, CAS)  | 392
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 400
 *  +---------------------------------------------------------------+   written by takers (CAS; SharedQueue)
 *  |   Take Lock (long: pid | start &lt;&lt; 22 | hold &lt;&lt; 54; 0 free) | 448
 *  +---------------------------------------------------------------+
 *  |   Take Locks Stolen (long: from holders whose process is gone)| 456
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 464
 *  +---------------------------------------------------------------+
 *  |          Agrona ring buffer: Capacity bytes of records        | 512
 *  |          then RingBufferDescriptor.TRAILER_LENGTH bytes      ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Fields written by different processes sit two cache lines (128 bytes) apart. A file becomes visible under its name
 * only when complete: it is written under a temporary name and then linked or renamed into place.
 */
public final class IpcRingDescriptor
{
    /**
     * "RLNKRING" in ASCII, read as a little-endian long.
     */
    public static final long MAGIC = 0x474E49524B4E4C52L;

    /**
     * Version of this layout.
     */
    public static final int FORMAT_VERSION = 1;

    /**
     * Longest codec name, in ASCII characters.
     */
    public static final int CODEC_NAME_MAX_LENGTH = 32;

    /**
     * Offset of the magic.
     */
    public static final int MAGIC_OFFSET = 0;

    /**
     * Offset of the format version.
     */
    public static final int VERSION_OFFSET = 8;

    /**
     * Offset of the ring kind code.
     */
    public static final int KIND_OFFSET = 12;

    /**
     * Offset of the ring's capacity in bytes.
     */
    public static final int CAPACITY_OFFSET = 16;

    /**
     * Offset of the maximum message length.
     */
    public static final int MAX_MESSAGE_LENGTH_OFFSET = 20;

    /**
     * Offset of the codec name's length.
     */
    public static final int CODEC_NAME_LENGTH_OFFSET = 24;

    /**
     * Offset of the codec name's bytes.
     */
    public static final int CODEC_NAME_OFFSET = 28;

    /**
     * Offset of the creation time.
     */
    public static final int CREATION_TIME_OFFSET = 64;

    /**
     * Offset of the creator's process id.
     */
    public static final int CREATOR_PID_OFFSET = 72;

    /**
     * Offset of the most messages a queue holds ({@code SharedQueue}'s {@code maxSize}), 0 for no limit.
     */
    public static final int MAX_SIZE_OFFSET = 80;

    /**
     * Offset of the count of messages producers committed (incremented just before each commit).
     */
    public static final int PRODUCER_COUNT_OFFSET = BitUtil.CACHE_LINE_LENGTH * 2;

    /**
     * Offset of the token of the process that writes a one-to-one ring, 0 when free; as
     * {@link #CONSUMER_OWNER_OFFSET}.
     */
    public static final int PRODUCER_OWNER_OFFSET = PRODUCER_COUNT_OFFSET + 8;

    /**
     * Offset of the ring's tail when a producer of a one-to-one ring took the role over from a dead one, before it
     * wrote anything: where the dead producer's last claim ends, for a consumer that finds it without a header.
     */
    public static final int PRODUCER_TAKEOVER_OFFSET = PRODUCER_OWNER_OFFSET + 8;

    /**
     * Offset of the count of messages the consumers took.
     */
    public static final int CONSUMER_COUNT_OFFSET = BitUtil.CACHE_LINE_LENGTH * 4;

    /**
     * Offset of the consumer's last heartbeat.
     */
    public static final int CONSUMER_HEARTBEAT_OFFSET = CONSUMER_COUNT_OFFSET + 8;

    /**
     * Offset of the count of records left half-written by dead producers and skipped.
     */
    public static final int UNBLOCKED_COUNT_OFFSET = CONSUMER_COUNT_OFFSET + 16;

    /**
     * Offset of the head position a free is moving to: written (release) before the head and the consumer count, so
     * that a consumer killed between the two leaves a state the next one completes.
     */
    public static final int CONSUMER_INTENT_POSITION_OFFSET = CONSUMER_COUNT_OFFSET + 24;

    /**
     * Offset of the consumer count that goes with {@link #CONSUMER_INTENT_POSITION_OFFSET}.
     */
    public static final int CONSUMER_INTENT_COUNT_OFFSET = CONSUMER_COUNT_OFFSET + 32;

    /**
     * Offset of the unblocked count at the consumer's last reconciliation of the counters.
     */
    public static final int RECONCILED_UNBLOCKED_OFFSET = CONSUMER_COUNT_OFFSET + 40;

    /**
     * Offset of the token of the process holding the consumer role, 0 when free: its pid in the low 22 bits and its
     * start time in seconds above them, so that a reused pid is not mistaken for the holder. Taken with a CAS.
     */
    public static final int CONSUMER_OWNER_OFFSET = BitUtil.CACHE_LINE_LENGTH * 6;

    /**
     * Offset of the count of {@code SharedQueue.taskDone()} calls, by consumers of any process (compare-and-set).
     */
    public static final int TASKS_DONE_OFFSET = CONSUMER_OWNER_OFFSET + 8;

    /**
     * Offset of the take lock of a {@code SharedQueue}'s consumers: 0 when free, else the holder's pid in the low 22
     * bits, the low 32 bits of its start time above them and a number drawn for that hold in the top 10 bits
     * ({@link TakeLock}). Taken with a CAS; a file written before the lock existed has 0 here (free).
     */
    public static final int TAKE_LOCK_OFFSET = BitUtil.CACHE_LINE_LENGTH * 7;

    /**
     * Offset of the count of take locks taken over from a holder whose process was gone.
     */
    public static final int TAKE_LOCK_STOLEN_OFFSET = TAKE_LOCK_OFFSET + 8;

    /**
     * Bits of the owner token that hold the pid (Linux pids stay below 2^22).
     */
    public static final int OWNER_PID_BITS = 22;

    /**
     * Length of the header; the ring buffer starts here.
     */
    public static final int HEADER_LENGTH = BitUtil.CACHE_LINE_LENGTH * 8;

    /**
     * Smallest capacity accepted.
     */
    public static final int MIN_CAPACITY = 1024;

    /**
     * Largest capacity accepted (a mapped file must stay under 2 GiB).
     */
    public static final int MAX_CAPACITY = 1 << 30;

    private IpcRingDescriptor()
    {
    }

    /**
     * Length of a file holding a ring of this capacity.
     *
     * @param capacity the ring's capacity.
     * @return the file length.
     */
    public static long fileLength(final int capacity)
    {
        return (long)HEADER_LENGTH + capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * The maximum message length of a ring of this capacity, as Agrona computes it.
     *
     * @param capacity the ring's capacity.
     * @return the longest message.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity >> 3;
    }
}
