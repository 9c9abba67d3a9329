package io.ringlink.internal;

import java.net.URI;
import java.nio.file.Path;

/**
 * The identity of an endpoint for cycle detection: objects by identity, paths, strings and URIs by value.
 */
final class EndpointKey
{
    private final Object endpoint;
    private final boolean byValue;

    private EndpointKey(final Object endpoint)
    {
        this.byValue = endpoint instanceof Path || endpoint instanceof CharSequence || endpoint instanceof URI;
        this.endpoint = endpoint instanceof CharSequence ? endpoint.toString() : endpoint;
    }

    static EndpointKey of(final Object endpoint)
    {
        return new EndpointKey(endpoint);
    }

    @Override
    public boolean equals(final Object other)
    {
        if (!(other instanceof EndpointKey))
        {
            return false;
        }
        final EndpointKey that = (EndpointKey)other;
        return byValue ? byValue == that.byValue && endpoint.equals(that.endpoint) : endpoint == that.endpoint;
    }

    @Override
    public int hashCode()
    {
        return byValue ? endpoint.hashCode() : System.identityHashCode(endpoint);
    }

    @Override
    public String toString()
    {
        return byValue ? endpoint.toString() : endpoint.getClass().getSimpleName() + '@' +
            Integer.toHexString(System.identityHashCode(endpoint));
    }
}
