package io.ringlink;

/**
 * Identifies a source or a sink registered with a router, for {@link Router#unregister(EndpointId)} and metrics.
 */
public sealed interface EndpointId permits SourceId, SinkId
{
    /**
     * A number unique within the router.
     *
     * @return the id.
     */
    long id();

    /**
     * The endpoint's name.
     *
     * @return the name.
     */
    String name();
}
