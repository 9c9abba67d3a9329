package io.ringlink.cli;

import io.ringlink.offheap.ChronicleSource;
import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.RingFileException;
import io.ringlink.offheap.internal.IpcEndpointProvider;
import io.ringlink.offheap.internal.chronicle.ChronicleEndpointProvider;
import io.ringlink.offheap.internal.counters.CountersDirectory;
import io.ringlink.spi.EndpointUri;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code ringlink stat URI}: what an {@code ipc:} ring or a {@code chronicle:} queue holds, as a table or JSON.
 * Reading it changes nothing in the file. Without a URI, or with {@code PID}, {@code PID:NAME} or a router's name:
 * the live routers of this host, from their counters files ({@link RoutersStat}).
 */
@Command(
    name = "stat",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Shows what an ipc: ring or a chronicle: queue holds, without changing it.",
        "A ring: header fields, capacity, used bytes, message counters, consumer heartbeat age.",
        "A queue: cycles, first and last index, messages, named readers and how far behind they are.",
        "An aeron: stream: the media drivers' counters for it (positions, limits, back-pressure events).",
        "Without a URI: every router of this host that publishes counters (every",
        "'ringlink link' does) with its sources and sinks; PID, PID:NAME or NAME",
        "shows only those.",
        ""
    })
final class StatCommand implements Callable<Integer>
{
    /** ChronicleSource keeps a named position as {@code queue.indexForId("ringlink." + name)}. */
    private static final String NAMED_POSITION_PREFIX = ChronicleSource.POSITION_ID_PREFIX;
    /** The key Chronicle's table store holds for {@code indexForId(id)}. */
    private static final String INDEX_KEY_PREFIX = "index.";
    private static final String CHRONICLE_METADATA = "metadata.cq4t";

    @Parameters(index = "0", arity = "0..1", paramLabel = "URI|ROUTER",
        description = "An ipc: ring, a chronicle: queue, an aeron: stream, or a router: PID, PID:NAME or NAME "
            + "(default: all).", completionCandidates = UriCandidates.Readable.class)
    String uri;

    @Option(names = "--json", description = "Print JSON, for scripts.")
    boolean json;

    @Option(names = "--watch", arity = "0..1", paramLabel = "INTERVAL", fallbackValue = "1s",
        converter = DurationOption.class,
        description = "Routers only: refresh every INTERVAL (default 1s; in place on a terminal), with rates per " +
            "second, until interrupted.")
    Duration watch;

    @Option(names = "--clean", description = "Routers only: remove the counters files of processes that are gone.")
    boolean clean;

    @Override
    public Integer call() throws Exception
    {
        if (RoutersStat.isRouterFilter(uri))
        {
            final RoutersStat routers = new RoutersStat(CountersDirectory.path(), uri, json, System.out, System.err);
            if (clean)
            {
                return routers.clean();
            }
            if (watch != null)
            {
                if (watch.isZero())
                {
                    throw new UsageException("--watch needs a positive interval, got " + watch);
                }
                return routers.watch(watch, System.console() != null);
            }
            return routers.once();
        }
        if (clean || watch != null)
        {
            throw new UsageException((clean ? "--clean" : "--watch") + " applies to routers, not to '" + uri + "'");
        }
        final EndpointUri parsed = EndpointResolver.parseUri(uri);
        final Map<String, Object> stat = switch (parsed.scheme())
        {
            case "ipc" -> ring(existingRing(known(parsed, IpcEndpointProvider.PARAMETERS)));
            case "chronicle" -> chronicle(existing(known(parsed, ChronicleEndpointProvider.PARAMETERS).filePath(),
                "no such queue"));
            case "aeron" -> AeronStat.stat(uri, parsed);
            default -> throw new UsageException("stat reads ipc: rings, chronicle: queues and aeron: streams, not '" +
                uri + "'");
        };
        final PrintStream out = System.out;
        out.print(json ? Report.json(stat) : Report.table(stat));
        out.flush();
        return Main.EXIT_OK;
    }

