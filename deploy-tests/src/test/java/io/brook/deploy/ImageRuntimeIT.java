package io.brook.deploy;

import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.root;
import static io.brook.deploy.DeployFiles.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The images' runtime configuration without Docker: each Dockerfile's last stage run by {@link
 * ImageAsProcess} on the jar its build stage would copy (the reactor's {@code -exec.jar}), with
 * the image's own ENV, ENTRYPOINT and HEALTHCHECK. The broker, with no ZooKeeper address as in a
 * one-container try-out, runs its embedded ZooKeeper and keeps both its logs and ZooKeeper's data
 * in the image's volume; its health check passes once it is ready; the Java client produces to
 * it at the image's default advertised host; the gateway image's health check passes against it;
 * JAVA_TOOL_OPTIONS reaches both JVMs; Debian's Prometheus on the compose scrape configuration
 * scrapes them and loads the alert rules; and SIGTERM stops the broker cleanly (every partition
 * marked clean). {@link DockerImagesIT} does the same with the real images where Docker runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageRuntimeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path containers;

    private static int kafkaPort;
    private static int brokerHttpPort;
    private static int gatewayHttpPort;
    private static ImageAsProcess broker;
    private static ImageAsProcess gateway;

    @BeforeAll
    static void startBrokerImage() throws IOException {
        if (!Tool.CURL.installed()) {
            return; // every test is skipped by requireCurl
        }
        kafkaPort = freePort();
        brokerHttpPort = freePort();
        broker = new ImageAsProcess(
                Dockerfile.parse(read(docker("broker/Dockerfile"))).last(),
                containers.resolve("broker"),
                Map.of("/opt/brook/broker.jar", executableJar("broker-service")),
                Map.of(
                        "BROOK_BROKER_HOST", "127.0.0.1",
                        "BROOK_BROKER_PORT", String.valueOf(kafkaPort),
                        "BROOK_ZOOKEEPER_EMBEDDEDPORT", String.valueOf(freePort()),
                        "SERVER_ADDRESS", "127.0.0.1",
                        "SERVER_PORT", String.valueOf(brokerHttpPort)),
                8090,
                brokerHttpPort);
        broker.start();
    }

    /** The images' health checks are curl commands, run here as they are. */
    @BeforeEach
    void requireCurl() {
        Tool.CURL.require();
    }

    @AfterAll
    static void stopProcesses() {
        if (gateway != null) {
            gateway.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void brokerImagePassesItsHealthCheckAndKeepsDataInItsVolume() throws Exception {
        broker.awaitHealthy(Duration.ofMinutes(2));

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + kafkaPort);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("image-orders", "k" + i, "v" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        assertThat(broker.path("/var/lib/brook/data/image-orders-0")).isDirectory();
        assertThat(broker.path("/var/lib/brook/zookeeper")).isNotEmptyDirectory();
        assertThat(broker.log()).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75.0");
    }

    @Test
    @Order(2)
    void gatewayImagePassesItsHealthCheckAgainstTheBroker() throws Exception {
        gatewayHttpPort = freePort();
        gateway = new ImageAsProcess(
                Dockerfile.parse(read(docker("gateway/Dockerfile"))).last(),
                containers.resolve("gateway"),
                Map.of("/opt/brook/gateway.jar", executableJar("gateway-service")),
                Map.of(
                        "BROOK_GATEWAY_BOOTSTRAPSERVERS",
                        "127.0.0.1:" + kafkaPort,
                        "SERVER_ADDRESS",
                        "127.0.0.1",
                        "SERVER_PORT",
                        String.valueOf(gatewayHttpPort)),
                8080,
                gatewayHttpPort);
        gateway.start();

        // Readiness includes the Kafka health indicator: the cluster is reached.
        gateway.awaitHealthy(Duration.ofMinutes(2));
        HttpResponse<String> metrics = get(gatewayHttpPort, "/actuator/prometheus");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        assertThat(gateway.log()).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75.0");
    }

    /**
     * Debian's Prometheus server on docker/prometheus/prometheus.yml, its targets moved from the
     * compose service names to these processes (one broker here) and its interval shortened, the
     * rules file beside it: the scrape paths reach the actuators, the alert rules load, and a
     * gateway metric of the contract arrives with the value the test caused.
     */
    @Test
    @Order(3)
    void composeScrapeConfigScrapesTheGatewayAndLoadsTheAlertRules(@TempDir Path dir) throws Exception {
        Tool.PROMETHEUS.require();
        HttpResponse<String> produced = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gatewayHttpPort + "/topics/image-orders"))
                        .header("Content-Type", "application/vnd.kafka.json.v2+json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"records\": [{\"value\": 1}, {\"value\": 2}, {\"value\": 3}]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);

        Map<String, Object> config = yaml(read(docker("prometheus/prometheus.yml")));
        DeployFiles.map(config.get("global")).put("scrape_interval", "1s");
        for (Object job : DeployFiles.list(config.get("scrape_configs"))) {
            Map<String, Object> j = DeployFiles.cast(job);
            String target = j.get("job_name").equals("brook-broker")
                    ? "127.0.0.1:" + brokerHttpPort
                    : j.get("job_name").equals("brook-gateway") ? "127.0.0.1:" + gatewayHttpPort : null;
            if (target != null) {
                j.put("static_configs", List.of(Map.of("targets", List.of(target))));
            }
        }
        Files.writeString(dir.resolve("prometheus.yml"), new Yaml().dump(config));
        Files.copy(docker("prometheus/alerts.yml"), dir.resolve("alerts.yml"));
        int port = freePort();
        Process prometheus = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        try {
            Awaitility.await("the gateway target up and its produced-records counter scraped")
                    .atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertThat(prometheus.isAlive()).isTrue();
                        assertThat(query(port, "up{job=\"brook-gateway\"}")).isEqualTo("1");
                        assertThat(query(port, "sum(brook_gateway_produced_records_total{topic=\"image-orders\"})"))
                                .isEqualTo("3");
                    });
            JsonNode targets = JSON.readTree(get(port, "/api/v1/targets").body());
            assertThat(targets.path("data").path("activeTargets").findValuesAsString("scrapeUrl"))
                    .contains(
                            "http://127.0.0.1:" + brokerHttpPort + "/actuator/prometheus",
                            "http://127.0.0.1:" + gatewayHttpPort + "/actuator/prometheus");
            JsonNode rules = JSON.readTree(get(port, "/api/v1/rules").body());
            assertThat(rules.path("data").path("groups").findValuesAsString("name"))
                    .contains("BrookActiveControllerCount", "BrookConsumerLagGrowing", "BrookOfflinePartitions");
        } finally {
            prometheus.destroy();
            prometheus.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(4)
    void brokerImageStopsCleanlyOnSigterm() throws Exception {
        broker.stop();

        Path partition = broker.path("/var/lib/brook/data/image-orders-0");
        assertThat(partition.resolve(".clean-shutdown"))
                .as("clean-shutdown marker after SIGTERM; log:\n" + broker.logTail())
                .exists();
    }

    /** The value of a PromQL query's single result, or "" while there is none. */
    private static String query(int port, String promql) throws Exception {
        String url = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        JsonNode result = JSON.readTree(get(port, url).body()).path("data").path("result");
        return result.size() == 1 ? result.get(0).path("value").get(1).asString() : "";
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code <module>/target/<module>-*-exec.jar}: what the Dockerfile's build stage copies. */
    private static Path executableJar(String module) {
        File[] jars = root().resolve(module)
                .resolve("target")
                .toFile()
                .listFiles((dir, name) -> name.startsWith(module + "-") && name.endsWith("-exec.jar"));
        if (jars == null || jars.length != 1) {
            throw new IllegalStateException(module + "'s -exec.jar is not built: run with -am (the reactor builds it)");
        }
        return jars[0].toPath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
