package io.ringlink.internal;

import java.io.Flushable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Streams seen as channels over heap buffers, without the locks and interrupt handling of
 * {@code java.nio.channels.Channels}: closing the channel from another thread never waits for a read in progress.
 */
final class StreamChannels
{
    private StreamChannels()
    {
    }

    static ReadableByteChannel of(final InputStream in)
    {
        return new Input(in);
    }

    static WritableByteChannel of(final OutputStream out)
    {
        return new Output(out);
    }

    /** Reads at most {@code length} bytes into a heap buffer; the stream's result ({@code -1} at its end). */
    static int read(final InputStream in, final ByteBuffer dst, final int length) throws IOException
    {
        final int read = in.read(dst.array(), dst.arrayOffset() + dst.position(), length);
        if (read > 0)
        {
            dst.position(dst.position() + read);
        }
        return read;
    }

    private static final class Input implements ReadableByteChannel
    {
        private final InputStream in;
        private volatile boolean open = true;

        Input(final InputStream in)
        {
            this.in = in;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            return StreamChannels.read(in, dst, dst.remaining());
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close() throws IOException
        {
            open = false;
            in.close();
        }
    }

    private static final class Output implements WritableByteChannel, Flushable
    {
        private final OutputStream out;
        private volatile boolean open = true;

        Output(final OutputStream out)
        {
            this.out = out;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            final int length = src.remaining();
            out.write(src.array(), src.arrayOffset() + src.position(), length);
            src.position(src.limit());
            return length;
        }

        @Override
        public void flush() throws IOException
        {
            out.flush();
            // A PrintStream (System.out) swallows write errors, a broken pipe included: report them.
            if (out instanceof PrintStream && ((PrintStream)out).checkError())
            {
                throw new IOException("writing to " + (out == System.out ? "stdout" : out == System.err ? "stderr" :
                    "a PrintStream") + " failed (the PrintStream hides the cause, such as a broken pipe)");
            }
        }

        @Override
        public boolean isOpen()
        {
            return open;
        }

        @Override
        public void close() throws IOException
        {
            open = false;
            out.close();
        }
    }
}
