package io.brook.gateway.http.groups;

import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.http.Resources.Related;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of consumer groups (Confluent REST v3 shapes, plus the offset reset). */
final class GroupsJson {

    private GroupsJson() {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaConsumerGroup(
            String kind,
            Metadata metadata,
            String clusterId,
            String consumerGroupId,
            boolean isSimple,
            String partitionAssignor,
            String state,
            Related coordinator,
            Related consumers,
            Related lagSummary) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaConsumer(
            String kind,
            Metadata metadata,
            String clusterId,
            String consumerGroupId,
            String consumerId,
            String instanceId,
            String clientId,
            String host,
            Related assignments) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaConsumerAssignment(
            String kind,
            Metadata metadata,
            String clusterId,
            String consumerGroupId,
            String consumerId,
            String topicName,
            int partitionId,
            Related partition,
            Related lag) {}

    /** A partition's lag: log end offset minus the group's committed offset (never negative). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaConsumerLag(
            String kind,
            Metadata metadata,
            String clusterId,
            String consumerGroupId,
            String topicName,
            int partitionId,
            long currentOffset,
            long logEndOffset,
            long lag,
            String consumerId,
            String instanceId,
            String clientId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaConsumerGroupLagSummary(
            String kind,
            Metadata metadata,
            String clusterId,
            String consumerGroupId,
            String maxLagConsumerId,
            String maxLagInstanceId,
            String maxLagClientId,
            String maxLagTopicName,
            Integer maxLagPartitionId,
            long maxLag,
            long totalLag,
            Related maxLagConsumer,
            Related maxLagPartition) {}

    /**
     * {@code POST .../consumer-groups/{id}/offsets:reset}: {@code to} is {@code earliest}, {@code
     * latest}, {@code timestamp} (with {@code timestamp}: ISO-8601 or epoch ms; the first offset
     * at or after it, or the log end) or {@code offset} (with {@code offset}). Which partitions:
     * {@code topics} (every partition of each), or {@code topic_name} (and optionally {@code
     * partition_id}), or else every partition the group has an offset for. {@code dry_run}: only
     * the preview, nothing changed (allowed while the group has members).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetOffsetsRequest(
            String to,
            JsonNode timestamp,
            Long offset,
            String topicName,
            Integer partitionId,
            List<String> topics,
            Boolean dryRun) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PartitionOffset(String topicName, int partitionId, long offset) {}

    /**
     * One partition of a reset: the group's committed offset before (null if none), the offset it
     * is (or would be) reset to, and the lag that leaves (log end offset minus the new offset).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetPartition(String topic, int partition, Long currentOffset, long newOffset, long lagAfter) {}

    /**
     * A reset's answer: {@code offsets} (the new offsets, as before) and the preview's {@code
     * partitions}, with {@code dry_run} saying whether anything was changed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetOffsetsResponse(
            String consumerGroupId, List<PartitionOffset> offsets, boolean dryRun, List<ResetPartition> partitions) {}

    /** One lag sample: when, the total lag, and each partition's ({@code topic-partition}). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LagSample(long timestamp, long totalLag, Map<String, Long> partitions) {}

    /** {@code GET .../lag-history}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LagHistoryResponse(long intervalMs, List<LagSample> samples) {}
}
