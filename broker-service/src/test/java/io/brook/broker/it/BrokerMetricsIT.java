package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import io.brook.cluster.zk.ZkClusterClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's {@code /actuator/prometheus} against what a test did to two real brokers with the
 * Java clients: records in and out per topic, request times per API, the controller's and the
 * replica manager's gauges, log sizes, and the consumer lag of a group exactly as it was left;
 * the lag series gone with the group; under-replicated partitions while a broker is down; and
 * readiness, after a restart, only once the broker is back in every ISR.
 */
class BrokerMetricsIT {

    static final String TOPIC = "metered";
    static final String GROUP = "lagging";
    static final int RECORDS = 500;
    static final int CONSUMED = 200;

    @TempDir
    Path tmp;

    EmbeddedZooKeeper zookeeper;
    final List<TestBroker> brokers = new ArrayList<>();

    @AfterEach
    void stop() {
        for (int i = brokers.size() - 1; i >= 0; i--) {
            brokers.get(i).close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    TestBroker startBroker(int id) throws Exception {
        TestBroker broker = new TestBroker(
                        id,
                        tmp.resolve("broker-" + id),
                        zookeeper.connectString(),
                        "--brook.broker.metrics-refresh-interval=200ms",
                        "--brook.broker.offsets-topic-replication-factor=2",
                        "--brook.broker.replica-lag-time-max-ms=3000")
                .start();
        brokers.add(broker);
        return broker;
    }

    String bootstrap() {
        return String.join(
                ",",
                brokers.stream()
                        .filter(TestBroker::isRunning)
                        .map(TestBroker::bootstrap)
                        .toList());
    }

    double sumOver(List<TestBroker> which, String name, String... labels) throws Exception {
        double sum = 0;
        for (TestBroker b : which) {
            sum += PrometheusText.scrape(b.httpPort()).sum(name, labels);
        }
        return sum;
    }

    /**
     * The Broker table of the metrics contract ({@code docker/prometheus/README.md}): each name
     * (some rows list several) and its type, counter, gauge or summary.
     */
    static Map<String, String> brokerContract() throws Exception {
        String readme = java.nio.file.Files.readString(Path.of("..", "docker", "prometheus", "README.md"));
        String table = readme.substring(readme.indexOf("### Broker"), readme.indexOf("### Gateway"));
        Map<String, String> names = new java.util.LinkedHashMap<>();
        for (String row : table.split("\n")) {
            String[] cells = row.split("\\|");
            if (!row.startsWith("| `") || cells.length < 3) {
                continue;
            }
            String type = cells[2].trim().split("[ (,]")[0];
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("`([a-z_]+)`").matcher(cells[1]);
            while (m.find()) {
                names.put(m.group(1), type);
            }
        }
        return names;
    }

    @Test
    void metricsReportWhatTheClientsDidAndReadinessWaitsForTheIsr() throws Exception {
        zookeeper = EmbeddedZooKeeper.startOnFreePort(tmp.resolve("zk"));
        TestBroker one = startBroker(1);
        TestBroker two = startBroker(2);
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 2))).all().get();

            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, i % 2, "k" + i, "value-" + i));
                }
                producer.flush();
            }

            // Take exactly CONSUMED records and commit exactly up to them, on both partitions.
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
            partitions.forEach(tp -> commit.put(tp, new OffsetAndMetadata(0)));
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.assign(partitions);
                List<ConsumerRecord<String, String>> taken = new ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(taken::add);
                    return taken.size() >= CONSUMED;
                });
                for (ConsumerRecord<String, String> r : taken.subList(0, CONSUMED)) {
                    commit.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                consumer.commitSync(commit);
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (TopicPartition tp : partitions) {
                ends.put(
                        tp,
                        admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                                .all()
                                .get()
                                .get(tp)
                                .offset());
            }
            assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);

            List<TestBroker> both = List.of(one, two);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(sumOver(both, "brook_broker_topic_messages_in_total", "topic", TOPIC))
                        .isEqualTo(RECORDS);
                assertThat(sumOver(both, "brook_consumer_group_lag_sum", "group", GROUP))
                        .isEqualTo(RECORDS - CONSUMED);
                for (TopicPartition tp : partitions) {
                    assertThat(sumOver(
                                    both,
                                    "brook_consumer_group_lag",
                                    "group",
                                    GROUP,
                                    "topic",
                                    TOPIC,
                                    "partition",
                                    Integer.toString(tp.partition())))
                            .isEqualTo(ends.get(tp) - commit.get(tp).offset());
                }
            });
            // Reported by the group's coordinator alone.
            long reporting = 0;
            for (TestBroker b : both) {
                if (PrometheusText.scrape(b.httpPort()).has("brook_consumer_group_lag_sum", "group", GROUP)) {
                    reporting++;
                }
            }
            assertThat(reporting).isEqualTo(1);

            // Every name of the contract's Broker table, with its type, on the brokers.
            Map<String, String> contract = brokerContract();
            assertThat(contract).hasSizeGreaterThanOrEqualTo(20);
            List<PrometheusText> scrapes = new ArrayList<>();
            for (TestBroker b : both) {
                scrapes.add(PrometheusText.scrape(b.httpPort()));
            }
            contract.forEach((name, type) -> {
                String sample = type.equals("summary") ? name + "_count" : name;
                assertThat(scrapes.stream().anyMatch(t -> t.has(sample)))
                        .as("%s on a broker", sample)
                        .isTrue();
                assertThat(scrapes.stream()
                                .map(t -> t.types().getOrDefault(name, t.types().get(name.replaceAll("_total$", ""))))
                                .filter(java.util.Objects::nonNull)
                                .findFirst())
                        .as("type of %s", name)
                        .contains(type);
            });

            PrometheusText scrape = PrometheusText.scrape(one.httpPort());
            assertThat(sumOver(both, "brook_broker_topic_bytes_in_total", "topic", TOPIC))
                    .isGreaterThan(RECORDS * "value-0".length());
            // The consumer's fetches and the follower's.
            assertThat(sumOver(both, "brook_broker_topic_bytes_out_total", "topic", TOPIC))
                    .isGreaterThan(2 * RECORDS * "value-0".length());
            for (String part : List.of("total", "queue", "local", "remote")) {
                String name = "brook_request_" + part + "_time_ms";
                assertThat(sumOver(both, name + "_count", "request", "Produce")).isGreaterThan(0);
                assertThat(sumOver(both, name + "_count", "request", "Fetch")).isGreaterThan(0);
                assertThat(scrape.has(name, "request", "Fetch", "quantile", "0.99"))
                        .as(name + " quantile 0.99")
                        .isTrue();
            }
            assertThat(sumOver(both, "brook_controller_active_controller_count"))
                    .isEqualTo(1);
            assertThat(sumOver(both, "brook_controller_offline_partitions_count"))
                    .isZero();
            // Both topic partitions and the three of __consumer_offsets got a first leader.
            assertThat(sumOver(both, "brook_controller_leader_elections_total")).isGreaterThanOrEqualTo(5);
            assertThat(sumOver(both, "brook_controller_unclean_leader_elections_total"))
                    .isZero();
            assertThat(sumOver(both, "brook_replica_manager_under_replicated_partitions"))
                    .isZero();
            assertThat(sumOver(both, "brook_replica_manager_under_min_isr_partition_count"))
                    .isZero();
            for (TestBroker b : both) {
                PrometheusText own = PrometheusText.scrape(b.httpPort());
                for (TopicPartition tp : partitions) {
                    assertThat(own.sum("brook_log_size_bytes", "topic", TOPIC, "partition", "" + tp.partition()))
                            .as("log size of %s on broker %d", tp, b.id)
                            .isGreaterThan(0);
                }
                assertThat(own.sum("brook_socket_server_connections", "listener", "PLAINTEXT"))
                        .isGreaterThanOrEqualTo(1);
                for (String idle :
                        List.of("brook_request_handler_avg_idle_percent", "brook_network_processor_avg_idle_percent")) {
                    assertThat(own.find(idle))
                            .singleElement()
                            .satisfies(s -> assertThat(s.value()).isBetween(0.0, 1.0));
                }
                assertThat(own.has("brook_replica_manager_isr_shrinks_total")).isTrue();
                assertThat(own.has("brook_log_flush_time_ms_count")).isTrue();
                assertThat(PrometheusText.get(b.httpPort(), "/actuator/health/readiness"))
                        .startsWith("200");
            }

            // The group deleted: its series go.
            admin.deleteConsumerGroups(List.of(GROUP)).all().get();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (TestBroker b : both) {
                    PrometheusText own = PrometheusText.scrape(b.httpPort());
                    assertThat(own.has("brook_consumer_group_lag_sum", "group", GROUP))
                            .isFalse();
                    assertThat(own.has("brook_consumer_group_lag", "group", GROUP))
                            .isFalse();
                }
            });

            // Broker 2 stops: not ready from the start of its controlled shutdown (it still serves
            // HTTP while its leaderships move away), then gone; broker 1 leads everything with a
            // short ISR.
            int twoHttp = two.httpPort();
            Thread stopping = new Thread(two::stop, "stop-broker-2");
            stopping.start();
            await().atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(5))
                    .until(
                            () -> PrometheusText.get(twoHttp, "/actuator/health/readiness"),
                            r -> r.startsWith("503") && r.contains("STOPPING"));
            stopping.join(60_000);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(sumOver(List.of(one), "brook_replica_manager_under_replicated_partitions"))
                                    .isGreaterThanOrEqualTo(2));
            double expandsBefore = sumOver(List.of(one), "brook_replica_manager_isr_expands_total");

            // Back: ready only once in the ISR of everything it follows.
            TestBroker again = startBroker(2);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> PrometheusText.get(again.httpPort(), "/actuator/health/readiness")
                            .startsWith("200"));
            // (read from ZooKeeper: the broker answering the Admin client's Metadata may lag it)
            ZkClusterClient zk = again.bean(ZkClusterClient.class);
            Set<String> topics = Set.of(TOPIC, "__consumer_offsets");
            admin.describeTopics(topics)
                    .allTopicNames()
                    .get()
                    .values()
                    .forEach(d -> d.partitions()
                            .forEach(p -> assertThat(zk.partitionState(new TopicPartition(d.name(), p.partition()))
                                            .orElseThrow()
                                            .isr())
                                    .as("ISR of %s-%d once broker 2 is ready", d.name(), p.partition())
                                    .contains(2)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(sumOver(List.of(one, again), "brook_replica_manager_under_replicated_partitions"))
                        .isZero();
                assertThat(sumOver(List.of(one), "brook_replica_manager_isr_expands_total"))
                        .isGreaterThan(expandsBefore);
            });
        }
    }
}
