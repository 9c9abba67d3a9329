package io.ringlink.internal;

import io.ringlink.CircularLinkException;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Every router's sources and sinks in this JVM, to refuse links that would feed themselves. Every source of a router
 * feeds every sink of it, so an edge runs from each source endpoint to each sink endpoint; a registration is refused
 * when it would close a loop.
 */
final class LinkGraph
{
    static final LinkGraph INSTANCE = new LinkGraph();

    private final Map<Object, Endpoints> routers = new HashMap<>();

    private static final class Endpoints
    {
        final String name;
        final Map<EndpointKey, Integer> sources = new HashMap<>();
        final Map<EndpointKey, Integer> sinks = new HashMap<>();

        Endpoints(final String name)
        {
            this.name = name;
        }
    }

    synchronized void addSource(final Object router, final String routerName, final Object endpoint)
    {
        final EndpointKey key = EndpointKey.of(endpoint);
        final Endpoints own = routers.computeIfAbsent(router, (r) -> new Endpoints(routerName));
        if (own.sources.containsKey(key))
        {
            throw new IllegalArgumentException(key + " is already a source of router " + routerName);
        }
        if (own.sinks.containsKey(key))
        {
            throw new CircularLinkException(key + " is a sink of router " + routerName + " and cannot be its source");
        }
        for (final EndpointKey sink : own.sinks.keySet())
        {
            final String path = pathBetween(sink, Set.of(key));
            if (path != null)
            {
                throw new CircularLinkException("source " + key + " of router " + routerName +
                    " would close a loop: " + routerName + ": " + key + " -> " + path);
            }
        }
        own.sources.merge(key, 1, Integer::sum);
    }

    synchronized void addSink(final Object router, final String routerName, final Object endpoint)
    {
        final EndpointKey key = EndpointKey.of(endpoint);
        final Endpoints own = routers.computeIfAbsent(router, (r) -> new Endpoints(routerName));
        if (own.sinks.containsKey(key))
        {
            throw new IllegalArgumentException(key + " is already a sink of router " + routerName);
        }
        if (own.sources.containsKey(key))
        {
            throw new CircularLinkException(key + " is a source of router " + routerName + " and cannot be its sink");
        }
        final String path = pathBetween(key, own.sources.keySet());
        if (path != null)
        {
            throw new CircularLinkException("sink " + key + " of router " + routerName +
                " would close a loop: " + routerName + ": ... -> " + path);
        }
        own.sinks.merge(key, 1, Integer::sum);
    }

    synchronized void removeSource(final Object router, final Object endpoint)
    {
        final Endpoints own = routers.get(router);
        if (own != null)
        {
            own.sources.remove(EndpointKey.of(endpoint));
        }
    }

    synchronized void removeSink(final Object router, final Object endpoint)
    {
        final Endpoints own = routers.get(router);
        if (own != null)
        {
            own.sinks.remove(EndpointKey.of(endpoint));
        }
    }

    synchronized void removeRouter(final Object router)
    {
        routers.remove(router);
    }

    /**
     * Searches the links from {@code from} onwards for any of {@code targets}.
     *
     * @return the path found, as text, or {@code null} when none of the targets is reachable.
     */
    private String pathBetween(final EndpointKey from, final Set<EndpointKey> targets)
    {
        final Map<EndpointKey, String> seen = new HashMap<>();
        final ArrayDeque<EndpointKey> queue = new ArrayDeque<>();
        seen.put(from, from.toString());
        queue.add(from);
        while (!queue.isEmpty())
        {
            final EndpointKey node = queue.poll();
            final String pathToNode = seen.get(node);
            if (targets.contains(node))
            {
                return pathToNode;
            }
            for (final Endpoints endpoints : routers.values())
            {
                if (endpoints.sources.containsKey(node))
                {
                    for (final EndpointKey next : new HashSet<>(endpoints.sinks.keySet()))
                    {
                        if (!seen.containsKey(next))
                        {
                            seen.put(next, pathToNode + " -> (" + endpoints.name + ") -> " + next);
                            queue.add(next);
                        }
                    }
                }
            }
        }
        return null;
    }
}
