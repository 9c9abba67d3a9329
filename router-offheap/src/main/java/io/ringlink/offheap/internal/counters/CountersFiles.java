package io.ringlink.offheap.internal.counters;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.ringlink.offheap.internal.counters.CountersDescriptor.HEADER_LENGTH;

/**
 * Reads counters files from another process (or this one) without changing them, and removes stale ones. A reader
 * never creates the directory or a file.
 */
public final class CountersFiles
{
    /** How far a recorded process start may differ from the live process's, ms, and still be the same process. */
    private static final long START_TOLERANCE_MS = 2_000;
    /** Suffix of the name a file is written under before it is moved into place. */
    static final String TEMPORARY_SUFFIX = CountersDescriptor.FILE_SUFFIX + ".tmp";
    private static final Pattern TEMPORARY_NAME = Pattern.compile("\\.(\\d{1,18})-\\d+\\.counters\\.tmp");

    private CountersFiles()
    {
    }

    /**
     * What a directory holds.
     *
     * @param routers    the routers whose files could be read, by pid then start time.
     * @param unreadable files that are not valid counters files, with the reason.
     */
    public record Listing(List<RouterCounters> routers, Map<Path, String> unreadable)
    {
        /**
         * A listing, copying the collections.
         *
         * @param routers    routers.
         * @param unreadable files and reasons.
         */
        public Listing
        {
            routers = List.copyOf(routers);
            unreadable = Map.copyOf(unreadable);
        }
    }