    /**
     * The URI, if it carries only parameters its scheme knows: those of a link's URI are taken (and do not change
     * what stat reads, but for {@code open-timeout}), a misspelt one is refused.
     */
    private static EndpointUri known(final EndpointUri parsed, final Set<String> parameters)
    {
        try
        {
            return parsed.requireKnownParameters(parameters);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage(), ex);
        }
    }

    /** The ring's file, once it exists: at once, or within the URI's {@code open-timeout}, as a reader waits. */
    private static Path existingRing(final EndpointUri parsed) throws IOException
    {
        try
        {
            return IpcEndpointProvider.awaitRing(parsed);
        }
        catch (final NoSuchFileException ex)
        {
            throw new UsageException(ex.getReason() + ": " + ex.getFile(), ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new UsageException(ex.getMessage(), ex);
        }
    }

    private static Path existing(final Path path, final String missing)
    {
        if (!Files.exists(path))
        {
            throw new UsageException(missing + ": " + path, new NoSuchFileException(path.toString(), null, missing));
        }
        return path;
    }

    private Map<String, Object> ring(final Path path) throws IOException
    {
        try (IpcRing ring = IpcRing.open(path, null))
        {
            final Map<String, Object> stat = new LinkedHashMap<>();
            stat.put("uri", uri);
            stat.put("kind", "ipc ring, " + ring.kind().toString().toLowerCase(Locale.ROOT).replace('_', '-'));
            stat.put("file", ring.path().toString());
            stat.put("codec", ring.codecName());
            stat.put("created", ring.creationTime().toString());
            stat.put("capacity bytes", (long)ring.capacity());
            stat.put("max message bytes", (long)ring.maxMessageLength());
            stat.put("used bytes", (long)(ring.capacity() - ring.remainingBytes()));
            stat.put("produced", ring.producedCount());
            stat.put("consumed", ring.consumedCount());
            stat.put("backlog", ring.size());
            stat.put("unblocked producers", ring.unblockedCount());
            final long pid = ring.consumerPid();
            stat.put("consumer pid", pid < 0 ? null : pid);
            final Instant heartbeat = ring.consumerHeartbeat();
            stat.put("heartbeat age ms", heartbeat == null ? null :
                Math.max(0, Duration.between(heartbeat, Instant.now()).toMillis()));
            return stat;
        }
        catch (final RingFileException ex)
        {
            throw new UsageException(Main.oneLine(ex), ex);
        }
    }

    private Map<String, Object> chronicle(final Path dir)
    {
        if (!Files.isRegularFile(dir.resolve(CHRONICLE_METADATA)))
        {
            throw new UsageException(dir + " is not a chronicle: queue (no " + CHRONICLE_METADATA + " in it)");
        }
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).readOnly(true).build())
        {
            final Map<String, Object> stat = new LinkedHashMap<>();
            final RollCycle rollCycle = queue.rollCycle();
            stat.put("uri", uri);
            stat.put("kind", "chronicle queue");
            stat.put("roll cycle", rollCycle.toString());
            final long first = queue.firstIndex();
            final long last = queue.lastIndex();
            final boolean empty = first == Long.MAX_VALUE || last < 0;
            final long cycles = empty ? 0 : queue.listCyclesBetween(queue.firstCycle(), queue.lastCycle()).size();
            stat.put("cycles", cycles);
            stat.put("first cycle", empty ? null : queue.firstCycle());
            stat.put("last cycle", empty ? null : queue.lastCycle());
            stat.put("first index", empty ? null : Report.hex(first));
            stat.put("last index", empty ? null : Report.hex(last));
            stat.put("messages", empty ? 0L : queue.entryCount());
            final List<String> keys = new ArrayList<>();
            queue.metaStore().forEachKey(keys, (names, key, value) -> names.add(key.toString()));
            final List<Map<String, Object>> readers = new ArrayList<>();
            for (final String key : keys)
            {
                if (key.startsWith(INDEX_KEY_PREFIX + NAMED_POSITION_PREFIX))
                {
                    final String id = key.substring(INDEX_KEY_PREFIX.length());
                    final long position = queue.indexForId(id).getVolatileValue();
                    final Map<String, Object> reader = new LinkedHashMap<>();
                    reader.put("name", id.substring(NAMED_POSITION_PREFIX.length()));
                    reader.put("position", position <= 0 ? null : Report.hex(position));
                    reader.put("behind", empty ? 0L :
                        position <= 0 ? queue.entryCount() : Math.max(0, queue.countExcerpts(position, last)));
                    readers.add(reader);
                }
            }
            stat.put("named readers", readers);
            return stat;
        }
    }
}
