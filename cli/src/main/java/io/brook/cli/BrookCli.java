package io.brook.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.errors.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code brook}: the root command and the process entry point. It wires picocli (subcommands,
 * help, the exit status mapping) and holds what the commands take from the process: environment
 * variables and standard input, injected by tests.
 *
 * <p>Exit status: 0 done; 1 an error from the cluster or a state that forbids the command; 2 bad
 * usage (picocli's parameter errors). Errors are one line on stderr, {@code brook <command>:
 * <message>}; with {@code --verbose} the stack trace follows.
 *
 * <p>Logging: the clients log through slf4j-simple, off unless {@code --verbose} (then warnings).
 * The level is fixed when slf4j starts, so {@link #main} sets it before any client class loads.
 */
@Command(
        name = "brook",
        mixinStandardHelpOptions = true,
        versionProvider = BrookCli.Version.class,
        description = "Brook's command line: administer, produce to and consume from a Brook (or any Kafka) cluster.",
        subcommands = {
            ClusterInfoCommand.class,
            BrokersCommand.class,
            TopicsCommand.class,
            GroupsCommand.class,
            ProduceCommand.class,
            ConsumeCommand.class,
            AclsCommand.class,
            UsersCommand.class,
            ReassignCommand.class,
            CompletionCommand.class
        },
        footer = {
            "",
            "Run by the ./brook script, which also has:",
            "  dev        the local stack: ZooKeeper, three brokers and the gateway",
            "  broker     one broker with an embedded ZooKeeper",
            "  demo       the storage engine alone",
            "  log dump   the batches of a segment file",
            "",
            "Exit status: 0 done, 1 error from the cluster, 2 bad usage."
        })
public final class BrookCli {

    private final Map<String, String> env;
    private final InputStream in;

    public BrookCli(Map<String, String> env, InputStream in) {
        this.env = Map.copyOf(env);
        this.in = in;
    }

    public static void main(String[] args) {
        boolean verbose = false;
        for (String arg : args) {
            verbose |= arg.equals("-v") || arg.equals("--verbose");
        }
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        int status = commandLine(new BrookCli(System.getenv(), System.in)).execute(args);
        System.exit(status);
    }

    /** The configured command line, ready to {@code execute}; tests set its out and err. */
    public static CommandLine commandLine(BrookCli cli) {
        CommandLine commandLine = new CommandLine(cli);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(new OneLineErrors());
        commandLine.setParameterExceptionHandler(new UsageErrors());
        return commandLine;
    }

    Map<String, String> env() {
        return env;
    }

    InputStream in() {
        return in;
    }

    /** {@code brook topics create: Topic 'orders' already exists.} and status 1. */
    static final class OneLineErrors implements IExecutionExceptionHandler {

        @Override
        public int handleExecutionException(Exception ex, CommandLine commandLine, ParseResult parseResult) {
            Throwable cause = unwrap(ex);
            PrintWriter err = commandLine.getErr();
            if (cause instanceof ParameterException usage) {
                return new UsageErrors().handleParseException(usage, new String[0]);
            }
            err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message(cause));
            if (isVerbose(commandLine)) {
                cause.printStackTrace(err);
            }
            err.flush();
            return 1;
        }

        private static boolean isVerbose(CommandLine commandLine) {
            Object command = commandLine.getCommand();
            return command instanceof ClusterCommand c && c.client != null && c.client.verbose;
        }
    }

    /** Picocli's parameter errors as one line and a pointer to the help; status 2. */
    static final class UsageErrors implements IParameterExceptionHandler {

        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine commandLine = ex.getCommandLine();
            PrintWriter err = commandLine.getErr();
            String name = commandLine.getCommandSpec().qualifiedName();
            err.println(name + ": " + oneLine(ex.getMessage()) + " (see '" + name + " --help')");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        }
    }

    static Throwable unwrap(Throwable e) {
        Throwable cause = e;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The user's line for a failure: the cluster's (or the command's) message on one line. */
    static String message(Throwable cause) {
        if (cause instanceof TimeoutException) {
            return "the cluster did not answer in time (is a broker listening at the bootstrap address?): "
                    + oneLine(cause.getMessage());
        }
        String text = cause.getMessage();
        if (text == null || text.isBlank()) {
            // Kafka's errors without a message are named by their class: UnknownTopicOrPartitionException
            text = cause.getClass().getSimpleName();
        }
        return oneLine(text);
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s*\\R\\s*", " ").strip();
    }

    /** The version of the jar (its manifest), or {@code dev} from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BrookCli.class.getPackage().getImplementationVersion();
            return new String[] {"brook " + (version == null ? "dev" : version)};
        }
    }
}
