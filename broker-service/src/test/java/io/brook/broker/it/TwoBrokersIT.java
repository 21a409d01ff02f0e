package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers, replication factor 1: a topic's partitions are spread over both, and clients that
 * know only one broker find each partition's leader through Metadata.
 */
class TwoBrokersIT {

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static TestBroker first;
    static TestBroker second;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(tmp, 2);
        first = cluster.broker(1);
        second = cluster.broker(2);
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void partitionsSpreadOverBothBrokersAndClientsFindEachLeader() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, first.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic("spread", 6, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            // (the broker answering Metadata may be another than the one that created, a moment behind)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                TopicDescription description = admin.describeTopics(List.of("spread"))
                        .allTopicNames()
                        .get()
                        .get("spread");
                Set<Integer> leaders = new HashSet<>();
                for (TopicPartitionInfo p : description.partitions()) {
                    leaders.add(p.leader().id());
                }
                assertThat(leaders).containsExactlyInAnyOrder(1, 2);
            });
        }

        Set<Integer> partitionsWritten = new HashSet<>();
        // The producer knows only the second broker; half the partitions live on the first.
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, second.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class))) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                sent.add(producer.send(new ProducerRecord<>("spread", "key-" + i, "value-" + i)));
            }
            for (Future<RecordMetadata> f : sent) {
                partitionsWritten.add(f.get(30, TimeUnit.SECONDS).partition());
            }
        }
        assertThat(partitionsWritten).hasSize(6);

        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                first.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                "spread-readers",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class))) {
            consumer.subscribe(List.of("spread"));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
                return read.size() >= 600;
            });
        }
        assertThat(read).hasSize(600);
        assertThat(read.stream().map(ConsumerRecord::value).distinct().count()).isEqualTo(600);
    }
}
