package io.brook.cli.testkit;

import io.brook.cli.BrookCli;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code brook} commands in the test JVM as {@code main} would (the same picocli wiring),
 * with standard input given as text and standard output and error captured. The environment is
 * a fresh {@code HOME} with no Brook config file unless a test writes one, so that the machine's
 * own file never leaks in.
 */
public final class Cli {

    static {
        // as main does without --verbose: the clients' logging off (slf4j-simple reads it once)
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
    }

    private final Map<String, String> env = new HashMap<>();
    private final List<String> connection = new ArrayList<>();

    public Cli(Path home) {
        env.put("HOME", home.toString());
    }

    /** Every command gets {@code --bootstrap-server ADDRESS} first. */
    public static Cli against(BrokerProcess broker, Path home) {
        Cli cli = new Cli(home);
        cli.connection.addAll(List.of("--bootstrap-server", broker.bootstrap()));
        return cli;
    }

    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** A command, with the connection flags appended. */
    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--help") && !connection.isEmpty() && !all.contains("--bootstrap-server")) {
            all.addAll(connection);
        }
        return raw(stdin, all.toArray(String[]::new));
    }

    /** A command exactly as given (no connection flags). */
    public Result raw(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BrookCli.commandLine(
                new BrookCli(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Result(status, out.toString(), err.toString());
    }

    /** What a command did. */
    public record Result(int status, String out, String err) {

        /** The lines of stdout. */
        public List<String> lines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
