package io.ringlink.cli;

import io.ringlink.MessageHandler;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.spi.EndpointProvider;
import io.ringlink.spi.EndpointUri;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The {@code exec:CMD} scheme: a shell command ({@code sh -c CMD}) whose standard output is a source and whose
 * standard input is a destination. Everything after {@code exec:} is the command, taken verbatim; its standard error
 * (and, as a destination, its standard output) is this process's. Messages are lines, or byte chunks with
 * {@code --codec bytes}.
 * <p>
 * Public only for {@link java.util.ServiceLoader}; not API.
 */
public final class ExecProvider implements EndpointProvider
{
    private static final String SCHEME = "exec";
    private static final long EXIT_WAIT_SECONDS = 10;
    private static final int CHUNK_SIZE = 64 * 1024;
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
        return new ProcessSource(command(uri), process, isBytes(uri));
    }

    @Override
    public Sink<?> sink(final EndpointUri uri) throws IOException
    {
        final Process process = start(uri, false);
        return new ProcessSink(command(uri), process);
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

    private static boolean isBytes(final EndpointUri uri)
    {
        return "bytes".equals(uri.parameters().get("codec"));
    }

    private static void finish(final Process process)
    {
        try
        {
            if (!process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS))
            {
                process.destroy();
            }
        }
        catch (final InterruptedException ex)
        {
            process.destroy();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether an exit status says the command was stopped by Ctrl-C (SIGINT) or SIGTERM: the terminal sends Ctrl-C to
     * the command as well as to ringlink, and that ends the source normally.
     */
    private static boolean isInterrupted(final int status)
    {
        return status == SIGNALLED + SIGINT || status == SIGNALLED + SIGTERM;
    }

    /** A command's standard output, as lines or chunks. Reads block; closing destroys the process to unblock. */
    private static final class ProcessSource implements Source<Object>
    {
        private final String command;
        private final Process process;
        private final InputStream input;
        private final BufferedReader lines;
        private final byte[] chunk;

        ProcessSource(final String command, final Process process, final boolean bytes)
        {
            this.command = command;
            this.process = process;
            this.input = process.getInputStream();
            this.lines = bytes ? null : new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            this.chunk = bytes ? new byte[CHUNK_SIZE] : null;
        }

        @Override
        public int read(final MessageHandler<? super Object> handler, final int limit) throws IOException
        {
            if (lines == null)
            {
                final int read = input.read(chunk);
                if (read < 0)
                {
                    return onEnd();
                }
                handler.onMessage(Arrays.copyOf(chunk, read));
                return 1;
            }
            int count = 0;
            do
            {
                final String line = lines.readLine();
                if (line == null)
                {
                    return count > 0 ? count : onEnd();
                }
                handler.onMessage(line);
                count++;
            }
            while (count < limit && lines.ready());
            return count;
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
        public String name()
        {
            return "exec:" + command;
        }

        @Override
        public void close() throws IOException
        {
            if (process.isAlive())
            {
                process.destroy();
            }
            input.close();
        }
    }

    /** A command's standard input: each message, lines followed by a newline; flushed at the end of each batch. */
    private static final class ProcessSink implements Sink<Object>
    {
        private final String command;
        private final Process process;
        private final OutputStream output;
        private final BufferedWriter text;

        ProcessSink(final String command, final Process process)
        {
            this.command = command;
            this.process = process;
            this.output = process.getOutputStream();
            this.text = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8), CHUNK_SIZE);
        }

        @Override
        public void onMessage(final Object message) throws IOException
        {
            if (message instanceof byte[] bytes)
            {
                text.flush();
                output.write(bytes);
            }
            else
            {
                text.write(message.toString());
                text.write('\n');
            }
        }

        @Override
        public void onEndOfBatch() throws IOException
        {
            text.flush();
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
                text.close();
            }
            finally
            {
                finish(process);
            }
        }
    }
}
