package io.ringlink.aeron.internal;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.aeron.AeronSink;
import io.ringlink.aeron.AeronSource;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.IOException;
import java.util.Set;

/**
 * The {@code aeron:} scheme: Aeron's channel plus RingLink's keys, as {@link AeronEndpoint} parses them, e.g.
 * {@code aeron:udp?endpoint=10.0.0.2:40123|stream=7|codec=bytes} or {@code aeron:ipc?stream=3}.
 */
public final class AeronEndpointProvider implements EndpointProvider
{
    @Override
    public Set<String> schemes()
    {
        return Set.of("aeron");
    }

    @Override
    public Source<?> source(final EndpointUri uri) throws IOException
    {
        return AeronSource.open(uri);
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        return AeronSink.open(uri);
    }
}
