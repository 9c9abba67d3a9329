package io.ringlink.offheap;

import org.agrona.DirectBuffer;

/**
 * Receives records in place, as bytes in the ring: the zero-copy path. The bytes are valid only during the call.
 */
@FunctionalInterface
public interface RecordHandler
{
    /**
     * Takes one record.
     *
     * @param buffer the ring's buffer; do not keep it.
     * @param offset where the record starts.
     * @param length the record's length.
     */
    void onRecord(DirectBuffer buffer, int offset, int length);
}
