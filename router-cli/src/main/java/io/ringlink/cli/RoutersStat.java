package io.ringlink.cli;

import io.ringlink.offheap.internal.counters.CountersFiles;
import io.ringlink.offheap.internal.counters.RouterCounters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ringlink stat} without a file URI: every router on this host that publishes counters (see
 * {@code Router.builder().counters(true)}), read from their counters files, as a table or JSON; optionally only one
 * ({@code PID}, {@code PID:NAME} or {@code NAME}), refreshed ({@code --watch}), or with stale files removed.
 */
final class RoutersStat
{
    /** {@code PID} or {@code PID:NAME}. */
    private static final Pattern PID_FILTER = Pattern.compile("(\\d+)(?::(.*))?");
    /** The ANSI sequence that moves to the top left and clears the screen. */
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    private static final String[] COLUMNS =
        {"PID", "ROUTER", "UPTIME", "ENDPOINT", "PUBLISHED", "DELIVERED", "LAG", "BACKLOG", "DROPPED", "ERRORS"};

    private final Path directory;
    private final String filter;
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, long[]> previous = new HashMap<>();

    RoutersStat(final Path directory, final String filter, final boolean json, final PrintStream out,
        final PrintStream err)
    {
        this.directory = directory;
        this.filter = filter;
        this.json = json;
        this.out = out;
        this.err = err;
    }

    /**
     * Whether the argument of {@code ringlink stat} names a router rather than a file URI: no scheme, or digits
     * before the colon ({@code PID:NAME}).
     */
    static boolean isRouterFilter(final String argument)
    {
        return argument == null || PID_FILTER.matcher(argument).matches() ||
            !argument.matches("[A-Za-z][A-Za-z0-9+.-]*:.*");
    }

    /** Prints the routers once; exit 1 when a filter matches none. */
    int once() throws IOException
    {
        final List<RouterCounters> routers = read();
        out.print(json ? json(routers, null) : table(routers, null));
        out.flush();
        if (filter != null && routers.isEmpty())
        {
            err.println("ringlink: no router matches '" + filter + "' in " + directory);
            return Main.EXIT_FAILURE;
        }
        return Main.EXIT_OK;
    }

    /** Prints the routers every interval, in place on a terminal, with rates per second, until interrupted. */
    int watch(final Duration interval, final boolean terminal) throws IOException, InterruptedException
    {
        long last = System.nanoTime();
        while (!Thread.currentThread().isInterrupted())
        {
            final List<RouterCounters> routers = read();
            final long now = System.nanoTime();
            final Map<String, Double> rates = rates(routers, (now - last) / 1e9);
            last = now;
            final String text = json ? json(routers, rates) : table(routers, rates);
            out.print(terminal && !json ? CLEAR_SCREEN + text : text + (json ? "" : System.lineSeparator()));
            out.flush();
            Thread.sleep(interval.toMillis());
        }
        return Main.EXIT_OK;
    }

    /** Removes the files of routers whose process is gone. */
    int clean() throws IOException
    {
        final List<Path> removed = CountersFiles.clean(directory);
        for (final Path file : removed)
        {
            out.println("removed " + file);
        }
        out.println(removed.size() + " stale counters file" + (removed.size() == 1 ? "" : "s") + " removed");
        out.flush();
        return Main.EXIT_OK;
    }

    private List<RouterCounters> read() throws IOException
    {
        final CountersFiles.Listing listing = CountersFiles.list(directory);
        listing.unreadable().forEach((file, reason) -> err.println("ringlink: skipped " + reason));
        final List<RouterCounters> routers = new ArrayList<>();
        for (final RouterCounters router : listing.routers())
        {
            if (matches(router))
            {
                routers.add(router);
            }
        }
        return routers;
    }

    private boolean matches(final RouterCounters router)
    {
        if (filter == null)
        {
            return true;
        }
        final Matcher pid = PID_FILTER.matcher(filter);
        if (pid.matches())
        {
            return Long.parseLong(pid.group(1)) == router.pid() &&
                (pid.group(2) == null || pid.group(2).equals(router.router()));
        }
        return filter.equals(router.router());
    }

    /**
     * Messages per second since the last read: sources by published, sinks and routers by delivered; none for what
     * the last read did not see.
     */
    private Map<String, Double> rates(final List<RouterCounters> routers, final double seconds)
    {
        final Map<String, Double> rates = new HashMap<>();
        final Map<String, long[]> before = new HashMap<>(previous);
        previous.clear();
        for (final RouterCounters router : routers)
        {
            final String file = router.file().toString();
            rate(rates, before, file, router.delivered(), seconds);
            for (final RouterCounters.Source source : router.sources())
            {
                rate(rates, before, file + " source " + source.id(), source.published(), seconds);
            }
            for (final RouterCounters.Sink sink : router.sinks())
            {
                rate(rates, before, file + " sink " + sink.id(), sink.delivered(), seconds);
            }
        }
        return rates;
    }

    private void rate(final Map<String, Double> rates, final Map<String, long[]> before, final String key,
        final long count, final double seconds)
    {
        previous.put(key, new long[]{count});
        final long[] last = before.get(key);
        if (last != null && seconds > 0)
        {
            rates.put(key, Math.max(0, count - last[0]) / seconds);
        }
    }

