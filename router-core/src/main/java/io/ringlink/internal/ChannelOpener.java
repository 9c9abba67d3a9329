package io.ringlink.internal;

import java.io.IOException;
import java.nio.channels.Channel;

/**
 * Opens the channel of a byte endpoint on the thread that first uses it (a FIFO's open waits for its peer), and
 * releases what the endpoint made (a FIFO it created) when the endpoint closes.
 *
 * @param <C> the channel type.
 */
interface ChannelOpener<C extends Channel>
{
    /** Opens the channel; may wait for a peer. */
    C open() throws IOException;

    /**
     * Called once from {@code close()}, after the channel (if any) was closed.
     *
     * @param opened whether {@link #open()} returned; if not, an open may be waiting and must be woken.
     */
    default void release(final boolean opened) throws IOException
    {
    }
}
