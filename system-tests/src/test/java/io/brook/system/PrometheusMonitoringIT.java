package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The monitoring path as an operator runs it: three brokers and the gateway as processes, and
 * Debian's Prometheus server scraping their {@code /actuator/prometheus} every second with the
 * project's alert rules. The test produces through the Java client and the gateway, consumes part
 * with a group that commits, and then asks Prometheus's HTTP API, not the brokers, that every
 * target is up, that the records in summed over the brokers are exactly what was produced, that
 * the group's lag is exactly what it left unconsumed, that one controller is active; then kills a
 * broker and sees under-replicated partitions reported and the alert pending.
 *
 * <p>Skipped, saying which package to install, where {@code prometheus} is not installed.
 */
class PrometheusMonitoringIT {

    static final String TOPIC = "monitored";
    static final String GROUP = "monitored-readers";
    static final int BY_CLIENT = 900;
    static final int BY_GATEWAY = 100;
    static final int CONSUMED = 400;

    static final HttpClient HTTP = HttpClient.newHttpClient();

    @RegisterExtension
    final BrokerProcessCluster cluster =
            BrokerProcessCluster.brokers(3).property("brook.broker.metrics-refresh-interval", "500ms");

    @TempDir
    Path dir;

    @Test
    void prometheusSeesWhatTheTestDidAndABrokerGoingDown() throws Exception {
        PrometheusServer.requireInstalled();
        cluster.createTopic(TOPIC, 3, 3, Map.of());
        try (GatewayProcess gateway = GatewayProcess.start(dir.resolve("gateway"), cluster.bootstrap())) {
            await("the gateway ready (it reaches the cluster)")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast(
                            "the gateway exited",
                            () -> assertThat(gateway.isAlive())
                                    .as("gateway log:%n%s", gateway.logTail(40))
                                    .isTrue())
                    .ignoreExceptions()
                    .until(() -> get(gateway.httpPort(), "/actuator/health/readiness")
                                    .statusCode()
                            == 200);

            List<String> brokerTargets = new ArrayList<>();
            cluster.brokers().forEach(b -> brokerTargets.add("127.0.0.1:" + b.httpPort()));
            try (PrometheusServer prometheus = PrometheusServer.start(
                    dir.resolve("prometheus"),
                    brokerTargets,
                    List.of("127.0.0.1:" + gateway.httpPort()),
                    Path.of("..", "docker", "prometheus", "alerts.yml"))) {
                try {
                    produceAndConsume(gateway);
                    checkWhatPrometheusSees(prometheus, gateway);
                    checkTheDashboardsQueries(prometheus);
                    checkABrokerGoingDown(prometheus);
                } catch (AssertionError | RuntimeException e) {
                    System.out.println("[system-tests] prometheus log:\n" + prometheus.logTail(40)
                            + "\n[system-tests] gateway log:\n" + gateway.logTail(40));
                    throw e;
                }
            }
        }
    }

