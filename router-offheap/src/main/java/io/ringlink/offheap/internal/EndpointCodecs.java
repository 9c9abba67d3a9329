package io.ringlink.offheap.internal;

import io.ringlink.offheap.Codec;
import io.ringlink.offheap.Codecs;
import io.ringlink.spi.EndpointUri;

/**
 * The codec an endpoint URI names with {@code codec=} ({@code utf8} when absent), shared by the {@code ipc:} and
 * {@code chronicle:} providers.
 */
public final class EndpointCodecs
{
    private EndpointCodecs()
    {
    }

    /**
     * The codec of a URI.
     *
     * @param uri the endpoint URI.
     * @return the codec.
     * @throws IllegalArgumentException naming the URI and the codecs there are.
     */
    public static Codec<?> codec(final EndpointUri uri)
    {
        try
        {
            return Codecs.named(uri.parameter("codec", "utf8"));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': " + ex.getMessage(), ex);
        }
    }
}
