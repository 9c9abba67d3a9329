package io.ringlink.cli;

import io.ringlink.Router;
import io.ringlink.RouterMetrics;
import io.ringlink.Sink;
import io.ringlink.SinkOptions;
import io.ringlink.StopResult;
import io.ringlink.ThreadingMode;
import io.ringlink.WaitStrategy;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.DisruptorRouter;
import io.ringlink.internal.LinkFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ringlink link SRC DST...}: every message of SRC to every DST through a ring, until SRC ends or a signal
 * (SIGINT, SIGTERM) asks to stop; either way what was read is delivered (within {@code --drain-timeout}) and a
 * summary goes to standard error.
 */
@Command(
    name = "link",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Links a source to destinations through a ring buffer: every message of SRC goes to every DST.",
        "Ends when SRC ends and all is delivered; Ctrl-C or SIGTERM delivers what was read, then stops.",
        "A summary (messages, bytes, rate, latency percentiles) goes to stderr at the end.",
        "",
        "URIs (parameters after '?', e.g. ipc:/dev/shm/prices?capacity=1m):",
        "  -              stdin as a source, stdout as a destination",
        "  file:PATH      a file: its lines as a source, appended to as a destination",
        "  fifo:PATH      a named pipe (created if missing)",
        "  ipc:PATH       an Agrona ring file, shared with other JVMs on this host",
        "  chronicle:DIR  a Chronicle queue: persistent, replayable",
        "  exec:CMD       a shell command's stdout (as source) or stdin (as destination)",
        ""
    },
    footer = {
        "",
        "Examples:",
        "  seq 1 1000000 | ringlink link - ipc:/dev/shm/numbers",
        "  ringlink link exec:'tail -F app.log' file:copy.log chronicle:/tmp/logs"
    })
