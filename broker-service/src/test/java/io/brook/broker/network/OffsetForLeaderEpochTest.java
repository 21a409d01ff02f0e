package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.protocol.handlers.OffsetForLeaderEpochHandler;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.nio.file.Path;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderPartition;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopic;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.EpochEndOffset;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OffsetForLeaderEpoch over a real socket, requests serialised by kafka-clients. */
class OffsetForLeaderEpochTest {

    @TempDir
    Path tmp;

    TestListener listener;
    ReplicaManager replicas;
    KafkaServer server;
    final TopicPartition tp = new TopicPartition("orders", 0);

    @BeforeEach
    void start() throws Exception {
        listener = new TestListener(tmp);
        replicas = listener.replicas;
        // Epochs 0, 2 and 5 write offsets 0-1, 2-4 and 5.
        replicas.becomeLeader(tp, 0).appendAsLeader(records("a", "b"));
        replicas.becomeLeader(tp, 2).appendAsLeader(records("c", "d", "e"));
        replicas.becomeLeader(tp, 5).appendAsLeader(records("f"));
        server = listener.serve(64 * 1024, new OffsetForLeaderEpochHandler(replicas, RequestAuthorization.ALLOW_ALL));
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
    }

    @Test
    void answersTheEndOfEachEpochInEveryVersion() throws Exception {
        try (RawKafkaClient client = new RawKafkaClient(server.port())) {
            for (short version = ApiKeys.OFFSET_FOR_LEADER_EPOCH.oldestVersion();
                    version <= ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion();
                    version++) {
                assertThat(ask(client, version, tp, -1, 0))
                        .as("v%d epoch 0", version)
                        .isEqualTo(answer(0, 0, 2));
                assertThat(ask(client, version, tp, -1, 2))
                        .as("v%d epoch 2", version)
                        .isEqualTo(answer(0, 2, 5));
                assertThat(ask(client, version, tp, -1, 3))
                        .as("v%d epoch 3", version)
                        .isEqualTo(answer(0, 2, 5));
                assertThat(ask(client, version, tp, -1, 5))
                        .as("v%d latest", version)
                        .isEqualTo(answer(0, 5, 6));
                assertThat(ask(client, version, tp, -1, 6))
                        .as("v%d above", version)
                        .isEqualTo(answer(0, -1, -1));
            }
        }
    }

    @Test
    void checksTheCurrentLeaderEpoch() throws Exception {
        short version = ApiKeys.OFFSET_FOR_LEADER_EPOCH.latestVersion();
        try (RawKafkaClient client = new RawKafkaClient(server.port())) {
            assertThat(ask(client, version, tp, 5, 2)).isEqualTo(answer(0, 2, 5));
            assertThat(ask(client, version, tp, 4, 2).errorCode()).isEqualTo(Errors.FENCED_LEADER_EPOCH.code());
            assertThat(ask(client, version, tp, 6, 2).errorCode()).isEqualTo(Errors.UNKNOWN_LEADER_EPOCH.code());
            EpochEndOffset unknown = ask(client, version, new TopicPartition("nope", 0), -1, 0);
            assertThat(unknown.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            assertThat(unknown.endOffset()).isEqualTo(-1);
        }
    }

    EpochEndOffset ask(RawKafkaClient client, short version, TopicPartition partition, int current, int epoch)
            throws Exception {
        OffsetForLeaderTopicCollection topics = new OffsetForLeaderTopicCollection();
        OffsetForLeaderTopic topic = new OffsetForLeaderTopic().setTopic(partition.topic());
        topic.partitions()
                .add(new OffsetForLeaderPartition()
                        .setPartition(partition.partition())
                        .setCurrentLeaderEpoch(current)
                        .setLeaderEpoch(epoch));
        topics.add(topic);
        // Built directly: the builder refuses versions before 3, which have no replica id.
        OffsetForLeaderEpochRequestData data = new OffsetForLeaderEpochRequestData()
                .setReplicaId(OffsetsForLeaderEpochRequest.CONSUMER_REPLICA_ID)
                .setTopics(topics);
        RequestHeader header = client.send(new OffsetsForLeaderEpochRequest(data, version));
        OffsetsForLeaderEpochResponse response = (OffsetsForLeaderEpochResponse) client.receive(header);
        var result = response.data().topics().iterator().next();
        assertThat(result.topic()).isEqualTo(partition.topic());
        return result.partitions().get(0);
    }

    EpochEndOffset answer(int error, int epoch, long endOffset) {
        return new EpochEndOffset()
                .setErrorCode((short) error)
                .setPartition(tp.partition())
                .setLeaderEpoch(epoch)
                .setEndOffset(endOffset);
    }

    static MemoryRecords records(String... values) {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes());
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }
}
