package io.brook.broker.it;

import io.brook.broker.BrokerApplication;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A broker started for real, in this JVM, as the Spring Boot application it is: its own free
 * ports, its own data directory, and a ZooKeeper given by connect string (or its embedded one).
 */
final class TestBroker implements AutoCloseable {

    final int id;
    final int port;
    final Path dataDir;
    private final String zookeeper;
    private final List<String> extra;
    private ConfigurableApplicationContext context;

    TestBroker(int id, Path dataDir, String zookeeper, String... extra) throws IOException {
        this.id = id;
        this.port = freePort();
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
        args.addAll(extra);
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
