package io.brook.deploy;

import static io.brook.deploy.DeployFiles.root;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * The images for real, with Testcontainers: both are built from {@code docker/*}{@code
 * /Dockerfile} with the repository as context (so the build stage's Maven wrapper build is what is
 * tested), a broker runs on the official ZooKeeper image, and the Java client creates a topic,
 * produces and consumes through it; the gateway image starts and serves its actuator. Skipped,
 * with the reason, where no Docker engine answers (a Docker CLI alone is not enough); {@link
 * DockerfilesTest} and {@link ComposeFileTest} check the files there.
 *
 * <p>The broker advertises one address to its clients, and a client on the host reaches the
 * container only through a published port; so the broker listens inside on the same port number
 * that is published on the host ({@code BROOK_BROKER_PORT}), and advertises the Docker host's
 * address. (The compose file uses two listeners for this instead.)
 */
@EnabledIf(value = "dockerEngineAvailable", disabledReason = DockerImagesIT.NO_ENGINE)
class DockerImagesIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Network network;
    private static GenericContainer<?> zookeeper;
    private static GenericContainer<?> broker;
    private static int kafkaPort;

    static final String NO_ENGINE = "No Docker engine reachable (DOCKER_HOST or /var/run/docker.sock):"
            + " the images are not built or run here; DockerfilesTest and ComposeFileTest check the files";

    /** The class's condition; says on standard output why it is skipped, next to Surefire's count. */
    static boolean dockerEngineAvailable() {
        boolean available = DockerClientFactory.instance().isDockerAvailable();
        if (!available) {
            System.out.println("DockerImagesIT skipped: " + NO_ENGINE);
        }
        return available;
    }

    @BeforeAll
    static void startBrokerOnZooKeeper() throws IOException {
        Path root = root();
        network = Network.newNetwork();
        zookeeper = new GenericContainer<>(DockerImageName.parse("zookeeper:3.9"))
                .withNetwork(network)
                .withNetworkAliases("zookeeper")
                .withExposedPorts(2181)
                .waitingFor(Wait.forListeningPort());
        zookeeper.start();

        kafkaPort = freePort();
        ImageFromDockerfile image = new ImageFromDockerfile("brook/broker-it", true)
                .withFileFromPath(".", root)
                .withDockerfile(root.resolve("docker/broker/Dockerfile"));
        broker = new GenericContainer<>(image)
                .withNetwork(network)
                .withEnv("BROOK_ZOOKEEPER_CONNECT", "zookeeper:2181")
                .withEnv("BROOK_BROKER_ID", "1")
                .withEnv("BROOK_BROKER_PORT", String.valueOf(kafkaPort))
                .withEnv(
                        "BROOK_BROKER_ADVERTISEDHOST",
                        DockerClientFactory.instance().dockerHostIpAddress())
                .withEnv("BROOK_BROKER_OFFSETSTOPICREPLICATIONFACTOR", "1")
                .withExposedPorts(8090, kafkaPort)
                .withCreateContainerCmdModifier(cmd -> {
                    Ports bindings = cmd.getHostConfig().getPortBindings() == null
                            ? new Ports()
                            : cmd.getHostConfig().getPortBindings();
                    bindings.bind(ExposedPort.tcp(kafkaPort), Ports.Binding.bindPort(kafkaPort));
                    cmd.getHostConfig().withPortBindings(bindings);
                })
                // The image's own HEALTHCHECK (readiness) decides when it has started.
                .waitingFor(Wait.forHealthcheck().withStartupTimeout(Duration.ofMinutes(15)));
        broker.start();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.stop();
        }
        if (zookeeper != null) {
            zookeeper.stop();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void brokerImageServesTheJavaClientAsANonRootUserWithDataInItsVolume() throws Exception {
        String bootstrap = broker.getHost() + ":" + kafkaPort;
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("docker-orders", 2, (short) 1)))
                    .all()
                    .get(60, TimeUnit.SECONDS);
        }
        List<RecordMetadata> acks = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
            for (int i = 0; i < 100; i++) {
                acks.add(producer.send(new ProducerRecord<>("docker-orders", "k" + i, "v" + i))
                        .get(60, TimeUnit.SECONDS));
            }
        }
        assertThat(acks).hasSize(100);

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrap))) {
            consumer.subscribe(List.of("docker-orders"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
                return values.size() >= 100;
            });
        }
        assertThat(values).hasSize(100).contains("v0", "v99");

        assertThat(broker.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
        assertThat(broker.execInContainer("ls", "/var/lib/brook/data").getStdout())
                .contains("docker-orders-0")
                .contains("docker-orders-1");
        HttpResponse<String> readiness =
                get(broker.getHost(), broker.getMappedPort(8090), "/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
    }

    @Test
    void gatewayImageStartsAndServesItsActuator() throws Exception {
        Path root = root();
        ImageFromDockerfile image = new ImageFromDockerfile("brook/gateway-it", true)
                .withFileFromPath(".", root)
                .withDockerfile(root.resolve("docker/gateway/Dockerfile"));
        // Its readiness needs a cluster it can reach at the advertised address, which from inside
        // a container the host-published broker is not: liveness and the metrics endpoint here.
        try (GenericContainer<?> gateway = new GenericContainer<>(image)
                .withNetwork(network)
                .withEnv("BROOK_GATEWAY_BOOTSTRAPSERVERS", "broker-unreachable:9092")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/actuator/health/liveness")
                        .forPort(8080)
                        .withStartupTimeout(Duration.ofMinutes(15)))) {
            gateway.start();

            assertThat(gateway.execInContainer("id", "-u").getStdout().strip()).isEqualTo("10001");
            HttpResponse<String> metrics = get(gateway.getHost(), gateway.getMappedPort(8080), "/actuator/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("jvm_memory_used_bytes");
        }
    }

    private static HttpResponse<String> get(String host, int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Properties producerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    private static Properties consumerConfig(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "docker-it");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return p;
    }

    /** A port free on this host, published with the same number by the broker's container. */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
