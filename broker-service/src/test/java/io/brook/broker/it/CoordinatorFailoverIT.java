package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Committed offsets survive the loss of the group's coordinator: three brokers, {@code
 * __consumer_offsets} with three replicas (the default {@code offsets.topic.replication.factor}),
 * a consumer group commits, the broker coordinating it stops without handing its leaderships over
 * first (controlled shutdown off, so the controller fails over as for a crash, from the ISR), and
 * a new member of the group resumes exactly where the commits said, through the new coordinator,
 * which loaded them from its own replica.
 */
class CoordinatorFailoverIT {

    private static final String TOPIC = "orders";
    private static final String GROUP = "billing";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 300;

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(
                tmp,
                3,
                "--brook.broker.controlled-shutdown-enable=false",
                "--brook.broker.replica-fetch-backoff-ms=200",
                "--brook.broker.auto-create-topics=false");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        cluster.close();
    }

    static KafkaConsumer<String, String> consumer() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return new KafkaConsumer<>(config);
    }

    @Test
    void aNewMemberResumesFromTheCommittedOffsetsAfterTheCoordinatorStops() throws Exception {
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                StringSerializer.class))) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        // The first member consumes about half and commits after every poll.
        Map<TopicPartition, Long> committed = new HashMap<>();
        int consumedBefore = 0;
        try (KafkaConsumer<String, String> first = consumer()) {
            first.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (consumedBefore < RECORDS / 2) {
                assertThat(System.nanoTime()).as("consumed in time").isLessThan(deadline);
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (ConsumerRecord<String, String> r : first.poll(Duration.ofMillis(200))) {
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    consumedBefore++;
                }
                if (!offsets.isEmpty()) {
                    first.commitSync(offsets, Duration.ofSeconds(30));
                    offsets.forEach((tp, o) -> committed.put(tp, o.offset()));
                }
            }
        }
        assertThat(committed).isNotEmpty();
        int remaining = RECORDS - consumedBefore;

        TopicDescription offsetsTopic = admin.describeTopics(List.of(Topic.GROUP_METADATA_TOPIC_NAME))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(Topic.GROUP_METADATA_TOPIC_NAME);
        assertThat(offsetsTopic.partitions())
                .as("__consumer_offsets has the default replication factor 3")
                .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));

        int coordinator = admin.describeConsumerGroups(List.of(GROUP))
                .describedGroups()
                .get(GROUP)
                .get(30, TimeUnit.SECONDS)
                .coordinator()
                .id();
        cluster.broker(coordinator).stop();

        // The new coordinator, elected from the ISR, has every acknowledged commit.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            int now = admin.describeConsumerGroups(List.of(GROUP))
                    .describedGroups()
                    .get(GROUP)
                    .get(10, TimeUnit.SECONDS)
                    .coordinator()
                    .id();
            assertThat(now).isNotEqualTo(coordinator);
        });
        Map<TopicPartition, Long> fetched = new HashMap<>();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            fetched.clear();
            admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS)
                    .forEach((tp, o) -> fetched.put(tp, o.offset()));
            assertThat(fetched).isEqualTo(committed);
        });

        // A new member resumes exactly there: nothing committed is read again, nothing is skipped.
        List<ConsumerRecord<String, String>> after = new ArrayList<>();
        try (KafkaConsumer<String, String> second = consumer()) {
            second.subscribe(List.of(TOPIC));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                second.poll(Duration.ofMillis(200)).forEach(after::add);
                return after.size() >= remaining;
            });
        }
        assertThat(after).hasSize(remaining);
        Map<TopicPartition, Long> firstOffsetAfter = new HashMap<>();
        for (ConsumerRecord<String, String> r : after) {
            firstOffsetAfter.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        committed.forEach((tp, offset) -> {
            if (firstOffsetAfter.containsKey(tp)) {
                assertThat(firstOffsetAfter.get(tp))
                        .as("resumed at the commit of %s", tp)
                        .isEqualTo(offset);
            }
        });
        for (TopicPartitionInfo p : admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(TOPIC)
                .partitions()) {
            TopicPartition tp = new TopicPartition(TOPIC, p.partition());
            assertThat(firstOffsetAfter.getOrDefault(tp, -1L))
                    .as("partitions without a commit start at the beginning")
                    .isIn(committed.getOrDefault(tp, 0L), -1L);
        }
    }
}
