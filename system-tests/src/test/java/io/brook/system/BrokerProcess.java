package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker as a process of the executable jar, with its own id, Kafka port, HTTP (actuator)
 * port and folder; the ports and the folder stay the same across restarts, as they would for a
 * broker on a machine of its own.
 *
 * <table>
 *   <caption>States and the signals that move between them</caption>
 *   <tr><th>state</th><th>call</th><th>signal</th><th>next</th></tr>
 *   <tr><td>stopped</td><td>{@link #start}</td><td>-</td><td>running</td></tr>
 *   <tr><td>running</td><td>{@link #kill}</td><td>SIGKILL</td><td>stopped (no clean shutdown:
 *       logs recovered and ZooKeeper session left to expire)</td></tr>
 *   <tr><td>running</td><td>{@link #terminate}</td><td>SIGTERM</td><td>stopped (controlled:
 *       deregistered, logs closed cleanly)</td></tr>
 *   <tr><td>running</td><td>{@link #pause}</td><td>SIGSTOP</td><td>paused (alive, silent: its
 *       ZooKeeper session and its replica fetches stall)</td></tr>
 *   <tr><td>paused</td><td>{@link #resume}</td><td>SIGCONT</td><td>running</td></tr>
 * </table>
 *
 * <p>Folder layout: {@code data/} (the partition logs, {@code brook.broker.data-dir}) and {@code
 * broker.log}, the process's standard output and error, appended to across restarts with a line
 * marking each start.
 *
 * <p>Waiting until the broker is registered needs a Kafka client, so that is {@link
 * BrokerProcessCluster}'s business; this class only runs the process. Threading: meant to be
 * driven from the test's thread.
 */
final class BrokerProcess {

    /**
     * JVM options of each broker: a small heap (three to four brokers, ZooKeeper and the test share
     * two cores and a few GB) and C1 only, which halves Spring Boot's start-up on a busy machine;
     * the tests measure correctness, not speed.
     */
    static final List<String> JVM_OPTIONS = List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private static final String START_MARKER = "=== [system-tests] start #";
    private static final String START_FAILED = "Application run failed";

    private final int id;
    private final int port;
    private final int httpPort;
    private final Path dir;
    private final String zookeeperConnect;
    private final Map<String, String> properties;
    private Process process;
    private boolean paused;
    private int starts;

    /**
     * @param properties further Spring properties, passed as {@code --name=value}; they come after
     *     the fixture's own, so they can override them
     */
    BrokerProcess(int id, Path dir, String zookeeperConnect, Map<String, String> properties) {
        this.id = id;
        this.port = FreePorts.next();
        this.httpPort = FreePorts.next();
        this.dir = dir;
        this.zookeeperConnect = zookeeperConnect;
        this.properties = Map.copyOf(properties);
    }

    int id() {
        return id;
    }

    int port() {
        return port;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The HTTP port: actuator probes and {@code /actuator/prometheus}. */
    int httpPort() {
        return httpPort;
    }

    /** Where the partition logs are: {@code <topic>-<partition>/} folders of segments. */
    Path dataDir() {
        return dir.resolve("data");
    }

    Path logFile() {
        return dir.resolve("broker.log");
    }

    long pid() {
        requireAlive();
        return process.pid();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    boolean isPaused() {
        return paused;
    }

    /** The exit code of the last process, if it has exited. */
    Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** Starts the process (on the same ports and data as any previous one) and returns at once. */
    void start() {
        if (isAlive()) {
            throw new IllegalStateException("broker " + id + " is running");
        }
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-jar", executableJar().getAbsolutePath()));
        command.addAll(List.of(
                "--brook.broker.id=" + id,
                "--brook.broker.host=127.0.0.1",
                "--brook.broker.port=" + port,
                "--brook.broker.advertised-host=127.0.0.1",
                "--brook.broker.data-dir=" + dataDir().toAbsolutePath(),
                "--brook.zookeeper.connect=" + zookeeperConnect,
                "--server.port=" + httpPort,
                "--server.address=127.0.0.1"));
        properties.forEach((name, value) -> command.add("--" + name + "=" + value));
        try {
            Files.createDirectories(dir);
            starts++;
            Files.writeString(
                    logFile(),
                    START_MARKER + starts + " of broker " + id + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile()))
                    .start();
            paused = false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: the process ends at once, as on a power cut of its machine. */
    void kill() {
        requireAlive();
        note("SIGKILL");
        process.destroyForcibly();
        awaitExit(30);
        paused = false;
    }

    /** SIGTERM, and waits for the controlled shutdown to finish. */
    void terminate() {
        requireAlive();
        if (paused) {
            resume();
        }
        note("SIGTERM");
        process.destroy();
        awaitExit(90);
    }

    /** SIGSTOP: the process stays, frozen; nothing it does (heartbeats, fetches) happens. */
    void pause() {
        requireAlive();
        note("SIGSTOP");
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause}. */
    void resume() {
        requireAlive();
        signal("CONT");
        paused = false;
        note("SIGCONT");
    }

    /** Ends the process if it runs, without caring how (test cleanup). */
    void destroy() {
        if (process != null && process.isAlive()) {
            if (paused) {
                signal("CONT");
            }
            process.destroyForcibly();
            awaitExit(30);
        }
    }

    /**
     * Whether the process's latest start failed: Spring Boot logged "Application run failed" (the
     * JVM may stay alive after it, on the threads the failed start left behind).
     */
    boolean startFailed() {
        try {
            String log = new String(Files.readAllBytes(logFile()), StandardCharsets.UTF_8);
            int lastStart = log.lastIndexOf(START_MARKER);
            return log.indexOf(START_FAILED, Math.max(lastStart, 0)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The last {@code lines} lines of {@code broker.log}. */
    String logTail(int lines) {
        return tail(logFile(), lines);
    }

    private void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(kill.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue())
                    .as("kill -%s %s: %s", name, process.pid(), out)
                    .isZero();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void note(String what) {
        try {
            Files.writeString(
                    logFile(),
                    "=== [system-tests] " + what + " to broker " + id + " at " + Instant.now() + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitExit(int seconds) {
        try {
            assertThat(process.waitFor(seconds, TimeUnit.SECONDS))
                    .as("broker %s exited within %ss", id, seconds)
                    .isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void requireAlive() {
        if (!isAlive()) {
            throw new IllegalStateException("broker " + id + " is not running");
        }
    }

    @Override
    public String toString() {
        return "broker " + id + " (127.0.0.1:" + port + (isAlive() ? ", pid " + process.pid() : ", not running")
                + (paused ? ", paused" : "") + ")";
    }

    /** The java of the test's JVM, so that brokers run on the same Java. */
    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code broker-service/target/broker-service-*-exec.jar}, built by the reactor before us. */
    static File executableJar() {
        File[] found = new File("../broker-service/target")
                .listFiles((folder, name) -> name.startsWith("broker-service-") && name.endsWith("-exec.jar"));
        assertThat(found)
                .as("the broker's executable jar is built before the system tests")
                .isNotEmpty();
        return found[0];
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no " + file.getFileName() + ")";
            }
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8)
                    .lines()
                    .toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
