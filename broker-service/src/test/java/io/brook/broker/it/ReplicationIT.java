package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three brokers, replication factor 3, {@code min.insync.replicas=2}, driven by the official Java
 * clients: what acks=all promises (every acknowledged record survives the loss of a broker, once
 * and in order), what the ISR does when a follower stalls or stops, and that replicas end
 * byte-identical, including a former leader whose unreplicated records must go.
 *
 * <p>Brokers are stopped cleanly (the controller then moves leadership at once); a stalled follower
 * is one whose fetchers were stopped while it stays registered, so that only the leader's lag check
 * can take it out of the ISR. Each test brings every broker back before the next.
 */
class ReplicationIT {

    /** Short enough for the tests to wait on, long enough for a few steps between two checks. */
    private static final long LAG_MS = 5_000;

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(
                tmp,
                3,
                "--brook.broker.replica-lag-time-max-ms=" + LAG_MS,
                "--brook.broker.replica-fetch-backoff-ms=200",
                "--brook.broker.auto-create-topics=false");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        cluster.close();
    }

    /** Brokers whose fetchers a test stopped: they fetch again only after a restart. */
    private final Set<Integer> stalledBrokers = new HashSet<>();

    /** Stops a broker's replica fetchers; it stays registered and keeps its roles. */
    private void stall(int id) {
        stalledBrokers.add(id);
        cluster.broker(id).bean(ReplicaManager.class).shutdownFetchers();
    }

    /** Stops and starts a broker, as after a stall. */
    private void restart(int id) {
        stalledBrokers.remove(id);
        cluster.broker(id).stop();
        cluster.broker(id).start();
    }

    /** Every broker up again, fetching, and registered, before the next test. */
    @AfterEach
    void restartStopped() {
        for (int id = 1; id <= cluster.size(); id++) {
            TestBroker broker = cluster.broker(id);
            if (stalledBrokers.remove(id) && broker.isRunning()) {
                broker.stop();
            }
            if (!broker.isRunning()) {
                broker.start();
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> admin.describeCluster().nodes().get().size() == cluster.size());
    }

    @Test
    void acksAllRecordsReachEveryReplicaAndTheLogsEndIdentical() throws Exception {
        TopicPartition tp = createTopic("replicated");
        List<RecordMetadata> acked = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sent.add(producer.send(new ProducerRecord<>(tp.topic(), "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                acked.add(f.get(30, TimeUnit.SECONDS));
            }
        }
        int leader = describe(tp).leader().id();
        long leaderEnd = log(leader, tp).logEndOffset();
        assertThat(leaderEnd).isEqualTo(500);
        // acks=all answered only once the high watermark passed each record.
        assertThat(log(leader, tp).highWatermark()).isEqualTo(500);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (int id = 1; id <= 3; id++) {
                assertThat(log(id, tp).logEndOffset()).as("log end on %d", id).isEqualTo(leaderEnd);
                assertThat(log(id, tp).highWatermark())
                        .as("high watermark on %d", id)
                        .isEqualTo(leaderEnd);
            }
            assertThat(isr(tp)).containsExactlyInAnyOrder(1, 2, 3);
        });
        List<String> expected = batches(leader, tp);
        assertThat(expected).isNotEmpty();
        for (int id = 1; id <= 3; id++) {
            assertThat(batches(id, tp)).as("batches on broker %d", id).isEqualTo(expected);
        }
        assertThat(consumeAll(tp, 500)).extracting(ConsumerRecord::value).containsExactlyElementsOf(values(0, 500));

        // DeleteRecords on the leader: the followers follow its log start offset, and, as in Kafka,
        // the answer comes once every in-sync replica has deleted.
        long lowWatermark = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(100)))
                .lowWatermarks()
                .get(tp)
                .get(30, TimeUnit.SECONDS)
                .lowWatermark();
        assertThat(lowWatermark).isEqualTo(100);
        for (int id = 1; id <= 3; id++) {
            assertThat(log(id, tp).logStartOffset()).as("log start on %d", id).isEqualTo(100);
        }
    }

    @Test
    void aStalledFollowerLeavesTheIsrConsumersStayBelowTheHighWatermarkAndARestartBringsItBack() throws Exception {
        TopicPartition tp = createTopic("stalled");
        int leader = describe(tp).leader().id();
        int stalled = otherThan(leader, -1);
        int healthy = otherThan(leader, stalled);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(tp.topic(), "k", "before")).get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> log(stalled, tp).logEndOffset() == 1);

            stall(stalled);
            // The healthy follower alone keeps up; acks=all waits until the leader's lag check
            // drops the stalled one, then succeeds with 2 of 3 in the ISR.
            long start = System.nanoTime();
            producer.send(new ProducerRecord<>(tp.topic(), "k", "during-1")).get(60, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(LAG_MS / 2));
            // The leader shrank its ISR (written to ZooKeeper) before acknowledging; Metadata
            // shows it once the watch has reached the brokers' caches.
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(isr(tp)).containsExactlyInAnyOrder(leader, healthy));
            producer.send(new ProducerRecord<>(tp.topic(), "k", "during-2")).get(30, TimeUnit.SECONDS);
        }
        assertThat(log(stalled, tp).logEndOffset()).isEqualTo(1);

        // A record only the leader has is above the high watermark: consumers do not see it.
        stall(healthy);
        try (KafkaProducer<String, String> producer =
                producer(Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            producer.send(new ProducerRecord<>(tp.topic(), "k", "unreplicated")).get(30, TimeUnit.SECONDS);
        }
        assertThat(log(leader, tp).logEndOffset()).isEqualTo(4);
        assertThat(log(leader, tp).highWatermark()).isEqualTo(3);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<String> seen = new ArrayList<>();
            // Several polls, each a full fetch: none may return the record at offset 3.
            for (int i = 0; i < 5; i++) {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> seen.add(r.value()));
            }
            assertThat(seen).containsExactly("before", "during-1", "during-2");
            assertThat(consumer.endOffsets(List.of(tp)).get(tp)).isEqualTo(3);
        }

        restart(stalled);
        restart(healthy);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(isr(tp)).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(log(stalled, tp).logEndOffset()).isEqualTo(4);
            assertThat(log(leader, tp).highWatermark()).isEqualTo(4);
        });
        assertThat(batches(stalled, tp)).isEqualTo(batches(leader, tp));
        assertThat(batches(healthy, tp)).isEqualTo(batches(leader, tp));
    }

    @Test
    void withBothFollowersDownAcksAllIsRefusedAndNothingIsAppended() throws Exception {
        TopicPartition tp = createTopic("lonely");
        int leader = describe(tp).leader().id();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(tp.topic(), "k", "first")).get(30, TimeUnit.SECONDS);
        }
        for (int id = 1; id <= 3; id++) {
            if (id != leader) {
                cluster.broker(id).stop();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> isr(tp).equals(List.of(leader)));
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.RETRIES_CONFIG, 0,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 9_000))) {
            Future<RecordMetadata> refused = producer.send(new ProducerRecord<>(tp.topic(), "k", "refused"));
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(NotEnoughReplicasException.class);
        }
        assertThat(log(leader, tp).logEndOffset()).isEqualTo(1);
        // acks=1 is still served by the leader alone.
        try (KafkaProducer<String, String> producer =
                producer(Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            assertThat(producer.send(new ProducerRecord<>(tp.topic(), "k", "acks-1"))
                            .get(30, TimeUnit.SECONDS)
                            .offset())
                    .isEqualTo(1);
        }
    }

    @Test
    void leaderFailoverLosesNoAcknowledgedRecordAndDuplicatesNone() throws Exception {
        TopicPartition tp = createTopic("failover");
        int oldLeader = describe(tp).leader().id();
        List<String> acked = Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                String value = "value-" + i;
                sent.add(producer.send(new ProducerRecord<>(tp.topic(), "key", value), (metadata, error) -> {
                    if (error == null) {
                        acked.add(value);
                    }
                }));
                if (i == 1000) {
                    sent.get(i).get(30, TimeUnit.SECONDS);
                    cluster.broker(oldLeader).stop();
                }
            }
            for (Future<RecordMetadata> f : sent) {
                f.get(120, TimeUnit.SECONDS);
            }
        }
        int newLeader = describe(tp).leader().id();
        assertThat(newLeader).isNotEqualTo(oldLeader);
        assertThat(acked).hasSize(3000);
        // Exactly once per sequence and in the order sent (one partition, idempotent producer).
        assertThat(consumeAll(tp, 3000)).extracting(ConsumerRecord::value).containsExactlyElementsOf(values(0, 3000));

        cluster.broker(oldLeader).start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(isr(tp)).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(log(oldLeader, tp).logEndOffset()).isEqualTo(3000);
        });
        for (int id = 1; id <= 3; id++) {
            assertThat(batches(id, tp)).as("batches on broker %d", id).isEqualTo(batches(newLeader, tp));
        }
    }

    @Test
    void aFormerLeaderTruncatesRecordsItNeverReplicatedAndEndsIdenticalToTheNewLeader() throws Exception {
        TopicPartition tp = createTopic("diverged");
        int oldLeader = describe(tp).leader().id();
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), "k", "committed-" + i));
            }
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> log(otherThan(oldLeader, -1), tp).logEndOffset() == 10
                        && log(otherThan(oldLeader, otherThan(oldLeader, -1)), tp)
                                        .logEndOffset()
                                == 10);

        // Both followers stall; the leader takes records with acks=1 that nobody else gets, and
        // stops before its lag check could drop the followers from the ISR.
        for (int id = 1; id <= 3; id++) {
            if (id != oldLeader) {
                stall(id);
            }
        }
        try (KafkaProducer<String, String> producer =
                producer(Map.of(ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false))) {
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), "k", "lost-" + i))
                        .get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(log(oldLeader, tp).logEndOffset()).isEqualTo(15);
        assertThat(log(oldLeader, tp).highWatermark()).isEqualTo(10);
        cluster.broker(oldLeader).stop();

        int newLeader = await().atMost(Duration.ofSeconds(30))
                .until(() -> describe(tp).leader(), leader -> leader != null && leader.id() != oldLeader)
                .id();
        int other = otherThan(oldLeader, newLeader);
        // The other follower's fetchers are stopped: a restart makes it follow the new leader.
        restart(other);
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(tp.topic(), "k", "new-" + i)).get(60, TimeUnit.SECONDS);
            }
        }

        stalledBrokers.remove(oldLeader);
        cluster.broker(oldLeader).start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(isr(tp)).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(log(oldLeader, tp).logEndOffset()).isEqualTo(13);
        });
        List<String> expected = batches(newLeader, tp);
        assertThat(batches(oldLeader, tp)).isEqualTo(expected);
        assertThat(batches(other, tp)).isEqualTo(expected);
        List<String> read =
                consumeAll(tp, 13).stream().map(ConsumerRecord::value).toList();
        assertThat(read).doesNotContain("lost-0", "lost-1", "lost-2", "lost-3", "lost-4");
        assertThat(read).endsWith("new-0", "new-1", "new-2");
    }

    @Test
    void metadataReportsReplicasAndIsrAndAFollowerRemovedFromTheAssignmentIsNotTheLeader() throws Exception {
        TopicPartition tp = createTopic("described");
        TopicPartitionInfo info = describe(tp);
        assertThat(info.replicas()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(isr(tp)).containsExactlyInAnyOrder(1, 2, 3));
        for (int id = 1; id <= 3; id++) {
            Partition partition =
                    cluster.broker(id).bean(ReplicaManager.class).partition(tp).orElseThrow();
            assertThat(partition.isLeader()).isEqualTo(id == info.leader().id());
            assertThat(partition.leaderId()).isEqualTo(info.leader().id());
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static TopicPartition createTopic(String name) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        TopicPartition tp = new TopicPartition(name, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (int id = 1; id <= 3; id++) {
                if (cluster.broker(id).bean(ReplicaManager.class).partition(tp).isEmpty()) {
                    return false;
                }
            }
            return isr(tp).size() == 3;
        });
        return tp;
    }

    private static TopicPartitionInfo describe(TopicPartition tp) throws Exception {
        TopicDescription description =
                admin.describeTopics(List.of(tp.topic())).allTopicNames().get().get(tp.topic());
        return description.partitions().get(tp.partition());
    }

    private static List<Integer> isr(TopicPartition tp) throws Exception {
        return describe(tp).isr().stream().map(Node::id).sorted().toList();
    }

    private static int otherThan(int a, int b) {
        for (int id = 1; id <= 3; id++) {
            if (id != a && id != b) {
                return id;
            }
        }
        throw new IllegalArgumentException();
    }

    private static PartitionLog log(int broker, TopicPartition tp) {
        Optional<Partition> partition =
                cluster.broker(broker).bean(ReplicaManager.class).partition(tp);
        return partition.orElseThrow().log();
    }

    /** Each batch's offsets, leader epoch, CRC (covering the rest of its bytes) and size. */
    private static List<String> batches(int broker, TopicPartition tp) {
        PartitionLog log = log(broker, tp);
        List<String> batches = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            long before = next;
            for (RecordBatch batch : log.read(next, Integer.MAX_VALUE, FetchIsolation.LOG_END, true)
                    .records()
                    .batches()) {
                batches.add(batch.baseOffset() + "-" + batch.lastOffset() + " epoch " + batch.partitionLeaderEpoch()
                        + " crc " + batch.checksum() + " size " + batch.sizeInBytes());
                next = batch.nextOffset();
            }
            if (next == before) {
                break;
            }
        }
        return batches;
    }

    private static List<String> values(int from, int to) {
        List<String> values = new ArrayList<>();
        for (int i = from; i < to; i++) {
            values.add("value-" + i);
        }
        return values;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class));
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }

    private static KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
    }

    /** Reads {@code tp} from the beginning until {@code count} records, without a group. */
    private static List<ConsumerRecord<String, String>> consumeAll(TopicPartition tp, int count) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= count;
            });
            // Nothing beyond: no duplicates arrive late.
            consumer.poll(Duration.ofMillis(300)).forEach(read::add);
        }
        return read;
    }
}
