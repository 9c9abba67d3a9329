package io.ringlink.cli;

import io.aeron.AeronCounters;
import io.aeron.ChannelUri;
import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import io.aeron.driver.status.StreamCounter;
import io.ringlink.aeron.internal.AeronDrivers;
import io.ringlink.aeron.internal.AeronEndpoint;
import io.ringlink.spi.EndpointUri;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@code ringlink stat aeron:...}: the media drivers' per-stream counters for the URI's stream, as Aeron's
 * {@code AeronStat} shows them (publisher position and limit, sender position and back-pressure events, subscriber
 * positions, receiver high-water mark), read from each driver's {@code cnc.dat} without changing it.
 * <p>
 * Drivers looked at: the URI's {@code dir=}; else, for {@code driver=external}, {@code AERON_DIR} or Aeron's
 * default; else every embedded RingLink driver on this host ({@code /dev/shm/ringlink-aeron-*}) and Aeron's default
 * directory, skipping any whose {@code cnc.dat} cannot be read.
 */
final class AeronStat
{
    private static final Map<Integer, String> STREAM_COUNTERS = Map.of(
        AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID, "pub-pos",
        AeronCounters.DRIVER_PUBLISHER_LIMIT_TYPE_ID, "pub-lmt",
        AeronCounters.DRIVER_SENDER_POSITION_TYPE_ID, "snd-pos",
        AeronCounters.DRIVER_SENDER_LIMIT_TYPE_ID, "snd-lmt",
        AeronCounters.DRIVER_SENDER_BPE_TYPE_ID, "snd-bpe",
        AeronCounters.DRIVER_SUBSCRIBER_POSITION_TYPE_ID, "sub-pos",
        AeronCounters.DRIVER_RECEIVER_HWM_TYPE_ID, "rcv-hwm",
        AeronCounters.DRIVER_RECEIVER_POS_TYPE_ID, "rcv-pos");

    private AeronStat()
    {
    }

    static Map<String, Object> stat(final String text, final EndpointUri uri)
    {
        final AeronEndpoint endpoint;
        try
        {
            endpoint = AeronEndpoint.parse(uri);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(Main.oneLine(ex), ex);
        }
        final ChannelUri channel = ChannelUri.parse(endpoint.channel());
        final List<Object> drivers = new ArrayList<>();
        final List<Object> counters = new ArrayList<>();
        final boolean named = endpoint.dir() != null || endpoint.external();
        for (final Path dir : directories(endpoint))
        {
            final Path cnc = dir.resolve(CncFileDescriptor.CNC_FILE);
            if (!Files.isRegularFile(cnc))
            {
                continue;
            }
            try
            {
                read(dir, cnc, endpoint.streamId(), channel, drivers, counters);
            }
            catch (final UsageException ex)
            {
                if (named)
                {
                    throw ex;
                }
                // One of many directories found by name: another user's, or half-written; the others still count.
            }
        }
        if (drivers.isEmpty())
        {
            throw new UsageException("no Aeron media driver found for " + text + " (looked in " +
                directories(endpoint) + "); is the link running, or does it need dir=?");
        }
        final Map<String, Object> stat = new LinkedHashMap<>();
        stat.put("uri", text);
        stat.put("kind", "aeron stream");
        stat.put("channel", endpoint.channel());
        stat.put("stream", (long)endpoint.streamId());
        stat.put("drivers", drivers);
        stat.put("counters", counters);
        return stat;
    }

    private static Set<Path> directories(final AeronEndpoint endpoint)
    {
        final Set<Path> dirs = new LinkedHashSet<>();
        if (endpoint.dir() != null || endpoint.external())
        {
            dirs.add(Path.of(AeronDrivers.directory(endpoint)));
            return dirs;
        }
        final Path embedded = Path.of(AeronDrivers.defaultEmbeddedDirectory()).getParent();
        if (embedded != null && Files.isDirectory(embedded))
        {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(embedded, "ringlink-aeron-*"))
            {
                stream.forEach(dirs::add);
            }
            catch (final IOException ex)
            {
                throw new UsageException("cannot list " + embedded + ": " + ex.getMessage(), ex);
            }
        }
        final String env = System.getenv("AERON_DIR");
        dirs.add(Path.of(env != null && !env.isBlank() ? env : CommonContext.getAeronDirectoryName()));
        return dirs;
    }

    private static void read(
        final Path dir,
        final Path cnc,
        final int streamId,
        final ChannelUri channel,
        final List<Object> drivers,
        final List<Object> counters)
    {
        final MappedByteBuffer mapped;
        try
        {
            mapped = IoUtil.mapExistingFile(new File(cnc.toString()), FileChannel.MapMode.READ_ONLY, "cnc");
        }
        catch (final RuntimeException ex)
        {
            throw new UsageException("cannot read " + cnc + ": " + Main.oneLine(ex), ex);
        }
        try
        {
            final UnsafeBuffer meta = CncFileDescriptor.createMetaDataBuffer(mapped);
            final int version = meta.getIntVolatile(CncFileDescriptor.cncVersionOffset(0));
            CncFileDescriptor.checkVersion(version);
            if (!CncFileDescriptor.isCncFileLengthSufficient(meta, mapped.capacity()))
            {
                throw new IllegalStateException("it is shorter than its header says");
            }
            final long pid = meta.getLong(CncFileDescriptor.pidOffset(0));
            final Map<String, Object> driver = new LinkedHashMap<>();
            driver.put("dir", dir.toString());
            driver.put("pid", pid);
            driver.put("alive", ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            drivers.add(driver);
            final CountersReader reader = new CountersReader(
                CncFileDescriptor.createCountersMetaDataBuffer(mapped, meta),
                CncFileDescriptor.createCountersValuesBuffer(mapped, meta));
            reader.forEach((counterId, typeId, keyBuffer, label) ->
            {
                final String type = STREAM_COUNTERS.get(typeId);
                if (type != null && keyBuffer.getInt(StreamCounter.STREAM_ID_OFFSET) == streamId &&
                    sameChannel(channel, keyBuffer.getStringAscii(StreamCounter.CHANNEL_OFFSET)))
                {
                    final Map<String, Object> counter = new LinkedHashMap<>();
                    counter.put("type", type);
                    counter.put("session", keyBuffer.getInt(StreamCounter.SESSION_ID_OFFSET));
                    counter.put("value", reader.getCounterValue(counterId));
                    counter.put("id", counterId);
                    counter.put("driver pid", pid);
                    counter.put("label", label);
                    counters.add(counter);
                }
            });
        }
        catch (final RuntimeException ex)
        {
            throw new UsageException(cnc + " is not a readable Aeron CnC file: " + Main.oneLine(ex), ex);
        }
        finally
        {
            IoUtil.unmap(mapped);
        }
    }

    private static boolean sameChannel(final ChannelUri wanted, final String counterChannel)
    {
        final ChannelUri found;
        try
        {
            found = ChannelUri.parse(counterChannel.replace("aeron-spy:", ""));
        }
        catch (final RuntimeException ex)
        {
            return false;
        }
        return Objects.equals(wanted.media(), found.media()) &&
            Objects.equals(wanted.get(CommonContext.ENDPOINT_PARAM_NAME), found.get(CommonContext.ENDPOINT_PARAM_NAME));
    }
}
