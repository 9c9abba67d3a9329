package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.internal.ChangedBytes;
import io.ringlink.internal.EndpointOptions;
import io.ringlink.internal.Endpoints;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.IOException;
import java.nio.channels.AsynchronousCloseException;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code exec:CMD} scheme: a shell command ({@code sh -c CMD}) whose standard output is a source and whose
 * standard input is a destination. Everything after {@code exec:} is the command, taken verbatim; its standard error
 * (and, as a destination, its standard output) is this process's. Messages are lines, or byte chunks with
 * {@code --codec bytes}; the bytes are read and written by router-core's process endpoints.
 * <p>
 * Public only for {@link java.util.ServiceLoader}; not API.
 */
public final class ExecProvider implements EndpointProvider
{
    private static final String SCHEME = "exec";
    private static final long EXIT_WAIT_SECONDS = 10;
    private static final int SIGNALLED = 128;
    private static final int SIGINT = 2;
    private static final int SIGTERM = 15;

    /**
     * Creates the provider (called by {@link java.util.ServiceLoader}).
     */
    public ExecProvider()
    {
    }

    @Override
    public Set<String> schemes()
    {
        return Set.of(SCHEME);
    }

    @Override
    public Source<?> source(final EndpointUri uri) throws IOException
    {
        final Process process = start(uri, true);
        final Source<Object> output = Endpoints.source(process, EndpointOptions.DEFAULTS.with(options(uri)));
        return output instanceof AcknowledgingSource<Object> acknowledging ?
            new AcknowledgedProcessSource(command(uri), process, acknowledging) :
            new ProcessSource(command(uri), process, output);
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        final Process process = start(uri, false);
        return new ProcessSink(command(uri), process, EndpointOptions.DEFAULTS.with(options(uri)));
    }

    private static Process start(final EndpointUri uri, final boolean asSource) throws IOException
    {
        final ProcessBuilder builder = new ProcessBuilder("sh", "-c", command(uri))
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (asSource)
        {
            builder.redirectInput(ProcessBuilder.Redirect.INHERIT);
        }
        else
        {
            builder.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        return builder.start();
    }

    private static String command(final EndpointUri uri)
    {
        final String text = uri.toString();
        final String command = text.substring(text.indexOf(':') + 1);
        if (command.isBlank())
        {
            throw new IllegalArgumentException("exec: needs a command, like exec:'seq 1 10'");
        }
        return command;
    }

    /** Only the codec and lines count: the rest of the text is the command, whatever question marks it holds. */
    private static EndpointUri options(final EndpointUri uri)
    {
        final String codec = uri.parameters().getOrDefault("codec", "utf8");
        final String lines = uri.parameters().getOrDefault("lines", "text");
        return EndpointUri.parse("exec:?codec=" + (codec.equals("bytes") ? "bytes" : "utf8") + "&lines=" +
            (lines.equals("raw") ? "raw" : "text"));
    }

    private static void finish(final Process process)
    {
        try
        {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                destroyTree(process);
            }
        }
        catch (final InterruptedException ex)
        {
            destroyTree(process);
            Thread.currentThread().interrupt();
        }
    }

    /** Ends a command the link started and everything it started (a shell's children hold its pipes too). */
    private static void destroyTree(final Process process)
    {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }

    /**
     * Whether an exit status says the command was stopped by Ctrl-C (SIGINT) or SIGTERM: the terminal sends Ctrl-C to
     * the command as well as to ringlink, and that ends the source normally.
     */
    private static boolean isInterrupted(final int status)
    {
        return status == SIGNALLED + SIGINT || status == SIGNALLED + SIGTERM;
    }

    /** A command's standard output (router-core's process source) that checks the exit status at the end. */
    private static class ProcessSource implements Source<Object>, InterruptibleRead, ChangedBytes
    {
        private final String command;
        private final Process process;
        private final Source<Object> output;

        ProcessSource(final String command, final Process process, final Source<Object> output)
        {
            this.command = command;
            this.process = process;
            this.output = output;
        }

        @Override
        public int read(final MessageHandler<? super Object> handler, final int limit) throws Exception
        {
            final int read = output.read(handler, limit);
            return read == END_OF_STREAM ? onEnd() : read;
        }

        @Override
        public int readAvailable(final MessageHandler<? super Object> handler, final int limit) throws Exception
        {
            return output.readAvailable(handler, limit);
        }

        private int onEnd() throws IOException
        {
            finish(process);
            if (!process.isAlive() && process.exitValue() != 0 && !isInterrupted(process.exitValue()))
            {
                throw new IOException("exec:'" + command + "' exited with status " + process.exitValue());
            }
            return END_OF_STREAM;
        }

        @Override
        public long changedBytes()
        {
            return output instanceof ChangedBytes changed ? changed.changedBytes() : 0;
        }

        /** Asks the command to end (SIGTERM): its output then ends after what it already wrote. */
        @Override
        public void interruptRead()
        {
            process.destroy();
        }

        @Override
        public Object endpoint()
        {
            return output.endpoint();
        }

        @Override
        public String name()
        {
            return "exec:" + command;
        }

        @Override
        public void close() throws IOException
        {
            try
            {
                output.close();
            }
            finally
            {
                if (process.isAlive())
                {
                    process.destroy();
                }
            }
        }
    }

    /** Passes delivery reports on to an output source that reuses its buffers ({@code lines=raw}). */
    private static final class AcknowledgedProcessSource extends ProcessSource implements AcknowledgingSource<Object>
    {
        private final AcknowledgingSource<Object> acknowledging;

        AcknowledgedProcessSource(final String command, final Process process,
            final AcknowledgingSource<Object> output)
        {
            super(command, process, output);
            this.acknowledging = output;
        }

        @Override
        public void onDelivered(final long messages)
        {
            acknowledging.onDelivered(messages);
        }
    }

    /**
     * A command's standard input (router-core's process sink); closing it waits for the command to finish, unless the
     * router abandoned a write blocked on it (a command that does not read): the link started the command, so it
     * ends it and everything it started.
     */
    private static final class ProcessSink implements Sink<Object>, DestinationSink.Abandonable
    {
        private final String command;
        private final Process process;
        private final Sink<Object> input;
        private volatile boolean abandoned;

        ProcessSink(final String command, final Process process, final EndpointOptions options)
        {
            this.command = command;
            this.process = process;
            this.input = Endpoints.sink(process, options);
        }

        @Override
        public void onMessage(final Object message) throws Exception
        {
            try
            {
                input.onMessage(message);
            }
            catch (final AsynchronousCloseException ex)
            {
                abandoned = true;
                throw ex;
            }
        }

        @Override
        public void onEndOfBatch() throws Exception
        {
            try
            {
                input.onEndOfBatch();
            }
            catch (final AsynchronousCloseException ex)
            {
                abandoned = true;
                throw ex;
            }
        }

        @Override
        public Object endpoint()
        {
            return input.endpoint();
        }

        @Override
        public String name()
        {
            return "exec:" + command;
        }

        @Override
        public void abandon() throws IOException
        {
            abandoned = true;
            close();
        }

        @Override
        public void close() throws IOException
        {
            if (abandoned)
            {
                destroyTree(process);
            }
            try
            {
                input.close();
            }
            finally
            {
                finish(process);
            }
        }
    }
}
