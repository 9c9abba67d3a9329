package io.ringlink.aeron.internal;

import io.aeron.AeronCounters;
import io.aeron.driver.status.StreamCounter;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a driver's per-stream position counters (the ones {@code AeronStat} shows: {@code pub-pos},
 * {@code snd-pos}, {@code sub-pos}, {@code rcv-hwm}, ...) for one session of one stream.
 */
public final class StreamCounters
{
    private StreamCounters()
    {
    }

    /**
     * The lowest value among the counters of a type for a session and stream.
     *
     * @param counters  the driver's counters.
     * @param typeId    the counter type, such as {@link AeronCounters#DRIVER_SUBSCRIBER_POSITION_TYPE_ID}.
     * @param sessionId the session.
     * @param streamId  the stream.
     * @return the lowest value, or {@link Long#MAX_VALUE} when there is none.
     */
    public static long min(final CountersReader counters, final int typeId, final int sessionId, final int streamId)
    {
        final long[] min = {Long.MAX_VALUE};
        counters.forEach((counterId, type, keyBuffer, label) ->
        {
            if (type == typeId && keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET) == sessionId &&
                keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET) == streamId)
            {
                min[0] = Math.min(min[0], counters.getCounterValue(counterId));
            }
        });
        return min[0];
    }

    /**
     * The highest value among the counters of two types for a session and stream.
     *
     * @param counters  the driver's counters.
     * @param typeA     a counter type.
     * @param typeB     another counter type.
     * @param sessionId the session.
     * @param streamId  the stream.
     * @return the highest value, or {@code -1} when there is none.
     */
    public static long max(
        final CountersReader counters, final int typeA, final int typeB, final int sessionId, final int streamId)
    {
        final long[] max = {-1};
        counters.forEach((counterId, type, keyBuffer, label) ->
        {
            if ((type == typeA || type == typeB) && keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET) == sessionId &&
                keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET) == streamId)
            {
                max[0] = Math.max(max[0], counters.getCounterValue(counterId));
            }
        });
        return max[0];
    }
}
