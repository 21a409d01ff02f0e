package io.brook.gateway.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The v3 admin API (clusters, brokers, topics, configs, partitions, consumer groups) on a real broker. */
@GatewayIntegrationTest
class AdminApiIT {

    static String cluster;

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void discover() throws Exception {
        cluster = TestTopics.clusterId();
    }

    String v3(String path) {
        return "/v3/clusters/" + cluster + path;
    }

    JsonNode get(String uri) {
        return json.readTree(http.get()
                .uri(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    @Test
    void listsTheClusterAndItsBrokerWithConfigs() {
        JsonNode clusters = get("/v3/clusters");
        assertThat(clusters.get("kind").asString()).isEqualTo("KafkaClusterList");
        JsonNode one = clusters.get("data").get(0);
        assertThat(one.get("cluster_id").asString()).isEqualTo(cluster);
        assertThat(one.get("topics").get("related").asString()).endsWith("/v3/clusters/" + cluster + "/topics");
        assertThat(one.get("controller").get("related").asString()).endsWith("/brokers/0");
        assertThat(get(v3("")).get("metadata").get("self").asString()).endsWith("/v3/clusters/" + cluster);

        JsonNode brokers = get(v3("/brokers"));
        assertThat(brokers.get("data")).hasSize(1);
        JsonNode broker = brokers.get("data").get(0);
        assertThat(broker.get("broker_id").asInt()).isZero();
        assertThat(broker.get("port").asInt())
                .isEqualTo(Integer.parseInt(BrokerProcess.shared().bootstrap().split(":")[1]));
        assertThat(get(v3("/brokers/0")).get("host").asString()).isEqualTo("127.0.0.1");
        JsonNode configs = get(v3("/brokers/0/configs"));
        assertThat(configs.get("data"))
                .extracting(c -> c.get("name").asString())
                .contains("broker.id");
        http.get()
                .uri(v3("/brokers/42"))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40405);
    }

    @Test
    void createsGrowsConfiguresDescribesAndDeletesATopic() {
        http.post()
                .uri(v3("/topics"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"topic_name": "admin-topic", "partitions_count": 2, "replication_factor": 1,
                         "configs": [{"name": "retention.ms", "value": "3600000"}]}
                        """)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody()
                .jsonPath("$.kind")
                .isEqualTo("KafkaTopic")
                .jsonPath("$.partitions_count")
                .isEqualTo(2)
                .jsonPath("$.replication_factor")
                .isEqualTo(1);
        http.post()
                .uri(v3("/topics"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topic_name\": \"admin-topic\", \"partitions_count\": 2}")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40901);
        http.post()
                .uri(v3("/topics"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topic_name\": \"admin-bad\", \"partitions_count\": 1, \"replication_factor\": 3}")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(42201);

        assertThat(get(v3("/topics")).get("data"))
                .extracting(t -> t.get("topic_name").asString())
                .contains("admin-topic");
        assertThat(get(v3("/topics/admin-topic/configs/retention.ms"))
                        .get("value")
                        .asString())
                .isEqualTo("3600000");

        http.put()
                .uri(v3("/topics/admin-topic/configs/retention.ms"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\": \"7200000\"}")
                .exchange()
                .expectStatus()
                .isNoContent();
        http.post()
                .uri(v3("/topics/admin-topic/configs:alter"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"data": [{"name": "cleanup.policy", "value": "compact"},
                                  {"name": "retention.ms", "operation": "DELETE"}]}
                        """)
                .exchange()
                .expectStatus()
                .isNoContent();
        JsonNode configs = get(v3("/topics/admin-topic/configs"));
        Map<String, JsonNode> byName = new java.util.HashMap<>();
        configs.get("data").forEach(c -> byName.put(c.get("name").asString(), c));
        assertThat(byName.get("cleanup.policy").get("value").asString()).isEqualTo("compact");
        assertThat(byName.get("retention.ms").get("is_default").asBoolean()).isTrue();

        http.patch()
                .uri(v3("/topics/admin-topic"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partitions_count\": 4}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.partitions_count")
                .isEqualTo(4);

        JsonNode partitions = get(v3("/topics/admin-topic/partitions"));
        assertThat(partitions.get("data")).hasSize(4);
        JsonNode p0 = partitions.get("data").get(0);
        assertThat(p0.get("leader_id").asInt()).isZero();
        assertThat(p0.get("replica_ids").get(0).asInt()).isZero();
        assertThat(p0.get("isr_ids").get(0).asInt()).isZero();
        assertThat(p0.get("earliest_offset").asLong()).isZero();
        assertThat(p0.get("latest_offset").asLong()).isZero();
        JsonNode replicas = get(v3("/topics/admin-topic/partitions/3/replicas"));
        assertThat(replicas.get("data").get(0).get("is_leader").asBoolean()).isTrue();
        http.get()
                .uri(v3("/topics/admin-topic/partitions/4"))
                .exchange()
                .expectStatus()
                .isNotFound();

        http.delete().uri(v3("/topics/admin-topic")).exchange().expectStatus().isNoContent();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> http.get()
                        .uri(v3("/topics/admin-topic"))
                        .exchange()
                        .expectStatus()
                        .isNotFound()
                        .expectBody()
                        .jsonPath("$.error_code")
                        .isEqualTo(40401));
    }

    @Test
    void partitionsReportTheirOffsetsAfterProduce() {
        http.post()
                .uri(v3("/topics"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topic_name\": \"admin-offsets\", \"partitions_count\": 1}")
                .exchange()
                .expectStatus()
                .isCreated();
        for (int i = 0; i < 3; i++) {
            http.post()
                    .uri(v3("/topics/admin-offsets/records"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"value\": {\"data\": " + i + "}}")
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        JsonNode partition = get(v3("/topics/admin-offsets/partitions/0"));
        assertThat(partition.get("earliest_offset").asLong()).isZero();
        assertThat(partition.get("latest_offset").asLong()).isEqualTo(3);
    }

    @Test
    void describesAGroupItsMembersAssignmentsAndLagAndResetsItsOffsetsOnlyWhenEmpty() throws Exception {
        TestTopics.create("admin-group-topic", 2);
        String bootstrap = BrokerProcess.shared().bootstrap();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("admin-group-topic", i % 2, null, "v" + i))
                        .get();
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG, "admin-group",
                        ConsumerConfig.CLIENT_ID_CONFIG, "admin-client",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of("admin-group-topic"));
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !consumer.poll(Duration.ofMillis(200)).isEmpty());
            consumer.commitSync();

            JsonNode group = get(v3("/consumer-groups/admin-group"));
            assertThat(group.get("state").asString()).isEqualTo("STABLE");
            assertThat(get(v3("/consumer-groups")).get("data"))
                    .extracting(g -> g.get("consumer_group_id").asString())
                    .contains("admin-group");
            JsonNode members = get(v3("/consumer-groups/admin-group/consumers")).get("data");
            assertThat(members).hasSize(1);
            assertThat(members.get(0).get("client_id").asString()).isEqualTo("admin-client");
            String consumerId = members.get(0).get("consumer_id").asString();
            JsonNode assignments = get(v3("/consumer-groups/admin-group/consumers/" + consumerId + "/assignments"));
            assertThat(assignments.get("data"))
                    .extracting(a -> a.get("partition_id").asInt())
                    .containsExactly(0, 1);

            JsonNode lags = get(v3("/consumer-groups/admin-group/lags")).get("data");
            long totalLag = 0;
            for (JsonNode lag : lags) {
                assertThat(lag.get("log_end_offset").asLong()).isEqualTo(5);
                assertThat(lag.get("lag").asLong())
                        .isEqualTo(5 - lag.get("current_offset").asLong());
                assertThat(lag.get("consumer_id").asString()).isEqualTo(consumerId);
                totalLag += lag.get("lag").asLong();
            }
            assertThat(totalLag).isBetween(1L, 9L);
            JsonNode summary = get(v3("/consumer-groups/admin-group/lag-summary"));
            assertThat(summary.get("total_lag").asLong()).isEqualTo(totalLag);
            assertThat(summary.get("max_lag_client_id").asString()).isEqualTo("admin-client");

            http.post()
                    .uri(v3("/consumer-groups/admin-group/offsets:reset"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"to\": \"earliest\"}")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(409)
                    .expectBody()
                    .jsonPath("$.error_code")
                    .isEqualTo(40902);
        }

        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(v3("/consumer-groups/admin-group"))
                        .get("state")
                        .asString()
                        .equals("EMPTY"));
        JsonNode toLatest = json.readTree(http.post()
                .uri(v3("/consumer-groups/admin-group/offsets:reset"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"to\": \"latest\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(toLatest.get("offsets"))
                .extracting(o -> o.get("offset").asLong())
                .containsExactly(5L, 5L);
        assertThat(get(v3("/consumer-groups/admin-group/lag-summary"))
                        .get("total_lag")
                        .asLong())
                .isZero();

        http.post()
                .uri(v3("/consumer-groups/admin-group/offsets:reset"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                        "{\"to\": \"offset\", \"offset\": 2, \"topic_name\": \"admin-group-topic\", \"partition_id\": 1}")
                .exchange()
                .expectStatus()
                .isOk();
        http.post()
                .uri(v3("/consumer-groups/admin-group/offsets:reset"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(
                        "{\"to\": \"timestamp\", \"timestamp\": 0, \"topic_name\": \"admin-group-topic\", \"partition_id\": 0}")
                .exchange()
                .expectStatus()
                .isOk();
        JsonNode lags = get(v3("/consumer-groups/admin-group/lags")).get("data");
        assertThat(lags).extracting(l -> l.get("current_offset").asLong()).containsExactly(0L, 2L);
        assertThat(get(v3("/consumer-groups/admin-group/lag-summary"))
                        .get("total_lag")
                        .asLong())
                .isEqualTo(8);
    }

    @Test
    void anUnknownGroupIs404() {
        http.get()
                .uri(v3("/consumer-groups/no-such-group"))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40406);
    }
}
