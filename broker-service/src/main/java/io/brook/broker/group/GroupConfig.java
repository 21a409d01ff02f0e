package io.brook.broker.group;

/**
 * Settings of the group coordinator, named after Kafka's broker configs.
 *
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}: how groups are spread over
 *     {@code __consumer_offsets}; must never change once groups exist, since it decides which
 *     partition (and so which broker) coordinates a group
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first
 *     rebalance of an empty group waits for more members, so that a group whose consumers start
 *     together does one rebalance instead of one per consumer
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param maxGroupSize {@code group.max.size}
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}: longer commit metadata is
 *     refused with {@code OFFSET_METADATA_TOO_LARGE}
 * @param offsetCommitTimeoutMs {@code offsets.commit.timeout.ms}: how long a write to {@code
 *     __consumer_offsets} (a commit, a group's metadata) may wait for the in-sync replicas before
 *     its client is told COORDINATOR_NOT_AVAILABLE
 */
public record GroupConfig(
        int offsetsTopicPartitions,
        int initialRebalanceDelayMs,
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int maxGroupSize,
        int offsetMetadataMaxBytes,
        long offsetCommitTimeoutMs) {

    public GroupConfig {
        if (offsetsTopicPartitions < 1) {
            throw new IllegalArgumentException("offsets.topic.num.partitions must be at least 1");
        }
        if (minSessionTimeoutMs > maxSessionTimeoutMs) {
            throw new IllegalArgumentException("group.min.session.timeout.ms exceeds group.max.session.timeout.ms");
        }
    }

    /**
     * Kafka's defaults: 50 partitions, 3 s initial delay, sessions of 6 s to 30 min, writes
     * committed within 5 s.
     */
    public static GroupConfig defaults() {
        return new GroupConfig(50, 3_000, 6_000, 1_800_000, Integer.MAX_VALUE, 4096, 5_000);
    }

    public GroupConfig withOffsetsTopicPartitions(int partitions) {
        return new GroupConfig(
                partitions,
                initialRebalanceDelayMs,
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                maxGroupSize,
                offsetMetadataMaxBytes,
                offsetCommitTimeoutMs);
    }

    public GroupConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupConfig(
                offsetsTopicPartitions,
                delayMs,
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                maxGroupSize,
                offsetMetadataMaxBytes,
                offsetCommitTimeoutMs);
    }

    public GroupConfig withSessionTimeoutBounds(int minMs, int maxMs) {
        return new GroupConfig(
                offsetsTopicPartitions,
                initialRebalanceDelayMs,
                minMs,
                maxMs,
                maxGroupSize,
                offsetMetadataMaxBytes,
                offsetCommitTimeoutMs);
    }

    public GroupConfig withMaxGroupSize(int size) {
        return new GroupConfig(
                offsetsTopicPartitions,
                initialRebalanceDelayMs,
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                size,
                offsetMetadataMaxBytes,
                offsetCommitTimeoutMs);
    }

    public GroupConfig withOffsetCommitTimeoutMs(long timeoutMs) {
        return new GroupConfig(
                offsetsTopicPartitions,
                initialRebalanceDelayMs,
                minSessionTimeoutMs,
                maxSessionTimeoutMs,
                maxGroupSize,
                offsetMetadataMaxBytes,
                timeoutMs);
    }
}
