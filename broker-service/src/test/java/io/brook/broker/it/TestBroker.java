package io.brook.broker.it;

import io.brook.broker.BrokerApplication;
import io.brook.cluster.security.ScramPasswords;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A broker started for real, in this JVM, as the Spring Boot application it is: its own free
 * ports, its own data directory, and a ZooKeeper given by connect string (or its embedded one).
 *
 * <p>In the extra arguments, {@code {port}} stands for the broker's Kafka port and {@code
 * {port2}} for a second free port of its own, so that one argument list can give several brokers
 * their listeners ({@code --brook.broker.listeners=SASL_PLAINTEXT://127.0.0.1:{port}}).
 */
final class TestBroker implements AutoCloseable {

    final int id;
    final int port;
    final int port2;
    final Path dataDir;
    private final String zookeeper;
    private final List<String> extra;
    private ConfigurableApplicationContext context;

    TestBroker(int id, Path dataDir, String zookeeper, String... extra) throws IOException {
        this.id = id;
        this.port = freePort();
        this.port2 = freePort();
        this.dataDir = dataDir;
        this.zookeeper = zookeeper;
        this.extra = List.of(extra);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    TestBroker start() {
        List<String> args = new ArrayList<>(List.of(
                "--brook.broker.id=" + id,
                "--brook.broker.host=127.0.0.1",
                "--brook.broker.port=" + port,
                "--brook.broker.advertised-host=127.0.0.1",
                "--brook.broker.data-dir=" + dataDir,
                "--brook.broker.offsets-topic-partitions=3",
                "--brook.broker.group-initial-rebalance-delay=0ms",
                "--server.port=0",
                "--spring.main.banner-mode=off"));
        if (zookeeper != null) {
            args.add("--brook.zookeeper.connect=" + zookeeper);
        }
        for (String arg : extra) {
            args.add(arg.replace("{port}", Integer.toString(port)).replace("{port2}", Integer.toString(port2)));
        }
        context = new SpringApplicationBuilder(BrokerApplication.class).run(args.toArray(String[]::new));
        return this;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The HTTP port (actuator), once started. */
    int httpPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    /** Gives the broker a user with SCRAM-SHA-256 and -512 credentials (no ZooKeeper involved). */
    void addScramUser(String user, String password) {
        CredentialCache cache = bean(CredentialCache.class);
        for (ScramMechanism mechanism : ScramMechanism.values()) {
            cache.cache(mechanism.mechanismName(), ScramCredential.class)
                    .put(user, ScramPasswords.create(mechanism, password, ScramPasswords.DEFAULT_ITERATIONS));
        }
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    boolean isRunning() {
        return context != null;
    }

    void stop() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