    private String table(final List<RouterCounters> routers, final Map<String, Double> rates)
    {
        final List<String[]> rows = new ArrayList<>();
        final String[] header = rates == null ? COLUMNS : append(COLUMNS, "RATE/S");
        rows.add(header);
        final Instant now = Instant.now();
        for (final RouterCounters router : routers)
        {
            final String file = router.file().toString();
            rows.add(row(rates, file, Long.toString(router.pid()), router.router(),
                router.stale() ? "stale" : uptime(Duration.between(router.started(), now)), "(all)",
                count(router.published()), count(router.delivered()), "", "", "", count(router.errors())));
            for (final RouterCounters.Source source : router.sources())
            {
                rows.add(row(rates, file + " source " + source.id(), "", "", "", "source " + source.name() +
                    (source.failed() ? " (failed)" : ""), count(source.published()), "", "",
                    count(source.backlog() + Math.max(0, source.pending())), "", ""));
            }
            for (final RouterCounters.Sink sink : router.sinks())
            {
                rows.add(row(rates, file + " sink " + sink.id(), "", "", "", "sink   " + sink.name(), "",
                    count(sink.delivered()), count(sink.lag()), "", count(sink.dropped()), count(sink.errors())));
            }
        }
        final StringBuilder text = new StringBuilder();
        final int[] widths = new int[header.length];
        for (final String[] row : rows)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (final String[] row : rows)
        {
            final StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++)
            {
                final boolean number = i >= 4;
                final String cell = number ? " ".repeat(widths[i] - row[i].length()) + row[i] :
                    row[i] + " ".repeat(widths[i] - row[i].length());
                line.append(cell).append(i == row.length - 1 ? "" : "  ");
            }
            text.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        if (routers.isEmpty())
        {
            text.append(filter == null ? "(no router publishes counters on this host)" : "(no router matches)")
                .append(System.lineSeparator());
        }
        else if (routers.stream().anyMatch(RouterCounters::stale))
        {
            text.append("stale: the process is gone; 'ringlink stat --clean' removes its file")
                .append(System.lineSeparator());
        }
        return text.toString();
    }

    private static String[] row(final Map<String, Double> rates, final String key, final String... cells)
    {
        if (rates == null)
        {
            return cells;
        }
        final Double rate = rates.get(key);
        return append(cells, rate == null ? "" : String.format(Locale.ROOT, "%,.0f", rate));
    }

    private static String[] append(final String[] cells, final String cell)
    {
        final String[] longer = java.util.Arrays.copyOf(cells, cells.length + 1);
        longer[cells.length] = cell;
        return longer;
    }

    private static String count(final long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String uptime(final Duration duration)
    {
        final long seconds = Math.max(0, duration.getSeconds());
        if (seconds < 60)
        {
            return String.format(Locale.ROOT, "%.1fs", Math.max(0, duration.toMillis()) / 1000.0);
        }
        if (seconds < 3600)
        {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    private static String json(final List<RouterCounters> routers, final Map<String, Double> rates)
    {
        final List<Map<String, Object>> list = new ArrayList<>();
        final Instant now = Instant.now();
        for (final RouterCounters router : routers)
        {
            final String file = router.file().toString();
            final Map<String, Object> item = new LinkedHashMap<>();
            item.put("pid", router.pid());
            item.put("router", router.router());
            item.put("stale", router.stale());
            item.put("started", router.started().toString());
            item.put("uptime ms", Math.max(0, Duration.between(router.started(), now).toMillis()));
            item.put("last update", router.lastUpdate().toString());
            item.put("file", file);
            item.put("published", router.published());
            item.put("delivered", router.delivered());
            item.put("errors", router.errors());
            putRate(item, rates, file);
            final List<Map<String, Object>> sources = new ArrayList<>();
            for (final RouterCounters.Source source : router.sources())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", source.id());
                entry.put("name", source.name());
                entry.put("published", source.published());
                entry.put("backlog", source.backlog());
                entry.put("pending", source.pending());
                entry.put("failed", source.failed());
                putRate(entry, rates, file + " source " + source.id());
                sources.add(entry);
            }
            item.put("sources", sources);
            final List<Map<String, Object>> sinks = new ArrayList<>();
            for (final RouterCounters.Sink sink : router.sinks())
            {
                final Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", sink.id());
                entry.put("name", sink.name());
                entry.put("delivered", sink.delivered());
                entry.put("lag", sink.lag());
                entry.put("dropped", sink.dropped());
                entry.put("errors", sink.errors());
                putRate(entry, rates, file + " sink " + sink.id());
                sinks.add(entry);
            }
            item.put("sinks", sinks);
            final RouterCounters.Latency latency = router.latency();
            if (latency != null)
            {
                final Map<String, Object> percentiles = new LinkedHashMap<>();
                percentiles.put("count", latency.count());
                percentiles.put("p50 ns", latency.p50());
                percentiles.put("p99 ns", latency.p99());
                percentiles.put("p999 ns", latency.p999());
                percentiles.put("max ns", latency.max());
                item.put("latency", percentiles);
            }
            list.add(item);
        }
        final Map<String, Object> document = new LinkedHashMap<>();
        document.put("routers", list);
        return Report.json(document);
    }

    private static void putRate(final Map<String, Object> item, final Map<String, Double> rates, final String key)
    {
        if (rates != null)
        {
            final Double rate = rates.get(key);
            item.put("rate per s", rate == null ? null : Math.round(rate));
        }
    }
}
