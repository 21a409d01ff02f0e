package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reassignment with data: a partition moves from brokers 1 and 2 to brokers 3 and 2, the new
 * replica copies the log from the leader, the controller completes the move once it is in sync,
 * broker 3 leads and serves every acknowledged record, and broker 1 deletes its copy.
 */
class ReassignmentWithDataIT {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    TestCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPartitionMovesToANewBrokerWithEveryAcknowledgedRecord() throws Exception {
        cluster = TestCluster.start(tmp, 3);
        TopicPartition tp = new TopicPartition("data", 0);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker(1).bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("data", Map.of(0, List.of(1, 2)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    cluster.broker(1).bootstrap(),
                    ProducerConfig.ACKS_CONFIG,
                    "all",
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                    StringSerializer.class))) {
                for (int i = 0; i < 100; i++) {
                    producer.send(new ProducerRecord<>("data", 0, "k" + i, "v" + i))
                            .get(30, TimeUnit.SECONDS);
                }
            }

            admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(3, 2)))))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            await().atMost(TIMEOUT)
                    .until(() -> admin.listPartitionReassignments()
                            .reassignments()
                            .get(30, TimeUnit.SECONDS)
                            .isEmpty());
            // the list is the controller's, from ZooKeeper; the broker answering Metadata may lag it
            await().atMost(TIMEOUT).untilAsserted(() -> {
                TopicDescription description = admin.describeTopics(List.of("data"))
                        .allTopicNames()
                        .get()
                        .get("data");
                TopicPartitionInfo info = description.partitions().get(0);
                assertThat(info.replicas()).extracting(n -> n.id()).containsExactly(3, 2);
                assertThat(info.leader().id()).isEqualTo(3);
            });
        }
        await().atMost(TIMEOUT)
                .until(() -> !Files.exists(cluster.broker(1).dataDir.resolve("data-0")));

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.broker(2).bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.assign(List.of(tp));
            await().atMost(TIMEOUT).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return values.size() >= 100;
            });
        }
        assertThat(values).hasSize(100).startsWith("v0").endsWith("v99");
    }
}
