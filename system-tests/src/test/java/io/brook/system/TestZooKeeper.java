package io.brook.system;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The ZooKeeper the system tests' brokers use: Debian's {@code zookeeper} server, started as a
 * JVM of its own, or, where that package is not installed, the project's {@link
 * EmbeddedZooKeeper} inside the test JVM (said on standard output, so that a run on a machine
 * without the package is visible as such).
 *
 * <p>The Debian server is started as the package's {@code zkServer.sh start-foreground} does:
 * {@code java -cp /usr/share/java/zookeeper.jar org.apache.zookeeper.server.quorum.QuorumPeerMain
 * zoo.cfg}. The jar's manifest {@code Class-Path} names its dependencies under {@code
 * /usr/share/java}, so the one jar is the whole class path; SLF4J's simple binding (from {@code
 * libslf4j-java}, a dependency of the package) is added when present so that the server's log
 * goes to {@code zookeeper.log} instead of SLF4J's no-op. The generated {@code zoo.cfg}: a free
 * client port on 127.0.0.1, a data directory under the test's folder, the admin HTTP server off,
 * a 500 ms tick (sessions of 1 to 30 s, so that tests can have a dead broker's session expire
 * within seconds, or keep a paused one alive longer than the replica lag time).
 *
 * <p>Threading: {@link #start} and {@link #close} from the test's thread.
 */
final class TestZooKeeper implements AutoCloseable {

    /** The Debian package's server jar; its presence is the check for the package. */
    static final Path DEBIAN_JAR = Path.of("/usr/share/java/zookeeper.jar");

    /** SLF4J's binding that logs to standard error, from Debian's libslf4j-java. */
    static final Path DEBIAN_SLF4J_SIMPLE = Path.of("/usr/share/java/slf4j-simple.jar");

    static final String MAIN_CLASS = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

    /** Tries against another process taking the probed free port before the server binds it. */
    private static final int BIND_ATTEMPTS = 3;

    private final Path dir;
    private final Process process;
    private final EmbeddedZooKeeper embedded;
    private final int port;

    private TestZooKeeper(Path dir, Process process, EmbeddedZooKeeper embedded, int port) {
        this.dir = dir;
        this.process = process;
        this.embedded = embedded;
        this.port = port;
    }

    /** Starts Debian's server in {@code dir} if the package is installed, else the embedded one. */
    static TestZooKeeper start(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Files.isRegularFile(DEBIAN_JAR)) {
            System.out.println("[system-tests] Debian's zookeeper package is not installed (no " + DEBIAN_JAR
                    + "): using the embedded ZooKeeper server in the test JVM instead");
            EmbeddedZooKeeper zk = EmbeddedZooKeeper.startOnFreePort(dir);
            return new TestZooKeeper(dir, null, zk, zk.port());
        }
        RuntimeException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            try {
                return startDebian(dir, attempt);
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    private static TestZooKeeper startDebian(Path dir, int attempt) {
        int port = FreePorts.next();
        Path config = dir.resolve("zoo.cfg");
        Path log = dir.resolve("zookeeper.log");
        try {
            Files.writeString(
                    config,
                    String.join(
                            "\n",
                            "tickTime=500",
                            "initLimit=10",
                            "syncLimit=5",
                            "dataDir=" + dir.resolve("data").toAbsolutePath(),
                            "clientPort=" + port,
                            "clientPortAddress=127.0.0.1",
                            "maxSessionTimeout=30000",
                            "admin.enableServer=false",
                            "4lw.commands.whitelist=srvr,ruok",
                            ""));
            List<String> classPath = new ArrayList<>(List.of(DEBIAN_JAR.toString()));
            if (Files.isRegularFile(DEBIAN_SLF4J_SIMPLE)) {
                classPath.add(DEBIAN_SLF4J_SIMPLE.toString());
            }
            Process process = new ProcessBuilder(
                            BrokerProcess.javaCommand(),
                            "-Xmx128m",
                            "-Dorg.slf4j.simpleLogger.showDateTime=true",
                            "-cp",
                            String.join(":", classPath),
                            MAIN_CLASS,
                            config.toAbsolutePath().toString())
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            TestZooKeeper zk = new TestZooKeeper(dir, process, null, port);
            try {
                String version = zk.awaitServing(Duration.ofSeconds(60));
                System.out.println("[system-tests] Debian's ZooKeeper server (" + version + ") started as process "
                        + process.pid() + " on 127.0.0.1:" + port);
                return zk;
            } catch (RuntimeException e) {
                zk.close();
                throw new IllegalStateException(
                        "ZooKeeper did not start (attempt " + (attempt + 1) + "); its log:\n" + zk.logTail(40), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the server answers {@code srvr} in standalone mode; returns its version line. */
    private String awaitServing(Duration timeout) {
        String[] version = new String[1];
        try {
            Awaitility.await("ZooKeeper serving on port " + port)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("ZooKeeper exited with " + process.exitValue());
                        }
                        Optional<String> answer = fourLetterWord("srvr");
                        answer.filter(a -> a.contains("Mode: standalone"))
                                .ifPresent(
                                        a -> version[0] = a.lines().findFirst().orElse(a));
                        return version[0] != null;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("ZooKeeper not serving after " + timeout, e);
        }
        return version[0];
    }

    /** Sends one of ZooKeeper's four-letter commands; empty if the server does not answer it. */
    private Optional<String> fourLetterWord(String command) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return answer.isEmpty() ? Optional.empty() : Optional.of(answer);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code 127.0.0.1:<port>}, for {@code brook.zookeeper.connect}. */
    String connectString() {
        return "127.0.0.1:" + port;
    }

    /** Whether this is Debian's server in a process of its own (else the embedded fallback). */
    boolean isExternalProcess() {
        return process != null;
    }

    /** The last {@code lines} lines of the server's log (empty for the embedded server). */
    String logTail(int lines) {
        return process == null ? "" : BrokerProcess.tail(dir.resolve("zookeeper.log"), lines);
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
