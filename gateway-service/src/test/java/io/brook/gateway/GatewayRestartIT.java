package io.brook.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.TestSocket;
import io.brook.gateway.testkit.TestTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A gateway restart (its application context closed and started again; the broker keeps running)
 * loses no acknowledged record and no committed offset: the gateway keeps no data of its own.
 */
class GatewayRestartIT {

    static final String TOPIC = "restart";

    final JsonMapper json = JsonMapper.builder().build();

    static ConfigurableApplicationContext startGateway() {
        return new SpringApplicationBuilder(GatewayApplication.class)
                .properties(
                        "server.port=0",
                        "server.address=127.0.0.1",
                        "brook.gateway.bootstrap-servers="
                                + BrokerProcess.shared().bootstrap())
                .run();
    }

    static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    static WebTestClient client(int port) {
        return WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(60))
                .build();
    }

    @Test
    void aRestartLosesNoAcknowledgedRecordAndNoCommittedOffset() throws Exception {
        TestTopics.create(TOPIC, 1);
        String cluster = TestTopics.clusterId();
        String base = "/v3/clusters/" + cluster + "/topics/" + TOPIC;

        ConfigurableApplicationContext first = startGateway();
        int port = port(first);
        WebTestClient http = client(port);
        List<Long> acknowledged = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            byte[] answer = http.post()
                    .uri(base + "/records")
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"value\": {\"data\": {\"n\": " + i + "}}}")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            acknowledged.add(json.readTree(answer).get("offset").asLong());
        }
        TestSocket socket = TestSocket.open(
                "ws://127.0.0.1:" + port + base + "/consume-socket?group=restart-g&from=beginning&credits=100");
        await().atMost(Duration.ofSeconds(30)).until(() -> socket.received().size() == 20);
        socket.send("{\"type\": \"ack\", \"partition\": 0, \"offset\": 9}");
        await().atMost(Duration.ofSeconds(20)).until(() -> TestTopics.committed("restart-g", TOPIC) == 10);

        // Stop the gateway with the socket still open, then start a new one.
        first.close();
        assertThat(socket.closeCode().isDone() || socket.closeCode().isCompletedExceptionally() || !first.isActive())
                .isTrue();
        ConfigurableApplicationContext second = startGateway();
        try {
            WebTestClient again = client(port(second));
            byte[] read = again.get()
                    .uri(base + "/partitions/0/records?offset=0&max_records=100")
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            List<Long> offsets = new ArrayList<>();
            List<Integer> values = new ArrayList<>();
            for (JsonNode record : json.readTree(read).get("records")) {
                offsets.add(record.get("offset").asLong());
                values.add(record.get("value").get("data").get("n").asInt());
            }
            assertThat(offsets).containsAll(acknowledged);
            assertThat(values)
                    .containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, 20).boxed().toList());
            assertThat(TestTopics.committed("restart-g", TOPIC)).isEqualTo(10);

            try (TestSocket resumed = TestSocket.open(
                    "ws://127.0.0.1:" + port(second) + base + "/consume-socket?group=restart-g&credits=1")) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> resumed.received().size() == 1);
                assertThat(json.readTree(resumed.received().get(0))
                                .get("offset")
                                .asLong())
                        .isEqualTo(10);
            }
        } finally {
            second.close();
        }
    }
}
