package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@code ringlink bench}: a short tour of this machine. Each phase measures throughput (a burst through the ring for
 * a fixed time) and latency (a ping-pong: one message in flight, its delivery timed into an HdrHistogram).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "A short tour of RingLink on this machine: in-JVM 1->1 and 1->3 through the router, and cross-JVM " +
            "ping-pong over ipc: and chronicle: (a second JVM started by this command).",
        "Throughput is a burst through the ring for a fixed time; latency is one message in flight at a time: " +
            "publish-to-sink in one JVM, the round trip between JVMs. Table on stdout, progress on stderr."
    })
final class BenchCommand implements Callable<Integer>
{
    private static final long HIGHEST_NANOS = 60_000_000_000L;
    private static final int BURST = 256;
    private static final Path SHM = Path.of("/dev/shm");

    @Option(names = "--quick", description = "Shorter phases: the whole tour in well under a minute.")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @CommandLine.Mixin
    RingOptions ring;

    private final PrintStream progress = System.err;
    private WaitStrategy wait;
    private int ringSize;

    @Override
    public Integer call() throws Exception
    {
        ringSize = ring.ringSize();
        wait = ring.waitOr(WaitStrategy.YIELDING);
        final Timing timing = quick ?
            new Timing(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(1500)) :
            new Timing(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
        final List<Result> results = new ArrayList<>();
        results.add(inJvm("in-JVM 1->1", 1, timing));
        results.add(inJvm("in-JVM 1->3", 3, timing));
        final EndpointResolver resolver = new EndpointResolver(Map.of());
        for (final String scheme : List.of("ipc", "chronicle"))
        {
            if (resolver.supports(scheme))
            {
                results.add(crossJvm("cross-JVM " + scheme + ":", scheme, timing));
            }
            else
            {
                progress.printf("bench: skipped cross-JVM %s: (no provider for it in this build)%n", scheme);
            }
        }
        printTable(System.out, results);
        if (json != null)
        {
            Files.writeString(json, toJson(results), StandardCharsets.UTF_8);
            progress.println("bench: wrote " + json);
        }
        return Main.EXIT_OK;
    }

    private Result inJvm(final String name, final int sinkCount, final Timing timing)
    {
        progress.printf("bench: %s (%s, ring %d) ...%n", name, WaitOption.nameOf(wait), ringSize);
        final Router<Object> router = Router.builder()
            .name("bench")
            .ringSize(ringSize)
            .waitStrategy(wait)
            .stopTimeout(Duration.ofSeconds(5))
            .build();
        try
        {
            final TimingSink[] sinks = new TimingSink[sinkCount];
            for (int i = 0; i < sinkCount; i++)
            {
                sinks[i] = new TimingSink();
                router.write(sinks[i]);
            }
            final Publisher<Object> publisher = router.publisher("bench");
            final Ping ping = new Ping();
            return measure(name, "publish -> sink", timing, sinks, new Sender()
            {
                @Override
                public void send(final long sentAt)
                {
                    ping.sentAt = sentAt;
                    publisher.publish(ping);
                }

                @Override
                public void flush()
                {
                }
            });
        }
        finally
        {
            router.close();
        }
    }

    /**
     * Ping-pong with a second JVM: this JVM writes timestamps into {@code pingUri}; the child ({@code bench-echo})
     * links {@code pingUri} to {@code pongUri} through its own router; a thread here reads {@code pongUri}.
     */
    private Result crossJvm(final String name, final String scheme, final Timing timing) throws Exception
    {
        final Path dir = scheme.equals("ipc") && Files.isDirectory(SHM) ?
            Files.createTempDirectory(SHM, "ringlink-bench-") : Files.createTempDirectory("ringlink-bench-");
        final String pingUri = scheme + ":" + dir.resolve("ping");
        final String pongUri = scheme + ":" + dir.resolve("pong");
        progress.printf("bench: %s (%s <-> second JVM, %s) ...%n", name, pingUri, WaitOption.nameOf(wait));
        final EndpointResolver resolver = new EndpointResolver(
            Map.of("codec", "longs", "wait", WaitOption.nameOf(wait)));
        Process child = null;
        Thread reader = null;
        final AtomicBoolean reading = new AtomicBoolean(true);
        // A reader never creates what it reads: make pong (as its writer would) before reading it.
        resolver.sink(pongUri).close();
        try (Sink<?> pingSink = resolver.sink(pingUri);
            Source<?> pongSource = resolver.source(pongUri))
        {
            child = startEcho(pingUri, pongUri, wait);
            final TimingSink[] sinks = {new TimingSink()};
            reader = startReader(pongSource, sinks[0], reading);
            @SuppressWarnings("unchecked") final Sink<Object> ping = (Sink<Object>)pingSink;
            final Sender sender = new Sender()
            {
                @Override
                public void send(final long sentAt) throws Exception
                {
                    ping.onMessage(sentAt);
                }

                @Override
                public void flush() throws Exception
                {
                    ping.onEndOfBatch();
                }
            };
            awaitEcho(sender, sinks, child);
            return measure(name, "round trip", timing, sinks, sender);
        }
        finally
        {
            reading.set(false);
            if (reader != null)
            {
                reader.join(TimeUnit.SECONDS.toMillis(10));
            }
            if (child != null)
            {
                child.destroy();
                if (!child.waitFor(10, TimeUnit.SECONDS))
                {
                    child.destroyForcibly();
                }
            }
            deleteTree(dir);
        }
    }

    private static Process startEcho(final String pingUri, final String pongUri, final WaitStrategy wait)
        throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(BenchEchoCommand.NAME, "--wait", WaitOption.nameOf(wait), pingUri, pongUri));
        return new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    }

    private static Thread startReader(final Source<?> source, final TimingSink sink, final AtomicBoolean reading)
    {
        @SuppressWarnings("unchecked") final Source<Object> input = (Source<Object>)source;
        // Read outside a router: an at-least-once source (an ipc: ring) frees what it handed only when told.
        final AcknowledgingSource<?> acknowledging = source instanceof AcknowledgingSource<?> a ? a : null;
        final Thread reader = new Thread(() ->
        {
            try
            {
                long handed = 0;
                while (reading.get())
                {
                    final int read = input.read(sink, BURST);
                    if (read == Source.END_OF_STREAM)
                    {
                        break;
                    }
                    if (read > 0 && acknowledging != null)
                    {
                        handed += read;
                        acknowledging.onDelivered(handed);
                    }
                }
            }
            catch (final Exception ex)
            {
                sink.failure = ex;
            }
        }, "ringlink-bench-reader");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Sends until the child echoes: its JVM takes a moment to start. */
    private static void awaitEcho(final Sender sender, final TimingSink[] sinks, final Process child)
        throws Exception
    {
        final long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long sent = 0;
        while (sinks[0].count.get() == 0)
        {
            if (!child.isAlive())
            {
                throw new IllegalStateException("the echo JVM ended with status " + child.exitValue());
            }
            if (System.nanoTime() > giveUp)
            {
                throw new IllegalStateException("no echo from the second JVM within 60 s");
            }
            sender.send(0);
            sender.flush();
            sent++;
            Thread.sleep(20);
        }
        awaitCount(sinks, sent);
    }

    private Result measure(
        final String name, final String latencyOf, final Timing timing, final TimingSink[] sinks, final Sender sender)
    {
        try
        {
            burst(sender, sinks, timing.warmUp);
            final double throughput = burst(sender, sinks, timing.throughput);
            pingPong(sender, sinks, timing.warmUp);
            for (final TimingSink sink : sinks)
            {
                sink.histogram.reset();
            }
            pingPong(sender, sinks, timing.latency);
            final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
            for (final TimingSink sink : sinks)
            {
                latency.add(sink.histogram);
            }
            return new Result(name, latencyOf, throughput, latency);
        }
        catch (final RuntimeException ex)
        {
            throw ex;
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(name + ": " + Main.oneLine(ex), ex);
        }
    }

    /** Sends as fast as the ring takes messages for the given time; returns messages per second. */
    private static double burst(final Sender sender, final TimingSink[] sinks, final Duration duration)
        throws Exception
    {
        final long base = sinks[0].count.get();
        final long start = System.nanoTime();
        final long deadline = start + duration.toNanos();
        long sent = 0;
        do
        {
            for (int i = 0; i < BURST; i++)
            {
                sender.send(0);
            }
            sender.flush();
            sent += BURST;
        }
        while (System.nanoTime() < deadline);
        awaitCount(sinks, base + sent);
        return sent * 1e9 / (System.nanoTime() - start);
    }

    /** One message in flight: send, wait until every sink has it, repeat. Sinks time each delivery. */
    private static void pingPong(final Sender sender, final TimingSink[] sinks, final Duration duration)
        throws Exception
    {
        long expected = sinks[0].count.get();
        final long deadline = System.nanoTime() + duration.toNanos();
        do
        {
            sender.send(System.nanoTime());
            sender.flush();
            awaitCount(sinks, ++expected);
        }
        while (System.nanoTime() < deadline);
    }

    private static void awaitCount(final TimingSink[] sinks, final long expected)
    {
        final long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (final TimingSink sink : sinks)
        {
            int spins = 0;
            while (sink.count.get() < expected)
            {
                if (++spins < 100)
                {
                    Thread.onSpinWait();
                }
                else
                {
                    Thread.yield();
                    if ((spins & 0xFFFF) == 0 && (System.nanoTime() > giveUp || sink.failure != null))
                    {
                        throw new IllegalStateException("a bench sink stopped receiving: " + sink.count.get() +
                            " of " + expected + " messages" +
                            (sink.failure == null ? " after 60 s" : ": " + Main.oneLine(sink.failure)));
                    }
                }
            }
        }
    }

    private static void deleteTree(final Path dir) throws IOException
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(path);
            }
        }
    }

    private void printTable(final PrintStream out, final List<Result> results)
    {
        out.printf("RingLink bench: %d cores, JDK %s (%s), wait %s%s%n",
            Runtime.getRuntime().availableProcessors(), Runtime.version(), System.getProperty("java.vm.name"),
            WaitOption.nameOf(wait), quick ? ", quick" : "");
        final String format = "%-22s %14s  %-16s %9s %9s %9s %9s%n";
        out.printf(format, "phase", "throughput", "latency of", "p50", "p99", "p99.9", "max");
        for (final Result result : results)
        {
            final Histogram latency = result.latency;
            out.printf(format, result.name, Units.rate(result.throughput) + " msg/s", result.latencyOf,
                Units.nanos(latency.getValueAtPercentile(50)), Units.nanos(latency.getValueAtPercentile(99)),
                Units.nanos(latency.getValueAtPercentile(99.9)), Units.nanos(latency.getMaxValue()));
        }
        out.flush();
    }

    private String toJson(final List<Result> results)
    {
        final Map<String, Object> report = new LinkedHashMap<>();
        report.put("cores", (long)Runtime.getRuntime().availableProcessors());
        report.put("jdk", Runtime.version().toString());
        report.put("wait", WaitOption.nameOf(wait));
        report.put("quick", quick);
        final List<Map<String, Object>> phases = new ArrayList<>();
        for (final Result result : results)
        {
            final Histogram latency = result.latency;
            final Map<String, Object> phase = new LinkedHashMap<>();
            phase.put("name", result.name);
            phase.put("latency of", result.latencyOf);
            phase.put("throughput per second", Math.round(result.throughput));
            phase.put("samples", latency.getTotalCount());
            phase.put("p50 nanos", latency.getValueAtPercentile(50));
            phase.put("p99 nanos", latency.getValueAtPercentile(99));
            phase.put("p999 nanos", latency.getValueAtPercentile(99.9));
            phase.put("max nanos", latency.getMaxValue());
            phases.add(phase);
        }
        report.put("phases", phases);
        return Report.json(report);
    }

    private record Timing(Duration warmUp, Duration throughput, Duration latency)
    {
    }

    private record Result(String name, String latencyOf, double throughput, Histogram latency)
    {
    }

    /** Sends one message carrying a timestamp (0: not timed); flush makes what was sent visible. */
    private interface Sender
    {
        void send(long sentAt) throws Exception;

        void flush() throws Exception;
    }

    /** The one message object the in-JVM phases publish; it carries its send time during ping-pong. */
    private static final class Ping
    {
        volatile long sentAt;
    }

    /** Counts deliveries and records the latency of each timed one (a Ping, or a Long from another JVM). */
    private static final class TimingSink implements Sink<Object>, MessageHandler<Object>
    {
        final AtomicLong count = new AtomicLong();
        final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        volatile Exception failure;

        @Override
        public void onMessage(final Object message)
        {
            final long sentAt = message instanceof Ping ping ? ping.sentAt : ((Number)message).longValue();
            if (sentAt != 0)
            {
                histogram.recordValue(Math.min(Math.max(System.nanoTime() - sentAt, 0), HIGHEST_NANOS));
            }
            count.lazySet(count.get() + 1);
        }
    }
}
