package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as a process of its executable jar ({@code
 * gateway-service/target/gateway-service-*-exec.jar}) on a free loopback port, pointed at the
 * given brokers; its output goes to {@code gateway.log} in its folder. Stopped with SIGTERM.
 *
 * <p>Threading: the test's thread only.
 */
final class GatewayProcess implements AutoCloseable {

    private final Path dir;
    private final int httpPort;
    private final Process process;

    private GatewayProcess(Path dir, int httpPort, Process process) {
        this.dir = dir;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** Starts the gateway and returns at once (wait on its readiness). */
    static GatewayProcess start(Path dir, String bootstrapServers) {
        int port = FreePorts.next();
        List<String> command = new ArrayList<>();
        command.add(BrokerProcess.javaCommand());
        command.addAll(BrokerProcess.JVM_OPTIONS);
        command.addAll(List.of(
                "-jar",
                executableJar().getAbsolutePath(),
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--brook.gateway.bootstrap-servers=" + bootstrapServers,
                "--spring.main.banner-mode=off"));
        try {
            Files.createDirectories(dir);
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("gateway.log").toFile())
                    .start();
            return new GatewayProcess(dir, port, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int httpPort() {
        return httpPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail(int lines) {
        return BrokerProcess.tail(dir.resolve("gateway.log"), lines);
    }

    /** SIGTERM, then SIGKILL if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code gateway-service/target/gateway-service-*-exec.jar}, built by the reactor before us. */
    static File executableJar() {
        File[] found = new File("../gateway-service/target")
                .listFiles((folder, name) -> name.startsWith("gateway-service-") && name.endsWith("-exec.jar"));
        assertThat(found)
                .as("the gateway's executable jar is built before the system tests (run with -am)")
                .isNotEmpty();
        return found[0];
    }
}
