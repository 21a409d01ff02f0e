package io.brook.gateway.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./brook dev} as a user runs it: the script started as a process (on free ports, data in a
 * temp dir, the jars the reactor built), the whole stack answering through the gateway, then
 * SIGINT (Ctrl-C) stopping every process it started.
 */
class BrookDevIT {

    @TempDir
    Path data;

    @Test
    void brookDevStartsThreeBrokersAndTheGatewayAndCtrlCStopsThemAll() throws Exception {
        int gatewayPort = BrokerProcess.freePort();
        Path out = data.resolve("dev.out");
        // A background launcher may have left SIGINT ignored, and bash cannot trap a signal ignored
        // at its start: python resets it to the default before exec'ing the script, as a terminal has it.
        ProcessBuilder builder = new ProcessBuilder(
                        "/usr/bin/python3",
                        "-c",
                        "import os, signal; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                                + "os.execvp('bash', ['bash', 'brook', 'dev'])")
                .directory(new File(".."))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        Map<String, String> env = builder.environment();
        env.put("BROOK_DEV_KAFKA_PORTS", ports(3));
        env.put("BROOK_DEV_BROKER_HTTP_PORTS", ports(3));
        env.put("BROOK_DEV_ZOOKEEPER_PORT", String.valueOf(BrokerProcess.freePort()));
        env.put("BROOK_DEV_GATEWAY_PORT", String.valueOf(gatewayPort));
        env.put("BROOK_DEV_DATA", data.resolve("dev").toString());
        env.put("BROOK_DEV_JAVA_OPTS", "-Xmx256m");
        // The reactor built both jars before this test (package comes before integration-test).
        env.put("BROOK_DEV_SKIP_BUILD", "1");
        Process script = builder.start();
        try {
            await().atMost(Duration.ofSeconds(240))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        String text = Files.readString(out);
                        assertThat(script.isAlive()).as(text).isTrue();
                        return text.contains("Brook is running");
                    });
            HttpClient http = HttpClient.newHttpClient();
            String clusters = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v3/clusters"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String cluster = clusters.replaceAll(".*\"cluster_id\":\"([^\"]+)\".*", "$1");
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                String brokers = http.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayPort + "/v3/clusters/"
                                                + cluster + "/brokers"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                return brokers.split("\"broker_id\"").length - 1 == 3;
            });
            List<ProcessHandle> children = script.descendants().toList();
            assertThat(children).hasSizeGreaterThanOrEqualTo(4);

            new ProcessBuilder("kill", "-INT", String.valueOf(script.pid()))
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            assertThat(script.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(out)).contains("Stopped.");
            await().atMost(Duration.ofSeconds(30)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        } finally {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    private static String ports(int n) throws Exception {
        StringBuilder ports = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ports.append(i == 0 ? "" : " ").append(BrokerProcess.freePort());
        }
        return ports.toString();
    }
}
