package io.ringlink.internal;

import io.ringlink.Link;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.SinkOptions;
import io.ringlink.Source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Builds a {@link Link}: resolves every endpoint first (so that a missing file or an unsupported type fails before
 * anything runs), then registers the destinations and the sources with the router.
 */
public final class LinkFactory
{
    private static final AtomicInteger LINKS = new AtomicInteger();

    private LinkFactory()
    {
    }

    /**
     * A fresh router name for a link that was not named.
     *
     * @return {@code link-N}.
     */
    public static String nextName()
    {
        return "link-" + LINKS.incrementAndGet();
    }

    /**
     * One destination's slow-sink options when several share them: a spill queue gets a sub-directory per
     * destination ({@code DIR/0}, {@code DIR/1}, ...) so that each sink owns its queue.
     *
     * @param options      the shared options.
     * @param index        the destination's index.
     * @param destinations how many destinations share them.
     * @return the destination's options.
     */
    public static SinkOptions slowSinkOptions(final SinkOptions options, final int index, final int destinations)
    {
        if (destinations == 1 || options.policy() != SinkOptions.SlowSinkPolicy.SPILL)
        {
            return options;
        }
        final String uri = options.spillUri();
        final int query = uri.indexOf('?');
        return query < 0 ?
            SinkOptions.spill(uri + "/" + index) :
            SinkOptions.spill(uri.substring(0, query) + "/" + index + uri.substring(query));
    }

    /**
     * Links the sources to the destinations through the router; on failure the router is closed.
     *
     * @param router       a new router, owned by the link from now on.
     * @param options      how endpoints read and write.
     * @param slowSinks    every destination's slow-sink policy; with several destinations a spill URI gets a
     *                     sub-directory per destination ({@code DIR/0}, {@code DIR/1}, ...).
     * @param sources      what to read.
     * @param destinations where to write; arrays and collections are flattened.
     * @return the running link.
     */
    public static Link link(
        final Router<Object> router,
        final EndpointOptions options,
        final SinkOptions slowSinks,
        final Collection<?> sources,
        final Object[] destinations)
    {
        final DisruptorRouter<Object> disruptorRouter = (DisruptorRouter<Object>)router;
        final List<AutoCloseable> unregistered = new ArrayList<>();
        try
        {
            final List<Object> targets = new ArrayList<>();
            for (final Object destination : destinations)
            {
                flatten(destination, targets);
            }
            requireDistinct("source", new ArrayList<>(sources));
            requireDistinct("destination", targets);
            if (targets.isEmpty())
            {
                throw new IllegalArgumentException("link needs at least one destination");
            }
            final List<Source<Object>> inputs = new ArrayList<>();
            for (final Object source : sources)
            {
                inputs.add(Endpoints.source(source, options));
                unregistered.add(inputs.get(inputs.size() - 1));
                if (source instanceof Process && options.stderr())
                {
                    inputs.add(Endpoints.stderr((Process)source, options));
                    unregistered.add(inputs.get(inputs.size() - 1));
                }
            }
            final DefaultLink link = new DefaultLink(disruptorRouter);
            final List<Sink<Object>> outputs = new ArrayList<>();
            for (final Object target : targets)
            {
                outputs.add(link.recording(Endpoints.sink(target, options)));
                unregistered.add(outputs.get(outputs.size() - 1));
            }
            for (int i = 0; i < outputs.size(); i++)
            {
                final Sink<Object> output = outputs.get(i);
                unregistered.remove(output);
                router.write(output, slowSinkOptions(slowSinks, i, outputs.size()));
            }
            for (final Source<Object> input : inputs)
            {
                unregistered.remove(input);
                router.read(input);
            }
            link.start();
            return link;
        }
        catch (final RuntimeException | Error ex)
        {
            for (final AutoCloseable endpoint : unregistered)
            {
                disruptorRouter.closeQuietly(endpoint, String.valueOf(endpoint));
            }
            router.close();
            throw ex;
        }
    }

    private static void flatten(final Object destination, final List<Object> into)
    {
        if (destination instanceof Object[])
        {
            for (final Object element : (Object[])destination)
            {
                flatten(element, into);
            }
        }
        else if (destination instanceof Collection && !(destination instanceof BlockingQueue))
        {
            for (final Object element : (Collection<?>)destination)
            {
                flatten(element, into);
            }
        }
        else if (destination == null)
        {
            throw new IllegalArgumentException("a destination is null");
        }
        else
        {
            into.add(destination);
        }
    }

    private static void requireDistinct(final String role, final List<Object> endpoints)
    {
        final Set<EndpointKey> seen = new HashSet<>();
        for (final Object endpoint : endpoints)
        {
            if (endpoint == null)
            {
                throw new IllegalArgumentException("a " + role + " is null");
            }
            final Object key = endpoint instanceof java.io.File || endpoint instanceof java.nio.file.Path ?
                Endpoints.path(endpoint) : endpoint;
            if (!seen.add(EndpointKey.of(key)))
            {
                throw new IllegalArgumentException(role + " " + EndpointKey.of(key) + " is given twice");
            }
        }
    }
}
