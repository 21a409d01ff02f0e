package io.brook.broker.protocol.handlers;

import io.brook.broker.log.PartitionLog;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DeleteRecords: on the leader of each partition, moves the log start offset up to the given
 * offset ({@code -1}: the high watermark) and deletes the segments wholly below it; answers with
 * the new log start offset (the low watermark). As in Kafka: a partition led elsewhere is {@code
 * NOT_LEADER_OR_FOLLOWER}, an unknown one {@code UNKNOWN_TOPIC_OR_PARTITION}, an offset below
 * -1 or above the high watermark {@code OFFSET_OUT_OF_RANGE}, and a topic whose cleanup policy
 * lacks {@code delete} (compact only) {@code POLICY_VIOLATION}; an offset below the log start
 * changes nothing.
 *
 * <p>Kafka answers once every replica has moved its log start; with leader-only partitions (this
 * stage) the leader's move is all there is, so this answers at once.
 *
 * <p>Authorization, as Kafka's: DELETE on each topic, TOPIC_AUTHORIZATION_FAILED for its
 * partitions without it.
 */
public final class DeleteRecordsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeleteRecordsHandler.class);

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
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        Set<String> deletable = authorization.filter(
                request.context(),
                AclOperation.DELETE,
                ResourceType.TOPIC,
                data.topics().stream().map(DeleteRecordsTopic::name).toList(),
                true);
        for (DeleteRecordsTopic topic : data.topics()) {
            DeleteRecordsTopicResult topicResult = new DeleteRecordsTopicResult().setName(topic.name());
            for (DeleteRecordsPartition p : topic.partitions()) {
                if (!deletable.contains(topic.name())) {
                    topicResult
                            .partitions()
                            .add(new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                    .setPartitionIndex(p.partitionIndex())
                                    .setLowWatermark(DeleteRecordsResponse.INVALID_LOW_WATERMARK)
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code()));
                    continue;
                }
                topicResult.partitions().add(delete(new TopicPartition(topic.name(), p.partitionIndex()), p.offset()));
            }
            response.topics().add(topicResult);
        }
        return CompletableFuture.completedFuture(new DeleteRecordsResponse(response));
    }

    private DeleteRecordsPartitionResult delete(TopicPartition tp, long offset) {
        DeleteRecordsPartitionResult result = new DeleteRecordsPartitionResult().setPartitionIndex(tp.partition());
        try {
            PartitionLog log = replicaManager.leaderPartition(tp).log();
            if (!log.config().delete()) {
                throw new PolicyViolationException(
                        "Records of partition " + tp + " can not be deleted due to the configured policy");
            }
            long before = offset == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : offset;
            if (before < 0) {
                throw new OffsetOutOfRangeException(
                        "The offset " + offset + " for partition " + tp + " should not be negative.");
            }
            long lowWatermark = log.deleteRecordsBefore(before);
            return result.setErrorCode(Errors.NONE.code()).setLowWatermark(lowWatermark);
        } catch (ApiException e) {
            return result.setErrorCode(Errors.forException(e).code()).setLowWatermark(-1);
        } catch (RuntimeException e) {
            LOG.error("Deleting records of {} before {} failed", tp, offset, e);
            return result.setErrorCode(Errors.forException(e).code()).setLowWatermark(-1);
        }
    }
}
