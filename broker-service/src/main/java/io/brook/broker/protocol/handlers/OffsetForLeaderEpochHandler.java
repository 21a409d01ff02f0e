package io.brook.broker.protocol.handlers;

import io.brook.broker.log.EpochEndOffset;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * OffsetForLeaderEpoch (KIP-101, KIP-320): where a leader epoch ended in the leader's log, so that
 * a follower can truncate a diverged log and a consumer can detect that its position was lost.
 *
 * <p>Answered by the leader only, from its {@link io.brook.broker.log.PartitionLog#endOffsetForEpoch
 * leader epoch cache}: the largest epoch at or below the requested one and the start offset of
 * the next epoch, or the log end offset for the latest epoch. As in Kafka, consumers and followers
 * get the same answer: the end offset is not bounded by the high watermark (a consumer compares it
 * with a position it fetched, which is never above the high watermark). A {@code
 * current_leader_epoch} other than -1 must match the leader's: older gets {@code
 * FENCED_LEADER_EPOCH}, newer {@code UNKNOWN_LEADER_EPOCH}.
 *
 * <p>Authorization, as Kafka's since KIP-320: CLUSTER_ACTION on the cluster (followers) or
 * DESCRIBE on each topic (consumers checking for truncation); TOPIC_AUTHORIZATION_FAILED for the
 * partitions of a topic without either.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final RequestAuthorization authorization;

    public OffsetForLeaderEpochHandler(ReplicaManager replicaManager, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        OffsetForLeaderEpochRequestData data =
                request.body(OffsetsForLeaderEpochRequest.class).data();
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        List<String> names = data.topics().stream()
                .map(OffsetForLeaderEpochRequestData.OffsetForLeaderTopic::topic)
                .toList();
        Set<String> allowed = authorization.allowedQuietly(
                        request.context(),
                        AclOperation.CLUSTER_ACTION,
                        ResourceType.CLUSTER,
                        RequestAuthorization.CLUSTER_NAME)
                ? new HashSet<>(names)
                : authorization.filter(request.context(), AclOperation.DESCRIBE, ResourceType.TOPIC, names, true);
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : data.topics()) {
            OffsetForLeaderTopicResult result = new OffsetForLeaderTopicResult().setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : topic.partitions()) {
                if (!allowed.contains(topic.topic())) {
                    result.partitions()
                            .add(new OffsetForLeaderEpochResponseData.EpochEndOffset()
                                    .setPartition(p.partition())
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                    .setLeaderEpoch(EpochEndOffset.UNDEFINED_EPOCH)
                                    .setEndOffset(EpochEndOffset.UNDEFINED_EPOCH_OFFSET));
                    continue;
                }
                result.partitions().add(answer(new TopicPartition(topic.topic(), p.partition()), p));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(new OffsetsForLeaderEpochResponse(response));
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset answer(
            TopicPartition tp, OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p) {
        OffsetForLeaderEpochResponseData.EpochEndOffset answer = new OffsetForLeaderEpochResponseData.EpochEndOffset()
                .setPartition(tp.partition())
                .setLeaderEpoch(EpochEndOffset.UNDEFINED_EPOCH)
                .setEndOffset(EpochEndOffset.UNDEFINED_EPOCH_OFFSET);
        try {
            Partition partition = replicaManager.leaderPartition(tp);
            int current = p.currentLeaderEpoch();
            partition.checkLeader(
                    current == RecordBatch.NO_PARTITION_LEADER_EPOCH ? Optional.empty() : Optional.of(current));
            EpochEndOffset found = partition.log().endOffsetForEpoch(p.leaderEpoch());
            answer.setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(found.leaderEpoch())
                    .setEndOffset(found.endOffset());
        } catch (ApiException e) {
            answer.setErrorCode(Errors.forException(e).code());
        }
        return answer;
    }
}
