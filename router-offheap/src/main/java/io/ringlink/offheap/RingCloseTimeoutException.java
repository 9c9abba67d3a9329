package io.ringlink.offheap;

import java.io.IOException;

/**
 * {@link IpcRing#close()} gave up waiting for a call still in progress (a read handler that blocks): the ring refuses
 * new calls, and the call in progress gives back the roles and unmaps the file when it returns. The message names the
 * file and how long close waited.
 */
public class RingCloseTimeoutException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was waited for and what happens next.
     */
    public RingCloseTimeoutException(final String message)
    {
        super(message);
    }
}
