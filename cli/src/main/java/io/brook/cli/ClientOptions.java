package io.brook.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every cluster command shares, as the Kafka tools name them, and where the client
 * properties come from. Later sources win:
 *
 * <ol>
 *   <li>{@code bootstrap.servers=localhost:9092};
 *   <li>the Brook config file: {@code $BROOK_CONFIG}, else {@code
 *       $XDG_CONFIG_HOME/brook/config.properties}, else {@code ~/.config/brook/config.properties}
 *       (skipped when absent, an error when {@code BROOK_CONFIG} names a missing file);
 *   <li>{@code --command-config FILE};
 *   <li>{@code --bootstrap-server}.
 * </ol>
 *
 * <p>The files hold Kafka client properties ({@code bootstrap.servers}, {@code security.protocol},
 * {@code sasl.mechanism}, {@code sasl.jaas.config}, {@code ssl.truststore.location}, ...), the same
 * file a {@code kafka-topics.sh --command-config} takes. A picocli mixin: one instance per command.
 */
public final class ClientOptions {

    static final String DEFAULT_BOOTSTRAP = "localhost:9092";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--bootstrap-server",
            paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "Brokers to connect to (default: the config files' bootstrap.servers, else "
                    + DEFAULT_BOOTSTRAP + ").")
    String bootstrapServer;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description =
                    "Kafka client properties: security.protocol, sasl.mechanism, sasl.jaas.config, ssl.truststore.*, ...")
    Path commandConfig;

    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            description = "table (default) or json.")
    Output output = Output.table;

    @Option(
            names = {"-v", "--verbose"},
            description = "Stack traces of errors and the clients' warnings on stderr.")
    boolean verbose;

    /** The client properties, merged from the sources above. */
    Properties properties(Map<String, String> env) {
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, DEFAULT_BOOTSTRAP);
        brookConfigFile(env).ifPresent(file -> load(props, file, "BROOK_CONFIG"));
        if (commandConfig != null) {
            if (!Files.isRegularFile(commandConfig)) {
                throw new ParameterException(spec.commandLine(), "--command-config: no such file: " + commandConfig);
            }
            load(props, commandConfig, "--command-config");
        }
        if (bootstrapServer != null) {
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServer);
        }
        return props;
    }

    String bootstrap(Map<String, String> env) {
        return properties(env).getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    private Optional<Path> brookConfigFile(Map<String, String> env) {
        String explicit = env.get("BROOK_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path file = Path.of(explicit);
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "BROOK_CONFIG: no such file: " + file);
            }
            return Optional.of(file);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        String home = env.get("HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : home != null ? Path.of(home, ".config") : null;
        if (base == null) {
            return Optional.empty();
        }
        Path file = base.resolve("brook").resolve("config.properties");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    private void load(Properties props, Path file, String source) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), source + ": cannot read " + file + ": " + e.getMessage());
        }
    }
}
