package io.brook.deploy;

import static io.brook.deploy.DeployFiles.docker;
import static io.brook.deploy.DeployFiles.read;
import static io.brook.deploy.DeployFiles.root;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images' runtime configuration without Docker: each Dockerfile's last stage run by {@link
 * ImageAsProcess} on the jar its build stage would copy (the reactor's {@code -exec.jar}), with
 * the image's own ENV, ENTRYPOINT and HEALTHCHECK. The broker, with no ZooKeeper address as in a
 * one-container try-out, runs its embedded ZooKeeper and keeps both its logs and ZooKeeper's data
 * in the image's volume; its health check passes once it is ready; the Java client produces to
 * it at the image's default advertised host; the gateway image's health check passes against it;
 * JAVA_TOOL_OPTIONS reaches both JVMs; and SIGTERM stops the broker cleanly (every partition
 * marked clean). {@link DockerImagesIT} does the same with the real images where Docker runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageRuntimeIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path containers;

    private static int kafkaPort;
    private static ImageAsProcess broker;

    @BeforeAll
    static void startBrokerImage() throws IOException {
        kafkaPort = freePort();
        int httpPort = freePort();
        broker = new ImageAsProcess(
                Dockerfile.parse(read(docker("broker/Dockerfile"))).last(),
                containers.resolve("broker"),
                Map.of("/opt/brook/broker.jar", executableJar("broker-service")),
                Map.of(
                        "BROOK_BROKER_HOST", "127.0.0.1",
                        "BROOK_BROKER_PORT", String.valueOf(kafkaPort),
                        "BROOK_ZOOKEEPER_EMBEDDEDPORT", String.valueOf(freePort()),
                        "SERVER_ADDRESS", "127.0.0.1",
                        "SERVER_PORT", String.valueOf(httpPort)),
                8090,
                httpPort);
        broker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void brokerImagePassesItsHealthCheckAndKeepsDataInItsVolume() throws Exception {
        Awaitility.await("the broker image's HEALTHCHECK")
                .atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofSeconds(1))
                .until(broker::healthy);

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
    void gatewayImagePassesItsHealthCheckAgainstTheBroker(@TempDir Path gatewayRoot) throws Exception {
        int httpPort = freePort();
        try (ImageAsProcess gateway = new ImageAsProcess(
                Dockerfile.parse(read(docker("gateway/Dockerfile"))).last(),
                gatewayRoot,
                Map.of("/opt/brook/gateway.jar", executableJar("gateway-service")),
                Map.of(
                        "BROOK_GATEWAY_BOOTSTRAPSERVERS",
                        "127.0.0.1:" + kafkaPort,
                        "SERVER_ADDRESS",
                        "127.0.0.1",
                        "SERVER_PORT",
                        String.valueOf(httpPort)),
                8080,
                httpPort)) {
            gateway.start();

            // Readiness includes the Kafka health indicator: the cluster is reached.
            Awaitility.await("the gateway image's HEALTHCHECK")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(gateway::healthy);
            HttpResponse<String> metrics = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/actuator/prometheus"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
            assertThat(gateway.log()).contains("Picked up JAVA_TOOL_OPTIONS: -XX:MaxRAMPercentage=75.0");
            gateway.stop();
        }
    }

    @Test
    @Order(3)
    void brokerImageStopsCleanlyOnSigterm() throws Exception {
        broker.stop();

        Path partition = broker.path("/var/lib/brook/data/image-orders-0");
        assertThat(partition.resolve(".clean-shutdown"))
                .as("clean-shutdown marker after SIGTERM; log:\n" + broker.logTail())
                .exists();
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
