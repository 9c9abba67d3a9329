package io.ringlink;

/**
 * Raised when a registration would make messages flow back to where they came from: a sink that is a source of the
 * same router, or that reaches one of its sources through other routers in this JVM. Nothing is changed.
 */
public final class CircularLinkException extends IllegalArgumentException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the endpoints that would form the cycle.
     */
    public CircularLinkException(final String message)
    {
        super(message);
    }
}
