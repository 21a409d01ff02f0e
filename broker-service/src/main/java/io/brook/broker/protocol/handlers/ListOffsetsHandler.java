package io.brook.broker.protocol.handlers;

import io.brook.broker.log.PartitionLog;
import io.brook.broker.log.TimestampAndOffset;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsPartitionResponse;
import org.apache.kafka.common.message.ListOffsetsResponseData.ListOffsetsTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ListOffsetsResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * ListOffsets: the earliest offset, the latest (the high watermark for consumers, the log end for
 * followers), the offset of the largest timestamp, or the first offset at or after a timestamp.
 * Consumers are never told of offsets above the high watermark.
 *
 * <p>Authorization, as Kafka's: DESCRIBE on each topic, TOPIC_AUTHORIZATION_FAILED for the
 * partitions of a topic without it.
 */
public final class ListOffsetsHandler implements ApiHandler {

    private final ReplicaManager replicaManager;
    private final RequestAuthorization authorization;

    public ListOffsetsHandler(ReplicaManager replicaManager, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.replicaManager = replicaManager;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ListOffsetsRequestData data = request.body(ListOffsetsRequest.class).data();
        boolean consumer = data.replicaId() < 0;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        Set<String> describable = authorization.filter(
                request.context(),
                AclOperation.DESCRIBE,
                ResourceType.TOPIC,
                data.topics().stream()
                        .map(ListOffsetsRequestData.ListOffsetsTopic::name)
                        .toList(),
                true);
        for (ListOffsetsRequestData.ListOffsetsTopic topic : data.topics()) {
            ListOffsetsTopicResponse topicResponse = new ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition p : topic.partitions()) {
                if (!describable.contains(topic.name())) {
                    topicResponse
                            .partitions()
                            .add(new ListOffsetsPartitionResponse()
                                    .setPartitionIndex(p.partitionIndex())
                                    .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())
                                    .setOffset(-1)
                                    .setTimestamp(-1));
                    continue;
                }
                topicResponse
                        .partitions()
                        .add(answer(
                                new TopicPartition(topic.name(), p.partitionIndex()), p, consumer, request.version()));
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(new ListOffsetsResponse(response));
    }

    private ListOffsetsPartitionResponse answer(
            TopicPartition tp, ListOffsetsRequestData.ListOffsetsPartition p, boolean consumer, short version) {
        ListOffsetsPartitionResponse answer = new ListOffsetsPartitionResponse().setPartitionIndex(tp.partition());
        try {
            Partition partition = replicaManager.leaderPartition(tp);
            partition.checkLeader(p.currentLeaderEpoch() < 0 ? Optional.empty() : Optional.of(p.currentLeaderEpoch()));
            PartitionLog log = partition.log();
            long upper = consumer ? log.highWatermark() : log.logEndOffset();
            long timestamp = p.timestamp();
            long offset;
            long foundTimestamp = -1;
            if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
                offset = upper;
            } else if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                    || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
                offset = log.logStartOffset();
            } else if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
                TimestampAndOffset max = log.largestTimestamp().orElse(null);
                offset = max == null || max.offset() >= upper ? -1 : max.offset();
                foundTimestamp = offset < 0 ? -1 : max.timestamp();
            } else if (timestamp < 0) {
                // LATEST_TIERED and later special values: no tiered storage here.
                offset = -1;
            } else {
                TimestampAndOffset found = log.offsetForTimestamp(timestamp).orElse(null);
                offset = found == null || found.offset() >= upper ? -1 : found.offset();
                foundTimestamp = offset < 0 ? -1 : found.timestamp();
            }
            answer.setErrorCode(Errors.NONE.code()).setOffset(offset).setTimestamp(foundTimestamp);
            if (version >= 4) {
                // Not part of older versions, and not ignorable: writing it there fails.
                answer.setLeaderEpoch(partition.leaderEpoch());
            }
        } catch (ApiException e) {
            answer.setErrorCode(Errors.forException(e).code()).setOffset(-1).setTimestamp(-1);
        }
        return answer;
    }
}
