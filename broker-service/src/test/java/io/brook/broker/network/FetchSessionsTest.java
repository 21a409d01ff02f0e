package io.brook.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.protocol.TopicIds;
import io.brook.broker.protocol.handlers.FetchHandler;
import io.brook.broker.protocol.handlers.ProduceHandler;
import io.brook.broker.protocol.handlers.fetch.FetchSessionCache;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Incremental fetch sessions (KIP-227) over real sockets, with requests serialised by
 * kafka-clients as a consumer would send them: open, incremental, forgotten partitions, errors and
 * close.
 */
class FetchSessionsTest {

    static final String TOPIC = "orders";
    static final Uuid TOPIC_ID = Uuid.fromString("b8Rv4OQXQ2qTnmlnFJXYuw");
    static final int PARTITIONS = 3;

    @TempDir
    Path tmp;

    TestListener listener;
    ReplicaManager replicas;
    FetchSessionCache sessions;
    KafkaServer server;
    RawKafkaClient client;

    @BeforeEach
    void start() throws Exception {
        listener = new TestListener(tmp);
        replicas = listener.replicas;
        for (int p = 0; p < PARTITIONS; p++) {
            replicas.becomeLeader(new TopicPartition(TOPIC, p), 0);
        }
        TopicIds ids = new TopicIds() {
            @Override
            public Optional<Uuid> idOf(String topic) {
                return topic.equals(TOPIC) ? Optional.of(TOPIC_ID) : Optional.empty();
            }

            @Override
            public Optional<String> nameOf(Uuid topicId) {
                return topicId.equals(TOPIC_ID) ? Optional.of(TOPIC) : Optional.empty();
            }
        };
        sessions = new FetchSessionCache(
                FetchSessionCache.DEFAULT_SLOTS,
                FetchSessionCache.DEFAULT_EVICTION_MS,
                Clock.systemUTC(),
                new Random());
        server = listener.serve(
                1 << 20,
                new ProduceHandler(replicas, ids, RequestAuthorization.ALLOW_ALL),
                new FetchHandler(replicas, ids, sessions, RequestAuthorization.ALLOW_ALL));
        client = new RawKafkaClient(server.port());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        listener.close();
    }

    // ---- requests -----------------------------------------------------------------------------

