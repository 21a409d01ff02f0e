package io.brook.gateway.http.consumers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.kafka.ConsumerInstanceRegistry;
import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** REST v2 consumer instances against a real broker: the curl workflow of the Confluent REST Proxy. */
@GatewayIntegrationTest
class ConsumersV2IT {

    static final MediaType V2 = MediaType.parseMediaType("application/vnd.kafka.v2+json");
    static final MediaType JSON_V2 = MediaType.parseMediaType("application/vnd.kafka.json.v2+json");
    static final MediaType BINARY_V2 = MediaType.parseMediaType("application/vnd.kafka.binary.v2+json");

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @Autowired
    ConsumerInstanceRegistry registry;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("v2-consume", 2);
        TestTopics.create("v2-binary", 1);
        TestTopics.create("v2-seek", 1);
    }

    void produce(String topic, int partition, String... values) {
        StringBuilder records = new StringBuilder();
        for (String value : values) {
            records.append(records.isEmpty() ? "" : ",")
                    .append("{\"value\": ")
                    .append(value)
                    .append(", \"partition\": ")
                    .append(partition)
                    .append("}");
        }
        http.post()
                .uri("/topics/" + topic)
                .contentType(JSON_V2)
                .bodyValue("{\"records\": [" + records + "]}")
                .exchange()
                .expectStatus()
                .isOk();
    }

    JsonNode create(String group, String body) {
        return json.readTree(http.post()
                .uri("/consumers/" + group)
                .contentType(V2)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    void post(String path, String body) {
        http.post()
                .uri(path)
                .contentType(V2)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    /** Polls until {@code count} records came (the first polls may come before the group is joined). */
    List<JsonNode> poll(String instance, MediaType accept, int count) {
        List<JsonNode> all = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            byte[] body = http.get()
                    .uri(instance + "/records?timeout=500")
                    .accept(accept)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .contentType(accept)
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            json.readTree(body).forEach(all::add);
            return all.size() >= count;
        });
        return all;
    }

    @Test
    void aCurlWorkflowCreatesSubscribesPollsCommitsAndDeletesAConsumerInstance() throws Exception {
        produce("v2-consume", 0, "{\"n\": 1}", "{\"n\": 2}");
        produce("v2-consume", 1, "{\"n\": 3}");

        JsonNode created = create(
                "v2-group",
                "{\"name\": \"c1\", \"format\": \"json\", \"auto.offset.reset\": \"earliest\", "
                        + "\"auto.commit.enable\": \"false\"}");
        assertThat(created.get("instance_id").asString()).isEqualTo("c1");
        String baseUri = created.get("base_uri").asString();
        assertThat(baseUri).startsWith("http://").endsWith("/consumers/v2-group/instances/c1");
        String instance = "/consumers/v2-group/instances/c1";

        post(instance + "/subscription", "{\"topics\": [\"v2-consume\"]}");
        JsonNode subscription = json.readTree(http.get()
                .uri(instance + "/subscription")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(subscription.get("topics").get(0).asString()).isEqualTo("v2-consume");

        List<JsonNode> records = poll(instance, JSON_V2, 3);
        assertThat(records).hasSize(3);
        assertThat(records).extracting(r -> r.get("value").get("n").asInt()).containsExactlyInAnyOrder(1, 2, 3);
        JsonNode first = records.stream()
                .filter(r -> r.get("partition").asInt() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(first.get("topic").asString()).isEqualTo("v2-consume");
        assertThat(first.get("offset").asLong()).isZero();
        assertThat(first.has("key")).isTrue();

        // Commit the first record of partition 0 only: the group resumes at offset 1 there.
        post(instance + "/offsets", "{\"offsets\": [{\"topic\": \"v2-consume\", \"partition\": 0, \"offset\": 0}]}");
        JsonNode committed = json.readTree(http.method(HttpMethod.GET)
                .uri(instance + "/offsets")
                .contentType(V2)
                .bodyValue("{\"partitions\": [{\"topic\": \"v2-consume\", \"partition\": 0}]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(committed.get("offsets").get(0).get("offset").asLong()).isEqualTo(1);
        try (Admin admin = TestTopics.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("v2-group")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(offsets.get(new TopicPartition("v2-consume", 0)).offset())
                    .isEqualTo(1);
        }
        // Commit everything returned so far.
        http.post().uri(instance + "/offsets").exchange().expectStatus().isNoContent();
        try (Admin admin = TestTopics.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("v2-group")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            assertThat(offsets.get(new TopicPartition("v2-consume", 0)).offset())
                    .isEqualTo(2);
            assertThat(offsets.get(new TopicPartition("v2-consume", 1)).offset())
                    .isEqualTo(1);
        }

        http.delete().uri(instance + "/subscription").exchange().expectStatus().isNoContent();
        http.delete().uri(instance).exchange().expectStatus().isNoContent();
        http.get()
                .uri(instance + "/records")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40403);
    }

    @Test
    void aBinaryInstanceAssignedByHandAnswersBase64AndSeeksToBeginningEndAndOffsets() {
        produce("v2-binary", 0, "\"a\"", "\"b\"", "\"c\"");
        create("v2-binary-group", "{\"name\": \"b1\", \"format\": \"binary\"}");
        String instance = "/consumers/v2-binary-group/instances/b1";
        post(instance + "/assignments", "{\"partitions\": [{\"topic\": \"v2-binary\", \"partition\": 0}]}");
        http.get()
                .uri(instance + "/assignments")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.partitions[0].topic")
                .isEqualTo("v2-binary");

        String partition = "{\"partitions\": [{\"topic\": \"v2-binary\", \"partition\": 0}]}";
        post(instance + "/positions/beginning", partition);
        List<JsonNode> all = poll(instance, BINARY_V2, 3);
        assertThat(all)
                .extracting(r ->
                        new String(Base64.getDecoder().decode(r.get("value").asString()), StandardCharsets.UTF_8))
                .containsExactly("\"a\"", "\"b\"", "\"c\"");

        post(instance + "/positions", "{\"offsets\": [{\"topic\": \"v2-binary\", \"partition\": 0, \"offset\": 2}]}");
        assertThat(poll(instance, BINARY_V2, 1))
                .extracting(r -> r.get("offset").asLong())
                .containsExactly(2L);

        post(instance + "/positions/end", partition);
        produce("v2-binary", 0, "\"d\"");
        assertThat(poll(instance, BINARY_V2, 1))
                .extracting(r -> r.get("offset").asLong())
                .containsExactly(3L);

        // The instance's format is binary: asking for json records is 406.
        http.get()
                .uri(instance + "/records")
                .accept(JSON_V2)
                .exchange()
                .expectStatus()
                .isEqualTo(406);
        http.delete().uri(instance).exchange().expectStatus().isNoContent();
    }

    @Test
    void maxBytesReturnsTheFirstRecordAndKeepsTheRestForTheNextPoll() {
        produce("v2-seek", 0, "\"" + "x".repeat(100) + "\"", "\"" + "y".repeat(100) + "\"");
        create("v2-seek-group", "{\"name\": \"s1\", \"format\": \"json\", \"auto.offset.reset\": \"earliest\"}");
        String instance = "/consumers/v2-seek-group/instances/s1";
        post(instance + "/assignments", "{\"partitions\": [{\"topic\": \"v2-seek\", \"partition\": 0}]}");
        List<JsonNode> first = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            byte[] body = http.get()
                    .uri(instance + "/records?timeout=500&max_bytes=150")
                    .accept(JSON_V2)
                    .exchange()
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            json.readTree(body).forEach(first::add);
            return !first.isEmpty();
        });
        assertThat(first).hasSize(1);
        assertThat(first.get(0).get("offset").asLong()).isZero();
        assertThat(poll(instance, JSON_V2, 1).get(0).get("offset").asLong()).isEqualTo(1);
        http.delete().uri(instance).exchange().expectStatus().isNoContent();
    }

    @Test
    void unknownInstancesAre404With40403AndDuplicateNames409() {
        http.post()
                .uri("/consumers/v2-none/instances/ghost/positions/end")
                .contentType(V2)
                .bodyValue("{\"partitions\": []}")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40403);
        http.delete()
                .uri("/consumers/v2-none/instances/ghost")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40403);
        create("v2-dup", "{\"name\": \"d1\"}");
        http.post()
                .uri("/consumers/v2-dup")
                .contentType(V2)
                .bodyValue("{\"name\": \"d1\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40903);
        http.delete()
                .uri("/consumers/v2-dup/instances/d1")
                .exchange()
                .expectStatus()
                .isNoContent();
    }
}
