package io.ringlink.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Cross-JVM round trips (ping-pong) with 32-byte messages; the echo side runs in a second JVM that the benchmark
 * starts ({@link EchoProcess}, {@link EchoServer}):
 * <ul>
 *     <li>{@code agronaRing}: raw Agrona {@code OneToOneRingBuffer}s on mapped files in /dev/shm;</li>
 *     <li>{@code sharedPipe}: a {@code SharedPipe} (two rings in one file) with {@code send} and a blocking
 *     {@code recv} on both sides, which back off (spin, yield, park) where the {@code ipcLink} endpoints spin;</li>
 *     <li>{@code chronicleQueue}: raw Chronicle Queue, appender and tailer through {@code DocumentContext};</li>
 *     <li>{@code loopbackTcp}: one TCP connection over loopback, blocking or busy-polled;</li>
 *     <li>{@code volatileFloor}: two threads of this JVM bouncing a volatile long, the floor this machine allows.</li>
 * </ul>
 * Each invocation is one round trip, timed with {@code System.nanoTime()} into an HdrHistogram: run with
 * {@code -prof io.ringlink.jmh.HdrLatencyProfiler} for p50/p99/p99.9/max next to JMH's mean. Both sides spin (two
 * spinning threads, as many as the build machines' cores); the timing costs the same ~2 clock reads for every peer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class IpcRoundTripBenchmark
{
    /**
     * One round trip between two threads of this JVM.
     *
     * @param path the running echo thread.
     * @return the echoed sequence.
     */
    @Benchmark
    public long volatileFloor(final VolatilePath path)
    {
        final long start = System.nanoTime();
        final long echoed = path.roundTrip(++path.sequence);
        return recorded(start, path.sequence, echoed);
    }

    /**
     * One round trip over raw Agrona rings.
     *
     * @param path the rings and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long agronaRing(final AgronaPath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over RingLink's {@code ipc:} endpoints.
     *
     * @param path the endpoints and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long ipcLink(final IpcPath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over a {@code SharedPipe}, the echo on end 1 in the second JVM.
     *
     * @param path the pipe and its echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long sharedPipe(final SharedPipePath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over RingLink's {@code chronicle:} endpoints.
     *
     * @param path the endpoints and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long chronicleLink(final ChronicleLinkPath path)
    {
        return path.roundTrip();
    }

    /**
     * One round trip over raw Chronicle queues.
     *
     * @param path the queues and their echo process.
     * @return the echoed sequence.
     */
    @Benchmark
    public long chronicleQueue(final ChroniclePath path)
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
    public long loopbackTcp(final TcpPath path) throws IOException
    {
        final long start = System.nanoTime();
        final long echoed = path.link.roundTrip(++path.sequence);
        return recorded(start, path.sequence, echoed);
    }

    static long recorded(final long startNanos, final long sent, final long echoed)
    {
        LatencyRecorder.record(System.nanoTime() - startNanos);
        if (echoed != sent)
        {
            throw new IllegalStateException("sent " + sent + " but " + echoed + " came back");
        }
        return echoed;
    }

    @State(Scope.Benchmark)
    public static class VolatilePath
    {
        private static final int PING = 0;
        private static final int PONG = 16;

        /** Two volatile longs 128 bytes apart, so that ping and pong do not share a cache line. */
        private final AtomicLongArray cells = new AtomicLongArray(PONG + 16);
        private volatile boolean running = true;
        private Thread echo;
        long sequence;

        @Setup(Level.Trial)
        public void setUp()
        {
            echo = Harness.start("volatile-echo", () ->
            {
                long last = 0;
                while (running)
                {
                    final long value = cells.get(PING);
                    if (value != last)
                    {
                        cells.set(PONG, value);
                        last = value;
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        long roundTrip(final long value)
        {
            cells.set(PING, value);
            long echoed;
            while ((echoed = cells.get(PONG)) != value)
            {
                Thread.onSpinWait();
            }
            return echoed;
        }

        @TearDown(Level.Trial)
        public void tearDown()
        {
            running = false;
            Harness.join(echo);
        }
    }

    /**
     * A round trip through files in a fresh directory, with the echo process started on them: the setup and
     * teardown every file-based transport shares.
     */
    public abstract static class EchoPath
    {
        private RoundTripper sender;
        private long sequence;
        private Path directory;
        private EchoProcess echo;

        /** Creates the benchmark side's files in the directory. */
        abstract RoundTripper open(Path directory) throws IOException;

        /** The echo process's transport argument (see {@link EchoServer}). */
        abstract String transport();

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            directory = SharedFiles.createDirectory();
            sender = open(directory);
            echo = EchoProcess.start(directory, transport(), directory.toString());
        }

        final long roundTrip()
        {
            final long start = System.nanoTime();
            final long echoed = sender.roundTrip(++sequence);
            return recorded(start, sequence, echoed);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            echo.close();
            sender.close();
            SharedFiles.deleteTree(directory);
        }
    }

    @State(Scope.Benchmark)
    public static class AgronaPath extends EchoPath
    {
        @Override
        RoundTripper open(final Path directory) throws IOException
        {
            return new AgronaRings(directory);
        }

        @Override
        String transport()
        {
            return "agrona";
        }
    }

    @State(Scope.Benchmark)
    public static class ChroniclePath extends EchoPath
    {
        @Override
        RoundTripper open(final Path directory)
        {
            return new ChronicleQueues(directory);
        }

        @Override
        String transport()
        {
            return "chronicle";
        }
    }

    @State(Scope.Benchmark)
    public static class IpcPath extends EchoPath
    {
        /**
         * The echo side: {@code endpoints} (an {@code IpcRingSource} handing each record to an {@code IpcRingSink}
         * on one spinning thread, the peer of the raw Agrona echo) or {@code link} ({@code RingLink.link} of the two
         * {@code ipc:} URIs, a router with a pump and a delivery thread, yielding: the whole link path).
         */
        @Param({"endpoints", "link"})
        public String echoSide;

        @Override
        RoundTripper open(final Path directory) throws IOException
        {
            return new IpcEndpoints(directory);
        }

        @Override
        String transport()
        {
            return "link".equals(echoSide) ? "ipc-link" : "ipc";
        }
    }

    @State(Scope.Benchmark)
    public static class SharedPipePath extends EchoPath
    {
        @Override
        RoundTripper open(final Path directory) throws IOException
        {
            return new SharedPipeEndpoints(directory);
        }

        @Override
        String transport()
        {
            return "pipe";
        }
    }

    @State(Scope.Benchmark)
    public static class ChronicleLinkPath extends EchoPath
    {
        @Override
        RoundTripper open(final Path directory) throws IOException
        {
            return new ChronicleEndpoints(directory);
        }

        @Override
        String transport()
        {
            return "chronicle-link";
        }
    }

    @State(Scope.Benchmark)
    public static class TcpPath
    {
        @Param({"busyPoll", "blocking"})
        public String mode;
        TcpLink link;
        long sequence;
        private Path directory;
        private EchoProcess echo;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            directory = SharedFiles.createDirectory();
            echo = EchoProcess.start(directory, "tcp", mode);
            link = new TcpLink(Integer.parseInt(echo.readyArgument()), "busyPoll".equals(mode));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            link.close();
            echo.close();
            SharedFiles.deleteTree(directory);
        }
    }
}
