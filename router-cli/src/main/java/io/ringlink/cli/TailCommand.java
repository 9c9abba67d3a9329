package io.ringlink.cli;

import io.ringlink.AcknowledgingSource;
import io.ringlink.MessageHandler;
import io.ringlink.Source;
import io.ringlink.spi.EndpointUri;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringlink tail URI}: prints the messages of an {@code ipc:} ring or a {@code chronicle:} queue on standard
 * output, one per line, from this thread (no router): reading a ring consumes it, reading a queue does not.
 */
@Command(
    name = "tail",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Prints the messages of an ipc: ring or a chronicle: queue on stdout, one per line.",
        "Without --follow or --count it stops once it has caught up. An ipc: ring has one consumer: tail takes " +
            "what it prints. A chronicle: queue is persistent: tail only reads it.",
        ""
    },
    footer = {
        "",
        "Examples:",
        "  ringlink tail chronicle:/tmp/logs --from end --follow",
        "  ringlink tail ipc:/dev/shm/numbers --count 1000"
    })
final class TailCommand implements Callable<Integer>
{
    private static final int READ_LIMIT = 1024;

    @Parameters(index = "0", paramLabel = "URI", description = "An ipc: ring or a chronicle: queue.",
        completionCandidates = UriCandidates.Readable.class)
    String uri;

    @Option(names = "--from", paramLabel = "start|end|INDEX", completionCandidates = UriCandidates.From.class,
        description = "chronicle: where to start: start (default), end, or an index (decimal or 0x hex).")
    String from;

    @Option(names = {"-f", "--follow"}, description = "Keep printing new messages until interrupted.")
    boolean follow;

    @Option(names = {"-n", "--count"}, paramLabel = "N",
        description = "Stop after N messages, waiting for them if they have not arrived yet.")
    long count;

    @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "lines",
        description = "Messages are ${COMPLETION-CANDIDATES}: text lines, or raw bytes written as they are " +
            "(default: ${DEFAULT-VALUE}).")
    LinkCommand.MessageCodec codec;

    @Override
    public Integer call() throws Exception
    {
        if (count < 0)
        {
            throw new UsageException("--count must be positive, got " + count);
        }
        final EndpointUri parsed = EndpointResolver.parseUri(uri);
        checkScheme(parsed);
        final Map<String, String> defaults = new HashMap<>();
        defaults.put("codec", codec.endpointCodec);
        if (from != null && parsed.scheme().equals("chronicle"))
        {
            defaults.put("start", from.toLowerCase(Locale.ROOT));
        }
        final EndpointResolver resolver = new EndpointResolver(defaults);
        try (Source<?> source = resolver.source(uri);
            Printer printer = new Printer(Channels.newOutputStream(EndpointResolver.stdout()), count))
        {
            try
            {
                print(source, printer);
            }
            catch (final Exception ex)
            {
                if (!BrokenPipe.is(ex))
                {
                    throw ex;
                }
                // The reader of stdout went away: stop at once, as cat does, committing nothing more.
                printer.broken = true;
                return BrokenPipe.EXIT_STATUS;
            }
        }
        return Main.EXIT_OK;
    }

    private void checkScheme(final EndpointUri parsed)
    {
        final String scheme = parsed.scheme();
        if (!scheme.equals("ipc") && !scheme.equals("chronicle") && !scheme.equals("aeron"))
        {
            throw new UsageException("tail reads ipc: rings and chronicle: queues (and aeron: streams), not '" +
                parsed + "'");
        }
        if (from != null && scheme.equals("ipc") && !from.equalsIgnoreCase("start"))
        {
            throw new UsageException("--from " + from + ": an ipc: ring is read in order from its oldest message; " +
                "--from applies to chronicle: queues");
        }
    }

    @SuppressWarnings("unchecked")
    private void print(final Source<?> source, final Printer printer) throws Exception
    {
        final Source<Object> input = (Source<Object>)source;
        while (!printer.isDone())
        {
            final int limit = count > 0 ? (int)Math.min(READ_LIMIT, count - printer.printed) : READ_LIMIT;
            final int read = input.read(printer, limit);
            printer.flush();
            if (read > 0 && input instanceof AcknowledgingSource<?> acknowledging)
            {
                acknowledging.onDelivered(printer.printed);
            }
            if (read == Source.END_OF_STREAM || (read == 0 && !follow && count == 0 && input.backlog() <= 0))
            {
                break;
            }
        }
    }

    /** Writes each message to standard output: text and numbers as lines, byte arrays as they are. */
    private static final class Printer implements MessageHandler<Object>, AutoCloseable
    {
        private final OutputStream out;
        private final long count;
        private long printed;
        private boolean broken;

        Printer(final OutputStream out, final long count)
        {
            this.out = new BufferedOutputStream(out, 64 * 1024);
            this.count = count;
        }

        boolean isDone()
        {
            return count > 0 && printed >= count;
        }

        @Override
        public void onMessage(final Object message)
        {
            try
            {
                if (message instanceof byte[] bytes)
                {
                    out.write(bytes);
                }
                else
                {
                    out.write(String.valueOf(message).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
                printed++;
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        void flush() throws IOException
        {
            out.flush();
        }

        @Override
        public void close() throws IOException
        {
            if (!broken)
            {
                out.flush();
            }
        }
    }
}
