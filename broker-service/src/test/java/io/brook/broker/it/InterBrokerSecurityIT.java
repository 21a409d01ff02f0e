package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.TestCertificates;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers whose only listeners are secured: a named INTERNAL listener on SASL_SSL that
 * followers use (SCRAM-SHA-512 as the broker user, trusting the test CA) and an EXTERNAL one on
 * SASL_PLAINTEXT for clients. A replication-factor-2 topic takes acks=all writes and the follower
 * catches up over the inter-broker listener; both endpoints are registered in ZooKeeper and each
 * listener's clients see their own.
 */
class InterBrokerSecurityIT {

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static TestCertificates.Issued brokerCert;
    static final String BROKER_PASSWORD = "broker-" + Long.toHexString(System.nanoTime());
    static final String CLIENT_PASSWORD = "client-" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void start() throws Exception {
        TestCertificates ca = TestCertificates.create(tmp.resolve("pki"), "cluster-ca");
        brokerCert = ca.issue("broker");
        cluster = TestCluster.start(
                tmp,
                2,
                "--brook.broker.listeners=INTERNAL://127.0.0.1:{port},EXTERNAL://127.0.0.1:{port2}",
                "--brook.broker.listener-security-protocol-map=INTERNAL:SASL_SSL,EXTERNAL:SASL_PLAINTEXT",
                "--brook.broker.inter-broker-listener-name=INTERNAL",
                "--brook.broker.inter-broker.sasl-mechanism=SCRAM-SHA-512",
                "--brook.broker.inter-broker.username=broker",
                "--brook.broker.inter-broker.password=" + BROKER_PASSWORD,
                "--brook.broker.ssl.keystore-location=" + brokerCert.keystore(),
                "--brook.broker.ssl.keystore-password=" + brokerCert.password(),
                "--brook.broker.ssl.truststore-location=" + ca.truststore(),
                "--brook.broker.ssl.truststore-password=" + ca.storePassword,
                "--brook.broker.replica-fetch-backoff-ms=200",
                "--brook.broker.offsets-topic-replication-factor=2");
        for (int id = 1; id <= 2; id++) {
            cluster.broker(id).addScramUser("broker", BROKER_PASSWORD);
            cluster.broker(id).addScramUser("client", CLIENT_PASSWORD);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>();
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + cluster.broker(1).port2 + ",127.0.0.1:" + cluster.broker(2).port2);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-256");
        config.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"client\" password=\""
                        + CLIENT_PASSWORD + "\";");
        return config;
    }

    @Test
    void bothEndpointsAreRegisteredAndClientsSeeTheirListenersOwn() throws Exception {
        MetadataCache cache = cluster.broker(1).bean(MetadataCache.class);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> cache.image().broker(2).isPresent());
        BrokerRegistration two = cache.image().broker(2).orElseThrow();
        assertThat(two.endpoints())
                .containsExactlyInAnyOrder(
                        new Endpoint("INTERNAL", "127.0.0.1", cluster.broker(2).port, SecurityProtocol.SASL_SSL),
                        new Endpoint(
                                "EXTERNAL", "127.0.0.1", cluster.broker(2).port2, SecurityProtocol.SASL_PLAINTEXT));
        try (Admin admin = Admin.create(client())) {
            assertThat(admin.describeCluster().nodes().get())
                    .extracting(Node::port)
                    .containsExactlyInAnyOrder(cluster.broker(1).port2, cluster.broker(2).port2);
        }
    }

    @Test
    void aBrokerWithoutTheClientsListenerIsLeftOutOfTheirMetadata() throws Exception {
        try (TestBroker internalOnly = new TestBroker(
                        3,
                        tmp.resolve("broker-3"),
                        cluster.zookeeperConnect(),
                        "--brook.broker.listeners=INTERNAL://127.0.0.1:{port}",
                        "--brook.broker.listener-security-protocol-map=INTERNAL:SASL_SSL",
                        "--brook.broker.ssl.keystore-location=" + brokerCert.keystore(),
                        "--brook.broker.ssl.keystore-password=" + brokerCert.password())
                .start()) {
            // (both brokers' caches are awaited: the Admin client may ask either)
            List<MetadataCache> caches = List.of(
                    cluster.broker(1).bean(MetadataCache.class),
                    cluster.broker(2).bean(MetadataCache.class));
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            caches.stream().allMatch(c -> c.image().brokers().size() == 3));
            try (Admin admin = Admin.create(client())) {
                admin.createTopics(List.of(new NewTopic("on-three", Map.of(0, List.of(3)))))
                        .all()
                        .get();
                assertThat(admin.describeCluster().nodes().get())
                        .extracting(Node::id)
                        .containsExactlyInAnyOrder(1, 2);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> caches.stream()
                                .allMatch(c -> c.image()
                                        .partitionState(new TopicPartition("on-three", 0))
                                        .map(s -> s.leader() == 3)
                                        .orElse(false)));
                org.apache.kafka.common.TopicPartitionInfo partition = admin.describeTopics(List.of("on-three"))
                        .allTopicNames()
                        .get()
                        .get("on-three")
                        .partitions()
                        .get(0);
                assertThat(partition.leader()).isNull();
            }
        }
    }

    @Test
    void theFollowerCatchesUpOverTheSecuredInterBrokerListener() throws Exception {
        String topic = "replicated";
        try (Admin admin = Admin.create(client())) {
            admin.createTopics(List.of(new NewTopic(topic, Map.of(0, List.of(1, 2)))))
                    .all()
                    .get();
        }
        Map<String, Object> producerConfig = client();
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 20; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int id = 1; id <= 2; id++) {
                Optional<Partition> partition =
                        cluster.broker(id).bean(ReplicaManager.class).partition(tp);
                assertThat(partition).isPresent();
                assertThat(partition.get().log().logEndOffset())
                        .as("log end on broker %d", id)
                        .isEqualTo(20);
            }
        });
    }
}
