package io.ringlink.offheap.internal.counters;

import org.agrona.concurrent.status.CountersReader;

/**
 * Layout of a router's counters file: a header, then Agrona's counters metadata and values buffers, as in Aeron's CnC
 * file. One writer (the JVM's counters sampler) and any number of readers in other processes.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Magic "RLCNTRS\0" (8 bytes)                 |
 *  |                                                               |
 *  +---------------------------------------------------------------+  8
 *  |                        Format Version                         |
 *  +---------------------------------------------------------------+ 12
 *  |                 Header Length (metadata offset)               |
 *  +---------------------------------------------------------------+ 16
 *  |                 Counters Metadata Buffer Length               |
 *  +---------------------------------------------------------------+ 20
 *  |                  Counters Values Buffer Length                |
 *  +---------------------------------------------------------------+ 24
 *  |                          Process Id                           |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 32
 *  |           Process Start Time, epoch ms (-1 if unknown)        |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 40
 *  |                  Router Start Time, epoch ms                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 48
 *  |          Last Update, epoch ms (written with release)         |
 *  |                                                               |
 *  +---------------------------------------------------------------+ 56
 *  |                    Update Interval, ms                        |
 *  +---------------------------------------------------------------+ 60
 *  |                 Router Name Length, UTF-8 bytes               |
 *  +---------------------------------------------------------------+ 64
 *  |                 Router Name (up to 192 bytes)                ...
 * ...                                                              |
 *  +---------------------------------------------------------------+ 256 .. 4096: zero
 *  |            Counters Metadata Buffer (512 bytes a counter)    ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |             Counters Values Buffer (128 bytes a counter)     ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * Every counter's key holds the endpoint's id (a long at key offset 0; 0 for the router's own counters); its label is
 * the endpoint's name as the user wrote it (the router's name for the router's own counters); its type id is one of
 * the {@code *_TYPE_ID} constants. Values are written with release semantics and read with acquire, by Agrona.
 * The file is written whole under a temporary name and then moved into place, so a reader never sees a partial header.
 */
public final class CountersDescriptor
{
    /** The bytes "RLCNTRS" and a zero, read as a little-endian long (the file is in the machine's byte order). */
    public static final long MAGIC = 0x005352544e434c52L;
    /** Bumped on any incompatible change of this layout. */
    public static final int FORMAT_VERSION = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the format version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the header length, where the metadata buffer starts. */
    public static final int HEADER_LENGTH_OFFSET = 12;
    /** Offset of the metadata buffer's length. */
    public static final int METADATA_LENGTH_OFFSET = 16;
    /** Offset of the values buffer's length. */
    public static final int VALUES_LENGTH_OFFSET = 20;
    /** Offset of the writing process's id. */
    public static final int PID_OFFSET = 24;
    /** Offset of the writing process's start time, epoch ms, -1 when the OS did not say. */
    public static final int PROCESS_START_OFFSET = 32;
    /** Offset of the router's start time, epoch ms. */
    public static final int ROUTER_START_OFFSET = 40;
    /** Offset of the time of the last update, epoch ms. */
    public static final int LAST_UPDATE_OFFSET = 48;
    /** Offset of the update interval, ms. */
    public static final int INTERVAL_OFFSET = 56;
    /** Offset of the router name's length in bytes. */
    public static final int NAME_LENGTH_OFFSET = 60;
    /** Offset of the router's name, UTF-8. */
    public static final int NAME_OFFSET = 64;
    /** The longest router name kept, in UTF-8 bytes; a longer one is cut at a character boundary. */
    public static final int NAME_MAX_LENGTH = 192;
    /** Length of the header: the buffers start on a page boundary. */
    public static final int HEADER_LENGTH = 4096;

    /** Counters a file holds unless {@link #CAPACITY_PROP_NAME} says otherwise. */
    public static final int CAPACITY_DEFAULT = 1024;
    /** System property: counters per file (every source takes 4, every sink 4, the router 3, latency 5). */
    public static final String CAPACITY_PROP_NAME = "ringlink.counters.capacity";
    /** The most counters a file may hold. */
    public static final int CAPACITY_MAX = 1 << 16;

    /** A source's messages put into its ring. */
    public static final int SOURCE_PUBLISHED_TYPE_ID = 1;
    /** A source's messages in its ring not yet delivered to its slowest sink. */
    public static final int SOURCE_BACKLOG_TYPE_ID = 2;
    /** Messages waiting in the source itself (a queue's size), -1 if unknown. */
    public static final int SOURCE_PENDING_TYPE_ID = 3;
    /** 1 if the source ended with an error, else 0. */
    public static final int SOURCE_FAILED_TYPE_ID = 4;
    /** A sink's messages delivered, from all sources. */
    public static final int SINK_DELIVERED_TYPE_ID = 11;
    /** Messages published to a sink's sources that it has not received yet. */
    public static final int SINK_LAG_TYPE_ID = 12;
    /** A sink's deliveries that threw. */
    public static final int SINK_ERRORS_TYPE_ID = 13;
    /** Messages a sink under the {@code drop} slow-sink policy missed ({@code SinkMetrics.dropped()}); 0 otherwise. */
    public static final int SINK_DROPPED_TYPE_ID = 14;
    /** The router's messages published, removed sources included. */
    public static final int ROUTER_PUBLISHED_TYPE_ID = 21;
    /** The router's deliveries, removed sinks included. */
    public static final int ROUTER_DELIVERED_TYPE_ID = 22;
    /** The router's deliveries that threw. */
    public static final int ROUTER_ERRORS_TYPE_ID = 23;
    /** Latency samples recorded (only when the router records latency). */
    public static final int LATENCY_COUNT_TYPE_ID = 31;
    /** Median publish-to-delivery latency, ns. */
    public static final int LATENCY_P50_TYPE_ID = 32;
    /** 99th percentile latency, ns. */
    public static final int LATENCY_P99_TYPE_ID = 33;
    /** 99.9th percentile latency, ns. */
    public static final int LATENCY_P999_TYPE_ID = 34;
    /** Largest latency, ns. */
    public static final int LATENCY_MAX_TYPE_ID = 35;

    /** Offset of the endpoint id in a counter's key. */
    public static final int KEY_ENDPOINT_ID_OFFSET = 0;
    /** Bytes of key used. */
    public static final int KEY_LENGTH = Long.BYTES;

    /** File name suffix of a counters file. */
    public static final String FILE_SUFFIX = ".counters";

    private CountersDescriptor()
    {
    }

    /**
     * Length of the values buffer for a number of counters.
     *
     * @param capacity counters.
     * @return bytes.
     */
    public static int valuesLength(final int capacity)
    {
        return capacity * CountersReader.COUNTER_LENGTH;
    }

    /**
     * Length of the metadata buffer for a number of counters.
     *
     * @param capacity counters.
     * @return bytes.
     */
    public static int metadataLength(final int capacity)
    {
        return capacity * CountersReader.METADATA_LENGTH;
    }

    /**
     * Length of a whole file for a number of counters.
     *
     * @param capacity counters.
     * @return bytes.
     */
    public static long fileLength(final int capacity)
    {
        return (long)HEADER_LENGTH + metadataLength(capacity) + valuesLength(capacity);
    }
}
