package io.brook.broker.replication;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.LogManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, and the produce and fetch paths over them.
 *
 * <p>Fetches that find less than {@code minBytes} wait, up to {@code maxWaitMs}, in a small
 * purgatory: every append to a partition a waiting fetch reads wakes it, and it answers as soon as
 * it has enough bytes, or at its deadline with what there is (Kafka's long poll).
 *
 * <p>Threading: thread-safe. Appends to one partition are serialised by the {@link Partition};
 * waiting fetches are re-checked on the timer thread, never on the producer's.
 */
public final class ReplicaManager {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicaManager.class);

    private final LogManager logManager;
    private final ScheduledExecutorService timer;
    private final Predicate<TopicPartition> knownInCluster;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();
    private final java.time.Clock clock;
    private final long producerIdExpirationMs;
    private final Map<TopicPartition, Set<DelayedFetch>> waiting = new ConcurrentHashMap<>();

    /**
     * @param knownInCluster whether the cluster metadata has a partition, so that a partition
     *     hosted elsewhere answers NOT_LEADER_OR_FOLLOWER and an unknown one
     *     UNKNOWN_TOPIC_OR_PARTITION
     */
    public ReplicaManager(
            LogManager logManager,
            ScheduledExecutorService timer,
            Predicate<TopicPartition> knownInCluster,
            java.time.Clock clock,
            long producerIdExpirationMs) {
        this.logManager = logManager;
        this.timer = timer;
        this.knownInCluster = knownInCluster;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
        // Kafka's producer.id.expiration.check.interval.ms: 10 minutes.
        timer.scheduleWithFixedDelay(this::expireProducers, 10, 10, TimeUnit.MINUTES);
    }

    private void expireProducers() {
        long now = clock.millis();
        for (Partition partition : partitions.values()) {
            partition.expireProducers(now);
        }
    }

    public Optional<Partition> partition(TopicPartition tp) {
        return Optional.ofNullable(partitions.get(tp));
    }

    public Map<TopicPartition, Partition> partitions() {
        return Map.copyOf(partitions);
    }

    /** Makes this broker the leader of {@code tp} at {@code leaderEpoch}, creating its log if needed. */
    public Partition becomeLeader(TopicPartition tp, int leaderEpoch) {
        Partition partition = partitions.computeIfAbsent(
                tp, key -> new Partition(key, logManager.getOrCreateLog(key), clock, producerIdExpirationMs));
        if (!partition.isLeader() || partition.leaderEpoch() != leaderEpoch) {
            partition.becomeLeader(leaderEpoch);
            LOG.info(
                    "Leading {} at epoch {} (log end {})",
                    tp,
                    leaderEpoch,
                    partition.log().logEndOffset());
        }
        return partition;
    }

    /** Stops leading {@code tp}; its log stays on disk. */
    public void makeOffline(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition != null) {
            partition.makeOffline();
        }
    }

    /** Stops hosting {@code tp} and deletes its log (the topic was deleted). */
    public void deletePartition(TopicPartition tp) {
        Partition partition = partitions.remove(tp);
        if (partition != null) {
            partition.makeOffline();
        }
        logManager.deleteLog(tp);
        wake(tp);
    }

    /** The partition if this broker leads it, else the error a client should get. */
    public Partition leaderPartition(TopicPartition tp) {
        Partition partition = partitions.get(tp);
        if (partition == null || !partition.isLeader()) {
            if (knownInCluster.test(tp)) {
                throw new NotLeaderOrFollowerException("broker is not the leader of " + tp);
            }
            throw new UnknownTopicOrPartitionException("unknown partition " + tp);
        }
        return partition;
    }

    // ---- produce ------------------------------------------------------------------------------

    /** The outcome of appending to one partition: the append's info, or an error. */
    public record AppendResult(Errors error, String message, LogAppendInfo info, long logStartOffset) {}

    /** Appends to each partition as leader; a partition that fails does not stop the others. */
    public Map<TopicPartition, AppendResult> appendRecords(Map<TopicPartition, MemoryRecords> records) {
        Map<TopicPartition, AppendResult> results = new LinkedHashMap<>();
        records.forEach((tp, batch) -> {
            try {
                Partition partition = leaderPartition(tp);
                LogAppendInfo info = partition.appendAsLeader(batch);
                results.put(
                        tp,
                        new AppendResult(
                                Errors.NONE, null, info, partition.log().logStartOffset()));
                wake(tp);
            } catch (ApiException e) {
                results.put(tp, new AppendResult(Errors.forException(e), e.getMessage(), null, -1));
            } catch (RuntimeException e) {
                LOG.error("Append to {} failed", tp, e);
                results.put(tp, new AppendResult(Errors.UNKNOWN_SERVER_ERROR, e.toString(), null, -1));
            }
        });
        return results;
    }

    // ---- fetch --------------------------------------------------------------------------------

    /** What a fetch request asks overall. */
    public record FetchParams(long maxWaitMs, int minBytes, int maxBytes, FetchIsolation isolation) {}

    /** What it asks of one partition. */
    public record FetchPartition(
            TopicPartition topicPartition, long fetchOffset, int maxBytes, Optional<Integer> currentLeaderEpoch) {}

    /** What it gets from one partition. */
    public record FetchResult(Errors error, long highWatermark, long logStartOffset, Records records) {
        static FetchResult error(Errors error) {
            return new FetchResult(error, -1, -1, MemoryRecords.EMPTY);
        }
    }

    /**
     * Reads the partitions in order within the response's byte budget; waits for more data when
     * there is less than {@code minBytes} and no error. The first partition with data returns at
     * least one whole batch even when larger than the limits, so that a consumer always makes
     * progress (Kafka's KIP-74 rule).
     */
    public CompletableFuture<Map<TopicPartition, FetchResult>> fetch(FetchParams params, List<FetchPartition> wanted) {
        Read first = read(params, wanted);
        if (first.bytes >= params.minBytes() || params.maxWaitMs() <= 0 || first.anyError || wanted.isEmpty()) {
            return CompletableFuture.completedFuture(first.results);
        }
        DelayedFetch delayed = new DelayedFetch(params, wanted);
        for (FetchPartition p : wanted) {
            waiting.computeIfAbsent(p.topicPartition(), k -> ConcurrentHashMap.newKeySet())
                    .add(delayed);
        }
        if (delayed.done.get()) {
            // Completed by an append while it was being registered: undo the registrations.
            delayed.unregister();
        }
        delayed.timeout = timer.schedule(delayed::expire, params.maxWaitMs(), TimeUnit.MILLISECONDS);
        // Data may have arrived between the first read and the registration.
        timer.execute(delayed::tryComplete);
        return delayed.future;
    }

    private record Read(Map<TopicPartition, FetchResult> results, long bytes, boolean anyError) {}

    private Read read(FetchParams params, List<FetchPartition> wanted) {
        Map<TopicPartition, FetchResult> results = new LinkedHashMap<>();
        int budget = params.maxBytes();
        long total = 0;
        boolean anyError = false;
        boolean minOneBatch = true;
        for (FetchPartition p : wanted) {
            try {
                Partition partition = leaderPartition(p.topicPartition());
                partition.checkLeader(p.currentLeaderEpoch());
                int limit = Math.max(0, Math.min(p.maxBytes(), budget));
                FetchDataInfo info = limit > 0 || minOneBatch
                        ? partition.read(p.fetchOffset(), limit, params.isolation(), minOneBatch)
                        : null;
                Records records = info == null ? MemoryRecords.EMPTY : info.records();
                int bytes = records.sizeInBytes();
                if (bytes > 0) {
                    minOneBatch = false;
                }
                budget -= bytes;
                total += bytes;
                results.put(
                        p.topicPartition(),
                        new FetchResult(
                                Errors.NONE,
                                partition.log().highWatermark(),
                                partition.log().logStartOffset(),
                                records));
            } catch (ApiException e) {
                anyError = true;
                results.put(p.topicPartition(), FetchResult.error(Errors.forException(e)));
            } catch (RuntimeException e) {
                // A segment closed under the read (topic deleted, disk error): this partition
                // fails, the fetch still answers, and the connection's later responses are not
                // held up behind one that never comes.
                LOG.warn("Read of {} failed: {}", p.topicPartition(), e.toString());
                anyError = true;
                results.put(p.topicPartition(), FetchResult.error(Errors.KAFKA_STORAGE_ERROR));
            }
        }
        return new Read(results, total, anyError);
    }

    private void wake(TopicPartition tp) {
        Set<DelayedFetch> fetches = waiting.get(tp);
        if (fetches != null && !fetches.isEmpty()) {
            timer.execute(() -> {
                for (DelayedFetch fetch : List.copyOf(fetches)) {
                    try {
                        fetch.tryComplete();
                    } catch (RuntimeException e) {
                        LOG.error("A waiting fetch failed", e);
                    }
                }
            });
        }
    }

    /** A fetch waiting for {@code minBytes}. */
    private final class DelayedFetch {
        final FetchParams params;
        final List<FetchPartition> wanted;
        final CompletableFuture<Map<TopicPartition, FetchResult>> future = new CompletableFuture<>();
        final AtomicBoolean done = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        DelayedFetch(FetchParams params, List<FetchPartition> wanted) {
            this.params = params;
            this.wanted = new ArrayList<>(wanted);
        }

        void tryComplete() {
            if (done.get()) {
                return;
            }
            Read read = read(params, wanted);
            if ((read.bytes >= params.minBytes() || read.anyError) && done.compareAndSet(false, true)) {
                finish(read);
            }
        }

        void expire() {
            if (done.compareAndSet(false, true)) {
                finish(read(params, wanted));
            }
        }

        private void finish(Read read) {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            unregister();
            future.complete(read.results);
        }

        void unregister() {
            for (FetchPartition p : wanted) {
                waiting.computeIfPresent(p.topicPartition(), (tp, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }
}
