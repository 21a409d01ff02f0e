package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.broker.log.LogManager;
import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionReplica;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DescribeLogDirs through the official {@link Admin} client ({@code describeLogDirs}, {@code
 * describeReplicaLogDirs}, what {@code kafka-log-dirs} uses) against two real brokers: each
 * broker reports its own data directory with the replicas it holds, their sizes equal to the bytes
 * of their segment files, growing with produced records, on the leader and on the follower.
 */
class DescribeLogDirsIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static EmbeddedZooKeeper zookeeper;
    static TestBroker broker1;
    static TestBroker broker2;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        zookeeper = EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk"));
        broker1 = new TestBroker(1, dir.resolve("broker-1"), zookeeper.connectString()).start();
        broker2 = new TestBroker(2, dir.resolve("broker-2"), zookeeper.connectString()).start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker1.bootstrap()));
        await().atMost(WAIT).until(() -> admin.describeCluster().nodes().get().size() == 2);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        for (TestBroker broker : new TestBroker[] {broker2, broker1}) {
            if (broker != null) {
                broker.close();
            }
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void eachBrokerReportsItsReplicasWithTheirSizesGrowingWithRecords() throws Exception {
        String topic = "log-dirs";
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 2))).all().get(30, TimeUnit.SECONDS);
        // The topic is created when its leaders are; a follower opens its log a moment later.
        await().atMost(WAIT).untilAsserted(() -> {
            Map<Integer, Map<String, LogDirDescription>> empty = describe();
            assertThat(empty).containsOnlyKeys(1, 2);
            for (int broker : List.of(1, 2)) {
                LogDirDescription only = single(empty.get(broker));
                assertThat(only.error()).isNull();
                assertThat(only.totalBytes().orElse(-1)).isPositive();
                assertThat(only.usableBytes()).isPresent();
                assertThat(only.replicaInfos())
                        .containsKeys(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
                assertThat(only.replicaInfos().get(new TopicPartition(topic, 0)).size())
                        .isZero();
            }
        });

        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker1.bootstrap(), ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(topic, 0, null, ("record-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        TopicPartition p0 = new TopicPartition(topic, 0);
        // acks=all: both replicas have the records; their segment bytes are the same batches.
        await().atMost(WAIT).untilAsserted(() -> {
            Map<Integer, Map<String, LogDirDescription>> after = describe();
            for (TestBroker broker : List.of(broker1, broker2)) {
                LogDirDescription logDir = single(after.get(broker.id));
                ReplicaInfo replica = logDir.replicaInfos().get(p0);
                long onDisk =
                        broker.bean(LogManager.class).getLog(p0).orElseThrow().size();
                assertThat(replica.size()).isPositive().isEqualTo(onDisk);
                assertThat(replica.offsetLag()).isZero();
                assertThat(replica.isFuture()).isFalse();
                assertThat(logDir.replicaInfos()
                                .get(new TopicPartition(topic, 1))
                                .size())
                        .isZero();
            }
        });

        // The single-replica view names the directory of each broker.
        var replicas = admin.describeReplicaLogDirs(
                        List.of(new TopicPartitionReplica(topic, 0, 1), new TopicPartitionReplica(topic, 0, 2)))
                .all()
                .get(30, TimeUnit.SECONDS);
        assertThat(replicas.get(new TopicPartitionReplica(topic, 0, 1)).getCurrentReplicaLogDir())
                .isEqualTo(broker1.dataDir.toFile().getAbsolutePath());
        assertThat(replicas.get(new TopicPartitionReplica(topic, 0, 2)).getCurrentReplicaLogDir())
                .isEqualTo(broker2.dataDir.toFile().getAbsolutePath());
    }

    static Map<Integer, Map<String, LogDirDescription>> describe() throws Exception {
        return admin.describeLogDirs(List.of(1, 2)).allDescriptions().get(30, TimeUnit.SECONDS);
    }

    static LogDirDescription single(Map<String, LogDirDescription> dirs) {
        assertThat(dirs).hasSize(1);
        return dirs.values().iterator().next();
    }
}
