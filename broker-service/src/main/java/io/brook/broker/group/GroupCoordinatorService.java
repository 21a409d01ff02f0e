package io.brook.broker.group;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.PartitionLog;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads, futures, timers and log writes around the {@link GroupCoordinatorShard}s: one shard
 * per {@code __consumer_offsets} partition this broker leads.
 *
 * <p>Threading: all shards run on one event thread, the {@code executor}, which must run one
 * task at a time (a single-threaded {@code ScheduledExecutorService}). A request is checked on the
 * caller's thread (version, partition loaded), then handed to the event thread, where the shard
 * handles it. The records it returns are appended right there through the partition's {@link
 * PartitionWriter}, that is through replication with {@code acks=all}; the event thread does not
 * wait for them. Only once the write is committed (the high watermark has passed it, with at
 * least {@code min.insync.replicas} in the ISR) is the shard told the outcome, back on the event
 * thread, and the response completed: a commit is acknowledged, and becomes visible to
 * OffsetFetch, only once every in-sync replica has it, so a coordinator elected from the ISR after
 * a failure still has it (Kafka's coordinator appends with {@code acks=-1} in the same way). No two
 * operations of a shard ever interleave; a shard may handle other requests while a write is in
 * flight, and its completions guard against what changed meanwhile (a newer generation, say).
 * Shard timers are tasks on the same executor. Futures are completed on the event thread:
 * callers should hand heavy work elsewhere.
 *
 * <p>Writes of a partition finish in the order they were appended (a queue per partition, drained
 * from its head), so that two commits of one offset are applied in log order. A failed write is
 * answered with Kafka's mapping ({@link #appendError}): too few in-sync replicas or not committed
 * within {@code offsets.commit.timeout.ms} give COORDINATOR_NOT_AVAILABLE, a lost leadership
 * NOT_COORDINATOR; the client retries, finding the coordinator again if needed. Writes still in
 * flight when the partition is unloaded are answered NOT_COORDINATOR at once.
 *
 * <pre>
 * write state    event                                      then
 * -----------    -----                                      ----
 * in flight      committed (HW passed it)                   done(NONE)
 * in flight      refused or failed (NOT_ENOUGH_REPLICAS,    done(error)
 *                REQUEST_TIMED_OUT, NOT_LEADER_OR_FOLLOWER)
 * done(e)        every earlier write of the partition       shard completes with e, response sent
 *                completed
 * in flight      partition unloaded (resigned, re-elected)  shard completes with NOT_COORDINATOR
 * </pre>
 *
 * <p>One thread is enough for the classic protocol's load (Kafka's own classic coordinator ran
 * on request handler threads under one lock per group); a thread per partition group would need
 * only a map from partition to executor here.
 */
