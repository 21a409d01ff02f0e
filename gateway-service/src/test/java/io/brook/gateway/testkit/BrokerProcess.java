package io.brook.gateway.testkit;

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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Brook broker for the gateway's integration tests: the broker's executable jar (built by
 * the reactor before this module, see the pom) started as a process in a temporary folder, with
 * its embedded ZooKeeper, on free loopback ports. Its output goes to {@code broker.out} in that
 * folder.
 *
 * <p>{@link #shared()} is one broker for the whole test JVM, started on first use and stopped by
 * a shutdown hook: the test classes use distinct topic and group names, and one broker start (a
 * few seconds on two cores) instead of one per class keeps the suite short.
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

    /** The JVM-wide broker, started on first call. */
    public static synchronized BrokerProcess shared() {
        if (shared == null) {
            try {
                shared = start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "broker-process-stop"));
        }
        return shared;
    }

    /** The JVM-wide broker if {@link #shared()} started it; null otherwise. */
    static synchronized BrokerProcess sharedIfStarted() {
        return shared;
    }

    /** The broker's process id. */
    public long pid() {
        return process.pid();
    }

    /** The connect string of the broker's embedded ZooKeeper (users and ACLs live there). */
    public String zookeeperConnect() {
        return "127.0.0.1:" + zookeeperPort;
    }

    /** The Kafka bootstrap address. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /**
     * A free port below the kernel's ephemeral range (from 32768 on Linux), where outgoing
     * connections take their local ports: a port picked there (as {@code new ServerSocket(0)}
     * picks) can be taken by some client's connection before the broker binds it, which once
     * failed a broker's start with "Address already in use".
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // In use: try another.
            }
        }
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static File jar() {
        File[] found = new File("../broker-service/target")
                .listFiles((dir, name) -> name.startsWith("broker-service-") && name.endsWith("-exec.jar"));
        assertThat(found)
                .as("the broker's executable jar is built before the gateway's integration tests")
                .isNotEmpty();
        return found[0];
    }

    public static BrokerProcess start() throws IOException {
        return start(List.of());
    }

    /**
     * A broker of its own with extra Spring arguments ({@code --brook.security.authorizer-enabled=true});
     * in them {@code {port}} stands for its Kafka port, so that {@code
     * --brook.broker.listeners=SASL_PLAINTEXT://127.0.0.1:{port}} replaces the PLAINTEXT listener.
     * The caller closes it.
     */
    public static BrokerProcess start(List<String> args) throws IOException {
        Path workDir = Files.createTempDirectory("brook-gateway-it-broker");
        int port = freePort();
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-jar", jar().getAbsolutePath()));
        for (String arg : args) {
            command.add(arg.replace("{port}", Integer.toString(port)));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("broker.out").toFile());
        Map<String, String> env = builder.environment();
        env.put("BROOK_BROKER_PORT", String.valueOf(port));
        env.put("BROOK_BROKER_HOST", "127.0.0.1");
        env.put("BROOK_BROKER_ADVERTISED_HOST", "127.0.0.1");
        int zookeeperPort = freePort();
        env.put("BROOK_ZOOKEEPER_EMBEDDED_PORT", String.valueOf(zookeeperPort));
        env.put("SERVER_PORT", String.valueOf(freePort()));
        // Groups rebalance at once: the tests start consumers one by one and wait for them.
        env.put("BROOK_BROKER_GROUP_INITIAL_REBALANCE_DELAY", "0s");
        Process process = builder.start();
        BrokerProcess broker = new BrokerProcess(workDir, port, zookeeperPort, process);
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(process.isAlive())
                    .as("broker running; see " + workDir.resolve("broker.out"))
                    .isTrue();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return Files.readString(workDir.resolve("broker.out")).contains("is up on");
            } catch (IOException e) {
                return false;
            }
        });
        return broker;
    }

    /** What the broker has written to its standard output and error so far. */
    public String output() throws IOException {
        return Files.readString(workDir.resolve("broker.out"));
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
