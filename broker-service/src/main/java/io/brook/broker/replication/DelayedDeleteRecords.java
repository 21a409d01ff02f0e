package io.brook.broker.replication;

import io.brook.broker.replication.Partition.DeleteOutcome;
import io.brook.broker.replication.ReplicaManager.DeleteResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * A DeleteRecords waiting for the in-sync followers to move their log start past the deleted
 * records (Kafka's {@code DelayedDeleteRecords}). The leader has deleted them already; each
 * partition is done when its low watermark reaches the leader's new log start ({@link
 * Partition#checkDeleted}), and the request completes when all are, or at its timeout, when those
 * still short get REQUEST_TIMED_OUT. Partitions that failed keep their error.
 *
 * <pre>
 * partition state      check                                        answer
 * ---------------      -----                                        ------
 * waiting              low watermark &gt;= the leader's log start       NONE, the low watermark
 * waiting              not leader any more, or another epoch        NOT_LEADER_OR_FOLLOWER
 * waiting              timeout                                      REQUEST_TIMED_OUT
 * </pre>
 */
final class DelayedDeleteRecords implements DelayedOperation {

    /** What one partition waits for: the low watermark at {@code offset}, at {@code epoch}. */
    record Pending(long offset, int epoch) {}

    private final Map<TopicPartition, DeleteResult> results;
    private final Map<TopicPartition, Pending> pending;
    private final Function<TopicPartition, Optional<Partition>> partitions;
    private final CompletableFuture<Map<TopicPartition, DeleteResult>> future = new CompletableFuture<>();

    DelayedDeleteRecords(
            Map<TopicPartition, DeleteResult> results,
            Map<TopicPartition, Pending> pending,
            Function<TopicPartition, Optional<Partition>> partitions) {
        this.results = new LinkedHashMap<>(results);
        this.pending = new LinkedHashMap<>(pending);
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<Map<TopicPartition, DeleteResult>> future() {
        return future;
    }

    @Override
    public synchronized boolean tryComplete() {
        if (future.isDone()) {
            return true;
        }
        pending.entrySet().removeIf(e -> {
            Optional<DeleteOutcome> outcome = partitions
                    .apply(e.getKey())
                    .map(p -> p.checkDeleted(e.getValue().offset(), e.getValue().epoch()))
                    .orElse(Optional.of(new DeleteOutcome(Errors.NOT_LEADER_OR_FOLLOWER, -1)));
            outcome.ifPresent(o -> results.put(e.getKey(), new DeleteResult(o.error(), null, o.lowWatermark())));
            return outcome.isPresent();
        });
        if (pending.isEmpty()) {
            future.complete(Collections.unmodifiableMap(new LinkedHashMap<>(results)));
            return true;
        }
        return false;
    }

    @Override
    public synchronized void expire() {
        if (future.isDone() || tryComplete()) {
            return;
        }
        pending.keySet()
                .forEach(tp -> results.put(
                        tp,
                        new DeleteResult(
                                Errors.REQUEST_TIMED_OUT,
                                "The in-sync replicas of " + tp + " did not delete the records in time",
                                -1)));
        pending.clear();
        future.complete(Collections.unmodifiableMap(new LinkedHashMap<>(results)));
    }
}
