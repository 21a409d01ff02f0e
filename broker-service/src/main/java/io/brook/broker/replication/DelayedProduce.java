package io.brook.broker.replication;

import io.brook.broker.replication.ReplicaManager.AppendResult;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * An {@code acks=all} produce waiting for its appends to be replicated (Kafka's {@code
 * DelayedProduce}). Each appended partition is done when the partition's high watermark reaches
 * the end of its append ({@link Partition#checkReplicated}). Partitions that failed to append keep
 * their error.
 *
 * <pre>
 * partition state      check                                        answer
 * ---------------      -----                                        ------
 * waiting              HW &gt;= end, ISR &gt;= min.insync.replicas         NONE
 * waiting              HW &gt;= end, ISR &lt; min.insync.replicas          NOT_ENOUGH_REPLICAS_AFTER_APPEND
 * waiting              not leader any more, or another epoch        NOT_LEADER_OR_FOLLOWER
 * waiting              timeout                                      REQUEST_TIMED_OUT
 * </pre>
 */
final class DelayedProduce extends DelayedOperation<AppendResult, DelayedProduce.Pending> {

    /** What one partition waits for: the high watermark at {@code requiredOffset}, at {@code epoch}. */
    record Pending(long requiredOffset, int epoch) {}

    DelayedProduce(
            Map<TopicPartition, AppendResult> results,
            Map<TopicPartition, Pending> pending,
            Function<TopicPartition, Optional<Partition>> partitions) {
        super(results, pending, partitions);
    }

    @Override
    Optional<AppendResult> check(Partition partition, Pending waitsFor, AppendResult result) {
        return partition
                .checkReplicated(waitsFor.requiredOffset(), waitsFor.epoch())
                .map(result::withError);
    }

    @Override
    AppendResult notLeader(TopicPartition tp, AppendResult result) {
        return result.withError(Errors.NOT_LEADER_OR_FOLLOWER);
    }

    @Override
    AppendResult timedOut(TopicPartition tp, AppendResult result) {
        return result.withError(Errors.REQUEST_TIMED_OUT);
    }
}
