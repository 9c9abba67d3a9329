package io.ringlink.cli;

import io.ringlink.Publisher;
import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

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
            burst(publisher, ping, sinks, timing.warmUp);
            final double throughput = burst(publisher, ping, sinks, timing.throughput);
            pingPong(publisher, ping, sinks, timing.warmUp);
            for (final TimingSink sink : sinks)
            {
                sink.histogram.reset();
            }
            pingPong(publisher, ping, sinks, timing.latency);
            final Histogram latency = new Histogram(HIGHEST_NANOS, 3);
            for (final TimingSink sink : sinks)
            {
                latency.add(sink.histogram);
            }
            return new Result(name, "publish -> sink", throughput, latency);
        }
        finally
        {
            router.close();
        }
    }

    /** Publishes as fast as the ring takes messages for the given time; returns deliveries per second per sink. */
    private static double burst(
        final Publisher<Object> publisher, final Ping ping, final TimingSink[] sinks, final Duration duration)
    {
        ping.sentAt = 0;
        final long base = sinks[0].count.get();
        final long start = System.nanoTime();
        final long deadline = start + duration.toNanos();
        long published = 0;
        do
        {
            for (int i = 0; i < BURST; i++)
            {
                publisher.publish(ping);
            }
            published += BURST;
        }
        while (System.nanoTime() < deadline);
        awaitCount(sinks, base + published);
        return published * 1e9 / (System.nanoTime() - start);
    }

    /** One message in flight: publish, wait until every sink has it, repeat. Sinks time each delivery. */
    private static void pingPong(
        final Publisher<Object> publisher, final Ping ping, final TimingSink[] sinks, final Duration duration)
    {
        long expected = sinks[0].count.get();
        final long deadline = System.nanoTime() + duration.toNanos();
        do
        {
            ping.sentAt = System.nanoTime();
            publisher.publish(ping);
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
                    if ((spins & 0xFFFF) == 0 && System.nanoTime() > giveUp)
                    {
                        throw new IllegalStateException("a bench sink stopped receiving: " + sink.count.get() +
                            " of " + expected + " messages after 60 s");
                    }
                }
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
        final StringBuilder out = new StringBuilder(512);
        out.append("{\n  \"cores\": ").append(Runtime.getRuntime().availableProcessors())
            .append(",\n  \"jdk\": \"").append(Runtime.version()).append('"')
            .append(",\n  \"wait\": \"").append(WaitOption.nameOf(wait)).append('"')
            .append(",\n  \"quick\": ").append(quick)
            .append(",\n  \"phases\": [");
        for (int i = 0; i < results.size(); i++)
        {
            final Result result = results.get(i);
            final Histogram latency = result.latency;
            out.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                "    {\"name\": \"%s\", \"latencyOf\": \"%s\", \"throughputPerSecond\": %.0f, \"samples\": %d, " +
                    "\"p50Nanos\": %d, \"p99Nanos\": %d, \"p999Nanos\": %d, \"maxNanos\": %d}",
                result.name, result.latencyOf, result.throughput, latency.getTotalCount(),
                latency.getValueAtPercentile(50), latency.getValueAtPercentile(99),
                latency.getValueAtPercentile(99.9), latency.getMaxValue()));
        }
        return out.append("\n  ]\n}\n").toString();
    }

    private record Timing(Duration warmUp, Duration throughput, Duration latency)
    {
    }

    private record Result(String name, String latencyOf, double throughput, Histogram latency)
    {
    }

    /** The one message object the bench publishes; it carries its send time during ping-pong. */
    private static final class Ping
    {
        volatile long sentAt;
    }

    /** Counts deliveries and, during ping-pong, records each delivery's latency. */
    private static final class TimingSink implements Sink<Object>
    {
        final AtomicLong count = new AtomicLong();
        final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);

        @Override
        public void onMessage(final Object message)
        {
            final long sentAt = ((Ping)message).sentAt;
            if (sentAt != 0)
            {
                histogram.recordValue(Math.min(System.nanoTime() - sentAt, HIGHEST_NANOS));
            }
            count.lazySet(count.get() + 1);
        }
    }
}