public final class GroupCoordinatorService implements GroupCoordinator, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorService.class);

    /** Bytes read per step when loading a partition: a few batches, and bounded memory. */
    private static final int LOAD_READ_BYTES = 1 << 20;

    private final GroupConfig config;
    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private final ConcurrentHashMap<Integer, Partition> partitions = new ConcurrentHashMap<>();

    /**
     * @param executor the event thread: must run one task at a time; not shut down by {@link
     *     #close}
     */
    public GroupCoordinatorService(GroupConfig config, Clock clock, ScheduledExecutorService executor) {
        this(config, clock, executor, false);
    }

    private GroupCoordinatorService(GroupConfig config, Clock clock, ScheduledExecutorService executor, boolean owns) {
        this.config = config;
        this.clock = clock;
        this.executor = executor;
        this.ownsExecutor = owns;
    }

    /** A coordinator with its own event thread, {@code group-coordinator}, stopped by {@link #close}. */
    public static GroupCoordinatorService create(GroupConfig config, Clock clock) {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "group-coordinator");
            t.setDaemon(true);
            return t;
        });
        return new GroupCoordinatorService(config, clock, executor, true);
    }

    // ---------------------------------------------------------------- partitions

    /** One led partition: its log, its writer, its shard once loaded, and the shard's timers. */
    private final class Partition {
        final int id;
        final int leaderEpoch;
        final PartitionLog log;
        final PartitionWriter writer;
        final ShardTimer timer = new ShardTimer(this);
        /** Writes not finished yet, in append order. Event thread only. */
        final ArrayDeque<PendingWrite<?>> pending = new ArrayDeque<>();
        /** Set on the event thread when loading is done; read by callers to answer LOAD_IN_PROGRESS. */
        volatile GroupCoordinatorShard shard;

        Partition(int id, int leaderEpoch, PartitionLog log, PartitionWriter writer) {
            this.id = id;
            this.leaderEpoch = leaderEpoch;
            this.log = log;
            this.writer = writer;
        }

        boolean isCurrent() {
            return partitions.get(id) == this && shard != null;
        }
    }

    @Override
    public int partitionFor(String groupId) {
        return Utils.abs(groupId == null ? 0 : groupId.hashCode()) % config.offsetsTopicPartitions();
    }

    @Override
    public void onElection(int offsetsPartition, int leaderEpoch, PartitionLog log, PartitionWriter writer) {
        Partition p = new Partition(offsetsPartition, leaderEpoch, log, writer);
        Partition previous = partitions.put(offsetsPartition, p);
        execute(() -> {
            if (previous != null) {
                unload(previous);
            }
            load(p);
        });
    }

    @Override
    public void onResignation(int offsetsPartition) {
        Partition p = partitions.remove(offsetsPartition);
        if (p != null) {
            execute(() -> unload(p));
        }
    }

    /**
     * Reads the partition back into a new shard, from the log start to the log end as it is now,
     * as Kafka does: a broker that just became leader holds every committed write (it was in the
     * ISR), and whatever it has beyond the high watermark is the leader's log now, which the
     * followers will copy (cutting what they have that it lacks), so it counts as written. Only
     * this coordinator appends to the partition, and only once loaded, so the end does not move
     * during the load.
     */
    private void load(Partition p) {
        if (partitions.get(p.id) != p) {
            return;
        }
        long start = clock.millis();
        GroupCoordinatorShard shard = new GroupCoordinatorShard(config, clock, p.timer);
        long records = 0;
        try {
            long next = p.log.logStartOffset();
            long end = p.log.logEndOffset();
            while (next < end) {
                FetchDataInfo data = p.log.read(next, LOAD_READ_BYTES, FetchIsolation.LOG_END, true);
                long before = next;
                for (RecordBatch batch : data.records().batches()) {
                    if (batch.lastOffset() < next || batch.isControlBatch()) {
                        next = Math.max(next, batch.nextOffset());
                        continue;
                    }
                    for (Record record : batch) {
                        if (record.offset() >= next) {
                            records += replay(shard, p, record);
                        }
                    }
                    next = batch.nextOffset();
                }
                if (next == before) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.error("Could not load __consumer_offsets-{}; its groups stay unavailable", p.id, e);
            partitions.remove(p.id, p);
            p.timer.cancelAll();
            return;
        }
        shard.onLoaded();
        p.shard = shard;
        LOG.info(
                "Loaded {} records of __consumer_offsets-{} in {} ms ({} groups)",
                records,
                p.id,
                clock.millis() - start,
                shard.groupCount());
    }

    private static int replay(GroupCoordinatorShard shard, Partition p, Record record) {
        GroupRecord decoded;
        try {
            decoded = GroupRecordSerde.decode(record);
        } catch (RuntimeException e) {
            LOG.warn(
                    "Skipping unreadable record at offset {} of __consumer_offsets-{}: {}",
                    record.offset(),
                    p.id,
                    e.toString());
            return 0;
        }
        if (decoded == null) {
            return 0;
        }
        shard.replay(decoded);
        return 1;
    }

    private void unload(Partition p) {
        GroupCoordinatorShard shard = p.shard;
        // Writes still waiting for the replicas: their clients find the new coordinator.
        PendingWrite<?> w;
        while ((w = p.pending.poll()) != null) {
            w.finish(Errors.NOT_COORDINATOR);
        }
        p.timer.cancelAll();
        p.shard = null;
        if (shard != null) {
            shard.onUnloaded();
            LOG.info("Unloaded __consumer_offsets-{}", p.id);
        }
    }

    /** Unloads every partition (parked requests get NOT_COORDINATOR) and stops an owned event thread. */
    @Override
    public void close() {
        List<Partition> all = new ArrayList<>(partitions.values());
        partitions.clear();
        try {
            executor.submit(() -> all.forEach(this::unload)).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            // Already shut down: nothing left to answer.
        } catch (Exception e) {
            LOG.warn("Could not unload the group coordinator cleanly", e);
        }
        if (ownsExecutor) {
            executor.shutdownNow();
        }
    }

    /**
     * The committed offsets of every group this broker coordinates, by group and partition, read
     * on the event thread (so consistent per shard): for the consumer-lag metrics. Partitions
     * still loading are left out.
     */
    public CompletableFuture<Map<String, Map<TopicPartition, Long>>> committedOffsets() {
        CompletableFuture<Map<String, Map<TopicPartition, Long>>> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                Map<String, Map<TopicPartition, Long>> all = new HashMap<>();
                for (Partition p : partitions.values()) {
                    if (p.isCurrent()) {
                        all.putAll(p.shard.committedOffsets());
                    }
                }
                future.complete(all);
            });
        } catch (RejectedExecutionException e) {
            future.complete(Map.of());
        }
        return future;
    }

    // ---------------------------------------------------------------- running operations

    private void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.warn("Group coordinator is shut down; dropping a task");
        }
    }

    /**
     * Runs {@code op} on the shard of {@code groupId}'s partition and completes with its response,
     * or with {@code onError} of NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
     * UNSUPPORTED_VERSION or (if the shard threw) UNKNOWN_SERVER_ERROR.
     */
    private <T> CompletableFuture<T> submit(
            ApiKeys api,
            RequestContext ctx,
            String groupId,
            Function<Errors, T> onError,
            Function<GroupCoordinatorShard, ShardResult<T>> op) {
        if (!SUPPORTED_VERSIONS.get(api).contains(ctx.apiVersion())) {
            return CompletableFuture.completedFuture(onError.apply(Errors.UNSUPPORTED_VERSION));
        }
        return submit(partitionFor(groupId), onError, op);
    }

    private <T> CompletableFuture<T> submit(
            int partition, Function<Errors, T> onError, Function<GroupCoordinatorShard, ShardResult<T>> op) {
        Partition p = partitions.get(partition);
        if (p == null) {
            return CompletableFuture.completedFuture(onError.apply(Errors.NOT_COORDINATOR));
        }
        if (p.shard == null) {
            return CompletableFuture.completedFuture(onError.apply(Errors.COORDINATOR_LOAD_IN_PROGRESS));
        }
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (!p.isCurrent()) {
                    future.complete(onError.apply(Errors.NOT_COORDINATOR));
                    return;
                }
                ShardResult<T> result;
                try {
                    result = op.apply(p.shard);
                } catch (RuntimeException e) {
                    LOG.error("Group coordinator operation failed on __consumer_offsets-{}", p.id, e);
                    future.complete(onError.apply(Errors.UNKNOWN_SERVER_ERROR));
                    return;
                }
                write(p, result, future::complete, () -> future.complete(onError.apply(Errors.UNKNOWN_SERVER_ERROR)));
            });
        } catch (RejectedExecutionException e) {
            future.complete(onError.apply(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        return future;
    }

    /**
     * Appends the result's records as one batch through the partition's writer and lets the shard
     * finish once the write is committed or failed (see the class comment), handing the response
     * to {@code done}; at once when there is nothing to write. If the shard's completion throws,
     * {@code failed} answers instead. Event thread only.
     */
    private <T> void write(Partition p, ShardResult<T> result, Consumer<T> done, Runnable failed) {
        PendingWrite<T> w = new PendingWrite<>(p, result, done, failed);
        if (result.records().isEmpty()) {
            // Nothing to wait for: the shard applies a write's effects only once it is committed,
            // so an answer given now reveals nothing of a write still in flight.
            w.finish(Errors.NONE);
            return;
        }
        CompletableFuture<Long> committed;
        try {
            committed = p.writer.append(
                    GroupRecordSerde.batch(result.records(), clock.millis()), config.offsetCommitTimeoutMs());
        } catch (RuntimeException e) {
            committed = CompletableFuture.failedFuture(e);
        }
        p.pending.add(w);
        if (committed.isDone()) {
            // Refused at once, or committed at once (a single replica): finish in this task.
            w.outcome = outcome(p, committed);
            drain(p);
        } else {
            CompletableFuture<Long> f = committed;
            f.whenComplete((end, error) -> execute(() -> {
                if (w.outcome == null) {
                    w.outcome = outcome(p, f);
                    drain(p);
                }
            }));
        }
    }

    private static Errors outcome(Partition p, CompletableFuture<Long> committed) {
        try {
            committed.join();
            return Errors.NONE;
        } catch (CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("Could not write to __consumer_offsets-{}: {}", p.id, cause.toString());
            return appendError(cause);
        }
    }

    /** Finishes the partition's writes from the oldest while they are done. Event thread only. */
    private void drain(Partition p) {
        if (partitions.get(p.id) != p) {
            return; // unloading answers them
        }
        PendingWrite<?> head;
        while ((head = p.pending.peek()) != null && head.outcome != null) {
            p.pending.poll();
            head.finish(head.outcome);
        }
    }

    /** A shard result whose records are being written. Event thread only. */
    private static final class PendingWrite<T> {
        final Partition partition;
        final ShardResult<T> result;
        final Consumer<T> done;
        final Runnable failed;
        /** The write's outcome once known, null while in flight. */
        Errors outcome;

        PendingWrite(Partition partition, ShardResult<T> result, Consumer<T> done, Runnable failed) {
            this.partition = partition;
            this.result = result;
            this.done = done;
            this.failed = failed;
        }

        void finish(Errors error) {
            outcome = error;
            T response;
            try {
                response = result.complete(error);
            } catch (RuntimeException e) {
                LOG.error("Group coordinator operation failed on __consumer_offsets-{}", partition.id, e);
                failed.run();
                return;
            }
            done.accept(response);
        }
    }

    /** Kafka's mapping of a failed coordinator write to what clients may act on. */
    static Errors appendError(Throwable e) {
        Errors error = Errors.forException(e);
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                Errors.COORDINATOR_NOT_AVAILABLE;
            case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> error;
            default -> Errors.UNKNOWN_SERVER_ERROR;
        };
    }

    /** A timer of one shard: tasks on the event thread, dropped if the partition moved meanwhile. */
    private final class ShardTimer implements CoordinatorTimer {
        private final Partition partition;
        /** Confined to the event thread. */
        private final Map<String, ScheduledFuture<?>> tasks = new HashMap<>();

        ShardTimer(Partition partition) {
            this.partition = partition;
        }

        @Override
        public void schedule(String key, long delayMs, Supplier<ShardResult<Void>> operation) {
            cancel(key);
            ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
            Runnable fire = () -> {
                if (tasks.get(key) != self[0] || !partition.isCurrent()) {
                    return;
                }
                tasks.remove(key);
                try {
                    write(partition, operation.get(), response -> {}, () -> {});
                } catch (RuntimeException e) {
                    LOG.error("Group coordinator timer {} failed on __consumer_offsets-{}", key, partition.id, e);
                }
            };
            try {
                self[0] = executor.schedule(fire, Math.max(0, delayMs), TimeUnit.MILLISECONDS);
                tasks.put(key, self[0]);
            } catch (RejectedExecutionException e) {
                LOG.debug("Not scheduling {}: shut down", key);
            }
        }

        @Override
        public void cancel(String key) {
            ScheduledFuture<?> f = tasks.remove(key);
            if (f != null) {
                f.cancel(false);
            }
        }

        @Override
        public boolean isScheduled(String key) {
            return tasks.containsKey(key);
        }

        void cancelAll() {
            tasks.values().forEach(f -> f.cancel(false));
            tasks.clear();
        }
    }

    // ---------------------------------------------------------------- the API

    @Override
    public CompletableFuture<JoinGroupResponseData> joinGroup(RequestContext ctx, JoinGroupRequestData req) {
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        submit(
                ApiKeys.JOIN_GROUP,
                ctx,
                req.groupId(),
                error -> {
                    response.complete(Responses.joinError(ctx.apiVersion(), req.memberId(), error));
                    return null;
                },
                shard -> shard.joinGroup(ctx, req, response));
        return response;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> syncGroup(RequestContext ctx, SyncGroupRequestData req) {
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        submit(
                ApiKeys.SYNC_GROUP,
                ctx,
                req.groupId(),
                error -> {
                    response.complete(Responses.syncError(error));
                    return null;
                },
                shard -> shard.syncGroup(ctx, req, response));
        return response;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> heartbeat(RequestContext ctx, HeartbeatRequestData req) {
        return submit(ApiKeys.HEARTBEAT, ctx, req.groupId(), Responses::heartbeat, shard -> shard.heartbeat(ctx, req));
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> leaveGroup(RequestContext ctx, LeaveGroupRequestData req) {
        return submit(
                ApiKeys.LEAVE_GROUP, ctx, req.groupId(), Responses::leaveError, shard -> shard.leaveGroup(ctx, req));
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(RequestContext ctx, OffsetCommitRequestData req) {
        return submit(
                ApiKeys.OFFSET_COMMIT,
                ctx,
                req.groupId(),
                error -> Responses.commitError(req, error),
                shard -> shard.commitOffsets(ctx, req));
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> fetchOffsets(RequestContext ctx, OffsetFetchRequestData req) {
        short version = ctx.apiVersion();
        if (version >= 8) {
            if (!SUPPORTED_VERSIONS.get(ApiKeys.OFFSET_FETCH).contains(version)) {
                List<OffsetFetchResponseGroup> errors = new ArrayList<>();
                req.groups()
                        .forEach(g ->
                                errors.add(Responses.fetchError(g.groupId(), g.topics(), Errors.UNSUPPORTED_VERSION)));
                return CompletableFuture.completedFuture(new OffsetFetchResponseData().setGroups(errors));
            }
            List<CompletableFuture<OffsetFetchResponseGroup>> groups = new ArrayList<>();
            for (OffsetFetchRequestGroup g : req.groups()) {
                groups.add(fetchGroup(ctx, g.groupId(), g.topics()));
            }
            return all(groups).thenApply(list -> new OffsetFetchResponseData().setGroups(list));
        }
        List<OffsetFetchRequestTopics> topics = null;
        if (req.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestTopic t : req.topics()) {
                topics.add(new OffsetFetchRequestTopics().setName(t.name()).setPartitionIndexes(t.partitionIndexes()));
            }
        }
        return fetchGroup(ctx, req.groupId(), topics).thenApply(GroupCoordinatorService::singleGroupForm);
    }

    private CompletableFuture<OffsetFetchResponseGroup> fetchGroup(
            RequestContext ctx, String groupId, List<OffsetFetchRequestTopics> topics) {
        return submit(
                ApiKeys.OFFSET_FETCH,
                ctx,
                groupId,
                error -> Responses.fetchError(groupId, topics, error),
                shard -> ShardResult.of(shard.fetchOffsets(groupId, topics)));
    }

    /** The v1-v7 response: one group, with a top-level error code from v2. */
    private static OffsetFetchResponseData singleGroupForm(OffsetFetchResponseGroup group) {
        OffsetFetchResponseData out = new OffsetFetchResponseData().setErrorCode(group.errorCode());
        for (OffsetFetchResponseTopics t : group.topics()) {
            OffsetFetchResponseTopic topic = new OffsetFetchResponseTopic().setName(t.name());
            for (OffsetFetchResponsePartitions p : t.partitions()) {
                topic.partitions()
                        .add(new OffsetFetchResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setCommittedOffset(p.committedOffset())
                                .setCommittedLeaderEpoch(p.committedLeaderEpoch())
                                .setMetadata(p.metadata())
                                .setErrorCode(p.errorCode()));
            }
            out.topics().add(topic);
        }
        return out;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> listGroups(RequestContext ctx, ListGroupsRequestData req) {
        if (!SUPPORTED_VERSIONS.get(ApiKeys.LIST_GROUPS).contains(ctx.apiVersion())) {
            return CompletableFuture.completedFuture(
                    new ListGroupsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code()));
        }
        List<CompletableFuture<List<ListedGroup>>> parts = new ArrayList<>();
        Errors[] error = {Errors.NONE};
        for (Partition p : partitions.values()) {
            if (p.shard == null) {
                error[0] = Errors.COORDINATOR_LOAD_IN_PROGRESS;
                continue;
            }
            parts.add(submit(
                    p.id,
                    e -> List.of(),
                    shard -> ShardResult.of(shard.listGroups(req.statesFilter(), req.typesFilter()))));
        }
        return all(parts)
                .thenApply(lists -> new ListGroupsResponseData()
                        .setErrorCode(error[0].code())
                        .setGroups(Responses.concat(lists)));
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> describeGroups(
            RequestContext ctx, DescribeGroupsRequestData req) {
        List<CompletableFuture<DescribedGroup>> groups = new ArrayList<>();
        for (String groupId : req.groups()) {
            groups.add(submit(
                    ApiKeys.DESCRIBE_GROUPS,
                    ctx,
                    groupId,
                    error -> Responses.describeError(groupId, error),
                    shard -> ShardResult.of(shard.describeGroup(groupId, ctx.apiVersion()))));
        }
        return all(groups).thenApply(list -> new DescribeGroupsResponseData().setGroups(list));
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> deleteGroups(RequestContext ctx, DeleteGroupsRequestData req) {
        List<CompletableFuture<DeletableGroupResult>> groups = new ArrayList<>();
        for (String groupId : req.groupsNames()) {
            groups.add(submit(
                    ApiKeys.DELETE_GROUPS,
                    ctx,
                    groupId,
                    error -> Responses.deleteError(groupId, error),
                    shard -> shard.deleteGroup(groupId)));
        }
        return all(groups).thenApply(list -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            list.forEach(response.results()::add);
            return response;
        });
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(RequestContext ctx, OffsetDeleteRequestData req) {
        return submit(
                ApiKeys.OFFSET_DELETE,
                ctx,
                req.groupId(),
                Responses::offsetDeleteError,
                shard -> shard.deleteOffsets(req));
    }

    private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
    }
}
