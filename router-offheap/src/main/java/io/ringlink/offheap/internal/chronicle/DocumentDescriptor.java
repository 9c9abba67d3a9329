package io.ringlink.offheap.internal.chronicle;

/**
 * Layout of one RingLink message inside a Chronicle document.
 * <pre>
 *   0          1                                   document length
 *   +----------+-----------------------------------+
 *   |  format  |  message, as the codec encoded it |
 *   +----------+-----------------------------------+
 * </pre>
 * The format byte lets a reader refuse documents RingLink did not write, and keeps every document non-empty:
 * Chronicle pads an empty document with a byte of its own, so an empty message (the string "") could not be told
 * from that padding otherwise.
 */
public final class DocumentDescriptor
{
    /** Offset of the format byte. */
    public static final int FORMAT_OFFSET = 0;
    /** Offset of the encoded message. */
    public static final int MESSAGE_OFFSET = 1;
    /** Format byte of version 1: {@code 'R'}. */
    public static final byte FORMAT_V1 = 0x52;

    private DocumentDescriptor()
    {
    }
}
