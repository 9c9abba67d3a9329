package io.ringlink.cli;

import io.ringlink.internal.TextNotices;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Entry point of the {@code ringlink} command: {@code ringlink link|tail|stat|bench|completion}.
 * <p>
 * Exit codes: {@value #EXIT_OK} on success, {@value #EXIT_USAGE} on a usage error with one line naming the bad
 * argument, {@value #EXIT_FAILURE} on a runtime failure with a one-line cause (the stack trace with
 * {@code --verbose}).
 */
@Command(
    name = "ringlink",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Links sources to destinations through ring buffers: Disruptor in one JVM, Agrona and Chronicle " +
        "between JVMs.")
public final class Main implements Runnable
{
    /** Success. */
    public static final int EXIT_OK = 0;
    /** A runtime failure. */
    public static final int EXIT_FAILURE = 1;
    /** A usage error: a bad option, argument or URI. */
    public static final int EXIT_USAGE = 2;

    /**
     * The subcommands, in the order help lists them, each made only when it is needed: picocli reads a command's
     * annotations by reflection when it is added, which for all of them took about 40 ms of every start.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
        description = "Print stack traces of failures and log at info level.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits with its code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command line.
     * @return the exit code.
     */
    public static int run(final String... args)
    {
        final boolean verbose = Arrays.asList(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        if (!verbose)
        {
            // Failures reach the user as one line from the command; the router's log (with stack traces) is for
            // --verbose.
            System.setProperty("org.slf4j.simpleLogger.log.io.ringlink", "off");
            // Except what a user must see as it happens: a followed file truncated or rotated, text not carried as is.
            System.setProperty("org.slf4j.simpleLogger.log." + TextNotices.LOGGER, "warn");
            System.setProperty("org.slf4j.simpleLogger.log.net.openhft", "error");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("chronicle.analytics.disable", "true");
        return commandLine(args.length > 0 ? args[0] : "").execute(args);
    }

    private static Map<String, Supplier<Object>> subcommands()
    {
        final Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("link", LinkCommand::new);
        subcommands.put("tail", TailCommand::new);
        subcommands.put("stat", StatCommand::new);
        subcommands.put("bench", BenchCommand::new);
        subcommands.put(BenchEchoCommand.NAME, BenchEchoCommand::new);
        subcommands.put("completion", CompletionCommand::new);
        subcommands.put("help", CommandLine.HelpCommand::new);
        return subcommands;
    }

    /** The whole command, every subcommand in it (for help, completion and tests). */
    static CommandLine commandLine()
    {
        return commandLine("");
    }

    /**
     * The command for a command line whose first word is {@code first}: with only that subcommand when it names one
     * that runs on its own ({@code link}, {@code tail}, ...), else with all of them ({@code help}, {@code --help},
     * {@code completion}, a mistake whose message lists them).
     */
    private static CommandLine commandLine(final String first)
    {
        final CommandLine commandLine = new CommandLine(new Main());
        final boolean alone = SUBCOMMANDS.containsKey(first) && !first.equals("help") && !first.equals("completion");
        SUBCOMMANDS.forEach((name, command) ->
        {
            if (!alone || name.equals(first))
            {
                commandLine.addSubcommand(name, command.get());
            }
        });
        commandLine.setParameterExceptionHandler(Main::onUsageError);
        commandLine.setExecutionExceptionHandler(Main::onFailure);
        return commandLine;
    }

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: link, tail, stat or bench");
    }

    private static int onUsageError(final CommandLine.ParameterException ex, final String[] args)
    {
        final PrintWriter err = ex.getCommandLine().getErr();
        err.println("ringlink: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName() +
            " --help')");
        err.flush();
        return EXIT_USAGE;
    }

    private static int onFailure(
        final Exception ex, final CommandLine commandLine, final CommandLine.ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        final boolean verbose = parseResult.hasMatchedOption("--verbose") ||
            (parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--verbose"));
        if (ex instanceof UsageException)
        {
            err.println("ringlink " + commandLine.getCommandName() + ": " + ex.getMessage());
            if (verbose && ex.getCause() != null)
            {
                ex.getCause().printStackTrace(err);
            }
            err.flush();
            return EXIT_USAGE;
        }
        err.println("ringlink " + commandLine.getCommandName() + ": " + oneLine(ex));
        if (verbose)
        {
            ex.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /**
     * A one-line description of a failure: its message, or its type when it has none.
     *
     * @param ex the failure.
     * @return one line.
     */
    static String oneLine(final Throwable ex)
    {
        Throwable cause = ex;
        while (cause.getMessage() == null && cause.getCause() != null)
        {
            cause = cause.getCause();
        }
        final String text;
        if (cause instanceof NoSuchFileException missing)
        {
            // "no such ring: /dev/shm/r" when the endpoint said what it looked for, else "no such file: /tmp/x"
            text = (missing.getReason() == null ? "no such file" : missing.getReason()) + ": " + missing.getFile();
        }
        else if (cause instanceof AccessDeniedException)
        {
            text = "permission denied: " + cause.getMessage();
        }
        else
        {
            text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return text.replace('\n', ' ');
    }

    /**
     * Reports the version from the jar's manifest.
     */
    static final class Version implements CommandLine.IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            final String version = Main.class.getPackage().getImplementationVersion();
            return new String[]{"ringlink " + (version == null ? "(development build)" : version),
                "JVM " + Runtime.version() + " (" + System.getProperty("java.vendor") + "), " +
                    Runtime.getRuntime().availableProcessors() + " cores"};
        }
    }
}
