package io.brook.broker.protocol.handlers;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.protocol.TopicIds;
import io.brook.broker.protocol.handlers.fetch.FetchContext;
import io.brook.broker.protocol.handlers.fetch.FetchSessionCache;
import io.brook.broker.protocol.handlers.fetch.PartitionFetch;
import io.brook.broker.protocol.handlers.fetch.PartitionKey;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.FetchParams;
import io.brook.broker.replication.ReplicaManager.FetchPartition;
import io.brook.broker.replication.ReplicaManager.FetchResult;
import io.brook.broker.security.RequestAuthorization;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FetchMetadata;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Fetch: a long poll over the partitions asked for, answered with slices of segment files that go
 * to the socket with zero copy.
 *
 * <p>Fetch sessions (KIP-227), for consumers and followers alike: a full request at epoch 0 opens
 * a session when the {@link FetchSessionCache} has room, and later requests list only the
 * partitions whose fetch position changed, while the broker reads the whole session and answers
 * only the partitions with records, an error or new offsets. Epoch -1 asks for no session. See
 * {@link FetchContext} for every case and its answer.
 *
 * <p>Authorization, as Kafka's: a follower (replica id &gt;= 0) needs CLUSTER_ACTION on the
 * cluster, a consumer READ on each topic; partitions not allowed are answered
 * TOPIC_AUTHORIZATION_FAILED and not read.
 *
 * <p>Threading: {@link #handle} runs on a request thread; the response is built on the thread that
 * completes the read (the broker timer for a fetch that waited).
 */
public final class FetchHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final TopicIds topicIds;
    private final FetchSessionCache sessions;
    private final RequestAuthorization authorization;

    public FetchHandler(
            ReplicaManager replicaManager,
            TopicIds topicIds,
            FetchSessionCache sessions,
            RequestAuthorization authorization) {
        this.replicaManager = replicaManager;
        this.topicIds = topicIds;
        this.sessions = sessions;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FETCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        FetchRequest fetch = request.body(FetchRequest.class);
        FetchRequestData data = fetch.data();
        boolean byId = request.version() >= 13;
        if (byId && data.topics().stream().anyMatch(t -> Uuid.ZERO_UUID.equals(t.topicId()))) {
            return CompletableFuture.completedFuture(fetch.getErrorResponse(
                    0,
                    new org.apache.kafka.common.errors.UnknownTopicIdException(
                            "Fetch v" + request.version() + " needs topic ids")));
        }
        List<PartitionFetch> requested = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : data.topics()) {
            Optional<String> name = byId ? topicIds.nameOf(topic.topicId()) : Optional.of(topic.topic());
            for (FetchRequestData.FetchPartition p : topic.partitions()) {
                requested.add(new PartitionFetch(
                        byId
                                ? PartitionKey.byId(topic.topicId(), p.partition())
                                : PartitionKey.byName(topic.topic(), p.partition()),
                        name.orElse(null),
                        name.isPresent() ? Errors.NONE : Errors.UNKNOWN_TOPIC_ID,
                        p.fetchOffset(),
                        p.logStartOffset(),
                        p.partitionMaxBytes(),
                        p.currentLeaderEpoch() < 0 ? Optional.empty() : Optional.of(p.currentLeaderEpoch())));
            }
        }
        List<PartitionKey> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : data.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(
                        byId
                                ? PartitionKey.byId(topic.topicId(), partition)
                                : PartitionKey.byName(topic.topic(), partition));
            }
        }
        // Versions before 7 have no session fields: they parse as (0, -1), sessionless.
        FetchMetadata metadata = new FetchMetadata(data.sessionId(), data.sessionEpoch());
        boolean follower = fetch.replicaId() >= 0;
        FetchContext context = sessions.newContext(metadata, byId, follower, requested, forgotten, topicIds);

        if (context instanceof FetchContext.SessionError) {
            return CompletableFuture.completedFuture(toResponse(context.reply(new LinkedHashMap<>()), byId));
        }
        List<PartitionFetch> partitions = context.partitions();
        Set<String> readable = readable(request, follower, partitions);
        List<FetchPartition> wanted = new ArrayList<>();
        for (PartitionFetch p : partitions) {
            if (p.error() == Errors.NONE && readable.contains(p.name())) {
                wanted.add(new FetchPartition(
                        new TopicPartition(p.name(), p.key().partition()),
                        p.fetchOffset(),
                        p.logStartOffset(),
                        p.maxBytes(),
                        p.currentLeaderEpoch()));
            }
        }
        // Followers (replica id >= 0) read to the log end; consumers below the high watermark.
        FetchIsolation isolation = follower ? FetchIsolation.LOG_END : FetchIsolation.HIGH_WATERMARK;
        FetchParams params =
                new FetchParams(data.maxWaitMs(), data.minBytes(), data.maxBytes(), isolation, fetch.replicaId());
        return replicaManager.fetch(params, wanted).thenApply(results -> {
            LinkedHashMap<PartitionKey, FetchResponseData.PartitionData> read = new LinkedHashMap<>();
            for (PartitionFetch p : partitions) {
                int index = p.key().partition();
                FetchResult result = p.error() == Errors.NONE ? results.get(new TopicPartition(p.name(), index)) : null;
                if (p.error() == Errors.NONE && !readable.contains(p.name())) {
                    read.put(p.key(), FetchResponse.partitionResponse(index, Errors.TOPIC_AUTHORIZATION_FAILED));
                } else if (result == null) {
                    Errors error = p.error() == Errors.NONE ? Errors.UNKNOWN_SERVER_ERROR : p.error();
                    read.put(p.key(), FetchResponse.partitionResponse(index, error));
                } else {
                    read.put(
                            p.key(),
                            new FetchResponseData.PartitionData()
                                    .setPartitionIndex(index)
                                    .setErrorCode(result.error().code())
                                    .setHighWatermark(result.highWatermark())
                                    .setLastStableOffset(result.highWatermark())
                                    .setLogStartOffset(result.logStartOffset())
                                    .setRecords(result.records()));
                }
            }
            return toResponse(context.reply(read), byId);
        });
    }

    /**
     * The topics of the fetch that may be read, as Kafka decides: a follower needs CLUSTER_ACTION on
     * the cluster (all or nothing), a consumer READ on each topic; the others are answered
     * TOPIC_AUTHORIZATION_FAILED and nothing of them is read.
     */
    private Set<String> readable(KafkaRequest request, boolean follower, List<PartitionFetch> partitions) {
        Set<String> names = new HashSet<>();
        for (PartitionFetch p : partitions) {
            if (p.error() == Errors.NONE) {
                names.add(p.name());
            }
        }
        if (follower) {
            return authorization.authorizeCluster(request.context(), AclOperation.CLUSTER_ACTION) ? names : Set.of();
        }
        return authorization.filter(request.context(), AclOperation.READ, ResourceType.TOPIC, names, true);
    }

    /** Groups consecutive partitions of one topic under one topic entry, as Kafka does. */
    private static FetchResponse toResponse(FetchContext.Reply reply, boolean byId) {
        FetchResponseData response =
                new FetchResponseData().setErrorCode(reply.error().code()).setSessionId(reply.sessionId());
        PartitionKey previous = null;
        FetchResponseData.FetchableTopicResponse topic = null;
        for (Map.Entry<PartitionKey, FetchResponseData.PartitionData> e :
                reply.partitions().entrySet()) {
            PartitionKey key = e.getKey();
            if (previous == null || !previous.sameTopic(key)) {
                topic = new FetchResponseData.FetchableTopicResponse()
                        .setTopic(byId ? "" : key.topic())
                        .setTopicId(byId ? key.topicId() : Uuid.ZERO_UUID);
                response.responses().add(topic);
            }
            topic.partitions().add(e.getValue());
            previous = key;
        }
        return FetchResponse.of(response);
    }
}
