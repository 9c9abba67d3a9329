package io.ringlink.internal;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Turns the objects users hand to {@code Router.read/write} and {@code RingLink.link} into {@link Source}s and
 * {@link Sink}s. Files are opened here, so a missing source file fails the call; FIFOs are opened later, by the
 * thread that uses them.
 */
public final class Endpoints
{
    private static final String SOURCES = "io.ringlink.Source, BlockingQueue, InputStream, Reader, Path, File, " +
        "Process (stdout), ReadableByteChannel, URI string (" + String.join(", ", Providers.SCHEMES.keySet()) + ")";
    private static final String SINKS = "io.ringlink.Sink, BlockingQueue, OutputStream, Writer, Path, File, " +
        "Process (stdin), WritableByteChannel, Consumer, URI string (" +
        String.join(", ", Providers.SCHEMES.keySet()) + "), array or Collection of these";

    private Endpoints()
    {
    }

    /**
     * The source for an object, with default options.
     *
     * @param source any type {@code RingLink.link} accepts as source.
     * @return the source.
     * @throws IllegalArgumentException naming the type when it is not supported.
     * @throws UncheckedIOException     if it cannot be opened.
     */
    public static Source<Object> source(final Object source)
    {
        return source(source, EndpointOptions.DEFAULTS);
    }

    /**
     * The sink for an object, with default options.
     *
     * @param sink any type {@code RingLink.link} accepts as destination, except arrays and collections.
     * @return the sink.
     * @throws IllegalArgumentException naming the type when it is not supported.
     * @throws UncheckedIOException     if it cannot be opened.
     */
    public static Sink<Object> sink(final Object sink)
    {
        return sink(sink, EndpointOptions.DEFAULTS);
    }

