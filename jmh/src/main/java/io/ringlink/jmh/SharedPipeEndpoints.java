package io.ringlink.jmh;

import io.ringlink.offheap.Codecs;
import io.ringlink.offheap.SharedPipe;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * Both sides of the {@code sharedPipe} round trip of {@link IpcRoundTripBenchmark}: one {@link SharedPipe} file (two
 * one-to-one rings), the benchmark JVM on end 0 and the echo JVM ({@link #echo(Path)}) on end 1, each calling
 * {@code send} and a blocking {@code recv} as a user would, so waits back off as the pipe's do (spin, yield, then
 * park up to 1 ms), unlike the spinning {@code ipcLink} endpoints. Messages are 32-byte arrays through the
 * {@code bytes} codec: each {@code recv} decodes into a new array.
 */
final class SharedPipeEndpoints implements RoundTripper
{
    static final String FILE = "pipe";
    static final int MESSAGE_LENGTH = 32;
    private static final int CAPACITY = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final SharedPipe<byte[]> pipe;
    private final SharedPipe.End<byte[]> end;
    private final byte[] message = new byte[MESSAGE_LENGTH];

    SharedPipeEndpoints(final Path directory) throws IOException
    {
        pipe = SharedPipe.create(directory.resolve(FILE), CAPACITY, Codecs.bytes());
        end = pipe.end(0);
    }

    /**
     * Sends {@code value} and waits for its echo.
     *
     * @return the sequence that came back.
     */
    @Override
    public long roundTrip(final long value)
    {
        LONGS.set(message, 0, value);
        try
        {
            end.send(message);
            return (long)LONGS.get(end.recv(), 0);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the echo side is gone", ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        }
    }

    @Override
    public void close() throws IOException
    {
        pipe.close();
    }

    /**
     * The echo side: takes end 1 and sends back every message until the benchmark side closes its end.
     *
     * @param directory where the pipe file is.
     * @throws IOException if the pipe cannot be opened.
     */
    static void echo(final Path directory) throws IOException
    {
        try (SharedPipe<byte[]> pipe = SharedPipe.open(directory.resolve(FILE), Codecs.bytes()))
        {
            final SharedPipe.End<byte[]> end = pipe.end(1);
            System.out.println("READY");
            System.out.flush();
            while (true)
            {
                end.send(end.recv());
            }
        }
        catch (final SharedPipe.PeerGoneException ex)
        {
            System.out.println("benchmark side gone: " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