    /**
     * BY_CLIENT records with the Java producer and BY_GATEWAY through the gateway's REST v2; then
     * exactly CONSUMED records taken by the group, committed on every partition.
     */
    void produceAndConsume(GatewayProcess gateway) throws Exception {
        Properties producerProps = new Properties();
        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < BY_CLIENT; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, "k" + i, "record-" + i));
            }
            producer.flush();
        }
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < BY_GATEWAY; i++) {
            records.append(i == 0 ? "" : ",")
                    .append("{\"value\": {\"n\": ")
                    .append(i)
                    .append("}}");
        }
        HttpResponse<String> produced = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpPort() + "/topics/" + TOPIC))
                        .header("Content-Type", "application/vnd.kafka.json.v2+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"records\": [" + records + "]}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(200);
        assertThat(produced.body()).doesNotContain("\"error_code\":4", "\"error_code\":5");

        List<TopicPartition> partitions =
                List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        partitions.forEach(tp -> commit.put(tp, new OffsetAndMetadata(0)));
        Properties consumerProps = new Properties();
        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(partitions);
            List<ConsumerRecord<String, String>> taken = new ArrayList<>();
            await("records to consume").atMost(Duration.ofMinutes(1)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(taken::add);
                return taken.size() >= CONSUMED;
            });
            for (ConsumerRecord<String, String> r : taken.subList(0, CONSUMED)) {
                commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
            }
            consumer.commitSync(commit);
        }
    }

    void checkWhatPrometheusSees(PrometheusServer prometheus, GatewayProcess gateway) throws Exception {
        await("Prometheus's view of the cluster")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .failFast(
                        "prometheus exited",
                        () -> assertThat(prometheus.isAlive())
                                .as("prometheus log:%n%s", prometheus.logTail(40))
                                .isTrue())
                .ignoreExceptions()
                .untilAsserted(() -> {
                    Map<String, String> targets = prometheus.targetHealth();
                    assertThat(targets).hasSize(4);
                    assertThat(targets.values()).containsOnly("up");
                    assertThat(prometheus.query("count(up{job=\"brook-broker\"} == 1)"))
                            .contains(3.0);
                    assertThat(prometheus.query("sum(brook_broker_topic_messages_in_total{topic=\"" + TOPIC + "\"})"))
                            .contains((double) (BY_CLIENT + BY_GATEWAY));
                    assertThat(prometheus.query("sum(brook_consumer_group_lag_sum{group=\"" + GROUP + "\"})"))
                            .contains((double) (BY_CLIENT + BY_GATEWAY - CONSUMED));
                    assertThat(prometheus.query("count(brook_consumer_group_lag{group=\"" + GROUP + "\"})"))
                            .contains(3.0);
                    assertThat(prometheus.query("sum(brook_gateway_produced_records_total{topic=\"" + TOPIC + "\"})"))
                            .contains((double) BY_GATEWAY);
                    assertThat(prometheus.query("sum(brook_controller_active_controller_count)"))
                            .contains(1.0);
                    assertThat(prometheus.query("sum(brook_replica_manager_under_replicated_partitions)"))
                            .contains(0.0);
                    assertThat(prometheus.query("sum(brook_controller_offline_partitions_count)"))
                            .contains(0.0);
                    // Produce latency per API, as the dashboard charts it.
                    assertThat(prometheus.query(
                                    "max(brook_request_total_time_ms{request=\"Produce\",quantile=\"0.99\"})"))
                            .hasValueSatisfying(ms -> assertThat(ms).isGreaterThan(0.0));
                });
        assertThat(prometheus.ruleGroups()).contains("brook-replication", "brook-controller", "brook-consumers");
        // Nothing is wrong yet: what the kill below raises is not pending before it.
        assertThat(prometheus.alerts()).doesNotContainKeys("BrookUnderReplicatedPartitions", "BrookTargetDown");
    }

    /**
     * Every query of the Grafana dashboard ({@code docker/grafana/dashboards/brook.json}), its
     * variables set to "All" and {@code $__rate_interval} to a minute, runs on this Prometheus and
     * returns data; only the panels of what the test did not do (streams and consumption through
     * the gateway) may be empty.
     */
    void checkTheDashboardsQueries(PrometheusServer prometheus) throws Exception {
        JsonNode dashboard = JsonMapper.builder()
                .build()
                .readTree(Path.of("..", "docker", "grafana", "dashboards", "brook.json")
                        .toFile());
        List<String> queries = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                if (target.has("expr")) {
                    queries.add(target.path("expr").asString());
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(20);
        Set<String> mayBeEmpty = Set.of(
                "brook_gateway_consumed_records_total",
                "brook_gateway_websocket_sessions",
                "brook_gateway_sse_streams");
        await("every dashboard query answers with data")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    for (String query : queries) {
                        String promql = query.replace("$__rate_interval", "1m")
                                .replace("$topic", ".*")
                                .replace("$group", ".*");
                        if (prometheus.seriesCount(promql) == 0
                                && mayBeEmpty.stream().noneMatch(promql::contains)) {
                            empty.add(query);
                        }
                    }
                    assertThat(empty).as("dashboard queries without data").isEmpty();
                });
    }

    /** kill -9 of a broker: its target down, the leaders' ISRs short, the alert pending. */
    void checkABrokerGoingDown(PrometheusServer prometheus) throws Exception {
        BrokerProcess victim = cluster.broker(3);
        cluster.kill(3);
        await("under-replicated partitions seen by Prometheus after a broker went down")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    assertThat(prometheus.query("up{instance=\"127.0.0.1:" + victim.httpPort() + "\"}"))
                            .contains(0.0);
                    assertThat(prometheus.query("sum(brook_replica_manager_under_replicated_partitions)"))
                            .hasValueSatisfying(n -> assertThat(n).isGreaterThanOrEqualTo(3.0));
                    assertThat(prometheus.query("sum(brook_controller_active_controller_count)"))
                            .contains(1.0);
                    assertThat(prometheus.alerts()).containsKeys("BrookUnderReplicatedPartitions", "BrookTargetDown");
                });
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
