package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.EndpointOptions;
import io.ringlink.internal.Endpoints;
import io.ringlink.spi.EndpointUri;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;

/**
 * Standard input as a source ({@code -}), read through a {@link FileChannel} on file descriptor 0 by router-core's
 * channel source: unlike {@code System.in}, a read blocked on a silent pipe or terminal ends when the channel is
 * closed, so Ctrl-C stops {@code ringlink link - ...} at once.
 */
class StdinSource implements Source<Object>, InterruptibleRead, ChangedBytes
{
    private final FileChannel channel;
    private final Source<Object> lines;

    private StdinSource(final FileChannel channel, final Source<Object> lines)
    {
        this.channel = channel;
        this.lines = lines;
    }

    static StdinSource open(final EndpointUri uri)
    {
        @SuppressWarnings("resource") // closed with this source
        final FileChannel channel = new FileInputStream(FileDescriptor.in).getChannel();
        final Source<Object> lines = Endpoints.source(channel, EndpointOptions.DEFAULTS.with(uri));
        return lines instanceof AcknowledgingSource<Object> acknowledging ?
            new Acknowledged(channel, acknowledging) : new StdinSource(channel, lines);
    }

    @Override
    public int read(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        return lines.read(handler, limit);
    }

    @Override
    public int readAvailable(final MessageHandler<? super Object> handler, final int limit) throws Exception
    {
        return lines.readAvailable(handler, limit);
    }

    @Override
    public long changedBytes()
    {
        return lines instanceof ChangedBytes changed ? changed.changedBytes() : 0;
    }

    @Override
    public void interruptRead()
    {
        try
        {
            lines.close();
            channel.close();
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("closing standard input: " + Main.oneLine(ex), ex);
        }
    }

    @Override
    public Object endpoint()
    {
        return FileDescriptor.in;
    }

    @Override
    public String name()
    {
        return "stdin";
    }

    @Override
    public void close() throws IOException
    {
        try
        {
            lines.close();
        }
        finally
        {
            channel.close();
        }
    }

    /** Passes delivery reports on to a source that reuses its buffers ({@code lines=raw}). */
    private static final class Acknowledged extends StdinSource implements AcknowledgingSource<Object>
    {
        private final AcknowledgingSource<Object> acknowledging;

        Acknowledged(final FileChannel channel, final AcknowledgingSource<Object> lines)
        {
            super(channel, lines);
            this.acknowledging = lines;
        }

        @Override
        public void onDelivered(final long messages)
        {
            acknowledging.onDelivered(messages);
        }
    }
}
