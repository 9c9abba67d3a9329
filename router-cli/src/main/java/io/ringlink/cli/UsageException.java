package io.ringlink.cli;

/**
 * A bad argument found after parsing (an unknown scheme, a missing file): exit code 2 and one line.
 */
final class UsageException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    UsageException(final String message)
    {
        super(message, null, false, false);
    }

    UsageException(final String message, final Throwable cause)
    {
        super(message, cause, false, false);
    }
}
