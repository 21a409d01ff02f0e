package io.brook.broker.protocol.handlers;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.protocol.TopicIds;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.FetchParams;
import io.brook.broker.replication.ReplicaManager.FetchPartition;
import io.brook.broker.replication.ReplicaManager.FetchResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Fetch: a long poll over the partitions asked for, answered with slices of segment files that go
 * to the socket with zero copy.
 *
 * <p>Fetch sessions (KIP-227): the broker creates none, and answers every request as a full fetch
 * with session id 0, which the protocol defines as "no session": clients then keep sending full
 * requests. Incremental sessions only save request bytes on consumers of many partitions; they are
 * a later optimisation. A request that names a session it cannot have gets {@code
 * FETCH_SESSION_ID_NOT_FOUND}, after which clients start over.
 */
public final class FetchHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final TopicIds topicIds;

    public FetchHandler(ReplicaManager replicaManager, TopicIds topicIds) {
        this.replicaManager = replicaManager;
        this.topicIds = topicIds;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        FetchRequest fetch = request.body(FetchRequest.class);
        FetchRequestData data = fetch.data();
        if (data.sessionId() != FetchMetadata.INVALID_SESSION_ID) {
            return CompletableFuture.completedFuture(
                    FetchResponse.of(new FetchResponseData().setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code())));
        }
        boolean byId = request.version() >= 13;
        List<FetchPartition> wanted = new ArrayList<>();
        Map<TopicPartition, Uuid> ids = new LinkedHashMap<>();
        Map<TopicPartition, Errors> refused = new LinkedHashMap<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            Optional<String> name = byId ? topicIds.nameOf(topic.topicId()) : Optional.of(topic.topic());
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                TopicPartition tp =
                        new TopicPartition(name.orElse(topic.topicId().toString()), p.partition());
                ids.put(tp, topic.topicId());
                if (name.isEmpty()) {
                    refused.put(tp, Errors.UNKNOWN_TOPIC_ID);
                    continue;
                }
                wanted.add(new FetchPartition(
                        tp,
                        p.fetchOffset(),
                        p.partitionMaxBytes(),
                        p.currentLeaderEpoch() < 0 ? Optional.empty() : Optional.of(p.currentLeaderEpoch())));
            }
        }
        // Followers (replica id >= 0) read to the log end; consumers below the high watermark.
        FetchIsolation isolation = fetch.replicaId() >= 0 ? FetchIsolation.LOG_END : FetchIsolation.HIGH_WATERMARK;
        FetchParams params = new FetchParams(data.maxWaitMs(), data.minBytes(), data.maxBytes(), isolation);
        return replicaManager.fetch(params, wanted).thenApply(results -> {
            FetchResponseData response = new FetchResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setSessionId(FetchMetadata.INVALID_SESSION_ID);
            Map<TopicPartition, FetchResponseData.FetchableTopicResponse> topics = new LinkedHashMap<>();
            Map<String, FetchResponseData.FetchableTopicResponse> byName = new LinkedHashMap<>();
            ids.forEach((tp, topicId) -> {
                FetchResponseData.FetchableTopicResponse topic = byName.computeIfAbsent(tp.topic(), n -> {
                    FetchResponseData.FetchableTopicResponse t = new FetchResponseData.FetchableTopicResponse()
                            .setTopic(byId ? "" : n)
                            .setTopicId(topicId);
                    response.responses().add(t);
                    return t;
                });
                topics.put(tp, topic);
                FetchResponseData.PartitionData partition =
                        new FetchResponseData.PartitionData().setPartitionIndex(tp.partition());
                FetchResult result = results.get(tp);
                if (result == null) {
                    partition.setErrorCode(refused.get(tp).code()).setRecords(MemoryRecords.EMPTY);
                } else {
                    partition
                            .setErrorCode(result.error().code())
                            .setHighWatermark(result.highWatermark())
                            .setLastStableOffset(result.highWatermark())
                            .setLogStartOffset(result.logStartOffset())
                            .setRecords(result.records());
                }
                topic.partitions().add(partition);
            });
            return FetchResponse.of(response);
        });
    }
}
