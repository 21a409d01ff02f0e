package io.brook.cluster.zk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.KafkaException;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A standalone ZooKeeper server inside this JVM, on ZooKeeper's own {@link
 * ZooKeeperServerEmbedded}: for the broker's dev mode (started when no connect string is
 * configured; the data directory keeps topics between runs) and for tests.
 *
 * <p>It listens on 127.0.0.1 only; with port 0 it takes a free port. ZooKeeper's admin HTTP server
 * is off (it would take port 8080), and a fatal server error is logged rather than calling {@code
 * System.exit} ({@link ExitHandler#LOG_ONLY}), since the server shares the broker's JVM.
 *
 * <p>Threading: {@link #start} and {@link #close} are not meant to race; the getters are
 * thread-safe after {@code start}.
 */
public final class EmbeddedZooKeeper implements AutoCloseable {

    /**
     * ZooKeeper's tick, the unit of its session timeouts (a session may ask for 2 to 20 ticks).
     * 500 ms instead of the usual 2 s lets tests expire sessions within seconds; production
     * ensembles are not this class's business.
     */
    static final int TICK_TIME_MS = 500;

    /** How long {@link #start} waits for the server to accept connections. */
    private static final long START_TIMEOUT_MS = 30_000;

    /** Tries against another process taking the free port between the probe and the bind. */
    private static final int BIND_ATTEMPTS = 3;

    private final Path dataDir;
    private final int requestedPort;
    private ZooKeeperServerEmbedded server;
    private int port;

    /**
     * @param dataDir where snapshots and the transaction log live; created if missing
     * @param port the client port, or 0 for a free one
     */
    public EmbeddedZooKeeper(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.requestedPort = port;
    }

    /** Starts a server with a free port in {@code dataDir}, and returns it. */
    public static EmbeddedZooKeeper startOnFreePort(Path dataDir) {
        EmbeddedZooKeeper zk = new EmbeddedZooKeeper(dataDir, 0);
        zk.start();
        return zk;
    }

    /** Starts the server and waits until it serves. */
    public synchronized void start() {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Exception last = null;
        for (int attempt = 0; attempt < (requestedPort == 0 ? BIND_ATTEMPTS : 1); attempt++) {
            int candidate = requestedPort == 0 ? freePort() : requestedPort;
            Properties config = new Properties();
            config.setProperty("clientPort", Integer.toString(candidate));
            config.setProperty("clientPortAddress", "127.0.0.1");
            config.setProperty("dataDir", dataDir.resolve("data").toString());
            config.setProperty("tickTime", Integer.toString(TICK_TIME_MS));
            // ZooKeeper turns unknown keys into "zookeeper."-prefixed system properties.
            config.setProperty("admin.enableServer", "false");
            try {
                ZooKeeperServerEmbedded candidateServer = ZooKeeperServerEmbedded.builder()
                        .baseDir(dataDir)
                        .configuration(config)
                        .exitHandler(ExitHandler.LOG_ONLY)
                        .build();
                candidateServer.start(START_TIMEOUT_MS);
                server = candidateServer;
                port = candidate;
                return;
            } catch (Exception e) {
                last = e;
            }
        }
        throw new KafkaException("cannot start embedded ZooKeeper in " + dataDir, last);
    }

    /** {@code 127.0.0.1:<port>}, for Curator. */
    public String connectString() {
        return "127.0.0.1:" + port();
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Stops the server; its data stays in {@code dataDir}. Idempotent. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
