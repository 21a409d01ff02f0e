package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker as users run it: its executable jar started as a process from an empty folder (only
 * the ports moved off the defaults, through environment variables, so that tests can run beside
 * anything), used with kcat, stopped with SIGTERM, and started again on the same folder.
 */
class ExecutableJarIT {

    @TempDir
    Path workDir;

    static File jar() {
        File[] found = new File("../broker-service/target")
                .listFiles((dir, name) -> name.startsWith("broker-service-") && name.endsWith("-exec.jar"));
        assertThat(found)
                .as("the broker's executable jar is built before the system tests")
                .isNotEmpty();
        return found[0];
    }

    Process start(int port, int zkPort, int httpPort) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"), "-jar", jar().getAbsolutePath())
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("broker.out").toFile());
        Map<String, String> env = builder.environment();
        env.put("BROOK_BROKER_PORT", String.valueOf(port));
        env.put("BROOK_ZOOKEEPER_EMBEDDED_PORT", String.valueOf(zkPort));
        env.put("SERVER_PORT", String.valueOf(httpPort));
        Process process = builder.start();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            assertThat(process.isAlive()).as("broker running; see broker.out").isTrue();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return Files.readString(workDir.resolve("broker.out")).contains("is up on");
            } catch (IOException e) {
                return false;
            }
        });
        return process;
    }

    static List<String> kcat(String input, String... args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(false).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out.isEmpty() ? List.of() : List.of(out.strip().split("\n"));
    }

    @Test
    void runsFromAnEmptyFolderStopsCleanlyOnSigtermAndKeepsItsData() throws Exception {
        int port = FreePorts.next();
        int zkPort = FreePorts.next();
        int httpPort = FreePorts.next();
        String bootstrap = "127.0.0.1:" + port;

        Process broker = start(port, zkPort, httpPort);
        kcat("k1:v1\nk2:v2\n", "kcat", "-b", bootstrap, "-t", "jar-topic", "-P", "-K:");
        broker.destroy(); // SIGTERM, as Ctrl-C or Kubernetes would
        assertThat(broker.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(workDir.resolve("broker.out"));
        assertThat(log).contains("Broker 0 stopped").doesNotContain("ERROR");
        // Data under the working directory, closed cleanly: the next start skips recovery.
        assertThat(workDir.resolve("data/broker-0/jar-topic-0/.clean-shutdown")).exists();

        Process again = start(port, zkPort, httpPort);
        try {
            assertThat(kcat(
                            null,
                            "kcat",
                            "-b",
                            bootstrap,
                            "-t",
                            "jar-topic",
                            "-C",
                            "-e",
                            "-o",
                            "beginning",
                            "-f",
                            "%k=%s\\n"))
                    .containsExactly("k1=v1", "k2=v2");
        } finally {
            again.destroy();
            again.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
