package io.ringlink;

/**
 * Identifies a sink registered with a router.
 *
 * @param id   unique within the router.
 * @param name the sink's name.
 */
public record SinkId(long id, String name) implements EndpointId
{
}
