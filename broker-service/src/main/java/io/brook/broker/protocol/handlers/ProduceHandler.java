package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.CloseConnectionException;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.protocol.TopicIds;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.AppendResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
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

/**
 * Produce: appends each partition's batches on its leader and answers with the base offset of
 * each append. {@code acks=0} gets no response, as the protocol says. With a single replica per
 * partition (this stage) {@code acks=1} and {@code acks=all} both complete once the leader has
 * appended.
 */
public final class ProduceHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final TopicIds topicIds;

    public ProduceHandler(ReplicaManager replicaManager, TopicIds topicIds) {
        this.replicaManager = replicaManager;
        this.topicIds = topicIds;
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
                } else if (acks != 0 && acks != 1 && acks != -1) {
                    refused.put(tp, Errors.INVALID_REQUIRED_ACKS);
                } else if (data.transactionalId() != null) {
                    refused.put(tp, Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
                } else {
                    toAppend.put(tp, (MemoryRecords) partition.records());
                }
            }
        }
        Map<TopicPartition, AppendResult> results = replicaManager.appendRecords(toAppend);
        if (acks == 0) {
            boolean failed = !refused.isEmpty() || results.values().stream().anyMatch(r -> r.error() != Errors.NONE);
            // With acks=0 closing the connection is the producer's only signal of an error (a
            // moved leader, say): it then refreshes its metadata, as with Kafka.
            return failed
                    ? CompletableFuture.failedFuture(new CloseConnectionException("acks=0 produce failed"))
                    : CompletableFuture.completedFuture(null);
        }
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
        return CompletableFuture.completedFuture(new ProduceResponse(response));
    }
}
