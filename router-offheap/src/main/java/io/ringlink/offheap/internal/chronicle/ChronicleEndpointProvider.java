package io.ringlink.offheap.internal.chronicle;

import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.offheap.ChronicleSink;
import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.internal.EndpointCodecs;
import io.ringlink.offheap.internal.IdleStrategies;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;
import net.openhft.chronicle.queue.RollCycles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code chronicle:} scheme: {@code chronicle:/path/dir?start=end&name=reader1&codec=utf8&roll=fast_hourly&
 * retention=6h&wait=yielding}.
 * <ul>
 *     <li>{@code codec}: {@code utf8} (default), {@code bytes}, {@code longs}, {@code values}, or {@code raw}: plain
 *     Chronicle documents, a text document per {@code String} and a bytes document per {@code byte[]}, that
 *     Chronicle's own tools and code read and write (no RingLink format byte).</li>
 *     <li>{@code roll}: a Chronicle roll cycle name for a new queue, {@code fast_daily} by default.</li>
 *     <li>{@code retention} (sink): delete finished cycles older than this that no named reader needs.</li>
 *     <li>{@code start} (source): {@code start} (default), {@code end}, or an index (decimal or {@code 0x} hex).</li>
 *     <li>{@code name} (source): a named reader whose position survives restarts.</li>
 *     <li>{@code wait} (source): how a read waits for the next document: {@code busy-spin}, {@code yielding},
 *     {@code sleeping} or {@code blocking} (default).</li>
 * </ul>
 * A source reads an existing queue only (a missing directory is a {@link NoSuchFileException}, a directory that is not
 * a queue an {@link IllegalArgumentException}); an unknown parameter is refused.
 */
public final class ChronicleEndpointProvider implements EndpointProvider
{
    /** The parameters a {@code chronicle:} URI may carry; any other is refused. */
    public static final Set<String> PARAMETERS = Set.of("codec", "roll", "retention", "start", "name", "wait");
    /** What every Chronicle queue directory holds from its creation on. */
    private static final String METADATA = "metadata.cq4t";
    private static final String RAW = "raw";

    @Override
    public Set<String> schemes()
    {
        return Set.of("chronicle");
    }

    @Override
    public Source<?> source(final EndpointUri uri) throws IOException
    {
        uri.requireKnownParameters(PARAMETERS);
        requireQueue(uri.filePath());
        final ChronicleSource.Builder<?> builder = (raw(uri) ? ChronicleSource.rawBuilder(uri.filePath()) :
            ChronicleSource.builder(uri.filePath(), EndpointCodecs.codec(uri)))
            .rollCycle(ChronicleSupport.rollCycle(uri.parameter("roll", RollCycles.DEFAULT.name())))
            .waitStrategy(IdleStrategies.waitStrategy(uri));
        final String start = uri.parameter("start", "start").trim().toLowerCase(Locale.ROOT);
        switch (start)
        {
            case "start" -> builder.fromStart();
            case "end" -> builder.fromEnd();
            default -> builder.fromIndex(index(uri, start));
        }
        final String name = uri.parameter("name", null);
        if (name != null)
        {
            builder.name(name);
        }
        return builder.build();
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        uri.requireKnownParameters(PARAMETERS);
        final Duration retention = uri.duration("retention", null);
        return (raw(uri) ? ChronicleSink.rawBuilder(uri.filePath()) :
            ChronicleSink.builder(uri.filePath(), EndpointCodecs.codec(uri)))
            .rollCycle(ChronicleSupport.rollCycle(uri.parameter("roll", RollCycles.DEFAULT.name())))
            .retention(retention)
            .build();
    }

    /**
     * A reader never creates what it reads: Chronicle would make the directory and its metadata for a misspelt path
     * (or in {@code /etc}), and the reader would wait for ever on an empty queue.
     */
    private static void requireQueue(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            throw new NoSuchFileException(dir.toString(), null, "no such queue");
        }
        if (!Files.isDirectory(dir))
        {
            throw new IllegalArgumentException(dir + " is not a chronicle: queue (a file, not a directory)");
        }
        if (!Files.isRegularFile(dir.resolve(METADATA)))
        {
            throw new IllegalArgumentException(dir + " is not a chronicle: queue (no " + METADATA + " in it)");
        }
    }

    /** {@code codec=raw}: plain Chronicle text or bytes documents, as Chronicle's own tools write and read them. */
    private static boolean raw(final EndpointUri uri)
    {
        return uri.parameter("codec", "utf8").trim().equalsIgnoreCase(RAW);
    }

    private static long index(final EndpointUri uri, final String text)
    {
        try
        {
            return text.startsWith("0x") ? Long.parseUnsignedLong(text.substring(2), 16) : Long.parseLong(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("endpoint URI '" + uri + "': parameter start='" + text +
                "' is not start, end or an index");
        }
    }
}
