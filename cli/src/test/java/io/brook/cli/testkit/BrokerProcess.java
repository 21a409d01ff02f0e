package io.brook.cli.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Brook broker for the command line's tests: the broker's executable jar (built by the
 * reactor before this module, see the pom) started as a process in a temporary folder, on free
 * loopback ports, with its embedded ZooKeeper or joining another broker's. Its output goes to
 * {@code broker.out} in that folder. Extra Spring properties are given as environment variables
 * or {@code --name=value} arguments.
 *
 * <p>{@link #shared()} is one plain broker for the whole test JVM, started on first use and
 * stopped by a shutdown hook; test classes use distinct topic and group names.
 */
public final class BrokerProcess implements AutoCloseable {

    private static BrokerProcess shared;

    private final Path workDir;
    private final int port;
    private final int zookeeperPort;
    private final Process process;

    private BrokerProcess(Path workDir, int port, int zookeeperPort, Process process) {
        this.workDir = workDir;
        this.port = port;
        this.zookeeperPort = zookeeperPort;
        this.process = process;
    }

    /** The JVM-wide plain broker, started on first call. */
    public static synchronized BrokerProcess shared() {
        if (shared == null) {
            shared = builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "broker-process-stop"));
        }
        return shared;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Kafka bootstrap address (of the first listener). */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String zookeeperConnect() {
        return "127.0.0.1:" + zookeeperPort;
    }

    public Path log() {
        return workDir.resolve("broker.out");
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static File jar() {
        File[] found = new File("../broker-service/target")
                .listFiles((dir, name) -> name.startsWith("broker-service-") && name.endsWith("-exec.jar"));
        assertThat(found)
                .as("the broker's executable jar is built before the command line's tests")
                .isNotEmpty();
        return found[0];
    }

    /** How to start a broker. */
    public static final class Builder {
        private int id = 1;
        private String zookeeperConnect;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private Integer port;

        public Builder id(int id) {
            this.id = id;
            return this;
        }

        /** Join this ZooKeeper instead of embedding one. */
        public Builder zookeeper(String connect) {
            this.zookeeperConnect = connect;
            return this;
        }

        /** The Kafka port (of the listener named by the properties, when they name listeners). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Any Spring property of the broker, e.g. {@code brook.security.authorizer-enabled}. */
        public Builder property(String name, String value) {
            properties.put(name, value);
            return this;
        }

        public BrokerProcess start() {
            try {
                return doStart();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private BrokerProcess doStart() throws IOException {
            Path workDir = Files.createTempDirectory("brook-cli-it-broker");
            int kafkaPort = port != null ? port : freePort();
            java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx384m",
                    "-XX:+UseSerialGC",
                    "-jar",
                    jar().getAbsolutePath()));
            properties.forEach((k, v) -> command.add("--" + k + "=" + v));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("broker.out").toFile());
            Map<String, String> env = builder.environment();
            env.put("BROOK_BROKER_ID", String.valueOf(id));
            env.put("BROOK_BROKER_PORT", String.valueOf(kafkaPort));
            env.put("BROOK_BROKER_HOST", "127.0.0.1");
            env.put("BROOK_BROKER_ADVERTISED_HOST", "127.0.0.1");
            env.put("BROOK_BROKER_DATA_DIR", workDir.resolve("data").toString());
            env.put("BROOK_BROKER_OFFSETS_TOPIC_REPLICATION_FACTOR", "1");
            env.put("BROOK_BROKER_OFFSETS_TOPIC_PARTITIONS", "4");
            int zookeeperPort;
            if (zookeeperConnect == null) {
                zookeeperPort = freePort();
                env.put("BROOK_ZOOKEEPER_EMBEDDED_PORT", String.valueOf(zookeeperPort));
                env.put(
                        "BROOK_ZOOKEEPER_EMBEDDED_DATA_DIR",
                        workDir.resolve("zookeeper").toString());
            } else {
                zookeeperPort = Integer.parseInt(zookeeperConnect.substring(zookeeperConnect.lastIndexOf(':') + 1));
                env.put("BROOK_ZOOKEEPER_CONNECT", zookeeperConnect);
            }
            env.put("SERVER_PORT", String.valueOf(freePort()));
            // Groups rebalance at once: the tests start consumers and wait for them.
            env.put("BROOK_BROKER_GROUP_INITIAL_REBALANCE_DELAY", "0s");
            Process process = builder.start();
            BrokerProcess broker = new BrokerProcess(workDir, kafkaPort, zookeeperPort, process);
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertThat(process.isAlive())
                                .as("broker running; see " + workDir.resolve("broker.out"))
                                .isTrue();
                        try (Socket socket = new Socket("127.0.0.1", kafkaPort)) {
                            return Files.readString(workDir.resolve("broker.out"))
                                    .contains("is up on");
                        } catch (IOException e) {
                            return false;
                        }
                    });
            return broker;
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException ignored) {
            // A temp folder left behind is harmless.
        }
    }
}
