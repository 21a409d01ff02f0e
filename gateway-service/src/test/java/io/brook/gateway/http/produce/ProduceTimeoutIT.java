package io.brook.gateway.http.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestSocket;
import io.brook.gateway.testkit.TestTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A produce request's {@code timeout_ms} on every produce path, against a real broker that cannot
 * acknowledge: the topic has one replica and {@code min.insync.replicas=2}, so the broker refuses
 * every acks=all produce with NOT_ENOUGH_REPLICAS, which the producer retries until its delivery
 * timeout (30 s). The gateway must answer at the request's timeout instead, with 50401, and not
 * long after it.
 */
@GatewayIntegrationTest
class ProduceTimeoutIT {

    static final String STUCK = "produce-timeout-stuck";
    static final long TIMEOUT_MS = 1500;
    /** How late past its timeout an answer may come: a loaded two-core machine, a JIT, a GC. */
    static final long SLACK_MS = 5000;

    static String cluster;

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void topics() throws Exception {
        try (Admin admin = TestTopics.admin()) {
            admin.createTopics(List.of(new NewTopic(STUCK, Optional.of(2), Optional.of((short) 1))
                            .configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        cluster = TestTopics.clusterId();
    }

    String records(String suffix) {
        return "/v3/clusters/" + cluster + "/topics/" + STUCK + "/records" + suffix;
    }

    static void assertAnsweredAtItsTimeout(long startNanos) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        assertThat(elapsedMs).isBetween(TIMEOUT_MS, TIMEOUT_MS + SLACK_MS);
    }

    static long endOffsets() throws Exception {
        try (Admin admin = TestTopics.admin()) {
            return admin
                    .listOffsets(Map.of(
                            new TopicPartition(STUCK, 0), OffsetSpec.latest(),
                            new TopicPartition(STUCK, 1), OffsetSpec.latest()))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .mapToLong(info -> info.offset())
                    .sum();
        }
    }

    @Test
    void aRecordNotAcknowledgedWithinTimeoutMsIsAnswered504AtThatTimeoutAndNothingIsWritten() throws Exception {
        long written = endOffsets();
        long start = System.nanoTime();
        byte[] body = http.post()
                .uri(records("?timeout_ms=" + TIMEOUT_MS))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"data\": {\"order\": 1}}}")
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertAnsweredAtItsTimeout(start);
        JsonNode problem = json.readTree(body);
        assertThat(problem.get("error_code").asInt()).isEqualTo(50401);
        assertThat(problem.get("detail").asString()).contains("1500 ms", "may still be written");
        assertThat(endOffsets()).isEqualTo(written);
    }

    @Test
    void aStreamReportsTheTimeoutOfEachLaterRecordInItsOwnReport() {
        // The first record of a stream answers the request's status; a later one its own report.
        long start = System.nanoTime();
        http.post()
                .uri(records("?timeout_ms=" + TIMEOUT_MS + "&acks=1"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"data\": 1}}\n")
                .exchange()
                .expectStatus()
                .isOk();
        // acks=1 does not need the ISR: the same topic acknowledges in time.
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(TIMEOUT_MS + SLACK_MS);

        start = System.nanoTime();
        byte[] body = http.post()
                .uri(records("?timeout_ms=" + TIMEOUT_MS))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"data\": 1}}\n"
                        + "{\"partition_id\": 1, \"value\": {\"data\": 2}}\n")
                .exchange()
                .expectStatus()
                .isEqualTo(504)
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertAnsweredAtItsTimeout(start);
        assertThat(json.readTree(body).get("error_code").asInt()).isEqualTo(50401);
    }

    @Test
    void aBatchAnswers207WithATimeoutFailurePerUnacknowledgedEntry() {
        long start = System.nanoTime();
        byte[] body = http.post()
                .uri(records(":batch?timeout_ms=" + TIMEOUT_MS))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"entries\": [{\"id\": \"a\", \"partition_id\": 0, \"value\": {\"data\": 1}},"
                        + " {\"id\": \"b\", \"partition_id\": 9, \"value\": {\"data\": 2}},"
                        + " {\"id\": \"c\", \"partition_id\": 1, \"value\": {\"data\": 3}}]}")
                .exchange()
                .expectStatus()
                .isEqualTo(207)
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertAnsweredAtItsTimeout(start);
        JsonNode answer = json.readTree(body);
        assertThat(answer.get("successes")).isEmpty();
        JsonNode failures = answer.get("failures");
        assertThat(failures).hasSize(3);
        assertThat(failures.get(0).get("id").asString()).isEqualTo("a");
        assertThat(failures.get(0).get("error_code").asInt()).isEqualTo(50401);
        // A record refused before the send keeps its own error.
        assertThat(failures.get(1).get("error_code").asInt()).isEqualTo(40402);
        assertThat(failures.get(2).get("error_code").asInt()).isEqualTo(50401);
    }

