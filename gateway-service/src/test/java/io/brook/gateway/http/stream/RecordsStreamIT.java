package io.brook.gateway.http.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Server-Sent Events of records against a real broker. */
@GatewayIntegrationTest
class RecordsStreamIT {

    static final ParameterizedTypeReference<ServerSentEvent<String>> EVENT = new ParameterizedTypeReference<>() {};

    static String cluster;

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void topics() throws Exception {
        TestTopics.create("sse-position", 1);
        TestTopics.create("sse-group", 1);
        cluster = TestTopics.clusterId();
        TestTopics.produce(
                "sse-position",
                0,
                IntStream.range(0, 5)
                        .mapToObj(i -> ("{\"n\": " + i + "}").getBytes(StandardCharsets.UTF_8))
                        .toList());
    }

    List<ServerSentEvent<String>> events(String query, String lastEventId, int count) {
        WebTestClient.RequestHeadersSpec<?> request =
                http.get().uri("/v3/clusters/" + cluster + "/topics/" + query).accept(MediaType.TEXT_EVENT_STREAM);
        if (lastEventId != null) {
            request = request.header("Last-Event-ID", lastEventId);
        }
        return request.exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(EVENT)
                .getResponseBody()
                .filter(e -> e.data() != null)
                .take(count)
                .collectList()
                .block(Duration.ofSeconds(30));
    }

    @Test
    void eventsCarryPartitionAndOffsetAsIdAndTheRecordInTheProduceShape() {
        List<ServerSentEvent<String>> events = events("sse-position/records:stream?from=beginning", null, 3);
        assertThat(events).extracting(ServerSentEvent::id).containsExactly("0:0", "0:1", "0:2");
        JsonNode first = json.readTree(events.get(0).data());
        assertThat(first.get("topic_name").asString()).isEqualTo("sse-position");
        assertThat(first.get("partition_id").asInt()).isZero();
        assertThat(first.get("offset").asLong()).isZero();
        assertThat(first.get("value").get("type").asString()).isEqualTo("JSON");
        assertThat(first.get("value").get("data").get("n").asInt()).isZero();
        assertThat(first.has("timestamp")).isTrue();
    }

    @Test
    void aReconnectWithLastEventIdResumesAfterThatRecord() {
        List<ServerSentEvent<String>> events = events("sse-position/records:stream?from=beginning", "0:2", 2);
        assertThat(events).extracting(ServerSentEvent::id).containsExactly("0:3", "0:4");
    }

    @Test
    void anOffsetParameterStartsThere() {
        assertThat(events("sse-position/records:stream?offset=4&partition=0", null, 1))
                .extracting(ServerSentEvent::id)
                .containsExactly("0:4");
    }

    @Test
    void aGroupStreamGoesOnWhereTheGroupsLastStreamStopped() throws Exception {
        TestTopics.produce("sse-group", 0, List.of("a".getBytes(), "b".getBytes()));
        assertThat(events("sse-group/records:stream?group=sse-g&from=beginning", null, 2))
                .extracting(ServerSentEvent::id)
                .containsExactly("0:0", "0:1");
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTopics.committed("sse-g", "sse-group") == 2);
        TestTopics.produce("sse-group", 0, List.of("c".getBytes()));
        // The previous member may still be leaving; the next stream of the group starts after "b".
        List<ServerSentEvent<String>> next = events("sse-group/records:stream?group=sse-g", null, 1);
        assertThat(next).extracting(ServerSentEvent::id).containsExactly("0:2");
        assertThat(json.readTree(next.get(0).data()).get("value").get("data").asString())
                .isEqualTo("c");
    }

    @Test
    void anUnknownTopicIsA404BeforeTheStreamStarts() {
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics/sse-nope/records:stream")
                .exchange()
                .expectStatus()
                .isNotFound();
    }
}
