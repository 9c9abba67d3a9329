package io.ringlink.jmh;

import io.ringlink.offheap.IpcRing;
import io.ringlink.offheap.RecordHandler;
import io.ringlink.offheap.RingKind;
import org.agrona.IoUtil;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What one call costs on a ring file, single-threaded, no second process: an empty poll (what a spinning consumer
 * does between messages) and a write followed by its read. {@code agrona*} calls a raw {@code OneToOneRingBuffer},
 * {@code ipcRing*} RingLink's {@link IpcRing} over the same kind of ring. Not a peer comparison of its own: it
 * explains the {@code ipcLink} / {@code agronaRing} round-trip ratio of {@link IpcRoundTripBenchmark} call by call.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class IpcPollBenchmark
{
    private static final int CAPACITY = 64 * 1024;
    private static final int MESSAGE_LENGTH = 32;

    /**
     * Polls an empty raw Agrona ring.
     *
     * @param rings the rings.
     * @return records read (none).
     */
    @Benchmark
    public int agronaEmptyPoll(final Rings rings)
    {
        return rings.agrona.read(rings.agronaHandler, 1);
    }

    /**
     * Polls an empty {@link IpcRing}.
     *
     * @param rings the rings.
     * @return records read (none).
     */
    @Benchmark
    public int ipcRingEmptyPoll(final Rings rings)
    {
        return rings.ipc.read(rings.ipcHandler, 1);
    }

    /**
     * Writes one 32-byte record into a raw Agrona ring and reads it back.
     *
     * @param rings the rings.
     * @return records read (one).
     */
    @Benchmark
    public int agronaWriteRead(final Rings rings)
    {
        rings.agrona.write(1, rings.message, 0, MESSAGE_LENGTH);
        return rings.agrona.read(rings.agronaHandler, 1);
    }

    /**
     * Offers one 32-byte record to an {@link IpcRing} and reads it back.
     *
     * @param rings the rings.
     * @return records read (one).
     */
    @Benchmark
    public int ipcRingWriteRead(final Rings rings)
    {
        rings.ipc.offer(rings.message, 0, MESSAGE_LENGTH);
        return rings.ipc.read(rings.ipcHandler, 1);
    }

    @State(Scope.Thread)
    public static class Rings
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[MESSAGE_LENGTH]);
        OneToOneRingBuffer agrona;
        IpcRing ipc;
        MessageHandler agronaHandler;
        RecordHandler ipcHandler;
        long received;
        private Path directory;
        private MappedByteBuffer agronaFile;

        @Setup(Level.Trial)
        public void setUp() throws IOException
        {
            directory = SharedFiles.createDirectory();
            agronaFile =
                SharedFiles.mapNew(directory.resolve("raw.ring"), CAPACITY + RingBufferDescriptor.TRAILER_LENGTH);
            agrona = new OneToOneRingBuffer(new UnsafeBuffer(agronaFile));
            ipc = IpcRing.builder(directory.resolve("ipc.ring")).kind(RingKind.ONE_TO_ONE).capacity(CAPACITY).create();
            agronaHandler = (type, buffer, index, length) -> received += buffer.getLong(index);
            ipcHandler = (buffer, offset, length) -> received += buffer.getLong(offset);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException
        {
            ipc.close();
            IoUtil.unmap(agronaFile);
            SharedFiles.deleteTree(directory);
        }
    }
}
