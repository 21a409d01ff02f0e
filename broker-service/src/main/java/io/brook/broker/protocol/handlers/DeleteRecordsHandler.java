package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.DeleteResult;
import io.brook.broker.security.RequestAuthorization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsPartition;
import org.apache.kafka.common.message.DeleteRecordsRequestData.DeleteRecordsTopic;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsPartitionResult;
import org.apache.kafka.common.message.DeleteRecordsResponseData.DeleteRecordsTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.DeleteRecordsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * DeleteRecords: {@link ReplicaManager#deleteRecords} on the partitions of each topic the client
 * may delete from; answers, as Kafka does, once the in-sync followers have deleted them too, or at
 * the request's timeout.
 *
 * <p>Authorization, as Kafka's: DELETE on each topic, TOPIC_AUTHORIZATION_FAILED for its
 * partitions without it.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final RequestAuthorization authorization;

    public DeleteRecordsHandler(ReplicaManager replicaManager, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DeleteRecordsRequestData data = request.body(DeleteRecordsRequest.class).data();
        Set<String> deletable = authorization.filter(
                request.context(),
                AclOperation.DELETE,
                ResourceType.TOPIC,
                data.topics().stream().map(DeleteRecordsTopic::name).toList(),
                true);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (DeleteRecordsTopic topic : data.topics()) {
            if (deletable.contains(topic.name())) {
                for (DeleteRecordsPartition p : topic.partitions()) {
                    offsets.put(new TopicPartition(topic.name(), p.partitionIndex()), p.offset());
                }
            }
        }
        return replicaManager.deleteRecords(offsets, data.timeoutMs()).thenApply(results -> {
            DeleteRecordsResponseData response = new DeleteRecordsResponseData();
            for (DeleteRecordsTopic topic : data.topics()) {
                DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
                for (DeleteRecordsPartition p : topic.partitions()) {
                    DeleteRecordsPartitionResult partition =
                            new DeleteRecordsPartitionResult().setPartitionIndex(p.partitionIndex());
                    DeleteResult result = results.get(new TopicPartition(topic.name(), p.partitionIndex()));
                    if (result == null) {
                        partition
                                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK);
                    } else {
                        partition.setErrorCode(result.error().code()).setLowWatermark(result.lowWatermark());
                    }
                    topicResult.partitions().add(partition);
                }
                response.topics().add(topicResult);
            }
            return new DeleteRecordsResponse(response);
        });
    }
}
