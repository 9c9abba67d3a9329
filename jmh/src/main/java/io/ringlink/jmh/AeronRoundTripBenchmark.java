package io.ringlink.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Cross-JVM round trips (ping-pong) with 32-byte messages over Aeron, the echo side in a second JVM:
 * <ul>
 *     <li>{@code aeronLink}: RingLink's {@code aeron:} endpoints, bytes path ({@code AeronSink.offer} of a buffer,
 *     {@code AeronSource.read} with a {@code RecordHandler}, through a {@code FragmentAssembler});</li>
 *     <li>{@code rawAeron}: Aeron's {@code ExclusivePublication.offer} and {@code Subscription.poll} on the same
 *     channel with the same driver settings;</li>
 *     <li>{@code loopbackTcp}: one TCP connection over loopback (the peer of {@link IpcRoundTripBenchmark}).</li>
 * </ul>
 * {@code channel=ipc} runs over {@code aeron:ipc} on one driver that the benchmark JVM embeds and the echo JVM joins
 * as an external driver; {@code channel=udp} over UDP loopback with a driver in each JVM. Drivers run shared and
 * yielding ({@code ringlink.aeron.idle=yielding}): on 2 cores, busy-spinning drivers next to two spinning ping-pong
 * threads starve each other. Run with {@code -prof io.ringlink.jmh.HdrLatencyProfiler} for percentiles and
 * {@code -prof gc} for allocation per round trip.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class AeronRoundTripBenchmark
{
    /**
     * One round trip over RingLink's {@code aeron:} endpoints.
     *
     * @param path the endpoints and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long aeronLink(final LinkPath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over raw Aeron on the same channel.
     *
     * @param path the publication, subscription and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long rawAeron(final RawPath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over loopback TCP.
     *
     * @param path the connection and its echo process.
     * @return the echoed sequence.
     * @throws IOException if the connection failed.
     */
    @Benchmark
    public long loopbackTcp(final IpcRoundTripBenchmark.TcpPath path) throws IOException
    {
        final long start = System.nanoTime();
        final long echoed = path.link.roundTrip(++path.sequence);
        return IpcRoundTripBenchmark.recorded(start, path.sequence, echoed);
    }

    /**
     * An {@code aeron:} round trip on one channel kind with its echo process; the subclasses pick the side.
     */
    public abstract static class AeronPath extends IpcRoundTripBenchmark.EchoPath
    {
        /** {@code ipc} or {@code udp}, the subclass's parameter. */
        abstract String channel();

        /** The benchmark side on these channels. */
        abstract RoundTripper open(AeronEndpoints.Channels channels) throws IOException;

        /** {@code link} or {@code raw}. */
        abstract String side();

        @Override
        RoundTripper open(final Path directory) throws IOException
        {
            return open(AeronEndpoints.Channels.benchmarkSide(directory, "ipc".equals(channel())));
        }

        @Override
        String transport()
        {
            return "aeron-" + side() + "-" + channel();
        }
    }

    @State(Scope.Benchmark)
    public static class LinkPath extends AeronPath
    {
        @Param({"ipc", "udp"})
        public String channel;

        @Override
        String channel()
        {
            return channel;
        }

        @Override
        RoundTripper open(final AeronEndpoints.Channels channels) throws IOException
        {
            return new AeronEndpoints.Link(channels, 1, 2);
        }

        @Override
        String side()
        {
            return "link";
        }
    }

    @State(Scope.Benchmark)
    public static class RawPath extends AeronPath
    {
        @Param({"ipc", "udp"})
        public String channel;

        @Override
        String channel()
        {
            return channel;
        }

        @Override
        RoundTripper open(final AeronEndpoints.Channels channels)
        {
            return new AeronEndpoints.Raw(channels, 1, 2);
        }

        @Override
        String side()
        {
            return "raw";
        }
    }
}
