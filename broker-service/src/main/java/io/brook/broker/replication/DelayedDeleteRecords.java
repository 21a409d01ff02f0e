package io.brook.broker.replication;

import io.brook.broker.replication.ReplicaManager.DeleteResult;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * A DeleteRecords waiting for the in-sync followers to move their log start past the deleted
 * records (Kafka's {@code DelayedDeleteRecords}). The leader has deleted them already; each
 * partition is done when its low watermark ({@link Partition#lowWatermark}) reaches the leader's
 * new log start.
 *
 * <pre>
 * partition state      check                                        answer
 * ---------------      -----                                        ------
 * waiting              low watermark &gt;= the leader's log start       NONE, the low watermark
 * waiting              not leader any more, or another epoch        NOT_LEADER_OR_FOLLOWER
 * waiting              timeout                                      REQUEST_TIMED_OUT
 * </pre>
 */
final class DelayedDeleteRecords extends DelayedOperation<DeleteResult, DelayedDeleteRecords.Pending> {

    /** What one partition waits for: the low watermark at {@code offset}, at {@code epoch}. */
    record Pending(long offset, int epoch) {}

    DelayedDeleteRecords(
            Map<TopicPartition, DeleteResult> results,
            Map<TopicPartition, Pending> pending,
            Function<TopicPartition, Optional<Partition>> partitions) {
        super(results, pending, partitions);
    }

    @Override
    Optional<DeleteResult> check(Partition partition, Pending waitsFor, DeleteResult result) {
        if (!partition.isLeader() || partition.leaderEpoch() != waitsFor.epoch()) {
            return Optional.of(notLeader(partition.topicPartition(), result));
        }
        long low = partition.lowWatermark();
        return low >= waitsFor.offset() ? Optional.of(new DeleteResult(Errors.NONE, null, low)) : Optional.empty();
    }

    @Override
    DeleteResult notLeader(TopicPartition tp, DeleteResult result) {
        return new DeleteResult(Errors.NOT_LEADER_OR_FOLLOWER, null, -1);
    }

    @Override
    DeleteResult timedOut(TopicPartition tp, DeleteResult result) {
        return new DeleteResult(
                Errors.REQUEST_TIMED_OUT, "The in-sync replicas of " + tp + " did not delete the records in time", -1);
    }
}
