package io.brook.broker.replication;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;

/**
 * A request waiting on the replication of some partitions (an entry of Kafka's purgatories): an
 * {@code acks=all} produce ({@link DelayedProduce}) or a DeleteRecords ({@link
 * DelayedDeleteRecords}). It holds a result per partition of the request and, for the partitions
 * still waiting, what each waits for. The {@link ReplicaManager} re-checks it whenever a partition
 * it waits on changes (an append, a follower's fetch moving the high watermark or a log start, an
 * ISR or role change), and expires it at its timeout; it completes once no partition waits, with
 * every partition's result, those that failed at once keeping their error.
 *
 * <p>Threading: {@link #tryComplete} and {@link #expire} may race (timer, appends, follower
 * fetches); the first to finish completes the future once.
 *
 * @param <R> a partition's result
 * @param <P> what a waiting partition waits for
 */
abstract class DelayedOperation<R, P> {

    private final Map<TopicPartition, R> results;
    private final Map<TopicPartition, P> pending;
    private final Function<TopicPartition, Optional<Partition>> partitions;
    private final CompletableFuture<Map<TopicPartition, R>> future = new CompletableFuture<>();

    DelayedOperation(
            Map<TopicPartition, R> results,
            Map<TopicPartition, P> pending,
            Function<TopicPartition, Optional<Partition>> partitions) {
        if (!results.keySet().containsAll(pending.keySet())) {
            throw new IllegalArgumentException("a waiting partition without a result: " + pending.keySet());
        }
        this.results = new LinkedHashMap<>(results);
        this.pending = new LinkedHashMap<>(pending);
        this.partitions = partitions;
    }

    /** The result of a waiting partition hosted here once its wait is over; empty while it waits. */
    abstract Optional<R> check(Partition partition, P waitsFor, R result);

    /** The result of a waiting partition no longer hosted here. */
    abstract R notLeader(TopicPartition tp, R result);

    /** The result of a partition still waiting at the timeout. */
    abstract R timedOut(TopicPartition tp, R result);

    final CompletableFuture<Map<TopicPartition, R>> future() {
        return future;
    }

    /** Checks every partition still waiting; completes if none is. Returns whether it is complete. */
    final synchronized boolean tryComplete() {
        if (future.isDone()) {
            return true;
        }
        pending.entrySet().removeIf(e -> {
            TopicPartition tp = e.getKey();
            R result = results.get(tp);
            Optional<R> outcome = partitions
                    .apply(tp)
                    .map(p -> check(p, e.getValue(), result))
                    .orElseGet(() -> Optional.of(notLeader(tp, result)));
            outcome.ifPresent(r -> results.put(tp, r));
            return outcome.isPresent();
        });
        if (pending.isEmpty()) {
            future.complete(Collections.unmodifiableMap(new LinkedHashMap<>(results)));
            return true;
        }
        return false;
    }

    /** The timeout: what is done by now answers as such, the rest with {@link #timedOut}. */
    final synchronized void expire() {
        if (future.isDone() || tryComplete()) {
            return;
        }
        pending.keySet().forEach(tp -> results.put(tp, timedOut(tp, results.get(tp))));
        pending.clear();
        future.complete(Collections.unmodifiableMap(new LinkedHashMap<>(results)));
    }
}
