package io.ringlink;

/**
 * Identifies a source (a pumped {@link Source} or a {@link Publisher}) registered with a router.
 *
 * @param id   unique within the router.
 * @param name the source's name.
 */
public record SourceId(long id, String name) implements EndpointId
{
}
