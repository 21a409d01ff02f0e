package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumer groups with the official Java consumer against a real broker: three members share six
 * partitions, the group rebalances when one leaves and when one is killed (no LeaveGroup: the
 * session times out), commits stick, and a new member resumes from the committed offsets after a
 * broker restart.
 */
class ConsumerGroupsIT {

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(tmp, 1);
        broker = cluster.broker(1);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    static void produce(String topic, int from, int count) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A group member polling on its own thread, committing after each poll. */
    static final class Member implements AutoCloseable {
        final KafkaConsumer<String, String> consumer;
        final Set<TopicPartition> assignment = ConcurrentHashMap.newKeySet();
        final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        /** Rebalances this member took part in (the cooperative protocol calls back on each). */
        final java.util.concurrent.atomic.AtomicInteger rebalances = new java.util.concurrent.atomic.AtomicInteger();

        final Thread thread;
        volatile boolean leaveOnClose = true;

        Member(String group, String topic, boolean leaveGroupOnClose) {
            this(group, topic, leaveGroupOnClose, Map.of());
        }

        Member(String group, String topic, boolean leaveGroupOnClose, Map<String, Object> extra) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 500);
            // A crash without LeaveGroup: the coordinator must notice through the session timeout.
            config.put("internal.leave.group.on.close", leaveGroupOnClose);
            config.putAll(extra);
            consumer = new KafkaConsumer<>(config);
            thread = new Thread(() -> {
                consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        assignment.removeAll(partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        rebalances.incrementAndGet();
                        assignment.addAll(partitions);
                    }
                });
                while (running.get()) {
                    var polled = consumer.poll(Duration.ofMillis(100));
                    polled.forEach(records::add);
                    if (!polled.isEmpty()) {
                        consumer.commitSync();
                    }
                }
                consumer.close(Duration.ofSeconds(5));
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    @Test
    void aSingleBrokerCreatesTheOffsetsTopicWithOneReplicaInsteadOfRefusing() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            // FindCoordinator creates __consumer_offsets; the admin client retries until it is led.
            admin.listConsumerGroupOffsets("any-group")
                    .partitionsToOffsetAndMetadata()
                    .get(60, TimeUnit.SECONDS);

            TopicDescription offsets = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(Topic.GROUP_METADATA_TOPIC_NAME);
            assertThat(offsets.partitions())
                    .as("offsets.topic.replication.factor 3, capped at the one live broker")
                    .isNotEmpty()
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(1));
        }
    }

    @Test
    void membersShareTheTopicRebalanceOnLeaveAndCrashAndResumeAfterARestart() throws Exception {
        String topic = "shared";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(topic, 0, 120);

        Member a = new Member("workers", topic, true);
        Member b = new Member("workers", topic, true);
        Member c = new Member("workers", topic, false);
        List<Member> members = List.of(a, b, c);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(members).allSatisfy(m -> assertThat(m.assignment).hasSize(2));
            assertThat(members.stream().mapToInt(m -> m.records.size()).sum()).isGreaterThanOrEqualTo(120);
        });

        a.close(); // leaves the group
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(b.assignment.size() + c.assignment.size()).isEqualTo(6);
            assertThat(b.assignment).hasSize(3);
        });

        c.close(); // "crashes": no LeaveGroup, the session times out
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(b.assignment).hasSize(6));
        produce(topic, 120, 30);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(b.records).anyMatch(r -> r.value().equals("value-149")));
        b.close();

        Set<String> seen = ConcurrentHashMap.newKeySet();
        members.forEach(m -> m.records.forEach(r -> seen.add(r.value())));
        assertThat(seen).hasSize(150);

        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            committed = admin.listConsumerGroupOffsets("workers")
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }
        assertThat(committed.values().stream()
                        .mapToLong(OffsetAndMetadata::offset)
                        .sum())
                .isEqualTo(150);

        broker.stop();
        broker.start();
        produce(topic, 150, 12);
        Member resumed = new Member("workers", topic, true);
        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(resumed.records).hasSize(12));
            List<String> values = new ArrayList<>();
            resumed.records.forEach(r -> values.add(r.value()));
            assertThat(values).allMatch(v -> Integer.parseInt(v.substring("value-".length())) >= 150);
        } finally {
            resumed.close();
        }
    }

    @Test
    void aStaticMemberThatRestartsWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        String topic = "static-members";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> cooperative = Map.of(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        Map<String, Object> first = new HashMap<>(cooperative);
        first.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "worker-a");
        Map<String, Object> second = new HashMap<>(cooperative);
        second.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "worker-b");
        Member a = new Member("statics", topic, true, first);
        Member b = new Member("statics", topic, true, second);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()))) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(a.assignment).hasSize(2);
                assertThat(b.assignment).hasSize(2);
            });
            Set<TopicPartition> bBefore = Set.copyOf(b.assignment);
            int bRebalances = b.rebalances.get();
            var before =
                    admin.describeConsumerGroups(List.of("statics")).all().get().get("statics");
            assertThat(before.members())
                    .extracting(m -> m.groupInstanceId().orElse(null))
                    .containsExactlyInAnyOrder("worker-a", "worker-b");

            // A static member closing does not leave the group; back within the session timeout
            // with the same instance id, it takes its place again and nobody rebalances.
            a.close();
            Member again = new Member("statics", topic, true, first);
            try {
                await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> assertThat(again.assignment).hasSize(2));
                assertThat(b.assignment).isEqualTo(bBefore);
                assertThat(b.rebalances.get()).as("no rebalance").isEqualTo(bRebalances);
                var after = admin.describeConsumerGroups(List.of("statics"))
                        .all()
                        .get()
                        .get("statics");
                assertThat(after.members()).hasSize(2);
            } finally {
                again.close();
            }
        } finally {
            b.close();
        }
    }
}
