package io.ringlink.offheap.internal;

import org.agrona.BitUtil;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * Layout of a {@code SharedPipe} file: a header, then one Agrona one-to-one ring per direction (each its data region
 * followed by its trailer). All numbers are in the platform's byte order (little-endian on every supported host).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+   written once, by the creator
 *  |                    Magic "RLNKPIPE" (long)                    |   0
 *  +---------------------------------------------------------------+
 *  |                        Format Version                         |   8
 *  +---------------------------------------------------------------+
 *  |                  Flags (bit 0: duplex)                        |  12
 *  +---------------------------------------------------------------+
 *  |                Ring Capacity (power of 2, each ring)          |  16
 *  +---------------------------------------------------------------+
 *  |                      Max Message Length                       |  20
 *  +---------------------------------------------------------------+
 *  |                      Codec Name Length                        |  24
 *  +---------------------------------------------------------------+
 *  |                 Codec Name (32 bytes, US-ASCII)              ...  28
 *  +---------------------------------------------------------------+
 *  |                 Ring Count (2 duplex, 1 one-way)              |  60
 *  +---------------------------------------------------------------+
 *  |                 Creation Time (epoch ms, long)                |  64
 *  +---------------------------------------------------------------+
 *  |                     Creator PID (long)                        |  72
 *  +---------------------------------------------------------------+
 *  |                  Header Length (int, 512)                     |  80
 *  +---------------------------------------------------------------+
 *  |          Ring Length (int, capacity + Agrona trailer)         |  84
 *  +---------------------------------------------------------------+
 *  |                      File Length (long)                       |  88
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ...  96
 *  +---------------------------------------------------------------+   written by end 0's holder
 *  |  End 0 Owner (long: pid | process start seconds &lt;&lt; 22, CAS) | 128
 *  +---------------------------------------------------------------+
 *  |  End 0 State (int: 0 free, 1 open, 2 closed, 3 broken)        | 136
 *  +---------------------------------------------------------------+
 *  |  End 0 Heartbeat (epoch ms, long)                             | 144
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 152
 *  +---------------------------------------------------------------+   written by end 1's holder
 *  |  End 1 Owner, State, Heartbeat (as end 0)                     | 256
 *  +---------------------------------------------------------------+
 *  |                         (unused)                             ... 280
 *  +---------------------------------------------------------------+
 *  |  Ring written by end 1, read by end 0 (every pipe)            | 512
 *  +---------------------------------------------------------------+
 *  |  Ring written by end 0, read by end 1 (duplex pipes only)     | 512 + Ring Length
 *  +---------------------------------------------------------------+
 * </pre>
 * Fields written by different processes sit two cache lines (128 bytes) apart. A one-way pipe is
 * {@code Pipe(duplex=False)}: end 0 receives, end 1 sends, so its one ring is the first. A file becomes visible
 * under its name only when complete: it is written under a temporary name and then linked into place.
 */
public final class SharedPipeDescriptor
{
    /**
     * "RLNKPIPE" in ASCII, read as a little-endian long.
     */
    public static final long MAGIC = 0x455049504B4E4C52L;

    /**
     * Version of this layout.
     */
    public static final int FORMAT_VERSION = 1;

    /**
     * Flag bit: both ends send and receive.
     */
    public static final int FLAG_DUPLEX = 1;

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
     * Offset of the flags.
     */
    public static final int FLAGS_OFFSET = 12;

    /**
     * Offset of each ring's capacity in bytes.
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
     * Offset of the number of rings.
     */
    public static final int RING_COUNT_OFFSET = 60;

    /**
     * Offset of the creation time.
     */
    public static final int CREATION_TIME_OFFSET = 64;

    /**
     * Offset of the creator's process id.
     */
    public static final int CREATOR_PID_OFFSET = 72;

    /**
     * Offset of the header's length, as the creator wrote it.
     */
    public static final int HEADER_LENGTH_OFFSET = 80;

    /**
     * Offset of one ring's length (capacity plus Agrona's trailer), as the creator wrote it.
     */
    public static final int RING_LENGTH_OFFSET = 84;

    /**
     * Offset of the file's length, as the creator wrote it.
     */
    public static final int FILE_LENGTH_OFFSET = 88;

    /**
     * Offset of end 0's fields; end 1's are {@link #END_STRIDE} further.
     */
    public static final int END_BASE_OFFSET = BitUtil.CACHE_LINE_LENGTH * 2;

    /**
     * Distance between the two ends' fields: two cache lines.
     */
    public static final int END_STRIDE = BitUtil.CACHE_LINE_LENGTH * 2;

    /**
     * Within an end's fields: the token of the process holding it, 0 when free (pid in the low 22 bits, start time
     * in seconds above them, as {@code ProcessRole} takes it).
     */
    public static final int END_OWNER_FIELD = 0;

    /**
     * Within an end's fields: its state, one of the {@code STATE_*} values.
     */
    public static final int END_STATE_FIELD = 8;

    /**
     * Within an end's fields: the holder's last heartbeat, epoch milliseconds.
     */
    public static final int END_HEARTBEAT_FIELD = 16;

    /**
     * End state: never held.
     */
    public static final int STATE_FREE = 0;

    /**
     * End state: held by the process in the owner field.
     */
    public static final int STATE_OPEN = 1;

    /**
     * End state: its holder closed it; another process may take it.
     */
    public static final int STATE_CLOSED = 2;

    /**
     * End state: its holder died holding it (found by a process that tried to take it); the pipe is broken.
     */
    public static final int STATE_BROKEN = 3;

    /**
     * Length of the header; the first ring starts here.
     */
    public static final int HEADER_LENGTH = BitUtil.CACHE_LINE_LENGTH * 8;

    /**
     * Smallest ring capacity accepted.
     */
    public static final int MIN_CAPACITY = 1024;

    /**
     * Largest ring capacity accepted (two rings in one mapping must stay under 2 GiB).
     */
    public static final int MAX_CAPACITY = 1 << 29;

    private SharedPipeDescriptor()
    {
    }

    /**
     * Offset of a field of an end.
     *
     * @param end   0 or 1.
     * @param field one of the {@code END_*_FIELD} values.
     * @return the offset in the header.
     */
    public static int endOffset(final int end, final int field)
    {
        return END_BASE_OFFSET + end * END_STRIDE + field;
    }

    /**
     * Length of one ring region: its capacity and Agrona's trailer.
     *
     * @param capacity the ring's capacity.
     * @return the length.
     */
    public static int ringLength(final int capacity)
    {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Length of a pipe file.
     *
     * @param capacity  each ring's capacity.
     * @param ringCount 1 or 2.
     * @return the file length.
     */
    public static long fileLength(final int capacity, final int ringCount)
    {
        return HEADER_LENGTH + (long)ringCount * ringLength(capacity);
    }

    /**
     * Offset of the ring that an end writes.
     *
     * @param writer the end that writes it: 1 (every pipe) or 0 (duplex only).
     * @param capacity each ring's capacity.
     * @return the offset in the file.
     */
    public static int ringOffset(final int writer, final int capacity)
    {
        return HEADER_LENGTH + (writer == 1 ? 0 : ringLength(capacity));
    }

    /**
     * The maximum message length of a ring of this capacity, as Agrona's one-to-one ring computes it.
     *
     * @param capacity the ring's capacity.
     * @return the longest message.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity >> 3;
    }
}