    @Test
    void aV2ProduceAnswersEachUnacknowledgedRecordWithTheTimeoutInItsOffsetEntry() {
        long start = System.nanoTime();
        byte[] body = http.post()
                .uri("/topics/" + STUCK + "?timeout_ms=" + TIMEOUT_MS)
                .contentType(MediaType.parseMediaType("application/vnd.kafka.json.v2+json"))
                .bodyValue(
                        "{\"records\": [{\"value\": {\"n\": 1}, \"partition\": 0}, {\"value\": 2, \"partition\": 1}]}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertAnsweredAtItsTimeout(start);
        JsonNode offsets = json.readTree(body).get("offsets");
        assertThat(offsets).hasSize(2);
        for (JsonNode offset : offsets) {
            assertThat(offset.get("error_code").asInt()).isEqualTo(50401);
            assertThat(offset.get("offset").isNull()).isTrue();
        }
    }

    @Test
    void theProduceSocketRepliesToAFrameNotAcknowledgedWithinTimeoutMsWithItsContextAndGoesOn() throws Exception {
        String url = "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + STUCK
                + "/produce-socket?timeout_ms=" + TIMEOUT_MS;
        try (TestSocket socket = TestSocket.open(url)) {
            long start = System.nanoTime();
            socket.send("{\"value\": {\"data\": 1}, \"partition\": 0, \"context\": \"late\"}");
            await().atMost(Duration.ofMillis(TIMEOUT_MS + SLACK_MS))
                    .until(() -> socket.received().size() == 1);
            assertAnsweredAtItsTimeout(start);
            JsonNode reply = json.readTree(socket.received().get(0));
            assertThat(reply.get("context").asString()).isEqualTo("late");
            assertThat(reply.get("error_code").asInt()).isEqualTo(50401);

            // The socket stays open and answers the next frame the same way.
            socket.send("{\"value\": {\"data\": 2}, \"partition\": 1, \"context\": \"later\"}");
            await().atMost(Duration.ofMillis(TIMEOUT_MS + SLACK_MS))
                    .until(() -> socket.received().size() == 2);
            assertThat(json.readTree(socket.received().get(1)).get("context").asString())
                    .isEqualTo("later");
            assertThat(socket.closeCode()).isNotDone();
        }
    }

    @Test
    void aProduceSocketWithATimeoutOutOfRangeIsClosedWithTheReason() throws Exception {
        String url = "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + STUCK
                + "/produce-socket?timeout_ms=0";
        try (TestSocket socket = TestSocket.open(url)) {
            assertThat(socket.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(socket.closeReason()).contains("timeout_ms");
        }
    }

    @Test
    void aTimeoutOutOfRangeOrNotANumberIs400BeforeAnythingIsSent() {
        for (String timeout : List.of("0", "30001", "soon")) {
            byte[] body = http.post()
                    .uri(records("?timeout_ms=" + timeout))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"value\": {\"data\": 1}}")
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            JsonNode problem = json.readTree(body);
            assertThat(problem.get("error_code").asInt()).isEqualTo(40002);
            assertThat(problem.get("detail").asString()).contains("timeout_ms");
        }
    }

    @Test
    void theApiDocumentationDescribesTimeoutMsOnEveryHttpProducePath() {
        JsonNode paths = json.readTree(http.get()
                        .uri("/v3/api-docs")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .returnResult()
                        .getResponseBody())
                .get("paths");
        for (String path : List.of(
                "/v3/clusters/{cluster_id}/topics/{topic_name}/records",
                "/v3/clusters/{cluster_id}/topics/{topic_name}/records:batch",
                "/topics/{topic}",
                "/topics/{topic}/partitions/{partition}")) {
            JsonNode parameters = paths.get(path).get("post").get("parameters");
            assertThat(parameters).as(path).anySatisfy(p -> {
                assertThat(p.get("name").asString()).isEqualTo("timeout_ms");
                assertThat(p.get("schema").get("type").asString()).isEqualTo("integer");
                assertThat(p.get("description").asString()).contains("50401");
            });
        }
    }
}