    /** A fetch request; {@code offsets} maps partition to fetch offset (the listed ones only). */
    static FetchRequestData request(int sessionId, int epoch, Map<Integer, Long> offsets, int maxWaitMs) {
        FetchRequestData data = new FetchRequestData()
                .setReplicaId(-1)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(1)
                .setMaxBytes(1 << 20)
                .setSessionId(sessionId)
                .setSessionEpoch(epoch);
        if (!offsets.isEmpty()) {
            FetchRequestData.FetchTopic topic =
                    new FetchRequestData.FetchTopic().setTopic(TOPIC).setTopicId(TOPIC_ID);
            offsets.forEach((p, offset) -> topic.partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(p)
                            .setFetchOffset(offset)
                            .setPartitionMaxBytes(1 << 20)
                            .setCurrentLeaderEpoch(-1)));
            data.topics().add(topic);
        }
        return data;
    }

    static Map<Integer, Long> allFrom(long offset) {
        Map<Integer, Long> offsets = new LinkedHashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            offsets.put(p, offset);
        }
        return offsets;
    }

    FetchResponse fetch(FetchRequestData data, short version) throws Exception {
        return (FetchResponse) client.receive(client.send(new FetchRequest(data, version)));
    }

    FetchResponse fetch(FetchRequestData data) throws Exception {
        return fetch(data, (short) 12);
    }

    void produce(int partition, String... values) throws Exception {
        SimpleRecord[] records = new SimpleRecord[values.length];
        for (int i = 0; i < values.length; i++) {
            records[i] = new SimpleRecord(System.currentTimeMillis(), null, values[i].getBytes());
        }
        ProduceRequestData data = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(5_000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topic.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(MemoryRecords.withRecords(Compression.NONE, records)));
        data.topicData().add(topic);
        try (RawKafkaClient producer = new RawKafkaClient(server.port())) {
            ProduceResponse ack =
                    (ProduceResponse) producer.receive(producer.send(new ProduceRequest(data, (short) 9)));
            assertThat(ack.data()
                            .responses()
                            .iterator()
                            .next()
                            .partitionResponses()
                            .get(0)
                            .errorCode())
                    .isZero();
        }
    }

    /** The answered partitions, by index. */
    static Map<Integer, FetchResponseData.PartitionData> partitions(FetchResponse response) {
        Map<Integer, FetchResponseData.PartitionData> out = new LinkedHashMap<>();
        for (FetchResponseData.FetchableTopicResponse topic : response.data().responses()) {
            for (FetchResponseData.PartitionData p : topic.partitions()) {
                out.put(p.partitionIndex(), p);
            }
        }
        return out;
    }

    static int records(FetchResponseData.PartitionData p) {
        int n = 0;
        for (var batch : FetchResponse.recordsOrFail(p).batches()) {
            for (var ignored : batch) {
                n++;
            }
        }
        return n;
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void aFullFetchAtEpochZeroOpensASessionAndIncrementalFetchesAnswerOnlyWhatChanged() throws Exception {
        produce(0, "a");
        FetchResponse opened = fetch(request(0, FetchMetadata.INITIAL_EPOCH, allFrom(0), 0));
        assertThat(opened.error()).isEqualTo(Errors.NONE);
        int id = opened.sessionId();
        assertThat(id).isPositive();
        assertThat(partitions(opened)).containsOnlyKeys(0, 1, 2);
        assertThat(records(partitions(opened).get(0))).isOne();
        assertThat(sessions.get(id).orElseThrow().size()).isEqualTo(PARTITIONS);

        // The client moved partition 0 to offset 1 and lists only it; nothing is new anywhere.
        FetchResponse quiet = fetch(request(id, 1, Map.of(0, 1L), 0));
        assertThat(quiet.error()).isEqualTo(Errors.NONE);
        assertThat(quiet.sessionId()).isEqualTo(id);
        assertThat(partitions(quiet)).isEmpty();

        // A waiting incremental fetch wakes on an append to a partition it did not list.
        RawKafkaClient waiting = client;
        var header = waiting.send(new FetchRequest(request(id, 2, Map.of(), 10_000), (short) 12));
        produce(2, "x", "y");
        FetchResponse woke = (FetchResponse) waiting.receive(header);
        assertThat(partitions(woke)).containsOnlyKeys(2);
        assertThat(records(partitions(woke).get(2))).isEqualTo(2);
        assertThat(partitions(woke).get(2).highWatermark()).isEqualTo(2);

        // Partition 2 still at offset 0 in the session: it keeps returning records until moved.
        assertThat(partitions(fetch(request(id, 3, Map.of(), 0)))).containsOnlyKeys(2);
        assertThat(partitions(fetch(request(id, 4, Map.of(2, 2L), 0)))).isEmpty();
        assertThat(sessions.stats().incrementalFetches()).isEqualTo(4);
    }

    @Test
    void forgottenPartitionsAreNoLongerRead() throws Exception {
        int id = fetch(request(0, 0, allFrom(0), 0)).sessionId();
        FetchRequestData forget = request(id, 1, Map.of(), 0);
        forget.forgottenTopicsData()
                .add(new FetchRequestData.ForgottenTopic().setTopic(TOPIC).setPartitions(List.of(0)));
        assertThat(partitions(fetch(forget))).isEmpty();
        assertThat(sessions.get(id).orElseThrow().size()).isEqualTo(2);

        produce(0, "ignored");
        produce(1, "b");
        assertThat(partitions(fetch(request(id, 2, Map.of(), 0)))).containsOnlyKeys(1);
    }

    @Test
    void aWrongEpochOrAnUnknownSessionIsRefusedAndTheClientCanStartOver() throws Exception {
        int id = fetch(request(0, 0, allFrom(0), 0)).sessionId();

        FetchResponse wrongEpoch = fetch(request(id, 5, Map.of(), 0));
        assertThat(wrongEpoch.error()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH);
        assertThat(wrongEpoch.sessionId()).isZero();
        assertThat(partitions(wrongEpoch)).isEmpty();

        FetchResponse unknown = fetch(request(id + 1, 1, Map.of(), 0));
        assertThat(unknown.error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);

        // The session survived both: its epoch is still 1.
        assertThat(fetch(request(id, 1, Map.of(), 0)).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void finalEpochClosesTheSessionAndIsAnsweredSessionless() throws Exception {
        int id = fetch(request(0, 0, allFrom(0), 0)).sessionId();
        produce(1, "b");

        FetchResponse closing = fetch(request(id, FetchMetadata.FINAL_EPOCH, allFrom(0), 0));
        assertThat(closing.error()).isEqualTo(Errors.NONE);
        assertThat(closing.sessionId()).isZero();
        assertThat(partitions(closing)).containsOnlyKeys(0, 1, 2);
        assertThat(sessions.get(id)).isEmpty();

        assertThat(fetch(request(id, 1, Map.of(), 0)).error()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND);
        // Sessionless requests open nothing.
        assertThat(fetch(request(0, FetchMetadata.FINAL_EPOCH, allFrom(0), 0)).sessionId())
                .isZero();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void topicIdSessionsAnswerUnknownTopicIdsPerPartition() throws Exception {
        Uuid unknown = Uuid.randomUuid();
        FetchRequestData data = request(0, 0, allFrom(0), 0);
        data.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopicId(unknown)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1024)
                                .setCurrentLeaderEpoch(-1))));
        FetchResponse opened = fetch(data, (short) 16);
        int id = opened.sessionId();
        assertThat(id).isPositive();
        assertThat(opened.data().responses())
                .extracting(FetchResponseData.FetchableTopicResponse::topicId)
                .containsExactly(TOPIC_ID, unknown);
        assertThat(opened.data().responses().get(1).partitions().get(0).errorCode())
                .isEqualTo(Errors.UNKNOWN_TOPIC_ID.code());

        produce(1, "b");
        FetchResponse next = fetch(request(id, 1, Map.of(), 0), (short) 16);
        // The error is repeated (errors always are); the news on partition 1 comes by topic id.
        assertThat(next.data().responses())
                .extracting(FetchResponseData.FetchableTopicResponse::topicId)
                .containsExactly(TOPIC_ID, unknown);
        assertThat(next.data().responses().get(0).partitions())
                .extracting(FetchResponseData.PartitionData::partitionIndex)
                .containsExactly(1);

        // The session was opened by topic id: continuing it by name is refused.
        assertThat(fetch(request(id, 2, Map.of(), 0)).error()).isEqualTo(Errors.FETCH_SESSION_TOPIC_ID_ERROR);
    }
}
