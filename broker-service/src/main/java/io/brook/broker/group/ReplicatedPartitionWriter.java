package io.brook.broker.group;

import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ReplicaManager.AppendResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A {@link PartitionWriter} over the replication layer: appends to the {@code __consumer_offsets}
 * partition this broker leads through {@link ReplicaManager#appendRecords(Map, short, long)} with
 * {@code acks=all}, so the followers fetch the records like any others, {@code min.insync.replicas}
 * of the topic applies, and the write is done when the leader's high watermark passes it (the
 * {@code DelayedProduce} purgatory). As Kafka's coordinator, it never moves the high watermark
 * itself: with a single replica the leader's own append moves it at once.
 *
 * <p>Writes are tied to the leader epoch the coordinator loaded at: a partition led at another
 * epoch (lost and won back meanwhile) refuses them with NOT_LEADER_OR_FOLLOWER, as does one this
 * broker no longer leads.
 *
 * <p>Threading: thread-safe, never blocks.
 */
public final class ReplicatedPartitionWriter implements PartitionWriter {

    private final ReplicaManager replicaManager;
    private final TopicPartition topicPartition;
    private final int leaderEpoch;

    public ReplicatedPartitionWriter(ReplicaManager replicaManager, TopicPartition topicPartition, int leaderEpoch) {
        this.replicaManager = replicaManager;
        this.topicPartition = topicPartition;
        this.leaderEpoch = leaderEpoch;
    }

    @Override
    public CompletableFuture<Long> append(MemoryRecords records, long timeoutMs) {
        Optional<Partition> partition = replicaManager.partition(topicPartition);
        if (partition.isEmpty()
                || !partition.get().isLeader()
                || partition.get().leaderEpoch() != leaderEpoch) {
            return CompletableFuture.failedFuture(new NotLeaderOrFollowerException(
                    "broker no longer leads " + topicPartition + " at epoch " + leaderEpoch));
        }
        return replicaManager
                .appendRecords(Map.of(topicPartition, records), (short) -1, timeoutMs)
                .thenCompose(results -> {
                    AppendResult result = results.get(topicPartition);
                    if (result.error() == Errors.NONE) {
                        return CompletableFuture.completedFuture(result.info().lastOffset() + 1);
                    }
                    return CompletableFuture.failedFuture(result.error().exception(result.message()));
                });
    }

    @Override
    public String toString() {
        return topicPartition + " at epoch " + leaderEpoch;
    }
}
