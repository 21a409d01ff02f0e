package io.brook.broker.replication;

import io.brook.broker.replication.ReplicaManager.AppendResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * An {@code acks=all} produce waiting for its appends to be replicated (Kafka's {@code
 * DelayedProduce}). Each appended partition is done when the partition's high watermark reaches
 * the end of its append ({@link Partition#checkReplicated}); the produce completes when all are,
 * or at its timeout, when those still short get REQUEST_TIMED_OUT. Partitions that failed to
 * append keep their error.
 *
 * <pre>
 * partition state      check                                        answer
 * ---------------      -----                                        ------
 * waiting              HW &gt;= end, ISR &gt;= min.insync.replicas         NONE
 * waiting              HW &gt;= end, ISR &lt; min.insync.replicas          NOT_ENOUGH_REPLICAS_AFTER_APPEND
 * waiting              not leader any more, or another epoch        NOT_LEADER_OR_FOLLOWER
 * waiting              timeout                                      REQUEST_TIMED_OUT
 * </pre>
 *
 * <p>Threading: {@link #tryComplete} and {@link #expire} may race (timer, appends, follower
 * fetches); the first to finish completes the future once.
 */
final class DelayedProduce implements DelayedOperation {

    /** What one partition waits for: the high watermark at {@code requiredOffset}, at {@code epoch}. */
    record Pending(long requiredOffset, int epoch) {}

    private final Map<TopicPartition, AppendResult> results;
    private final Map<TopicPartition, Pending> pending;
    private final Function<TopicPartition, Optional<Partition>> partitions;
    private final CompletableFuture<Map<TopicPartition, AppendResult>> future = new CompletableFuture<>();

    DelayedProduce(
            Map<TopicPartition, AppendResult> results,
            Map<TopicPartition, Pending> pending,
            Function<TopicPartition, Optional<Partition>> partitions) {
        this.results = new LinkedHashMap<>(results);
        this.pending = new LinkedHashMap<>(pending);
        this.partitions = partitions;
    }

    @Override
    public CompletableFuture<Map<TopicPartition, AppendResult>> future() {
        return future;
    }

    @Override
    public synchronized boolean tryComplete() {
        if (future.isDone()) {
            return true;
        }
        pending.entrySet().removeIf(e -> {
            Optional<Errors> outcome = partitions
                    .apply(e.getKey())
                    .map(p -> p.checkReplicated(
                            e.getValue().requiredOffset(), e.getValue().epoch()))
                    .orElse(Optional.of(Errors.NOT_LEADER_OR_FOLLOWER));
            outcome.ifPresent(error -> results.computeIfPresent(e.getKey(), (tp, r) -> r.withError(error)));
            return outcome.isPresent();
        });
        if (pending.isEmpty()) {
            future.complete(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results)));
            return true;
        }
        return false;
    }

    /** The timeout: what is replicated by now answers as such, the rest with REQUEST_TIMED_OUT. */
    @Override
    public synchronized void expire() {
        if (future.isDone() || tryComplete()) {
            return;
        }
        pending.keySet().forEach(tp -> results.computeIfPresent(tp, (k, r) -> r.withError(Errors.REQUEST_TIMED_OUT)));
        pending.clear();
        future.complete(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(results)));
    }
}