    /**
     * Reads every counters file in the directory; a missing directory is an empty listing.
     *
     * @param directory the counters directory.
     * @return the listing.
     * @throws IOException if the directory cannot be listed.
     */
    public static Listing list(final Path directory) throws IOException
    {
        final List<RouterCounters> routers = new ArrayList<>();
        final Map<Path, String> unreadable = new TreeMap<>();
        if (!Files.isDirectory(directory))
        {
            return new Listing(routers, unreadable);
        }
        final String pattern = "[!.]*" + CountersDescriptor.FILE_SUFFIX;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, pattern))
        {
            for (final Path file : files)
            {
                try
                {
                    routers.add(read(file));
                }
                catch (final NoSuchFileException gone)
                {
                    // Its router stopped while we listed.
                }
                catch (final IOException ex)
                {
                    unreadable.put(file, ex.getMessage());
                }
            }
        }
        routers.sort(Comparator.comparingLong(RouterCounters::pid).thenComparing(RouterCounters::started)
            .thenComparing((counters) -> counters.file().toString()));
        return new Listing(routers, unreadable);
    }

    /**
     * Reads one counters file after checking every length in its header against the file.
     *
     * @param file the file.
     * @return what it says.
     * @throws IOException naming the file and the problem when it is not a valid counters file.
     */
    public static RouterCounters read(final Path file) throws IOException
    {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS))
        {
            throw new IOException(file + ": not a regular file");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_LENGTH || size > CountersDescriptor.fileLength(CountersDescriptor.CAPACITY_MAX))
            {
                throw new IOException(file + ": " + size + " bytes is no counters file's length");
            }
            final MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            try
            {
                return read(file, new UnsafeBuffer(mapped), size);
            }
            finally
            {
                IoUtil.unmap(mapped);
            }
        }
    }

    private static RouterCounters read(final Path file, final UnsafeBuffer buffer, final long size) throws IOException
    {
        if (buffer.getLongAcquire(CountersDescriptor.MAGIC_OFFSET) != CountersDescriptor.MAGIC)
        {
            throw new IOException(file + ": not a counters file (bad magic)");
        }
        final int version = buffer.getInt(CountersDescriptor.VERSION_OFFSET);
        if (version != CountersDescriptor.FORMAT_VERSION)
        {
            throw new IOException(file + ": format version " + version + ", expected " +
                CountersDescriptor.FORMAT_VERSION);
        }
        final int headerLength = buffer.getInt(CountersDescriptor.HEADER_LENGTH_OFFSET);
        final int metadataLength = buffer.getInt(CountersDescriptor.METADATA_LENGTH_OFFSET);
        final int valuesLength = buffer.getInt(CountersDescriptor.VALUES_LENGTH_OFFSET);
        final int nameLength = buffer.getInt(CountersDescriptor.NAME_LENGTH_OFFSET);
        if (headerLength != HEADER_LENGTH || valuesLength <= 0 ||
            valuesLength % CountersReader.COUNTER_LENGTH != 0 ||
            (long)metadataLength !=
                (long)valuesLength / CountersReader.COUNTER_LENGTH * CountersReader.METADATA_LENGTH ||
            (long)headerLength + metadataLength + valuesLength > size ||
            nameLength < 0 || nameLength > CountersDescriptor.NAME_MAX_LENGTH)
        {
            throw new IOException(file + ": header lengths do not fit (header " + headerLength + ", metadata " +
                metadataLength + ", values " + valuesLength + ", name " + nameLength + ", file " + size + ")");
        }
        final long pid = buffer.getLong(CountersDescriptor.PID_OFFSET);
        final long processStart = buffer.getLong(CountersDescriptor.PROCESS_START_OFFSET);
        final String router = buffer.getStringWithoutLengthUtf8(CountersDescriptor.NAME_OFFSET, nameLength);
        final CountersReader reader = new CountersReader(
            new UnsafeBuffer(buffer, headerLength, metadataLength),
            new UnsafeBuffer(buffer, headerLength + metadataLength, valuesLength), StandardCharsets.UTF_8);
        final Collector collector = new Collector(reader);
        reader.forEach(collector::accept);
        return new RouterCounters(file, pid, router,
            Instant.ofEpochMilli(buffer.getLong(CountersDescriptor.ROUTER_START_OFFSET)),
            Instant.ofEpochMilli(buffer.getLongAcquire(CountersDescriptor.LAST_UPDATE_OFFSET)),
            buffer.getInt(CountersDescriptor.INTERVAL_OFFSET), !isAlive(pid, processStart),
            collector.router[0], collector.router[1], collector.router[2],
            collector.sources(), collector.sinks(), collector.latency());
    }

    /**
     * Whether the process that wrote a file still runs: its pid is alive and, where the OS tells start times, started
     * when the file says (so a pid reused by another process does not count).
     *
     * @param pid          the writer's pid.
     * @param processStart its start, epoch ms, or -1.
     * @return {@code true} if it runs.
     */
    static boolean isAlive(final long pid, final long processStart)
    {
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        final Optional<Instant> start = process.get().info().startInstant();
        return processStart < 0 || start.isEmpty() ||
            Math.abs(start.get().toEpochMilli() - processStart) <= START_TOLERANCE_MS;
    }

    /**
     * Deletes the files of processes that are gone, and the temporary files of processes that died while creating one.
     *
     * @param directory the counters directory.
     * @return the files deleted.
     * @throws IOException if the directory cannot be listed or a file deleted.
     */
    public static List<Path> clean(final Path directory) throws IOException
    {
        final List<Path> deleted = new ArrayList<>();
        for (final RouterCounters counters : list(directory).routers())
        {
            if (counters.stale() && Files.deleteIfExists(counters.file()))
            {
                deleted.add(counters.file());
            }
        }
        if (Files.isDirectory(directory))
        {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ".*" + TEMPORARY_SUFFIX))
            {
                for (final Path file : files)
                {
                    final Matcher name = TEMPORARY_NAME.matcher(file.getFileName().toString());
                    if (name.matches() && !isAlive(Long.parseLong(name.group(1)), -1) && Files.deleteIfExists(file))
                    {
                        deleted.add(file);
                    }
                }
            }
        }
        return deleted;
    }

    /** Gathers the allocated counters of one file by endpoint. */
    private static final class Collector
    {
        private final CountersReader reader;
        private final Map<Long, long[]> sources = new TreeMap<>();
        private final Map<Long, long[]> sinks = new TreeMap<>();
        private final Map<Long, String> sourceNames = new LinkedHashMap<>();
        private final Map<Long, String> sinkNames = new LinkedHashMap<>();
        private final long[] router = new long[3];
        private long[] latency;

        Collector(final CountersReader reader)
        {
            this.reader = reader;
        }

        void accept(final int counterId, final int typeId, final DirectBuffer key, final String label)
        {
            final long value = reader.getCounterValue(counterId);
            final long endpoint = key.getLong(CountersDescriptor.KEY_ENDPOINT_ID_OFFSET);
            if (typeId >= CountersDescriptor.SOURCE_PUBLISHED_TYPE_ID &&
                typeId <= CountersDescriptor.SOURCE_FAILED_TYPE_ID)
            {
                sourceNames.put(endpoint, label);
                sources.computeIfAbsent(endpoint, (id) -> new long[4])
                    [typeId - CountersDescriptor.SOURCE_PUBLISHED_TYPE_ID] = value;
            }
            else if (typeId >= CountersDescriptor.SINK_DELIVERED_TYPE_ID &&
                typeId <= CountersDescriptor.SINK_DROPPED_TYPE_ID)
            {
                sinkNames.put(endpoint, label);
                sinks.computeIfAbsent(endpoint, (id) -> new long[4])
                    [typeId - CountersDescriptor.SINK_DELIVERED_TYPE_ID] = value;
            }
            else if (typeId >= CountersDescriptor.ROUTER_PUBLISHED_TYPE_ID &&
                typeId <= CountersDescriptor.ROUTER_ERRORS_TYPE_ID)
            {
                router[typeId - CountersDescriptor.ROUTER_PUBLISHED_TYPE_ID] = value;
            }
            else if (typeId >= CountersDescriptor.LATENCY_COUNT_TYPE_ID &&
                typeId <= CountersDescriptor.LATENCY_MAX_TYPE_ID)
            {
                if (latency == null)
                {
                    latency = new long[5];
                }
                latency[typeId - CountersDescriptor.LATENCY_COUNT_TYPE_ID] = value;
            }
        }

        List<RouterCounters.Source> sources()
        {
            final List<RouterCounters.Source> list = new ArrayList<>();
            sources.forEach((id, values) -> list.add(new RouterCounters.Source(
                id, sourceNames.get(id), values[0], values[1], values[2], values[3] != 0)));
            return list;
        }

        List<RouterCounters.Sink> sinks()
        {
            final List<RouterCounters.Sink> list = new ArrayList<>();
            sinks.forEach((id, values) -> list.add(new RouterCounters.Sink(
                id, sinkNames.get(id), values[0], values[1], values[2], values[3])));
            return list;
        }

        RouterCounters.Latency latency()
        {
            return latency == null ? null :
                new RouterCounters.Latency(latency[0], latency[1], latency[2], latency[3], latency[4]);
        }
    }
}
