package io.ringlink.offheap;

/**
 * Raised when bytes cannot be decoded (malformed, truncated, over a limit) or a message cannot be encoded.
 */
public class CodecException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message says what is wrong and where.
     */
    public CodecException(final String message)
    {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message says what is wrong and where.
     * @param cause   the underlying failure.
     */
    public CodecException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
