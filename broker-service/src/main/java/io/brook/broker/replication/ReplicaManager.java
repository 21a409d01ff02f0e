package io.brook.broker.replication;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.LogManager;
import io.brook.broker.log.PartitionLog;
import io.brook.cluster.metadata.PartitionState;
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
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, as leader or follower, and the produce and fetch paths over
 * them (Kafka's {@code ReplicaManager}).
 *
 * <p>Fetches that find less than {@code minBytes} wait, up to {@code maxWaitMs}, in a small
 * purgatory: every append to a partition and every move of its high watermark wakes the fetches
 * waiting on it, and each answers as soon as it has enough bytes, or at its deadline with what
 * there is (Kafka's long poll). A fetch from a follower (replica id &gt;= 0) reads to the log end
 * and tells the leader the follower's log end offset, which moves the high watermark and the ISR.
 *
 * <p>Produces with {@code acks=all} wait in a second purgatory, {@link DelayedProduce}, until the
 * high watermark passes their last offset, or their timeout; DeleteRecords waits there too, {@link
 * DelayedDeleteRecords}, until the in-sync followers have moved their log start as far as the
 * leader's. A periodic check, every half {@code replica.lag.time.max.ms}, removes lagging
 * followers from the ISR of the partitions led here.
 *
 * <p>Records appended as leader and bytes returned by fetches are counted per topic in the {@link
 * TopicStats} (Kafka's {@code BrokerTopicMetrics}); a waiting fetch counts only the read it
 * answers with.
 *
 * <p>Threading: thread-safe. Appends to one partition are serialised by the {@link Partition};
 * waiting fetches and produces are re-checked on the timer thread, never on the producer's. Role
 * changes come from the metadata thread ({@link LeadershipSync}).
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
    private final Map<TopicPartition, Set<DelayedOperation<?, ?>>> waitingOnReplicas = new ConcurrentHashMap<>();
    private final Partition.Settings partitionSettings;
    private final ReplicaFetcherManager fetchers;
    private volatile TopicStats topicStats = TopicStats.NONE;

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
        this(logManager, timer, knownInCluster, clock, producerIdExpirationMs, Partition.Settings.STANDALONE, null);
    }

    /**
     * @param partitionSettings this broker's id, {@code replica.lag.time.max.ms} and the ISR writer
     * @param fetchers the follower side; null for a broker that only leads (tests)
     */
    public ReplicaManager(
            LogManager logManager,
            ScheduledExecutorService timer,
            Predicate<TopicPartition> knownInCluster,
            java.time.Clock clock,
            long producerIdExpirationMs,
            Partition.Settings partitionSettings,
            ReplicaFetcherManager fetchers) {
        this.partitionSettings = partitionSettings;
        this.fetchers = fetchers;
        this.logManager = logManager;
        this.timer = timer;
        this.knownInCluster = knownInCluster;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
        // Kafka's producer.id.expiration.check.interval.ms: 10 minutes.
        timer.scheduleWithFixedDelay(this::expireProducers, 10, 10, TimeUnit.MINUTES);
        // Kafka checks every replica.lag.time.max.ms / 2, so a follower leaves the ISR between
        // one and one and a half times the lag limit after it stopped catching up.
        long isrCheckMs = Math.max(1, partitionSettings.replicaLagTimeMaxMs() / 2);
        timer.scheduleWithFixedDelay(this::maybeShrinkIsrs, isrCheckMs, isrCheckMs, TimeUnit.MILLISECONDS);
    }

    /** Where appends and fetched bytes are counted from now on (metrics); set once at start-up. */
    public void setTopicStats(TopicStats stats) {
        this.topicStats = stats;
    }

    private void maybeShrinkIsrs() {
        long now = clock.millis();
        for (Partition partition : partitions.values()) {
            try {
                partition.maybeShrinkIsr(now);
            } catch (RuntimeException e) {
                LOG.warn("ISR check of {} failed", partition.topicPartition(), e);
            }
        }
    }

    /** The broker id of this replica manager's partitions. */
    public int localBrokerId() {
        return partitionSettings.localBrokerId();
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

    /** Whether this broker hosts {@code tp} or has its log on disk. */
    public boolean hasLocalReplica(TopicPartition tp) {
        return partitions.containsKey(tp) || logManager.getLog(tp).isPresent();
    }

    public Map<TopicPartition, Partition> partitions() {
        return Map.copyOf(partitions);
    }

    private Partition getOrCreatePartition(TopicPartition tp) {
        return partitions.computeIfAbsent(
                tp,
                key -> new Partition(
                        key,
                        logManager.getOrCreateLog(key),
                        clock,
                        producerIdExpirationMs,
                        partitionSettings,
                        this::onPartitionChanged));
    }

    /**
     * Makes this broker the only replica and leader of {@code tp} at {@code leaderEpoch}, creating
     * its log if needed: a single broker's partition (tests and tools).
     */
    public Partition becomeLeader(TopicPartition tp, int leaderEpoch) {
        int me = partitionSettings.localBrokerId();
        makeLeader(tp, new PartitionState(me, leaderEpoch, List.of(me), 0, 0), List.of(me));
        return partitions.get(tp);
    }

    /**
     * Makes this broker the leader of {@code tp} as {@code state} says, with {@code replicas}
     * assigned, creating its log if needed; stops fetching it first.
     *
     * @return whether this is a new leadership (not only an ISR or replica-list change)
     */
    public boolean makeLeader(TopicPartition tp, PartitionState state, List<Integer> replicas) {
        if (fetchers != null) {
            fetchers.removePartition(tp);
        }
        Partition partition = getOrCreatePartition(tp);
        boolean changed = partition.becomeLeader(state, replicas);
        if (changed) {
            LOG.info(
                    "Leading {} at epoch {} with ISR {} (log end {}, high watermark {})",
                    tp,
                    state.leaderEpoch(),
                    state.isr(),
                    partition.log().logEndOffset(),
                    partition.log().highWatermark());
        }
        return changed;
    }

    /**
     * Makes this broker a follower of {@code tp} as {@code state} says, creating its log if needed,
     * and (re)starts fetching from {@code leader} when leader or epoch changed: first truncation
     * to where the logs agree, then fetching. Without a live leader it only stops fetching.
     */
    public void makeFollower(
            TopicPartition tp, Uuid topicId, PartitionState state, List<Integer> replicas, Optional<Node> leader) {
        Partition partition = getOrCreatePartition(tp);
        boolean changed = partition.becomeFollower(state, replicas);
        if (fetchers == null) {
            return;
        }
        if (leader.isEmpty()) {
            fetchers.removePartition(tp);
        } else if (changed || !fetchers.isFetching(tp, leader.get())) {
            fetchers.removePartition(tp);
            fetchers.addPartition(partition, topicId, leader.get());
            LOG.info(
                    "Following {} at epoch {}: leader {} (log end {}, high watermark {})",
                    tp,
                    state.leaderEpoch(),
                    leader.get(),
                    partition.log().logEndOffset(),
                    partition.log().highWatermark());
        }
    }

    /** Stops leading {@code tp}; its log stays on disk. */
    public void makeOffline(TopicPartition tp) {
        if (fetchers != null) {
            fetchers.removePartition(tp);
        }
        Partition partition = partitions.get(tp);
        if (partition != null) {
            partition.makeOffline();
        }
    }

    /**
     * Stops hosting {@code tp} and deletes its log: its topic was deleted, or a reassignment moved
     * the replica to other brokers.
     */
    public void deletePartition(TopicPartition tp) {
        if (fetchers != null) {
            fetchers.removePartition(tp);
        }
        Partition partition = partitions.remove(tp);
        if (partition != null) {
            partition.makeOffline();
        }
        logManager.deleteLog(tp);
        wake(tp);
    }

    /** Stops the replica fetchers (broker shutdown, before the logs close). */
    public void shutdownFetchers() {
        if (fetchers != null) {
            fetchers.close();
        }
    }

    /** Stops the fetchers and the ISR writes: the broker is shutting down. */
    public void shutdown() {
        shutdownFetchers();
        partitionSettings.isrWriter().close();
    }

    /** A partition's high watermark or ISR moved, or its role changed: re-check what waits on it. */
    private void onPartitionChanged(TopicPartition tp) {
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
    public record AppendResult(Errors error, String message, LogAppendInfo info, long logStartOffset, int leaderEpoch) {

        /** The same append answered with {@code other} instead (a delayed produce's outcome). */
        AppendResult withError(Errors other) {
            return new AppendResult(other, null, other == Errors.NONE ? info : null, logStartOffset, leaderEpoch);
        }
    }

    /** Appends to each partition as leader with {@code acks=1}; a partition that fails does not stop the others. */
    public Map<TopicPartition, AppendResult> appendRecords(Map<TopicPartition, MemoryRecords> records) {
        return appendLocally(records, (short) 1);
    }

    /**
     * Appends to each partition as leader and answers when {@code requiredAcks} is met: at once
     * for 0 and 1; for -1 (all) when the high watermark of each appended partition has passed its
     * append, or after {@code timeoutMs} with REQUEST_TIMED_OUT for the partitions still short. A
     * partition that fails does not stop the others.
     */
    public CompletableFuture<Map<TopicPartition, AppendResult>> appendRecords(
            Map<TopicPartition, MemoryRecords> records, short requiredAcks, long timeoutMs) {
        Map<TopicPartition, AppendResult> results = appendLocally(records, requiredAcks);
        if (requiredAcks != -1) {
            return CompletableFuture.completedFuture(results);
        }
        Map<TopicPartition, DelayedProduce.Pending> pending = new LinkedHashMap<>();
        results.forEach((tp, result) -> {
            if (result.error() == Errors.NONE) {
                pending.put(tp, new DelayedProduce.Pending(result.info().lastOffset() + 1, result.leaderEpoch()));
            }
        });
        DelayedProduce delayed = new DelayedProduce(results, pending, tp -> Optional.ofNullable(partitions.get(tp)));
        park(delayed, pending.keySet(), timeoutMs);
        return delayed.future();
    }

    /**
     * Completes {@code delayed} now if it can (or if {@code timeoutMs} is not positive), else
     * keeps it waiting on {@code waitingOn}, its partitions (a set the caller no longer changes),
     * until it completes or times out.
     */
    private void park(DelayedOperation<?, ?> delayed, Set<TopicPartition> waitingOn, long timeoutMs) {
        if (delayed.tryComplete() || timeoutMs <= 0) {
            delayed.expire();
            return;
        }
        for (TopicPartition tp : waitingOn) {
            waitingOnReplicas
                    .computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet())
                    .add(delayed);
        }
        ScheduledFuture<?> timeout = timer.schedule(delayed::expire, timeoutMs, TimeUnit.MILLISECONDS);
        delayed.future().whenComplete((r, e) -> {
            timeout.cancel(false);
            for (TopicPartition tp : waitingOn) {
                waitingOnReplicas.computeIfPresent(tp, (k, set) -> {
                    set.remove(delayed);
                    return set.isEmpty() ? null : set;
                });
            }
        });
        // What it waits for may have happened between the check above and the registration.
        timer.execute(delayed::tryComplete);
    }

    private Map<TopicPartition, AppendResult> appendLocally(
            Map<TopicPartition, MemoryRecords> records, short requiredAcks) {
        Map<TopicPartition, AppendResult> results = new LinkedHashMap<>();
        records.forEach((tp, batch) -> {
            try {
                Partition partition = leaderPartition(tp);
                int epoch = partition.leaderEpoch();
                LogAppendInfo info = partition.appendAsLeader(batch, requiredAcks);
                if (info.recordCount() > 0) {
                    topicStats.appended(tp.topic(), info.recordCount(), info.sizeInBytes());
                }
                results.put(
                        tp,
                        new AppendResult(
                                Errors.NONE, null, info, partition.log().logStartOffset(), epoch));
                wake(tp);
            } catch (ApiException e) {
                results.put(tp, new AppendResult(Errors.forException(e), e.getMessage(), null, -1, -1));
            } catch (RuntimeException e) {
                LOG.error("Append to {} failed", tp, e);
                results.put(tp, new AppendResult(Errors.UNKNOWN_SERVER_ERROR, e.toString(), null, -1, -1));
            }
        });
        return results;
    }

    // ---- delete records -----------------------------------------------------------------------

    /** The outcome of DeleteRecords on one partition: its low watermark, or an error. */
    public record DeleteResult(Errors error, String message, long lowWatermark) {}

    /**
     * DeleteRecords: on each partition led here, moves the log start offset up to the given offset
     * ({@code -1}: the high watermark) and deletes the segments wholly below it; answers when the
     * in-sync followers have moved their log start as far (they follow the leader's, which every
     * fetch response carries), or after {@code timeoutMs} with REQUEST_TIMED_OUT. As in Kafka: a
     * partition led elsewhere is NOT_LEADER_OR_FOLLOWER, an unknown one UNKNOWN_TOPIC_OR_PARTITION,
     * an offset below -1 or above the high watermark OFFSET_OUT_OF_RANGE, and a topic whose cleanup
     * policy lacks {@code delete} (compact only) POLICY_VIOLATION; an offset below the log start
     * deletes nothing. A partition that fails does not stop the others.
     */
    public CompletableFuture<Map<TopicPartition, DeleteResult>> deleteRecords(
            Map<TopicPartition, Long> offsets, long timeoutMs) {
        Map<TopicPartition, DeleteResult> results = new LinkedHashMap<>();
        Map<TopicPartition, DelayedDeleteRecords.Pending> pending = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> {
            try {
                Partition partition = leaderPartition(tp);
                int epoch = partition.leaderEpoch();
                PartitionLog log = partition.log();
                if (!log.config().delete()) {
                    throw new PolicyViolationException(
                            "Records of partition " + tp + " can not be deleted due to the configured policy");
                }
                long before = offset == DeleteRecordsRequest.HIGH_WATERMARK ? log.highWatermark() : offset;
                if (before < 0) {
                    throw new OffsetOutOfRangeException(
                            "The offset " + offset + " for partition " + tp + " should not be negative.");
                }
                long logStart = log.deleteRecordsBefore(before);
                results.put(tp, new DeleteResult(Errors.NONE, null, logStart));
                pending.put(tp, new DelayedDeleteRecords.Pending(logStart, epoch));
                wake(tp); // (a fetch waiting below the new log start answers now, with its error)
            } catch (ApiException e) {
                results.put(tp, new DeleteResult(Errors.forException(e), e.getMessage(), -1));
            } catch (RuntimeException e) {
                LOG.error("Deleting records of {} before {} failed", tp, offset, e);
                results.put(tp, new DeleteResult(Errors.forException(e), e.toString(), -1));
            }
        });
        DelayedDeleteRecords delayed =
                new DelayedDeleteRecords(results, pending, tp -> Optional.ofNullable(partitions.get(tp)));
        park(delayed, pending.keySet(), timeoutMs);
        return delayed.future();
    }

    // ---- fetch --------------------------------------------------------------------------------

    /** What a fetch request asks overall. */
    public record FetchParams(long maxWaitMs, int minBytes, int maxBytes, FetchIsolation isolation, int replicaId) {

        /** A consumer's fetch. */
        public FetchParams(long maxWaitMs, int minBytes, int maxBytes, FetchIsolation isolation) {
            this(maxWaitMs, minBytes, maxBytes, isolation, -1);
        }

        public boolean fromFollower() {
            return replicaId >= 0;
        }
    }

    /**
     * What it asks of one partition.
     *
     * @param logStartOffset the fetching follower's log start offset; -1 from a consumer
     */
    public record FetchPartition(
            TopicPartition topicPartition,
            long fetchOffset,
            long logStartOffset,
            int maxBytes,
            Optional<Integer> currentLeaderEpoch) {}

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
        if (params.fromFollower()) {
            recordFollowerFetch(params.replicaId(), wanted);
        }
        Read first = read(params, wanted);
        if (first.bytes >= params.minBytes() || params.maxWaitMs() <= 0 || first.anyError || wanted.isEmpty()) {
            countFetched(first);
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

    /** Counts the bytes of a read that is answered (a waiting fetch may read several times). */
    private void countFetched(Read read) {
        if (read.bytes == 0) {
            return;
        }
        TopicStats stats = topicStats;
        read.results.forEach((tp, result) -> {
            int bytes = result.records().sizeInBytes();
            if (bytes > 0) {
                stats.fetched(tp.topic(), bytes);
            }
        });
    }

    /**
     * A follower's fetch offset is its log end: recorded once per request, before the first read
     * (so that the answer carries the HW it moved), and not again when a waiting fetch is re-read.
     * A fetch at another leader epoch (a follower whose log may have diverged) or at an offset
     * outside the leader's log is not recorded; the read answers it with its error.
     */
    private void recordFollowerFetch(int replicaId, List<FetchPartition> wanted) {
        long now = clock.millis();
        for (FetchPartition p : wanted) {
            Partition partition = partitions.get(p.topicPartition());
            if (partition == null) {
                continue;
            }
            try {
                partition.checkLeader(p.currentLeaderEpoch());
            } catch (ApiException e) {
                continue;
            }
            if (p.fetchOffset() >= partition.log().logStartOffset()
                    && p.fetchOffset() <= partition.log().logEndOffset()) {
                partition.updateFollowerFetchState(replicaId, p.fetchOffset(), p.logStartOffset(), now);
            }
        }
    }

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
        Set<DelayedOperation<?, ?>> operations = waitingOnReplicas.get(tp);
        if (operations != null && !operations.isEmpty()) {
            timer.execute(() -> {
                for (DelayedOperation<?, ?> operation : List.copyOf(operations)) {
                    try {
                        operation.tryComplete();
                    } catch (RuntimeException e) {
                        LOG.error("A waiting {} failed", operation.getClass().getSimpleName(), e);
                    }
                }
            });
        }
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
            countFetched(read);
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