final class LinkCommand implements Callable<Integer>
{
    @Parameters(index = "0", paramLabel = "SRC", description = "The source URI.",
        completionCandidates = UriCandidates.class)
    String source;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "DST", description = "One or more destination URIs.",
        completionCandidates = UriCandidates.class)
    List<String> destinations;

    @CommandLine.Mixin
    RingOptions ring;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "lines",
        description = "Messages are ${COMPLETION-CANDIDATES}: text lines or byte chunks (default: ${DEFAULT-VALUE}).")
    MessageCodec codec;

    @Option(names = "--drain-timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = DurationOption.class,
        description = "On a signal, how long to keep delivering what was read (default: ${DEFAULT-VALUE}).")
    Duration drainTimeout;

    @Option(names = "--slow", paramLabel = "POLICY", defaultValue = "block", converter = SlowSinkOption.class,
        description = "A destination a full ring behind: block (wait, default), drop (it misses messages), "
            + "disconnect=DURATION (removed once it holds the source that long) or spill=URI (a persistent queue it "
            + "drains at its own pace; one sub-directory per destination when there are several).")
    SinkOptions slow;

    @Option(names = "--threading", paramLabel = "MODE", defaultValue = "dedicated", converter = ThreadingOption.class,
        description = "dedicated (a delivery thread per destination, default) or shared (--delivery-threads agents).")
    ThreadingMode threading;

    @Option(names = "--delivery-threads", paramLabel = "N", defaultValue = "0",
        description = "Delivery agents under --threading shared (default: the number of processors).")
    int deliveryThreads;

    @Option(names = {"-q", "--quiet"}, description = "No live rate line on stderr.")
    boolean quiet;

    private final PrintStream err = System.err;
    /** Destinations that count the bytes they did not write as they were read. */
    private final List<ChangedBytes> changingSinks = new ArrayList<>();
    private volatile CountingSource reading;
    private List<DestinationSink> sinks = List.of();

    /** Parses {@code --threading}. */
    static final class ThreadingOption implements CommandLine.ITypeConverter<ThreadingMode>
    {
        @Override
        public ThreadingMode convert(final String value)
        {
            try
            {
                return ThreadingMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a threading mode: shared or " +
                    "dedicated");
            }
        }
    }

    /** Parses {@code --slow}. */
    static final class SlowSinkOption implements CommandLine.ITypeConverter<SinkOptions>
    {
        @Override
        public SinkOptions convert(final String value)
        {
            return SinkOptions.parse(value);
        }
    }

    /** Text lines or byte chunks; the endpoint codec each maps to. */
    enum MessageCodec
    {
        lines("utf8"),
        bytes("bytes");

        final String endpointCodec;

        MessageCodec(final String endpointCodec)
        {
            this.endpointCodec = endpointCodec;
        }
    }

    @Override
    public Integer call() throws Exception
    {
        final int ringSize = ring.ringSize();
        final WaitStrategy wait = ring.waitOr(WaitStrategy.BLOCKING);
        final EndpointResolver resolver = new EndpointResolver(Map.of("codec", codec.endpointCodec));
        final List<Sink<?>> resolved = new ArrayList<>();
        final List<DestinationSink> sinks = new ArrayList<>();
        final CountingSource counted;
        try
        {
            for (final String destination : destinations)
            {
                resolved.add(resolver.sink(destination));
            }
            if (carriesRawReads(resolved))
            {
                resolved.replaceAll(IpcLineRecords::forRawReads);
                for (final Sink<?> sink : resolved)
                {
                    if (sink instanceof ChangedBytes changing)
                    {
                        changingSinks.add(changing);
                    }
                }
                counted = CountingSource.of(IpcLineRecords.lineBytesSource(source, codec.endpointCodec, resolver),
                    source);
            }
            else
            {
                counted = CountingSource.of(resolver.source(source), source);
            }
            for (int i = 0; i < resolved.size(); i++)
            {
                sinks.add(new DestinationSink(destinations.get(i), resolved.get(i), this::onBrokenPipe));
            }
            reading = counted;
        }
        catch (final RuntimeException ex)
        {
            closeAll(resolved);
            throw ex;
        }
        final Router<Object> router = Monitoring.build(Router.builder()
            .name("link")
            .ringSize(ringSize)
            .waitStrategy(wait)
            .recordLatency(true)
            .stopTimeout(drainTimeout)
            .threading(threading)
            .deliveryThreads(deliveryThreads == 0 ? Runtime.getRuntime().availableProcessors() : deliveryThreads),
            System.err);
        for (int i = 0; i < sinks.size(); i++)
        {
            router.write(sinks.get(i), LinkFactory.slowSinkOptions(slow, i, sinks.size()));
        }
        this.sinks = sinks;
        return runUntilDone(router, counted);
    }

    /**
     * Whether the source's reads go to byte destinations only ({@code -}, {@code file:}, {@code fifo:},
     * {@code exec:}, an {@code ipc:} ring of the codec, but not from a ring to a ring), under {@code --slow block} (the
     * default): then they are read into a pool of 16 buffers reused once every destination wrote them
     * ({@code lines=raw}) and carried as they were read, so at most 16 reads (1 MiB) wait in memory, nothing is
     * decoded, and the output is the input byte for byte.
     * Lines go out whole lines at a time, chunks a read at a time, where chunks of their own would fill the ring
     * (16,384 slots of 64 KiB, a GiB) whenever a destination is slower than the source.
     */
    private boolean carriesRawReads(final List<Sink<?>> sinks)
    {
        if (!(IpcLineRecords.isByteEndpoint(source) || source.startsWith("ipc:")) ||
            slow != null && slow.policy() != SinkOptions.SlowSinkPolicy.BLOCK)
        {
            // Only under block: with drop or disconnect a destination that has not read yet would hold the source at
            // the pool's 16 reads, never a full ring behind (not dropped) or removed where the ring would have held
            // it; a spill queue stores messages with a codec, not flyweights over reused buffers. Lines are decoded
            // instead (what that changes is counted and reported).
            return false;
        }
        // From a ring, a message runs many records together, and a ring as the destination could not tell where each
        // ended (a text record may hold line ends, or be longer than a message): ring to ring, a record stays one.
        final boolean intoRings = !source.startsWith("ipc:");
        for (int i = 0; i < sinks.size(); i++)
        {
            final Sink<?> sink = sinks.get(i);
            final boolean ringOfCodec = codec == MessageCodec.lines ? IpcLineRecords.holdsLines(sink) :
                IpcLineRecords.holdsChunks(sink);
            if (!IpcLineRecords.isByteEndpoint(destinations.get(i)) && !(intoRings && ringOfCodec))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * A destination's reader went away: take nothing more from the source, commit nothing past what that destination
     * wrote, and let the link end (what is left in the ring is dropped by the broken destination).
     */
    private void onBrokenPipe(final DestinationSink sink)
    {
        final CountingSource input = reading;
        if (input != null)
        {
            input.limitAcknowledged(sink.written());
            input.endReads();
        }
    }

    /**
     * Starts reading the source once the signal handler is in place (a SIGTERM as soon as the first message is out
     * must drain and report, not kill the JVM with status 143), then waits for the end or the signal.
     */
    private int runUntilDone(final Router<Object> router, final CountingSource counted) throws InterruptedException
    {
        final long start = System.nanoTime();
        final AtomicBoolean finishing = new AtomicBoolean();
        final AtomicInteger exitCode = new AtomicInteger(Main.EXIT_OK);
        final CountDownLatch reported = new CountDownLatch(1);
        final RateLine rateLine = RateLine.startIfTerminal(quiet, "link", counted::messages, counted::bytes);
        final Thread onSignal = new Thread(() ->
        {
            if (finishing.compareAndSet(false, true))
            {
                final int code = finish(router, counted, start, rateLine, true);
                reported.countDown();
                Runtime.getRuntime().halt(code);
            }
            // The source ended just before the signal: exit as the summary says, not with the signal's status.
            awaitQuietly(reported);
            Runtime.getRuntime().halt(exitCode.get());
        }, "ringlink-signal");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try
        {
            router.read(counted);
        }
        catch (final RuntimeException ex)
        {
            removeQuietly(onSignal);
            if (rateLine != null)
            {
                rateLine.close();
            }
            throw ex;
        }

        awaitSourcesEnded(router);
        if (!finishing.compareAndSet(false, true))
        {
            reported.await();
            return Main.EXIT_OK;
        }
        try
        {
            exitCode.set(finish(router, counted, start, rateLine, false));
            return exitCode.get();
        }
        finally
        {
            reported.countDown();
            removeQuietly(onSignal);
        }
    }

    /**
     * Waits until every source of the router has ended and its sinks have everything.
     */
    static void awaitSourcesEnded(final Router<Object> router) throws InterruptedException
    {
        if (router instanceof DisruptorRouter<Object> disruptorRouter)
        {
            while (!disruptorRouter.awaitSourcesCompleted(Duration.ofHours(1)))
            {
                Thread.onSpinWait();
            }
        }
    }

    private int finish(
        final Router<Object> router,
        final CountingSource counted,
        final long start,
        final RateLine rateLine,
        final boolean bySignal)
    {
        if (bySignal)
        {
            counted.interruptRead();
        }
        final StopResult result = stopWithinDrainTimeout(router);
        final RouterMetrics metrics = router.metrics();
        if (rateLine != null)
        {
            rateLine.close();
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final List<DestinationSink> broken = sinks.stream().filter(DestinationSink::isBroken).toList();
        err.printf("link: %s%,d messages, %s in %.2f s from %s to %d destination%s (%s msg/s, %s/s)%n",
            bySignal ? "stopped by signal; " : broken.isEmpty() ? "" : "broken pipe; ",
            counted.messages(), Units.bytes(counted.bytes()), seconds, source, destinations.size(),
            destinations.size() == 1 ? "" : "s",
            Units.rate(counted.messages() / seconds), Units.bytes((long)(counted.bytes() / seconds)));
        long changed = counted.changedBytes();
        for (final ChangedBytes sink : changingSinks)
        {
            changed += sink.changedBytes();
        }
        if (changed > 0)
        {
            err.printf("link: %,d input bytes were not carried as they were (malformed text replaced by U+FFFD, " +
                "CR of line ends dropped); a link between byte endpoints carries them as is%n", changed);
        }
        final RouterMetrics.Latency latency = metrics.latency();
        if (latency.count() > 0)
        {
            err.printf("link: latency read -> delivered: p50 %s, p99 %s, p99.9 %s, max %s%n",
                Units.nanos(latency.p50()), Units.nanos(latency.p99()), Units.nanos(latency.p999()),
                Units.nanos(latency.max()));
        }
        int code = Main.EXIT_OK;
        for (final DestinationSink sink : broken)
        {
            err.printf("link: %s closed its end (broken pipe): %,d messages written to it, %,d read were not%n",
                sink.name(), sink.written(), counted.messages() - sink.written());
        }
        // What reached no one, counted here: a destination has what it wrote (flushed), not what it was handed.
        long undelivered = 0;
        final List<String> blocked = new ArrayList<>();
        for (final DestinationSink sink : sinks)
        {
            if (!sink.isBroken() && sink.written() < counted.messages())
            {
                undelivered += counted.messages() - sink.written();
                blocked.add(sink.name());
            }
        }
        // The abandon at the drain timeout (stopWithinDrainTimeout) may wake a blocked destination just before the
        // router's own deadline, so that the router sees its deliveries end: the drain did not finish all the same.
        final boolean abandoned = sinks.stream().anyMatch(DestinationSink::wasAbandoned);
        if ((!result.drained() || abandoned) && undelivered > 0)
        {
            err.printf("link: %,d deliveries abandoned after the %s drain timeout (blocked: %s)%n",
                undelivered, Units.timeout(drainTimeout), blocked);
            code = Main.EXIT_FAILURE;
        }
        if (!result.abandonedSources().isEmpty())
        {
            // A source still waiting (a FIFO no writer opened) lost nothing: what it had read is counted above.
            err.printf("link: source %s was still waiting for input when the link stopped%n", source);
        }
        if (metrics.errors() > 0)
        {
            err.printf("link: %,d deliveries failed (--verbose logs each)%n", metrics.errors());
            code = Main.EXIT_FAILURE;
        }
        if (router.failure().isPresent())
        {
            err.println("link: " + Main.oneLine(router.failure().get()));
            code = Main.EXIT_FAILURE;
        }
        err.flush();
        // A broken pipe is the cause of whatever else went wrong after it: the status says so, as for cat.
        return broken.isEmpty() ? code : BrokenPipe.EXIT_STATUS;
    }

    /**
     * Stops the router; if it has not finished when the drain timeout runs out, abandons the destinations that still
     * hold messages (closing one wakes a write or FIFO open that blocks), so that the stop ends about then instead of
     * a grace period later.
     */
    private StopResult stopWithinDrainTimeout(final Router<Object> router)
    {
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread abandoner = new Thread(() ->
        {
            try
            {
                if (!stopped.await(drainTimeout.toNanos(), TimeUnit.NANOSECONDS))
                {
                    for (final DestinationSink sink : sinks)
                    {
                        if (sink.isHolding())
                        {
                            sink.abandon();
                        }
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "ringlink-link-abandon");
        abandoner.setDaemon(true);
        abandoner.start();
        try
        {
            return router.stop(drainTimeout);
        }
        finally
        {
            stopped.countDown();
        }
    }

    private static void closeAll(final List<? extends Sink<?>> sinks)
    {
        for (final Sink<?> sink : sinks)
        {
            try
            {
                sink.close();
            }
            catch (final IOException | RuntimeException ex)
            {
                System.err.println("link: closing " + sink.name() + ": " + Main.oneLine(ex));
            }
        }
    }

    private static void awaitQuietly(final CountDownLatch latch)
    {
        try
        {
            latch.await(1, TimeUnit.MINUTES);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeQuietly(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ex)
        {
            // the JVM is already shutting down: the hook finds the work done and returns
            return;
        }
    }
}
