package io.ringlink.internal;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * The URI schemes of router-core: {@code -} (stdin as a source, stdout as a sink), {@code file:/path} (parameters
 * {@code follow} or {@code follow=name}, {@code truncate}) and {@code fifo:/path} (parameters {@code keep},
 * {@code reopen}); all take {@code charset}, {@code codec=utf8|bytes}, {@code lines=text|raw}, {@code chunk},
 * {@code maxLine}, {@code longLines} and {@code malformed}.
 */
public final class CoreEndpointProvider implements EndpointProvider
{
    /** Parameters every scheme of this provider takes: how bytes become messages and back. */
    private static final Set<String> BYTES = Set.of("charset", "codec", "chunk", "maxLine", "longLines", "malformed",
        "lines");
    private static final Set<String> FILE = union(BYTES, Set.of("follow", "truncate"));
    private static final Set<String> FIFO = union(BYTES, Set.of("keep", "reopen"));

    /**
     * Created by {@link java.util.ServiceLoader}.
     */
    public CoreEndpointProvider()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of("-", "file", "fifo");
    }

    @Override
    public Source<?> source(final EndpointUri uri) throws IOException
    {
        final EndpointOptions options = EndpointOptions.DEFAULTS.with(checked(uri));
        return switch (uri.scheme())
        {
            case "-" -> Endpoints.source(System.in, options);
            case "file" -> Endpoints.fileSource(uri.filePath().toAbsolutePath().normalize(), options);
            case "fifo" ->
            {
                yield Endpoints.fifoSource(Fifo.open(uri.filePath().toAbsolutePath().normalize(), options.keep()),
                    options);
            }
            default -> throw unsupported(uri);
        };
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        final EndpointOptions options = EndpointOptions.DEFAULTS.with(checked(uri));
        return switch (uri.scheme())
        {
            case "-" -> Endpoints.sink(System.out, options);
            case "file" -> Endpoints.fileSink(uri.filePath().toAbsolutePath().normalize(), options);
            case "fifo" ->
            {
                final Fifo fifo = Fifo.open(uri.filePath().toAbsolutePath().normalize(), options.keep());
                final ChannelOpener<FileChannel> writer = fifo.writer();
                yield new ChannelSink("fifo:" + fifo.path(), fifo.path(), writer, true, options);
            }
            default -> throw unsupported(uri);
        };
    }

    private static EndpointUri checked(final EndpointUri uri)
    {
        return uri.requireKnownParameters(switch (uri.scheme())
        {
            case "file" -> FILE;
            case "fifo" -> FIFO;
            default -> BYTES;
        });
    }

    private static Set<String> union(final Set<String> first, final Set<String> second)
    {
        final Set<String> all = new HashSet<>(first);
        all.addAll(second);
        return Set.copyOf(all);
    }

    private IllegalArgumentException unsupported(final EndpointUri uri)
    {
        return new IllegalArgumentException("scheme '" + uri.scheme() + "' of '" + uri + "' is not one of " +
            schemes());
    }
}
