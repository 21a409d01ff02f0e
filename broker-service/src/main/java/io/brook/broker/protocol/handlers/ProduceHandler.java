package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.CloseConnectionException;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.protocol.TopicIds;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.AppendResult;
import io.brook.broker.security.RequestAuthorization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Produce: appends each partition's batches on its leader and answers with the base offset of
 * each append. {@code acks=0} gets no response, as the protocol says; {@code acks=1} is answered
 * once the leader has appended; {@code acks=all} is refused with NOT_ENOUGH_REPLICAS (nothing
 * appended) while the ISR is smaller than {@code min.insync.replicas}, and otherwise answered
 * when the high watermark has passed the append, or with REQUEST_TIMED_OUT after the request's
 * timeout (see {@link ReplicaManager#appendRecords(Map, short, long)}).
 *
 * <p>Authorization, as Kafka's: WRITE on each topic, the partitions of a topic without it answered
 * TOPIC_AUTHORIZATION_FAILED and nothing of them appended; the other topics of the request are
 * appended. (Idempotent producers need no more: their InitProducerId was authorized.)
 */
public final class ProduceHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final TopicIds topicIds;
    private final RequestAuthorization authorization;

    public ProduceHandler(ReplicaManager replicaManager, TopicIds topicIds, RequestAuthorization authorization) {
        this.replicaManager = replicaManager;
        this.topicIds = topicIds;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.PRODUCE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ProduceRequest produce = request.body(ProduceRequest.class);
        ProduceRequestData data = produce.data();
        short acks = produce.acks();
        Map<TopicPartition, MemoryRecords> toAppend = new LinkedHashMap<>();
        Map<TopicPartition, Errors> refused = new LinkedHashMap<>();
        Map<TopicPartition, Uuid> idsByPartition = new LinkedHashMap<>();
        // Without an authorizer every topic is writable: no second pass over the request.
        Set<String> writable = authorization.enabled() ? writableTopics(request, data) : null;
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            String name = topic.name();
            if (name == null || name.isEmpty()) {
                name = topicIds.nameOf(topic.topicId()).orElse(null);
            }
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                // An unknown id keys its partitions by the id, so that two unknown topics stay apart.
                TopicPartition tp =
                        new TopicPartition(name == null ? topic.topicId().toString() : name, partition.index());
                idsByPartition.put(tp, topic.topicId());
                if (name == null) {
                    refused.put(tp, Errors.UNKNOWN_TOPIC_ID);
                } else if (writable != null && !writable.contains(name)) {
                    refused.put(tp, Errors.TOPIC_AUTHORIZATION_FAILED);
                } else if (acks != 0 && acks != 1 && acks != -1) {
                    refused.put(tp, Errors.INVALID_REQUIRED_ACKS);
                } else if (data.transactionalId() != null) {
                    refused.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
                } else {
                    toAppend.put(tp, (MemoryRecords) partition.records());
                }
            }
        }
        if (acks == 0) {
            Map<TopicPartition, AppendResult> results = replicaManager.appendRecords(toAppend);
            boolean failed = !refused.isEmpty() || results.values().stream().anyMatch(r -> r.error() != Errors.NONE);
            // With acks=0 closing the connection is the producer's only signal of an error (a
            // moved leader, say): it then refreshes its metadata, as with Kafka.
            return failed
                    ? CompletableFuture.failedFuture(new CloseConnectionException("acks=0 produce failed"))
                    : CompletableFuture.completedFuture(null);
        }
        return replicaManager
                .appendRecords(toAppend, acks, data.timeoutMs())
                .thenApply(results -> respond(results, refused, idsByPartition));
    }

    private static AbstractResponse respond(
            Map<TopicPartition, AppendResult> results,
            Map<TopicPartition, Errors> refused,
            Map<TopicPartition, Uuid> idsByPartition) {
        ProduceResponseData response = new ProduceResponseData();
        Map<String, TopicProduceResponse> byTopic = new LinkedHashMap<>();
        idsByPartition.forEach((tp, topicId) -> {
            TopicProduceResponse topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                TopicProduceResponse t =
                        new TopicProduceResponse().setName(name).setTopicId(topicId);
                response.responses().add(t);
                return t;
            });
            PartitionProduceResponse answer = new PartitionProduceResponse().setIndex(tp.partition());
            AppendResult result = results.get(tp);
            if (result == null) {
                answer.setErrorCode(refused.get(tp).code()).setBaseOffset(-1);
            } else if (result.error() != Errors.NONE) {
                answer.setErrorCode(result.error().code())
                        .setErrorMessage(result.message())
                        .setBaseOffset(-1);
            } else {
                answer.setErrorCode(Errors.NONE.code())
                        .setBaseOffset(result.info().firstOffset())
                        .setLogAppendTimeMs(result.info().logAppendTime())
                        .setLogStartOffset(result.logStartOffset());
            }
            topic.partitionResponses().add(answer);
        });
        return new ProduceResponse(response);
    }

    /** The request's topics (by name or id) this principal may WRITE, asked in one batch. */
    private Set<String> writableTopics(KafkaRequest request, ProduceRequestData data) {
        List<String> named = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topic : data.topicData()) {
            String name = topic.name();
            if (name == null || name.isEmpty()) {
                topicIds.nameOf(topic.topicId()).ifPresent(named::add);
            } else {
                named.add(name);
            }
        }
        return authorization.filter(request.context(), AclOperation.WRITE, ResourceType.TOPIC, named, true);
    }
}
