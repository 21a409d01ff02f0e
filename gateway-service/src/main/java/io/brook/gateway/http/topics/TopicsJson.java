package io.brook.gateway.http.topics;

import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.http.Resources.Related;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** The JSON of topics, their configs and partitions (Confluent REST v3 shapes). */
final class TopicsJson {

    private TopicsJson() {}

    record ConfigValue(String name, String value) {}

    /** {@code POST .../topics}. Absent partitions or replication factor: the brokers' defaults. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateTopicRequest(
            String topicName, Integer partitionsCount, Short replicationFactor, List<ConfigValue> configs) {}

    /** {@code PATCH .../topics/{topic_name}}: grows the topic to {@code partitions_count}. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdatePartitionCountRequest(Integer partitionsCount) {}

    /**
     * A topic; {@code size_bytes} (not Confluent's) is the bytes on disk of one copy of its
     * partitions, from DescribeLogDirs (null when the brokers do not report it).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaTopic(
            String kind,
            Metadata metadata,
            String clusterId,
            String topicName,
            boolean isInternal,
            int replicationFactor,
            int partitionsCount,
            Related partitions,
            Related configs,
            Long sizeBytes) {}

    /** One config to alter: {@code operation} SET (default) or DELETE (back to the default). */
    record AlterConfig(String name, String value, String operation) {}

    /** {@code POST .../configs:alter}. */
    record AlterConfigsRequest(List<AlterConfig> data) {}

    /** {@code PUT .../configs/{name}}. */
    record UpdateConfigRequest(String value) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ConfigSynonym(String name, String value, String source) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaTopicConfig(
            String kind,
            Metadata metadata,
            String clusterId,
            String topicName,
            String name,
            String value,
            boolean isDefault,
            boolean isReadOnly,
            boolean isSensitive,
            String source,
            List<ConfigSynonym> synonyms) {}

    /**
     * A partition. Confluent's fields ({@code leader} and {@code replicas} as links), plus what a
     * dashboard needs in one call: {@code leader_id}, {@code replica_ids}, {@code isr_ids}, and the
     * {@code earliest_offset} and {@code latest_offset} (log start and high watermark), and {@code
     * size_bytes}, the bytes on disk of one copy (the largest replica, from DescribeLogDirs; null
     * when the brokers do not report it).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaPartition(
            String kind,
            Metadata metadata,
            String clusterId,
            String topicName,
            int partitionId,
            Related leader,
            Related replicas,
            Integer leaderId,
            List<Integer> replicaIds,
            List<Integer> isrIds,
            long earliestOffset,
            long latestOffset,
            Long sizeBytes) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaReplica(
            String kind,
            Metadata metadata,
            String clusterId,
            String topicName,
            int partitionId,
            int brokerId,
            boolean isLeader,
            boolean isInSync,
            Related broker) {}
}