    /**
     * The source for an object.
     *
     * @param source  any type {@code RingLink.link} accepts as source.
     * @param options how bytes become messages.
     * @return the source.
     * @throws IllegalArgumentException naming the type when it is not supported.
     * @throws UncheckedIOException     if it cannot be opened.
     */
    @SuppressWarnings("unchecked")
    public static Source<Object> source(final Object source, final EndpointOptions options)
    {
        try
        {
            if (source instanceof Source)
            {
                return (Source<Object>)source;
            }
            if (source instanceof BlockingQueue)
            {
                return new QueueSource<>((BlockingQueue<Object>)source);
            }
            if (source instanceof Process)
            {
                final Process process = (Process)source;
                return ChannelSource.of("process-" + process.pid() + "-stdout", process,
                    () -> StreamChannels.of(process.getInputStream()), true, false, false, options);
            }
            if (source instanceof Path || source instanceof File)
            {
                return fileSource(path(source), options);
            }
            if (source instanceof InputStream)
            {
                final InputStream in = (InputStream)source;
                final ReadableByteChannel channel = StreamChannels.of(in);
                return ChannelSource.of(in == System.in ? "stdin" : label("stream", in), in, () -> channel,
                    options.closeGiven() && in != System.in, false, false, options);
            }
            if (source instanceof Reader)
            {
                return new TextEndpoints.ReaderSource((Reader)source, options.closeGiven(), label("reader", source),
                    options);
            }
            if (source instanceof ReadableByteChannel)
            {
                final ReadableByteChannel channel = (ReadableByteChannel)source;
                return ChannelSource.of(label("channel", channel), channel, () -> channel, options.closeGiven(),
                    false, false, options);
            }
            if (source instanceof CharSequence)
            {
                final EndpointUri uri = EndpointUri.parse(source.toString()).withDefaults(options.toParameters());
                return (Source<Object>)Providers.provider(uri).source(uri);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open source " + source + ": " + ex, ex);
        }
        if (source instanceof OutputStream || source instanceof Writer || source instanceof Consumer ||
            source instanceof WritableByteChannel || source instanceof Sink)
        {
            throw new IllegalArgumentException(typeName(source) + " can only be a destination, not a source; " +
                "supported as source: " + SOURCES);
        }
        throw new IllegalArgumentException("unsupported source type " + typeName(source) + "; supported: " + SOURCES);
    }

    /**
     * The sink for an object.
     *
     * @param sink    any type {@code RingLink.link} accepts as destination, except arrays and collections.
     * @param options how messages become bytes.
     * @return the sink.
     * @throws IllegalArgumentException naming the type when it is not supported.
     * @throws UncheckedIOException     if it cannot be opened.
     */
    @SuppressWarnings("unchecked")
    public static Sink<Object> sink(final Object sink, final EndpointOptions options)
    {
        try
        {
            if (sink instanceof Sink)
            {
                return (Sink<Object>)sink;
            }
            if (sink instanceof BlockingQueue)
            {
                return new QueueSink<>((BlockingQueue<Object>)sink);
            }
            if (sink instanceof Process)
            {
                final Process process = (Process)sink;
                final ChannelOpener<WritableByteChannel> stdin = ProcessPipes.stdinOpener(process);
                return new ChannelSink("process-" + process.pid() + "-stdin", process, stdin, true, options);
            }
            if (sink instanceof Path || sink instanceof File)
            {
                return fileSink(path(sink), options);
            }
            if (sink instanceof OutputStream)
            {
                final OutputStream out = (OutputStream)sink;
                final boolean std = out == System.out || out == System.err;
                final WritableByteChannel channel = StreamChannels.of(out);
                final String name = std ? (out == System.out ? "stdout" : "stderr") : label("stream", out);
                return new ChannelSink(name, out, () -> channel, options.closeGiven() && !std, options);
            }
            if (sink instanceof Writer)
            {
                return new TextEndpoints.WriterSink((Writer)sink, options.closeGiven(), label("writer", sink), options);
            }
            if (sink instanceof WritableByteChannel)
            {
                final WritableByteChannel channel = (WritableByteChannel)sink;
                return new ChannelSink(label("channel", channel), channel, () -> channel, options.closeGiven(),
                    options);
            }
            if (sink instanceof Consumer)
            {
                return new ConsumerSink<>((Consumer<Object>)sink);
            }
            if (sink instanceof CharSequence)
            {
                final EndpointUri uri = EndpointUri.parse(sink.toString()).withDefaults(options.toParameters());
                return (Sink<Object>)Providers.provider(uri).sink(uri);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot open destination " + sink + ": " + ex, ex);
        }
        if (sink instanceof InputStream || sink instanceof Reader || sink instanceof ReadableByteChannel)
        {
            throw new IllegalArgumentException(typeName(sink) + " can only be a source, not a destination; " +
                "supported as destination: " + SINKS);
        }
        throw new IllegalArgumentException("unsupported destination type " + typeName(sink) + "; supported: " + SINKS);
    }

    /**
     * The stderr of a process as a second source.
     *
     * @param process the process.
     * @param options how bytes become messages.
     * @return the source.
     */
    public static Source<Object> stderr(final Process process, final EndpointOptions options)
    {
        final InputStream err = process.getErrorStream();
        return ChannelSource.of("process-" + process.pid() + "-stderr", err, () -> StreamChannels.of(err), true,
            false, false, options);
    }

    static Source<Object> fileSource(final Path path, final EndpointOptions options) throws IOException
    {
        if (isFifo(path))
        {
            return fifoSource(Fifo.open(path, true), options);
        }
        final String name = "file:" + path;
        final ReadableByteChannel channel;
        try
        {
            channel = options.follow() ? FollowedFile.open(path, options.followName(), name) :
                FileChannel.open(path, StandardOpenOption.READ);
        }
        catch (final NoSuchFileException ex)
        {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        if (!Files.isRegularFile(path) || !hasSize(channel))
        {
            // A device such as /dev/tty may make a read wait, and so may a kernel file that shows no size (procfs,
            // tracefs: /proc/kmsg, trace_pipe): it keeps a pump thread.
            return ChannelSource.of(name, path, () -> channel, true, options.follow(), false, options);
        }
        return ChannelSource.ofRegularFile(name, path, channel, options.follow(), options);
    }

    /** Whether an opened file shows a size: a followed file is not asked (it is not read on an agent anyway). */
    private static boolean hasSize(final ReadableByteChannel channel) throws IOException
    {
        if (!(channel instanceof FileChannel))
        {
            return true;
        }
        try
        {
            return ((FileChannel)channel).size() > 0;
        }
        catch (final IOException ex)
        {
            channel.close();
            throw ex;
        }
    }

    static Source<Object> fifoSource(final Fifo fifo, final EndpointOptions options)
    {
        return ChannelSource.of("fifo:" + fifo.path(), fifo.path(),
            options.reopen() ? fifo.reusableReader() : fifo.reader(), true, false, false, options);
    }

    static Sink<Object> fileSink(final Path path, final EndpointOptions options) throws IOException
    {
        if (isFifo(path))
        {
            return new ChannelSink("fifo:" + path, path, Fifo.open(path, true).writer(), true, options);
        }
        final FileChannel channel = OwnerOnlyFiles.openOrCreate(path, StandardOpenOption.WRITE,
            options.truncate() ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
        return new ChannelSink("file:" + path, path, () -> channel, true, options);
    }

    /** A FIFO given as a plain path is opened lazily too: opening it here would wait for its other end. */
    private static boolean isFifo(final Path path) throws IOException
    {
        return Files.exists(path) && Files.readAttributes(path, BasicFileAttributes.class).isOther();
    }

    static Path path(final Object file)
    {
        final Path path = file instanceof File ? ((File)file).toPath() : (Path)file;
        return path.toAbsolutePath().normalize();
    }

    private static String label(final String kind, final Object endpoint)
    {
        return kind + "@" + Integer.toHexString(System.identityHashCode(endpoint));
    }

    static String typeName(final Object endpoint)
    {
        return endpoint == null ? "null" : endpoint.getClass().getName();
    }

    /** The URI providers found on the class path, by scheme; loaded once. */
    static final class Providers
    {
        static final Map<String, EndpointProvider> SCHEMES = load();

        private Providers()
        {
        }

        private static Map<String, EndpointProvider> load()
        {
            final Map<String, EndpointProvider> schemes = new TreeMap<>();
            for (final EndpointProvider provider : ServiceLoader.load(EndpointProvider.class,
                Endpoints.class.getClassLoader()))
            {
                for (final String scheme : provider.schemes())
                {
                    schemes.putIfAbsent(scheme, provider);
                }
            }
            return schemes;
        }

        static EndpointProvider provider(final EndpointUri uri)
        {
            final EndpointProvider provider = SCHEMES.get(uri.scheme());
            if (provider == null)
            {
                throw new IllegalArgumentException("unsupported scheme '" + uri.scheme() + "' in endpoint URI '" +
                    uri + "'; supported: " + String.join(", ", SCHEMES.keySet()));
            }
            return provider;
        }
    }
}
