package io.brook.gateway.http.produce;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Produce over HTTP (REST v3 and v2) against a real broker, each record read back. */
@GatewayIntegrationTest
class ProduceIT {

    static String cluster;

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("produce-v3", 3);
        TestTopics.create("produce-stream", 1);
        TestTopics.create("produce-stream-errors", 1);
        TestTopics.create("produce-binary", 1);
        TestTopics.create("produce-batch", 2);
        TestTopics.create("produce-v2", 2);
        cluster = TestTopics.clusterId();
    }

    String records(String topic) {
        return "/v3/clusters/" + cluster + "/topics/" + topic + "/records";
    }

    JsonNode readPartition(String topic, int partition, String query) {
        byte[] body = http.get()
                .uri("/v3/clusters/" + cluster + "/topics/" + topic + "/partitions/" + partition + "/records?" + query)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return json.readTree(body);
    }

    @Test
    void aV3RecordIsAcknowledgedWithItsPositionAndReadsBackWithKeyValueHeadersAndTimestamp() {
        String header = Base64.getEncoder().encodeToString("trace-1".getBytes(StandardCharsets.UTF_8));
        byte[] answer = http.post()
                .uri(records("produce-v3"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"partition_id": 1,
                         "headers": [{"name": "trace", "value": "%s"}],
                         "key": {"type": "STRING", "data": "user-1"},
                         "value": {"type": "JSON", "data": {"order": 1, "items": ["a", "b"]}},
                         "timestamp": "2024-05-01T10:00:00Z"}
                        """.formatted(header))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode report = json.readTree(answer);
        assertThat(report.get("error_code").asInt()).isEqualTo(200);
        assertThat(report.get("cluster_id").asString()).isEqualTo(cluster);
        assertThat(report.get("topic_name").asString()).isEqualTo("produce-v3");
        assertThat(report.get("partition_id").asInt()).isEqualTo(1);
        assertThat(report.get("timestamp").asString()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(report.get("key").get("size").asInt()).isEqualTo(6);
        assertThat(report.get("value").get("type").asString()).isEqualTo("JSON");
        long offset = report.get("offset").asLong();

        JsonNode read = readPartition("produce-v3", 1, "offset=" + offset + "&max_records=1");
        JsonNode record = read.get("records").get(0);
        assertThat(record.get("offset").asLong()).isEqualTo(offset);
        assertThat(record.get("key").get("type").asString()).isEqualTo("STRING");
        assertThat(record.get("key").get("data").asString()).isEqualTo("user-1");
        assertThat(record.get("value").get("type").asString()).isEqualTo("JSON");
        assertThat(record.get("value").get("data").get("items").get(1).asString())
                .isEqualTo("b");
        assertThat(record.get("headers").get(0).get("name").asString()).isEqualTo("trace");
        assertThat(record.get("headers").get(0).get("value").asString()).isEqualTo(header);
        assertThat(record.get("timestamp").asString()).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(read.get("next_offset").asLong()).isEqualTo(offset + 1);
    }

    @Test
    void binaryValuesAndNullKeysRoundTrip() {
        byte[] bytes = {0, (byte) 0xff, 1, (byte) 0xfe};
        String base64 = Base64.getEncoder().encodeToString(bytes);
        http.post()
                .uri(records("produce-binary"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\": {\"type\": \"BINARY\", \"data\": \"" + base64 + "\"}}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.value.size")
                .isEqualTo(4)
                .jsonPath("$.key")
                .doesNotExist();
        JsonNode read = readPartition("produce-binary", 0, "");
        JsonNode record = read.get("records").get(0);
        assertThat(record.get("key").isNull()).isTrue();
        assertThat(record.get("value").get("type").asString()).isEqualTo("BINARY");
        assertThat(record.get("value").get("data").asString()).isEqualTo(base64);
        // The same record as string: not UTF-8, so still base64.
        JsonNode asString = readPartition("produce-binary", 0, "format=string");
        assertThat(asString.get("records").get(0).get("value").get("type").asString())
                .isEqualTo("BINARY");
    }

    @Test
    void aStreamOfRecordsInOneChunkedBodyGetsOneReportPerRecordInOrder() {
        DefaultDataBufferFactory buffers = DefaultDataBufferFactory.sharedInstance;
        Flux<DataBuffer> chunks = Flux.range(0, 20)
                .map(i -> buffers.wrap(("{\"value\": {\"type\": \"STRING\", \"data\": \"event-" + i + "\"}}\n")
                        .getBytes(StandardCharsets.UTF_8)));
        String body = http.post()
                .uri(records("produce-stream"))
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, DataBuffer.class)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        List<String> lines = body.lines().toList();
        assertThat(lines).hasSize(20);
        long previous = -1;
        for (String line : lines) {
            JsonNode report = json.readTree(line);
            assertThat(report.get("error_code").asInt()).isEqualTo(200);
            assertThat(report.get("offset").asLong()).isGreaterThan(previous);
            previous = report.get("offset").asLong();
        }
        JsonNode read = readPartition("produce-stream", 0, "max_records=100");
        assertThat(read.get("records"))
                .extracting(r -> r.get("value").get("data").asString())
                .containsExactlyElementsOf(
                        Flux.range(0, 20).map(i -> "event-" + i).collectList().block());
    }

    @Test
    void aLaterFailingRecordInAStreamIsAReportAndTheStreamGoesOn() {
        String body = http.post()
                .uri(records("produce-stream-errors"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"value": {"type": "STRING", "data": "ok-1"}}
                        {"partition_id": 7, "value": {"type": "STRING", "data": "no such partition"}}
                        {"value": {"type": "STRING", "data": "ok-2"}}
                        """)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        List<JsonNode> reports = body.lines().map(json::readTree).toList();
        assertThat(reports).extracting(r -> r.get("error_code").asInt()).containsExactly(200, 40402, 200);
        assertThat(reports.get(1).get("message").asString()).contains("Partition 7");
    }

    @Test
    void aBatchAnswers207WithSuccessesAndFailuresById() {
        byte[] answer = http.post()
                .uri(records("produce-batch") + ":batch")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"entries": [
                          {"id": "a", "partition_id": 0, "value": {"data": {"n": 1}}},
                          {"id": "b", "partition_id": 5, "value": {"data": {"n": 2}}},
                          {"id": "c", "partition_id": 1, "value": {"type": "BINARY", "data": "not base64!"}},
                          {"id": "d", "partition_id": 1, "key": {"type": "STRING", "data": "k"}, "value": {"data": 3}}
                        ]}
                        """)
                .exchange()
                .expectStatus()
                .isEqualTo(207)
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode result = json.readTree(answer);
        assertThat(result.get("successes"))
                .extracting(s -> s.get("id").asString())
                .containsExactly("a", "d");
        assertThat(result.get("successes").get(1).get("partition_id").asInt()).isEqualTo(1);
        assertThat(result.get("failures"))
                .extracting(f -> f.get("id").asString())
                .containsExactly("b", "c");
        assertThat(result.get("failures"))
                .extracting(f -> f.get("error_code").asInt())
                .containsExactly(40402, 40002);
    }

    @Test
    void aBatchOverTheConfiguredLimitIsRefused() {
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < 101; i++) {
            entries.append(i == 0 ? "" : ",").append("{\"id\": \"").append(i).append("\", \"value\": {\"data\": 1}}");
        }
        http.post()
                .uri(records("produce-batch") + ":batch")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"entries\": [" + entries + "]}")
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(41302);
    }

    @Test
    void restV2JsonAndBinaryRecordsAnswerOffsets() {
        byte[] answer = http.post()
                .uri("/topics/produce-v2")
                .contentType(MediaType.parseMediaType("application/vnd.kafka.json.v2+json"))
                .bodyValue("""
                        {"records": [{"key": "k1", "value": {"a": 1}, "partition": 0},
                                     {"value": [1, 2, 3], "partition": 1},
                                     {"value": "x", "partition": 9}]}
                        """)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith("application/vnd.kafka.v2+json")
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode result = json.readTree(answer);
        assertThat(result.get("key_schema_id").isNull()).isTrue();
        JsonNode offsets = result.get("offsets");
        assertThat(offsets.get(0).get("partition").asInt()).isEqualTo(0);
        assertThat(offsets.get(0).get("error_code").isNull()).isTrue();
        assertThat(offsets.get(1).get("partition").asInt()).isEqualTo(1);
        assertThat(offsets.get(2).get("error_code").asInt()).isEqualTo(40402);
        long offset = offsets.get(0).get("offset").asLong();
        JsonNode read = readPartition("produce-v2", 0, "offset=" + offset + "&max_records=1");
        assertThat(read.get("records").get(0).get("key").get("data").asString()).isEqualTo("k1");
        assertThat(read.get("records").get(0).get("value").get("data").get("a").asInt())
                .isEqualTo(1);

        String base64 = Base64.getEncoder().encodeToString("raw bytes".getBytes(StandardCharsets.UTF_8));
        byte[] binary = http.post()
                .uri("/topics/produce-v2/partitions/1")
                .contentType(MediaType.parseMediaType("application/vnd.kafka.binary.v2+json"))
                .bodyValue(Map.of("records", List.of(Map.of("value", base64))))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode binaryOffset = json.readTree(binary).get("offsets").get(0);
        assertThat(binaryOffset.get("partition").asInt()).isEqualTo(1);
        JsonNode readBinary = readPartition(
                "produce-v2", 1, "offset=" + binaryOffset.get("offset").asLong() + "&format=string");
        assertThat(readBinary.get("records").get(0).get("value").get("data").asString())
                .isEqualTo("raw bytes");
    }

    @Test
    void producedRecordsAndBytesAreCountedPerTopic() {
        http.post()
                .uri(records("produce-v3"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"value\": {\"type\": \"STRING\", \"data\": \"12345\"}}")
                .exchange()
                .expectStatus()
                .isOk();
        String metrics = http.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(metrics)
                .containsPattern("brook_gateway_produced_records_total\\{.*topic=\"produce-v3\".*} [1-9]")
                .containsPattern("brook_gateway_produced_bytes_total\\{.*topic=\"produce-v3\".*} [1-9]");
    }
}
