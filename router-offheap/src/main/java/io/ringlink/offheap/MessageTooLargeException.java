package io.ringlink.offheap;

/**
 * A message is longer than a ring's maximum message length (capacity / 8). Raised before anything is written.
 */
public class MessageTooLargeException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param length           the message's encoded length.
     * @param maxMessageLength the ring's limit.
     * @param ring             names the ring.
     */
    public MessageTooLargeException(final int length, final int maxMessageLength, final Object ring)
    {
        super("message of " + length + " bytes is longer than the maximum of " + maxMessageLength + " bytes of ring " +
            ring);
    }
}
