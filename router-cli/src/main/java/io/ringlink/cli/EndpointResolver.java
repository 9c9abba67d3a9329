package io.ringlink.cli;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.internal.EndpointOptions;
import io.ringlink.internal.Endpoints;
import io.ringlink.offheap.RingFileException;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Opens the command line's endpoint URIs through the {@link EndpointProvider}s on the class path (router-core's
 * {@code -}, {@code file:}, {@code fifo:}; router-offheap's {@code ipc:}, {@code chronicle:}; this module's
 * {@code exec:}). A URI that cannot be opened because of what the user typed (an unknown scheme, a malformed
 * parameter, a missing file) raises a {@link UsageException} naming it.
 */
final class EndpointResolver
{
    private static FileChannel stdout;

    private final Map<String, EndpointProvider> providers = new TreeMap<>();
    private final Map<String, String> defaults;

    /**
     * @param defaults parameters added to every URI that does not set them (e.g. {@code codec=bytes}).
     */
    EndpointResolver(final Map<String, String> defaults)
    {
        this.defaults = defaults;
        try
        {
            for (final EndpointProvider provider : ServiceLoader.load(EndpointProvider.class))
            {
                for (final String scheme : provider.schemes())
                {
                    providers.putIfAbsent(scheme, provider);
                }
            }
        }
        catch (final ServiceConfigurationError ex)
        {
            throw new IllegalStateException("the endpoint providers on the class path are broken (" +
                Main.oneLine(ex) + "); rebuild with ./mvnw package", ex);
        }
    }

    boolean supports(final String scheme)
    {
        return providers.containsKey(scheme);
    }

    Source<?> source(final String text)
    {
        if (text.equals("-"))
        {
            return StdinSource.open(parse(text));
        }
        return open("source", text, EndpointProvider::source);
    }

    Sink<?> sink(final String text)
    {
        if (text.equals("-"))
        {
            return Endpoints.sink(stdout(), EndpointOptions.DEFAULTS.with(parse(text)));
        }
        return open("destination", text, EndpointProvider::sink);
    }

    /**
     * Standard output as a channel on file descriptor 1. Unlike {@code System.out} (a {@code PrintStream}, which
     * swallows errors), a write to it fails when the reader went away ({@link BrokenPipe}), so the command can end.
     *
     * @return the channel, the same for the life of the JVM; never closed.
     */
    static synchronized FileChannel stdout()
    {
        if (stdout == null)
        {
            @SuppressWarnings("resource") // standard output stays open for the life of the JVM
            final FileChannel channel = new FileOutputStream(FileDescriptor.out).getChannel();
            stdout = channel;
        }
        return stdout;
    }

    private <T> T open(final String role, final String text, final Opener<T> opener)
    {
        final EndpointUri uri = parse(text);
        try
        {
            return opener.open(provider(uri), uri);
        }
        catch (final IllegalArgumentException | NoSuchFileException | AccessDeniedException | RingFileException ex)
        {
            // What the user typed: an unknown parameter, a missing ring, a file that is not what its scheme says.
            throw new UsageException(role + " '" + text + "': " + withoutUri(Main.oneLine(ex), text), ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(role + " '" + text + "': " + Main.oneLine(ex), ex);
        }
    }

    /** A message that starts by naming the URI again ("endpoint URI 'X': ...") names it once. */
    private static String withoutUri(final String message, final String text)
    {
        final String prefix = "endpoint URI '" + text + "': ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    EndpointUri parse(final String text)
    {
        return parseUri(text).withDefaults(defaults);
    }

    /**
     * Parses a URI typed on the command line.
     *
     * @throws UsageException if it is malformed.
     */
    static EndpointUri parseUri(final String text)
    {
        try
        {
            return EndpointUri.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage(), ex);
        }
    }

    private EndpointProvider provider(final EndpointUri uri)
    {
        final EndpointProvider provider = providers.get(uri.scheme());
        if (provider == null)
        {
            throw new UsageException("unknown scheme '" + display(uri.scheme()) + "' in '" + uri + "'; supported: " +
                String.join(", ", providers.keySet().stream().map(EndpointResolver::display).toList()));
        }
        return provider;
    }

    private static String display(final String scheme)
    {
        return scheme.equals("-") ? "-" : scheme + ":";
    }

    /** {@link EndpointProvider#source} or {@link EndpointProvider#sink}. */
    @FunctionalInterface
    private interface Opener<T>
    {
        T open(EndpointProvider provider, EndpointUri uri) throws IOException;
    }
}
