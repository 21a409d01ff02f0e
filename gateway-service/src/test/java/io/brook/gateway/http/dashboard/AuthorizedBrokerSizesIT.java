package io.brook.gateway.http.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.AuthorizedBroker;
import io.brook.gateway.testkit.BrokerProcess;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sizes and throughput samples against a broker set up as the dashboard's end-to-end test sets it
 * up ({@code AdminUiIT}): Kafka's authorizer on, {@code super.users=User:ANONYMOUS} (the gateway's
 * plaintext connection), and the gateway's security on with an HTTP super user. Topic and
 * partition sizes, the broker's log size and the throughput samples all come from DescribeLogDirs,
 * which needs CLUSTER DESCRIBE: they must be numbers here, not left out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "60s")
@ContextConfiguration(initializers = AuthorizedBrokerSizesIT.AuthorizedBrokerInitializer.class)
// This gateway's clients point at this class's broker: closed after the class, not cached for others.
@DirtiesContext
@TestPropertySource(
        properties = {
            "brook.gateway.security.enabled=true",
            "brook.gateway.security.token-secret=sizes-it-secret-0123456789abcdef0",
            "brook.gateway.security.super-users=User:sizeadmin",
            "brook.gateway.dashboard.sample-interval=500ms"
        })
class AuthorizedBrokerSizesIT {

    static final String ADMIN = "sizeadmin";
    static final String ADMIN_PASSWORD = "size-admin-pw-3Jx";
    static final String TOPIC = "sizes-authorized";

    static final AuthorizedBroker BROKER = new AuthorizedBroker("sizes");

    /** Points the gateway at this class's broker, with the authorizer on. */
    static class AuthorizedBrokerInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            BROKER.pointGatewayAt(context);
        }
    }

    static BrokerProcess broker() {
        return BROKER.process();
    }

    @Autowired
    WebTestClient http;

    @Autowired
    JsonMapper json;

    @BeforeAll
    static void anHttpSuperUser() throws Exception {
        BROKER.addUser(ADMIN, ScramMechanism.SCRAM_SHA_256, ADMIN_PASSWORD);
    }

    JsonNode get(String uri) {
        return json.readTree(http.get()
                .uri(uri)
                .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    @Test
    void sizesAndThroughputAreNumbersWithTheAuthorizerOn() {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> http.get()
                                .uri("/v3/clusters")
                                .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                                .exchange()
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                        == 200);
        String cluster =
                get("/v3/clusters").get("data").get(0).get("cluster_id").asString();
        String v3 = "/v3/clusters/" + cluster;
        // Sampling starts with the first ask; produce once a sample has seen the topic.
        http.post()
                .uri(v3 + "/topics")
                .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("topic_name", TOPIC, "partitions_count", 1, "replication_factor", 1))
                .exchange()
                .expectStatus()
                .isCreated();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode samples = get(v3 + "/metrics/throughput").get("samples");
            return !samples.isEmpty()
                    && samples.get(samples.size() - 1).get("topics").has(TOPIC);
        });
        for (int i = 0; i < 20; i++) {
            http.post()
                    .uri(v3 + "/topics/" + TOPIC + "/records")
                    .headers(h -> h.setBasicAuth(ADMIN, ADMIN_PASSWORD))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of("value", Map.of("type", "STRING", "data", "record " + i)))
                    .exchange()
                    .expectStatus()
                    .isOk();
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode topic = get(v3 + "/topics/" + TOPIC);
            assertThat(topic.get("size_bytes")).as("topic %s", topic).isNotNull();
            assertThat(topic.get("size_bytes").asLong()).isPositive();
        });
        JsonNode listed = get(v3 + "/topics");
        JsonNode row = null;
        for (JsonNode t : listed.get("data")) {
            if (t.get("topic_name").asString().equals(TOPIC)) {
                row = t;
            }
        }
        assertThat(row).isNotNull();
        assertThat(row.get("size_bytes").asLong()).isPositive();
        JsonNode brokerRow = get(v3 + "/brokers").get("data").get(0);
        assertThat(brokerRow.get("log_size_bytes")).as("broker %s", brokerRow).isNotNull();
        assertThat(brokerRow.get("log_size_bytes").asLong()).isPositive();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double messages = 0;
            for (JsonNode sample : get(v3 + "/metrics/throughput").get("samples")) {
                JsonNode rate = sample.get("topics").get(TOPIC);
                messages += rate == null ? 0 : rate.get("messages_per_sec").asDouble();
            }
            assertThat(messages).isPositive();
        });
    }
}
