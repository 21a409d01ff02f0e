package io.brook.gateway.http.groups;

import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.http.Resources.Related;
import java.util.List;
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
     * {@code topic_name} (and optionally {@code partition_id}), or else every partition the group
     * has an offset for.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetOffsetsRequest(String to, JsonNode timestamp, Long offset, String topicName, Integer partitionId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PartitionOffset(String topicName, int partitionId, long offset) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ResetOffsetsResponse(String consumerGroupId, List<PartitionOffset> offsets) {}
}
