package io.brook.gateway.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestSocket;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The produce and consume sockets against a real broker, with the JDK's WebSocket client. */
@GatewayIntegrationTest
class WebSocketIT {

    static String cluster;

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("ws-produce", 2);
        TestTopics.create("ws-credits", 1);
        TestTopics.create("ws-group", 1);
        cluster = TestTopics.clusterId();
    }

    String url(String topic, String socket) {
        return "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + topic + "/" + socket;
    }

    static List<byte[]> values(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(i -> ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void theProduceSocketAnswersEachFrameInOrderWithItsContextPartitionAndOffset() throws Exception {
        try (TestSocket socket = TestSocket.open(url("ws-produce", "produce-socket"))) {
            socket.send("{\"key\": {\"type\": \"STRING\", \"data\": \"k\"}, \"value\": {\"data\": {\"n\": 1}}, "
                    + "\"partition\": 1, \"context\": \"first\", "
                    + "\"headers\": [{\"name\": \"h\", \"value\": \"aGk=\"}]}");
            socket.send(
                    "{\"value\": {\"type\": \"STRING\", \"data\": \"two\"}, \"partition\": 1, \"context\": {\"id\": 2}}");
            socket.send("{\"value\": {\"data\": 3}, \"partition\": 7, \"context\": \"bad partition\"}");
            socket.send("not json");
            socket.send("{\"value\": {\"data\": 4}, \"partition\": 1, \"context\": 4}");
            await().atMost(Duration.ofSeconds(30)).until(() -> socket.received().size() == 5);

            List<JsonNode> replies =
                    socket.received().stream().map(json::readTree).toList();
            assertThat(replies.get(0).get("context").asString()).isEqualTo("first");
            assertThat(replies.get(0).get("partition").asInt()).isEqualTo(1);
            long offset = replies.get(0).get("offset").asLong();
            assertThat(replies.get(0).has("timestamp")).isTrue();
            assertThat(replies.get(1).get("context").get("id").asInt()).isEqualTo(2);
            assertThat(replies.get(1).get("offset").asLong()).isEqualTo(offset + 1);
            assertThat(replies.get(2).get("context").asString()).isEqualTo("bad partition");
            assertThat(replies.get(2).get("error_code").asInt()).isEqualTo(40402);
            assertThat(replies.get(3).get("error_code").asInt()).isEqualTo(40001);
            assertThat(replies.get(4).get("context").asInt()).isEqualTo(4);
            assertThat(replies.get(4).get("offset").asLong()).isEqualTo(offset + 2);
        }
        // What the socket acknowledged is in the log.
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics/ws-produce/partitions/1/records?offset=0")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.records[0].key.data")
                .isEqualTo("k")
                .jsonPath("$.records[0].headers[0].value")
                .isEqualTo("aGk=")
                .jsonPath("$.records[1].value.data")
                .isEqualTo("two");
    }

    @Test
    void aConsumerGranting10CreditsReceivesExactly10UntilItGrantsMore() throws Exception {
        TestTopics.produce("ws-credits", 0, values(0, 30));
        try (TestSocket socket = TestSocket.open(url("ws-credits", "consume-socket?from=beginning"))) {
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> socket.received().isEmpty());
            socket.send("{\"type\": \"credit\", \"n\": 10}");
            await().atMost(Duration.ofSeconds(20)).until(() -> socket.received().size() >= 10);
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> socket.received().size() == 10);
            socket.send("{\"type\": \"credit\", \"n\": 5}");
            await().atMost(Duration.ofSeconds(20)).until(() -> socket.received().size() >= 15);
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> socket.received().size() == 15);

            List<JsonNode> records =
                    socket.received().stream().map(json::readTree).toList();
            assertThat(records)
                    .extracting(r -> r.get("offset").asLong())
                    .containsExactlyElementsOf(
                            IntStream.range(0, 15).mapToObj(i -> (long) i).toList());
            assertThat(records.get(0).get("type").asString()).isEqualTo("record");
            assertThat(records.get(3).get("value").get("data").get("n").asInt()).isEqualTo(3);
        }
    }

    @Test
    void acksCommitTheGroupsOffsetsAndClosingTheSocketLeavesTheGroup() throws Exception {
        TestTopics.produce("ws-group", 0, values(0, 5));
        try (TestSocket socket =
                TestSocket.open(url("ws-group", "consume-socket?group=ws-g&from=beginning&credits=100"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> socket.received().size() == 5);
            socket.send("{\"type\": \"ack\", \"partition\": 0, \"offset\": 2}");
            await().atMost(Duration.ofSeconds(20)).until(() -> TestTopics.committed("ws-g", "ws-group") == 3);
            try (Admin admin = TestTopics.admin()) {
                assertThat(admin.describeConsumerGroups(List.of("ws-g"))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get("ws-g")
                                .members())
                        .hasSize(1);
            }
        }
        // Closing the socket closes its consumer, which leaves the group at once (no session timeout).
        try (Admin admin = TestTopics.admin()) {
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> admin.describeConsumerGroups(List.of("ws-g"))
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .get("ws-g")
                            .members()
                            .isEmpty());
        }
        // The next member of the group starts after the last acknowledged record.
        try (TestSocket socket = TestSocket.open(url("ws-group", "consume-socket?group=ws-g&credits=1"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> socket.received().size() == 1);
            assertThat(json.readTree(socket.received().get(0)).get("offset").asLong())
                    .isEqualTo(3);
        }
    }

    @Test
    void anUnknownTopicClosesTheSocketWith1008AndTheReason() throws Exception {
        try (TestSocket socket = TestSocket.open(url("ws-nope", "consume-socket"))) {
            assertThat(socket.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1008);
            assertThat(socket.closeReason()).contains("ws-nope");
        }
        try (TestSocket socket = TestSocket.open(url("ws-nope", "produce-socket"))) {
            assertThat(socket.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1008);
        }
    }
}
