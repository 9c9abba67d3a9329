package io.ringlink.spi;

import io.ringlink.Sink;
import io.ringlink.Source;

import java.io.IOException;
import java.util.Set;

/**
 * Resolves endpoint URIs of some schemes into sources and sinks. Providers are found with
 * {@link java.util.ServiceLoader}: list the implementation in
 * {@code META-INF/services/io.ringlink.spi.EndpointProvider}. router-core provides {@code file:}, {@code fifo:} and
 * {@code -}; router-offheap adds {@code ipc:} and {@code chronicle:}.
 */
public interface EndpointProvider
{
    /**
     * The schemes this provider resolves, lower case, without the colon (e.g. {@code "ipc"}).
     *
     * @return the schemes.
     */
    Set<String> schemes();

    /**
     * Opens a source for a URI of one of {@link #schemes()}. Must not block on a peer that is not there yet.
     *
     * @param uri the parsed URI, with the linker's defaults merged into its parameters.
     * @return the source, owned by the router it is given to.
     * @throws IOException              if the endpoint cannot be opened.
     * @throws IllegalArgumentException if the URI or a parameter is malformed, naming it.
     */
    Source<?> source(EndpointUri uri) throws IOException;

    /**
     * Opens a sink for a URI of one of {@link #schemes()}. Must not block on a peer that is not there yet.
     *
     * @param uri the parsed URI, with the linker's defaults merged into its parameters.
     * @return the sink, owned by the router it is given to.
     * @throws IOException              if the endpoint cannot be opened.
     * @throws IllegalArgumentException if the URI or a parameter is malformed, naming it.
     */
    Sink<?> sink(EndpointUri uri) throws IOException;
}
