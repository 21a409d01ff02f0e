package io.brook.gateway.http.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestTopics;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code records:search} over SSE against a real broker, read with the JDK's HTTP client as a
 * browser's EventSource would: exactly the seeded matches, progress and done events, the bounds
 * ({@code max_scanned}, {@code max_matches}, {@code from}), and a search stopped by the client
 * closing the connection with no thread left running.
 */
@GatewayIntegrationTest
class RecordSearchIT {

    static final String TOPIC = "search-seeded";
    static final int RECORDS = 3000;
    /** Where the needle was put: values at these indexes, keys at KEY_SEEDS. */
    static final List<Integer> VALUE_SEEDS = List.of(7, 500, 1001, 1999, 2998);

    static final List<Integer> KEY_SEEDS = List.of(42, 2500);

    static String cluster;

    @Autowired
    RecordSearches searches;

    @Autowired
    JsonMapper json;

    @LocalServerPort
    int port;

    record Event(String name, JsonNode data) {}

    @BeforeAll
    static void seed() throws Exception {
        cluster = TestTopics.clusterId();
        TestTopics.create(TOPIC, 2);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < RECORDS; i++) {
                String key = KEY_SEEDS.contains(i) ? "key-needle-" + i : "key-" + i;
                String value = VALUE_SEEDS.contains(i)
                        ? "{\"n\": " + i + ", \"text\": \"a needle here\"}"
                        : "{\"n\": " + i + "}";
                producer.send(new ProducerRecord<>(TOPIC, i % 2, bytes(key), bytes(value)));
            }
            producer.flush();
        }
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

    URI search(String topic, String query) {
        return URI.create("http://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + topic
                + "/records:search?" + query);
    }

    /** The whole event stream of a search that ends by itself. */
    List<Event> events(String query) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(search(TOPIC, query))
                                .header("Accept", "text/event-stream")
                                .timeout(Duration.ofSeconds(60))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Event> events = new ArrayList<>();
        String name = null;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                events.add(new Event(name, json.readTree(line.substring(5).trim())));
                name = null;
            }
        }
        return events;
    }

    static List<Event> named(List<Event> events, String name) {
        return events.stream().filter(e -> name.equals(e.name())).toList();
    }

    static List<Integer> matchedIndexes(List<Event> events) {
        return named(events, "match").stream()
                .map(e -> e.data().get("value").get("data").get("n").asInt())
                .sorted()
                .toList();
    }

    @Test
    void findsExactlyTheSeededValuesWithProgressAndADoneEvent() throws Exception {
        List<Event> events = events("q=needle&in=value");
        assertThat(matchedIndexes(events)).containsExactlyElementsOf(VALUE_SEEDS);
        Event match = named(events, "match").get(0);
        assertThat(match.data().get("topic_name").asString()).isEqualTo(TOPIC);
        assertThat(match.data().has("offset")).isTrue();
        assertThat(match.data().get("key").get("data").asString()).startsWith("key-");

        List<Event> progress = named(events, "progress");
        assertThat(progress).isNotEmpty();
        JsonNode lastProgress = progress.get(progress.size() - 1).data();
        assertThat(lastProgress.get("scanned").asLong()).isEqualTo(RECORDS);
        assertThat(lastProgress.get("partitions").get("0").get("offset").asLong())
                .isEqualTo(RECORDS / 2);
        assertThat(lastProgress.get("partitions").get("1").get("end").asLong()).isEqualTo(RECORDS / 2);

        Event done = events.get(events.size() - 1);
        assertThat(done.name()).isEqualTo("done");
        assertThat(done.data().get("scanned").asLong()).isEqualTo(RECORDS);
        assertThat(done.data().get("matches").asInt()).isEqualTo(VALUE_SEEDS.size());
        assertThat(done.data().get("reason").asString()).isEqualTo("end");
    }

    @Test
    void searchesKeysOrBothAndOnePartitionFromWhereItIsAsked() throws Exception {
        assertThat(matchedIndexes(events("q=needle&in=key"))).containsExactlyElementsOf(KEY_SEEDS);
        List<Integer> both = new ArrayList<>(VALUE_SEEDS);
        both.addAll(KEY_SEEDS);
        assertThat(matchedIndexes(events("q=needle"))).containsExactlyInAnyOrderElementsOf(both);
        // Partition 1 holds the odd indexes: 7, 1001, 1999.
        assertThat(matchedIndexes(events("q=needle&in=value&partition=1"))).containsExactly(7, 1001, 1999);
        // The last 600 records of each partition: indexes 1800 and up.
        List<Event> tail = events("q=needle&in=value&from=latest-600");
        assertThat(matchedIndexes(tail)).containsExactly(1999, 2998);
        assertThat(named(tail, "done").get(0).data().get("scanned").asLong()).isEqualTo(1200);
    }

    @Test
    void stopsAtMaxScannedAndMaxMatches() throws Exception {
        List<Event> scanned = events("q=needle&in=value&max_scanned=1000");
        JsonNode done = named(scanned, "done").get(0).data();
        assertThat(done.get("reason").asString()).isEqualTo("max_scanned");
        assertThat(done.get("scanned").asLong()).isEqualTo(1000);
        assertThat(done.get("matches").asInt())
                .isEqualTo(named(scanned, "match").size());

        List<Event> two = events("q=needle&max_matches=2");
        assertThat(named(two, "match")).hasSize(2);
        JsonNode stopped = named(two, "done").get(0).data();
        assertThat(stopped.get("reason").asString()).isEqualTo("max_matches");
        assertThat(stopped.get("matches").asInt()).isEqualTo(2);
        assertThat(stopped.get("scanned").asLong()).isLessThan(RECORDS);
    }

    @Test
    void refusesBadParametersBeforeAnyEvent() throws Exception {
        for (String query :
                List.of("q=x&in=header", "q=x&from=yesterday", "q=x&max_scanned=0", "q=x&max_matches=1000000", "q=")) {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(search(TOPIC, query)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        }
        HttpResponse<String> missing = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(search("search-no-such-topic", "q=x"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    @Test
    void aClientThatDisconnectsStopsTheSearchAndItsThread() throws Exception {
        // Every record matches and each match event is about 2 KB: far more than the socket
        // buffers hold, so the search waits for the client to read and is still running below.
        String topic = "search-disconnect";
        TestTopics.create(topic, 1);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 10_000; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, bytes("hay-" + "x".repeat(1500))));
            }
            producer.flush();
        }
        HttpResponse<InputStream> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(search(topic, "q=hay&max_matches=10000&max_scanned=10000"))
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = reader.readLine();
            } while (line != null && !line.startsWith("event:match"));
            assertThat(line).isNotNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> searches.running() == 1 && searchThreads() == 1);
        }
        // Closing the body closes the connection; the gateway cancels the search.
        await().atMost(Duration.ofSeconds(30)).until(() -> searches.running() == 0 && searchThreads() == 0);
    }

    static long searchThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("brook-search-") && t.isAlive())
                .count();
    }
}
