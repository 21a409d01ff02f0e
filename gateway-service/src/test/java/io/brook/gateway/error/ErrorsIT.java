package io.brook.gateway.error;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Each kind of bad request gets its own status and error_code as application/problem+json, from
 * the running gateway against a real broker.
 */
@GatewayIntegrationTest
class ErrorsIT {

    static String cluster;

    @Autowired
    WebTestClient http;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("errors", 2);
        cluster = TestTopics.clusterId();
    }

    WebTestClient.ResponseSpec produce(String topic, MediaType type, String body) {
        return http.post()
                .uri("/v3/clusters/" + cluster + "/topics/" + topic + "/records")
                .contentType(type)
                .bodyValue(body)
                .exchange();
    }

    void expectProblem(WebTestClient.ResponseSpec response, int status, int errorCode) {
        response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(status)
                .jsonPath("$.error_code")
                .isEqualTo(errorCode)
                .jsonPath("$.detail")
                .isNotEmpty();
    }

    @Test
    void malformedJsonIs400With40001() {
        expectProblem(produce("errors", MediaType.APPLICATION_JSON, "{\"value\": {\"data\": "), 400, 40001);
    }

    @Test
    void anUnknownTopicIs404With40401AndIsNotCreated() {
        expectProblem(produce("no-such-topic", MediaType.APPLICATION_JSON, "{\"value\": {\"data\": 1}}"), 404, 40401);
        expectProblem(
                http.get()
                        .uri("/v3/clusters/" + cluster + "/topics/no-such-topic/partitions/0/records")
                        .exchange(),
                404,
                40401);
        expectProblem(
                http.post()
                        .uri("/topics/no-such-topic")
                        .contentType(MediaType.parseMediaType("application/vnd.kafka.json.v2+json"))
                        .bodyValue("{\"records\": [{\"value\": 1}]}")
                        .exchange(),
                404,
                40401);
    }

    @Test
    void anInvalidPartitionIs404With40402() {
        expectProblem(
                produce("errors", MediaType.APPLICATION_JSON, "{\"partition_id\": 2, \"value\": {\"data\": 1}}"),
                404,
                40402);
        expectProblem(
                http.get()
                        .uri("/v3/clusters/" + cluster + "/topics/errors/partitions/-1/records")
                        .exchange(),
                404,
                40402);
    }

    @Test
    void anUnknownClusterIdIs404With40404() {
        expectProblem(
                http.post()
                        .uri("/v3/clusters/not-this-cluster/topics/errors/records")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"value\": {\"data\": 1}}")
                        .exchange(),
                404,
                40404);
    }

    @Test
    void aWrongContentTypeIs415With41501() {
        expectProblem(produce("errors", MediaType.TEXT_PLAIN, "hello"), 415, 41501);
        expectProblem(
                http.post()
                        .uri("/topics/errors")
                        .contentType(MediaType.parseMediaType("application/vnd.kafka.avro.v2+json"))
                        .bodyValue("{\"records\": [{\"value\": 1}]}")
                        .exchange(),
                415,
                41501);
    }

    @Test
    void aRecordOverTheProducersMaxRequestSizeIs413With41301() {
        String big = "x".repeat(1_100_000);
        expectProblem(
                produce(
                        "errors",
                        MediaType.APPLICATION_JSON,
                        "{\"value\": {\"type\": \"STRING\", \"data\": \"" + big + "\"}}"),
                413,
                41301);
    }

    @Test
    void aBodyOverTheMaxBodySizeIs413With41302() {
        StringBuilder records = new StringBuilder();
        String value = "y".repeat(1000);
        for (int i = 0; i < 9000; i++) {
            records.append(i == 0 ? "" : ",")
                    .append("{\"value\": \"")
                    .append(value)
                    .append("\"}");
        }
        expectProblem(
                http.post()
                        .uri("/topics/errors")
                        .contentType(MediaType.parseMediaType("application/vnd.kafka.json.v2+json"))
                        .bodyValue("{\"records\": [" + records + "]}")
                        .exchange(),
                413,
                41302);
    }

    @Test
    void aBatchBodyOverTheMaxBodySizeIs413With41302AndMalformedOneIs40001() {
        // records:batch reads its body as bytes (BatchJson), under the same limit as bound bodies.
        String value = "z".repeat(100_000);
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            entries.append(i == 0 ? "" : ",")
                    .append("{\"id\": \"")
                    .append(i)
                    .append("\", \"value\": {\"type\": \"STRING\", \"data\": \"")
                    .append(value)
                    .append("\"}}");
        }
        String batch = "/v3/clusters/" + cluster + "/topics/errors/records:batch";
        expectProblem(
                http.post()
                        .uri(batch)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [" + entries + "]}")
                        .exchange(),
                413,
                41302);
        expectProblem(
                http.post()
                        .uri(batch)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"entries\": [{\"id\": \"1\", \"value\": ")
                        .exchange(),
                400,
                40001);
    }

    @Test
    void badBase64AndBadParametersAre400With40002() {
        expectProblem(
                produce("errors", MediaType.APPLICATION_JSON, "{\"value\": {\"type\": \"BINARY\", \"data\": \"%%%\"}}"),
                400,
                40002);
        expectProblem(
                http.get()
                        .uri("/v3/clusters/" + cluster + "/topics/errors/partitions/0/records?format=avro")
                        .exchange(),
                400,
                40002);
        expectProblem(
                http.get()
                        .uri("/v3/clusters/" + cluster + "/topics/errors/partitions/0/records?max_records=0")
                        .exchange(),
                400,
                40002);
    }

    @Test
    void anOffsetPastTheLogEndIs416With41601() {
        expectProblem(
                http.get()
                        .uri("/v3/clusters/" + cluster
                                + "/topics/errors/partitions/1/records?offset=1000&timeout_ms=2000")
                        .exchange(),
                416,
                41601);
    }

    @Test
    void anEmptyPartitionAnswersNoRecordsAfterTheTimeout() {
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics/errors/partitions/0/records?offset=0&timeout_ms=200")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.records.length()")
                .isEqualTo(0)
                .jsonPath("$.next_offset")
                .isEqualTo(0);
    }
}
