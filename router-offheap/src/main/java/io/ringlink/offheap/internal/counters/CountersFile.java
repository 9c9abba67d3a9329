package io.ringlink.offheap.internal.counters;

import io.ringlink.RouterMetrics;
import io.ringlink.internal.OwnerOnlyFiles;
import org.agrona.IoUtil;
import org.agrona.concurrent.SystemEpochClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static io.ringlink.offheap.internal.counters.CountersDescriptor.HEADER_LENGTH;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.HEADER_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.INTERVAL_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.LAST_UPDATE_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.MAGIC;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.MAGIC_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.METADATA_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.NAME_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.NAME_MAX_LENGTH;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.NAME_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.PID_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.PROCESS_START_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.ROUTER_START_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.VALUES_LENGTH_OFFSET;
import static io.ringlink.offheap.internal.counters.CountersDescriptor.VERSION_OFFSET;

/**
 * The writing side of one router's counters file. Not thread-safe: {@link #update(RouterMetrics, long)} runs on the
 * sampler thread only, and {@link #close()} after the sampler let go of the file.
 */
final class CountersFile implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(CountersFile.class);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long FREE_TO_REUSE_MS = 1_000;
    private static final int[] SOURCE_TYPES = {CountersDescriptor.SOURCE_PUBLISHED_TYPE_ID,
        CountersDescriptor.SOURCE_BACKLOG_TYPE_ID, CountersDescriptor.SOURCE_PENDING_TYPE_ID,
        CountersDescriptor.SOURCE_FAILED_TYPE_ID};
    private static final int[] SINK_TYPES = {CountersDescriptor.SINK_DELIVERED_TYPE_ID,
        CountersDescriptor.SINK_LAG_TYPE_ID, CountersDescriptor.SINK_ERRORS_TYPE_ID,
        CountersDescriptor.SINK_DROPPED_TYPE_ID};
    private static final int[] ROUTER_TYPES = {CountersDescriptor.ROUTER_PUBLISHED_TYPE_ID,
        CountersDescriptor.ROUTER_DELIVERED_TYPE_ID, CountersDescriptor.ROUTER_ERRORS_TYPE_ID};
    private static final int[] LATENCY_TYPES = {CountersDescriptor.LATENCY_COUNT_TYPE_ID,
        CountersDescriptor.LATENCY_P50_TYPE_ID, CountersDescriptor.LATENCY_P99_TYPE_ID,
        CountersDescriptor.LATENCY_P999_TYPE_ID, CountersDescriptor.LATENCY_MAX_TYPE_ID};

    private final Path path;
    private final String routerName;
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersManager manager;
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[CountersReader.MAX_LABEL_LENGTH]);
    private final Map<Long, int[]> sources = new HashMap<>();
    private final Map<Long, int[]> sinks = new HashMap<>();
    private final Set<Long> seen = new HashSet<>();
    private final int[] router;
    private int[] latency;
    private boolean warnedFull;
    private boolean closed;

    private CountersFile(final Path path, final String routerName, final MappedByteBuffer mapped, final int capacity)
    {
        this.path = path;
        this.routerName = routerName;
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int metadataLength = CountersDescriptor.metadataLength(capacity);
        this.manager = new CountersManager(
            new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength),
            new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, CountersDescriptor.valuesLength(capacity)),
            StandardCharsets.UTF_8, SystemEpochClock.INSTANCE, FREE_TO_REUSE_MS);
        this.router = allocate(ROUTER_TYPES, 0, routerName);
    }

    /**
     * Writes a new counters file whole under a temporary name, owner-only, and moves it into place.
     *
     * @param directory   the counters directory, made owner-only if missing.
     * @param routerName  the router's name.
     * @param capacity    counters the file holds.
     * @param intervalMs  how often the sampler updates it.
     * @param routerStart the router's start, epoch ms.
     * @return the file, mapped.
     * @throws IOException if it cannot be written.
     */
    static CountersFile create(
        final Path directory, final String routerName, final int capacity, final int intervalMs,
        final long routerStart) throws IOException
    {
        CountersDirectory.createOwnerOnly(directory);
        final long pid = ProcessHandle.current().pid();
        final Path file = directory.resolve(pid + "-" + SEQUENCE.incrementAndGet() + CountersDescriptor.FILE_SUFFIX);
        // ".<pid>-<n>.counters.tmp": CountersFiles.clean removes it if this process dies before the move.
        final Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        final long length = CountersDescriptor.fileLength(capacity);
        final MappedByteBuffer mapped;
        try
        {
            final boolean posix = CountersDirectory.isPosix(directory);
            try (FileChannel channel = posix ?
                FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(OwnerOnlyFiles.FILE)) :
                FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE))
            {
                if (posix)
                {
                    Files.setPosixFilePermissions(temporary, OwnerOnlyFiles.FILE);
                }
                channel.write(ByteBuffer.allocate(1), length - 1);
                mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
            }
            writeHeader(new UnsafeBuffer(mapped, 0, HEADER_LENGTH), routerName, capacity, intervalMs, routerStart,
                pid);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally
        {
            Files.deleteIfExists(temporary);
        }
        return new CountersFile(file, routerName, mapped, capacity);
    }

    private static void writeHeader(
        final UnsafeBuffer header, final String routerName, final int capacity, final int intervalMs,
        final long routerStart, final long pid)
    {
        final byte[] name = Labels.utf8Prefix(routerName, NAME_MAX_LENGTH);
        header.putInt(VERSION_OFFSET, CountersDescriptor.FORMAT_VERSION);
        header.putInt(HEADER_LENGTH_OFFSET, HEADER_LENGTH);
        header.putInt(METADATA_LENGTH_OFFSET, CountersDescriptor.metadataLength(capacity));
        header.putInt(VALUES_LENGTH_OFFSET, CountersDescriptor.valuesLength(capacity));
        header.putLong(PID_OFFSET, pid);
        header.putLong(PROCESS_START_OFFSET, ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElse(-1L));
        header.putLong(ROUTER_START_OFFSET, routerStart);
        header.putLong(LAST_UPDATE_OFFSET, routerStart);
        header.putInt(INTERVAL_OFFSET, intervalMs);
        header.putInt(NAME_LENGTH_OFFSET, name.length);
        header.putBytes(NAME_OFFSET, name);
        header.putLongRelease(MAGIC_OFFSET, MAGIC);
    }

    Path path()
    {
        return path;
    }

    /**
     * Copies a snapshot into the file: counters for endpoints that appeared are allocated, those of endpoints that
     * went are freed.
     *
     * @param metrics the router's snapshot.
     * @param nowMs   epoch ms, written as the last update.
     */
    void update(final RouterMetrics metrics, final long nowMs)
    {
        seen.clear();
        for (final RouterMetrics.SourceMetrics source : metrics.sources())
        {
            final long id = source.id().id();
            seen.add(id);
            final int[] ids = sources.computeIfAbsent(id, (key) -> allocate(SOURCE_TYPES, key, source.id().name()));
            set(ids, 0, source.published());
            set(ids, 1, source.backlog());
            set(ids, 2, source.pending());
            set(ids, 3, source.failed() ? 1 : 0);
        }
        freeMissing(sources);
        seen.clear();
        for (final RouterMetrics.SinkMetrics sink : metrics.sinks())
        {
            final long id = sink.id().id();
            seen.add(id);
            final int[] ids = sinks.computeIfAbsent(id, (key) -> allocate(SINK_TYPES, key, sink.id().name()));
            set(ids, 0, sink.delivered());
            set(ids, 1, sink.lag());
            set(ids, 2, sink.errors());
            set(ids, 3, sink.dropped());
        }
        freeMissing(sinks);
        set(router, 0, metrics.published());
        set(router, 1, metrics.delivered());
        set(router, 2, metrics.errors());
        final RouterMetrics.Latency recorded = metrics.latency();
        if (latency == null && recorded.count() > 0)
        {
            latency = allocate(LATENCY_TYPES, 0, routerName);
        }
        if (latency != null)
        {
            set(latency, 0, recorded.count());
            set(latency, 1, recorded.p50());
            set(latency, 2, recorded.p99());
            set(latency, 3, recorded.p999());
            set(latency, 4, recorded.max());
        }
        header.putLongRelease(LAST_UPDATE_OFFSET, nowMs);
    }

    private void set(final int[] ids, final int index, final long value)
    {
        if (ids != null)
        {
            manager.setCounterValue(ids[index], value);
        }
    }

    private void freeMissing(final Map<Long, int[]> counters)
    {
        final Iterator<Map.Entry<Long, int[]>> entries = counters.entrySet().iterator();
        while (entries.hasNext())
        {
            final Map.Entry<Long, int[]> entry = entries.next();
            if (!seen.contains(entry.getKey()))
            {
                if (entry.getValue() != null)
                {
                    for (final int id : entry.getValue())
                    {
                        manager.free(id);
                    }
                }
                entries.remove();
            }
        }
    }

    /** Allocates one counter per type for an endpoint, or none (null, logged once) when the file is full. */
    private int[] allocate(final int[] types, final long endpointId, final String name)
    {
        if (manager.available() < types.length)
        {
            if (!warnedFull)
            {
                warnedFull = true;
                LOG.warn("router {}: counters file {} is full ({} counters; set -D{}): '{}' and later endpoints " +
                    "are not published", routerName, path, manager.capacity(), CountersDescriptor.CAPACITY_PROP_NAME,
                    name);
            }
            return null;
        }
        final byte[] label = Labels.utf8Prefix(name, CountersReader.MAX_LABEL_LENGTH);
        scratch.putBytes(0, label);
        final UnsafeBuffer key = new UnsafeBuffer(new byte[CountersDescriptor.KEY_LENGTH]);
        key.putLong(CountersDescriptor.KEY_ENDPOINT_ID_OFFSET, endpointId);
        final int[] ids = new int[types.length];
        for (int i = 0; i < types.length; i++)
        {
            ids[i] = manager.allocate(types[i], key, 0, CountersDescriptor.KEY_LENGTH, scratch, 0, label.length);
        }
        return ids;
    }

    /**
     * Unmaps and deletes the file; idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        IoUtil.unmap(mapped);
        try
        {
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            LOG.warn("router {}: cannot delete counters file {}: {}", routerName, path, ex.toString());
        }
    }
}
