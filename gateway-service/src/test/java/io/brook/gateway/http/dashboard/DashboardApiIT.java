package io.brook.gateway.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The endpoints the admin dashboard reads, with security off, on a real broker: {@code
 * /v3/auth/me}, throughput samples, sizes from DescribeLogDirs, broker details, reads from a time,
 * the offset reset's preview and apply, and lag history.
 */
@GatewayIntegrationTest
class DashboardApiIT {

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

    static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BrokerProcess.shared().bootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void meWithSecurityOffIsNoUserAllowedEveryClusterOperation() {
        JsonNode me = get("/v3/auth/me");
        assertThat(me.get("user").isNull()).isTrue();
        assertThat(me.get("security_enabled").asBoolean()).isFalse();
        assertThat(me.get("super_user").asBoolean()).isFalse();
        assertThat(me.get("cluster_operations"))
                .extracting(JsonNode::asString)
                .containsExactly(
                        "ALTER",
                        "ALTER_CONFIGS",
                        "CLUSTER_ACTION",
                        "CREATE",
                        "DESCRIBE",
                        "DESCRIBE_CONFIGS",
                        "IDEMPOTENT_WRITE");
    }

    @Test
    void throughputSamplesCountTheRecordsProduced() throws Exception {
        String topic = "dash-throughput";
        TestTopics.create(topic, 2);
        JsonNode first = get(v3("/metrics/throughput"));
        assertThat(first.get("interval_ms").asLong()).isEqualTo(5000);
        // Rates count changes between observations: produce only once a sample has seen the topic.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode samples = get(v3("/metrics/throughput")).get("samples");
            return !samples.isEmpty()
                    && samples.get(samples.size() - 1).get("topics").has(topic);
        });
        int records = 600;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, bytes("value-" + i + "-".repeat(100))));
            }
            producer.flush();
        }
        // Each sample's rate is the records it saw over the time since the previous sample, whose
        // timestamp is the start of that time (the scheduler keeps it near, not at, 5 s): rate
        // times that time, over all samples, is the records produced. (The first sample's start
        // is not listed; the topic appeared before the records did, so it has none of them.)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode samples = get(v3("/metrics/throughput")).get("samples");
            double messages = 0;
            double bytes = 0;
            double total = 0;
            long previous = -1;
            for (JsonNode sample : samples) {
                long timestamp = sample.get("timestamp").asLong();
                assertThat(timestamp).isGreaterThan(Math.max(0, previous));
                double seconds = previous < 0 ? 5 : (timestamp - previous) / 1000.0;
                previous = timestamp;
                JsonNode rate = sample.get("topics").get(topic);
                if (rate != null) {
                    messages += rate.get("messages_per_sec").asDouble() * seconds;
                    bytes += rate.get("bytes_per_sec").asDouble() * seconds;
                }
                total += sample.get("messages_per_sec").asDouble() * seconds;
            }
            assertThat(messages).isBetween(records * 0.9, records * 1.1);
            // 600 values of 100+ bytes: more than 60,000 bytes in batches on disk.
            assertThat(bytes).isGreaterThan(60_000 * 0.9);
            assertThat(total).isGreaterThanOrEqualTo(messages - 0.01);
        });
        http.get()
                .uri(v3("/metrics/throughput?window=soon"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40002);
        assertThat(get(v3("/metrics/throughput?window=1h")).get("samples")).isNotEmpty();
    }

    @Test
    void sizesAndBrokerDetailsFollowTheRecordsOnDisk() throws Exception {
        String topic = "dash-sizes";
        TestTopics.create(topic, 2);
        JsonNode before = topicFromList(topic);
        assertThat(before.get("size_bytes").asLong()).isZero();
        TestTopics.produce(topic, 0, List.of(bytes("a".repeat(1000)), bytes("b".repeat(1000))));

        JsonNode after = topicFromList(topic);
        assertThat(after.get("size_bytes").asLong()).isGreaterThan(2000);
        assertThat(get(v3("/topics/" + topic)).get("size_bytes").asLong())
                .isEqualTo(after.get("size_bytes").asLong());
        JsonNode partitions = get(v3("/topics/" + topic + "/partitions")).get("data");
        assertThat(partitions.get(0).get("size_bytes").asLong())
                .isEqualTo(after.get("size_bytes").asLong());
        assertThat(partitions.get(1).get("size_bytes").asLong()).isZero();
        assertThat(get(v3("/topics/" + topic + "/partitions/0"))
                        .get("size_bytes")
                        .asLong())
                .isEqualTo(after.get("size_bytes").asLong());

        JsonNode broker = get(v3("/brokers/0"));
        assertThat(broker.get("host").asString()).isEqualTo("127.0.0.1");
        assertThat(broker.get("rack").isNull()).isTrue();
        assertThat(broker.get("is_controller").asBoolean()).isTrue();
        assertThat(broker.get("partitions_led").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(broker.get("log_size_bytes").asLong())
                .isGreaterThanOrEqualTo(after.get("size_bytes").asLong());
        JsonNode listed = get(v3("/brokers")).get("data").get(0);
        assertThat(listed.get("partitions_led").asInt())
                .isEqualTo(broker.get("partitions_led").asInt());
        assertThat(get(v3("/brokers/0/configs")).get("data"))
                .extracting(c -> c.get("name").asString())
                .contains("broker.id");
    }

    JsonNode topicFromList(String topic) {
        for (JsonNode t : get(v3("/topics")).get("data")) {
            if (t.get("topic_name").asString().equals(topic)) {
                return t;
            }
        }
        throw new AssertionError(topic + " not listed");
    }

    @Test
    void readsFromATimestamp() throws Exception {
        String topic = "dash-by-time";
        TestTopics.create(topic, 1);
        long t0 = 1_700_000_000_000L;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, t0 + i * 1000L, null, bytes("at-" + i)));
            }
            producer.flush();
        }
        String read = v3("/topics/" + topic + "/partitions/0/records");
        JsonNode fromFive = get(read + "?timestamp=" + (t0 + 4500));
        assertThat(fromFive.get("records").get(0).get("offset").asLong()).isEqualTo(5);
        assertThat(fromFive.get("records"))
                .extracting(r -> r.get("value").get("data").asString())
                .containsExactly("at-5", "at-6", "at-7", "at-8", "at-9");
        assertThat(get(read + "?timestamp=" + t0).get("records")).hasSize(10);
        JsonNode later = get(read + "?timestamp=" + (t0 + 60_000) + "&timeout_ms=100");
        assertThat(later.get("records")).isEmpty();
        assertThat(later.get("next_offset").asLong()).isEqualTo(10);
        http.get()
                .uri(read + "?timestamp=" + t0 + "&offset=3")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40002);
    }

    static KafkaConsumer<byte[], byte[]> member(String group) {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        BrokerProcess.shared().bootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        group,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = TestTopics.admin()) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void resetPreviewsWhileTheGroupIsActiveAndAppliesOnlyOnceItIsEmpty() throws Exception {
        String topic = "dash-reset";
        String group = "dash-reset-group";
        TestTopics.create(topic, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, bytes("r-" + i)));
            }
            producer.flush();
        }
        String reset = v3("/consumer-groups/" + group + "/offsets:reset");
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100));
                return consumer.assignment().size() == 2;
            });
            consumer.commitSync(Map.of(
                    new TopicPartition(topic, 0), new OffsetAndMetadata(4),
                    new TopicPartition(topic, 1), new OffsetAndMetadata(1)));

            JsonNode preview = json.readTree(http.post()
                    .uri(reset)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"to\": \"earliest\", \"topics\": [\"" + topic + "\"], \"dry_run\": true}")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody());
            assertThat(preview.get("dry_run").asBoolean()).isTrue();
            List<String> rows = new ArrayList<>();
            for (JsonNode p : preview.get("partitions")) {
                rows.add(p.get("topic").asString() + "/" + p.get("partition").asInt() + " "
                        + p.get("current_offset").asLong() + "->"
                        + p.get("new_offset").asLong() + " lag "
                        + p.get("lag_after").asLong());
            }
            assertThat(rows).containsExactly(topic + "/0 4->0 lag 5", topic + "/1 1->0 lag 5");
            assertThat(committed(group).get(new TopicPartition(topic, 0)).offset())
                    .isEqualTo(4);

            http.post()
                    .uri(reset)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"to\": \"earliest\", \"topics\": [\"" + topic + "\"]}")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(409)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.error_code")
                    .isEqualTo(40902);
            assertThat(committed(group).get(new TopicPartition(topic, 0)).offset())
                    .isEqualTo(4);
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> get(v3("/consumer-groups/" + group))
                        .get("state")
                        .asString()
                        .equals("EMPTY"));
        JsonNode applied = json.readTree(http.post()
                .uri(reset)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"to\": \"offset\", \"offset\": 3, \"topics\": [\"" + topic + "\"], \"dry_run\": false}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(applied.get("dry_run").asBoolean()).isFalse();
        assertThat(applied.get("partitions"))
                .extracting(p -> p.get("current_offset").asLong() + "->"
                        + p.get("new_offset").asLong() + " lag "
                        + p.get("lag_after").asLong())
                .containsExactly("4->3 lag 2", "1->3 lag 2");
        Map<TopicPartition, OffsetAndMetadata> now = committed(group);
        assertThat(now.get(new TopicPartition(topic, 0)).offset()).isEqualTo(3);
        assertThat(now.get(new TopicPartition(topic, 1)).offset()).isEqualTo(3);
    }

    @Test
    void lagHistoryFollowsTheGroupsCommits() throws Exception {
        String topic = "dash-lag";
        String group = "dash-lag-group";
        TestTopics.create(topic, 1);
        TestTopics.produce(topic, 0, List.of(bytes("1"), bytes("2"), bytes("3"), bytes("4"), bytes("5")));
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(2)));
        }
        String history = v3("/consumer-groups/" + group + "/lag-history");
        assertThat(get(history).get("interval_ms").asLong()).isEqualTo(5000);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode samples = get(history).get("samples");
            assertThat(samples).isNotEmpty();
            JsonNode last = samples.get(samples.size() - 1);
            assertThat(last.get("total_lag").asLong()).isEqualTo(3);
            assertThat(last.get("partitions").get(topic + "-0").asLong()).isEqualTo(3);
        });
        try (KafkaConsumer<byte[], byte[]> consumer = member(group)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(5)));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode samples = get(history).get("samples");
            JsonNode last = samples.get(samples.size() - 1);
            assertThat(last.get("total_lag").asLong()).isZero();
            // The earlier samples stay: the chart has both.
            assertThat(samples.get(0).get("total_lag").asLong()).isEqualTo(3);
        });
        http.get()
                .uri(v3("/consumer-groups/dash-no-such-group/lag-history"))
                .exchange()
                .expectStatus()
                .isNotFound();
    }
}
