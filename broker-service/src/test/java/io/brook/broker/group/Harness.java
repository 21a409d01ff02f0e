package io.brook.broker.group;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.LogManager;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.brook.cluster.metadata.PartitionState;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocolCollection;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A coordinator on a real {@code __consumer_offsets} partition: its log in a temp dir, led through
 * a real {@link ReplicaManager} (the coordinator writes through replication, as in the broker),
 * everything driven by one {@link ManualScheduler}: the coordinator's event thread and the
 * replication timer (purgatory timeouts) alike. By default this broker (id 0) is the only replica,
 * so a write is committed as soon as it is appended; {@link #replicated} adds a follower, broker 1,
 * whose fetches the test makes with {@link #followerFetched}. Request builders read like a client's
 * side of the protocol. Session timeouts are 10 s and rebalance timeouts 30 s unless a test says
 * otherwise.
 */
final class Harness implements AutoCloseable {

    static final String GROUP = "orders";
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;
    static final int LEADER = 0;
    static final int FOLLOWER = 1;
    static final TopicPartition OFFSETS = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, 0);

    final ManualScheduler scheduler = new ManualScheduler(1_000_000L);
    final File dir;
    final GroupConfig config;
    final List<Integer> replicas;
    final Map<String, String> topicConfig;
    /** ISR changes the leader proposed; never written, so the ISR stays as the test set it. */
    final List<PartitionState> isrProposals = new ArrayList<>();

    LogManager logs;
    ReplicaManager replicaManager;
    GroupCoordinatorService coordinator;
    PartitionLog log;
    int leaderEpoch = -1;

    Harness(File dir, GroupConfig config) throws IOException {
        this(dir, config, List.of(LEADER), Map.of());
    }

    private Harness(File dir, GroupConfig config, List<Integer> replicas, Map<String, String> topicConfig)
            throws IOException {
        this(dir, config, replicas, topicConfig, true);
    }

    private Harness(File dir, GroupConfig config, List<Integer> replicas, Map<String, String> topicConfig, boolean lead)
            throws IOException {
        this.dir = dir;
        this.config = config;
        this.replicas = List.copyOf(replicas);
        this.topicConfig = topicConfig;
        if (lead) {
            start();
        } else {
            open();
            leaderEpoch = 0;
            replicaManager.makeFollower(
                    OFFSETS,
                    Uuid.randomUuid(),
                    new PartitionState(FOLLOWER, leaderEpoch, this.replicas, 0, 0),
                    this.replicas,
                    Optional.empty());
            log = replicaManager.partition(OFFSETS).orElseThrow().log();
        }
    }

    /**
     * This broker leads with a follower, broker 1, in the ISR: writes are committed only once the
     * follower has fetched past them. {@code topicConfig} adds topic configs ({@code
     * min.insync.replicas}, say).
     */
    static Harness replicated(File dir, GroupConfig config, Map<String, String> topicConfig) throws IOException {
        return new Harness(dir, config, List.of(LEADER, FOLLOWER), topicConfig);
    }

    /**
     * This broker follows broker 1, the leader at epoch 0, and coordinates nothing until {@link
     * #elect}: the test copies the leader's batches with {@link #replicate}.
     */
    static Harness follower(File dir, GroupConfig config) throws IOException {
        return new Harness(dir, config, List.of(FOLLOWER, LEADER), Map.of(), false);
    }

    /**
     * Appends the leader's batches from this replica's log end as a follower does, and takes
     * {@code leaderHighWatermark} as its high watermark.
     */
    void replicate(PartitionLog leaderLog, long leaderHighWatermark) throws IOException {
        Partition partition = replicaManager.partition(OFFSETS).orElseThrow();
        FetchDataInfo data = leaderLog.read(log.logEndOffset(), 1 << 20, FetchIsolation.LOG_END, true);
        ByteBuffer buffer = ByteBuffer.allocate(data.records().sizeInBytes());
        ((FileRecords) data.records()).readInto(buffer, 0);
        partition.appendAsFollower(MemoryRecords.readableRecords(buffer));
        partition.updateFollowerHighWatermark(leaderHighWatermark);
    }

    /** One offsets partition, no initial rebalance delay, any session timeout. */
    static GroupConfig testConfig() {
        return GroupConfig.defaults()
                .withOffsetsTopicPartitions(1)
                .withInitialRebalanceDelayMs(0)
                .withSessionTimeoutBounds(1, 600_000);
    }

    /** Opens the logs, leads the partition at a new epoch and loads it into a new coordinator: a broker (re)start. */
    void start() throws IOException {
        open();
        elect();
    }

    private void open() throws IOException {
        Map<String, String> logConfig = new HashMap<>(topicConfig);
        logConfig.put(LogConfig.CLEANUP_POLICY, LogConfig.COMPACT);
        logs = new LogManager(
                List.of(dir),
                topic -> LogConfig.of(logConfig),
                scheduler.clock(),
                LogManager.Settings.DEFAULT,
                new LogDirFailureHandler());
        logs.startup();
        replicaManager = new ReplicaManager(
                logs,
                scheduler,
                tp -> true,
                scheduler.clock(),
                86_400_000L,
                new Partition.Settings(LEADER, 30_000, (partition, proposed) -> isrProposals.add(proposed)),
                null);
        coordinator = new GroupCoordinatorService(config, scheduler.clock(), scheduler);
    }

    /** This broker leads the partition at the next epoch and the coordinator loads it. */
    void elect() {
        leaderEpoch++;
        replicaManager.makeLeader(OFFSETS, new PartitionState(LEADER, leaderEpoch, replicas, 0, 0), replicas);
        Partition partition = replicaManager.partition(OFFSETS).orElseThrow();
        log = partition.log();
        coordinator.onElection(
                0, leaderEpoch, log, new ReplicatedPartitionWriter(replicaManager, OFFSETS, leaderEpoch));
    }

    /** The follower fetched from {@code offset}: its log ends there, which may move the high watermark. */
    void followerFetched(long offset) {
        replicaManager
                .partition(OFFSETS)
                .orElseThrow()
                .updateFollowerFetchState(FOLLOWER, offset, 0, scheduler.clock().millis());
    }

    /** Stops the coordinator and closes the log, as a clean shutdown does. */
    void stop() throws IOException {
        coordinator.close();
        try {
            logs.close();
        } catch (KafkaStorageException e) {
            if (!log.isOffline()) {
                throw e;
            }
            // A test closed the log under the coordinator (a failed disk): it cannot close again.
        }
    }

    void restart() throws IOException {
        stop();
        start();
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    static RequestContext ctx(ApiKeys api) {
        return ctx(api.latestVersion());
    }

    static RequestContext ctx(int version) {
        return new RequestContext((short) version, "client", "/10.0.0.1");
    }

    // ---- protocol metadata

    static byte[] subscription(String... topics) {
        ByteBuffer b = ConsumerProtocol.serializeSubscription(new Subscription(List.of(topics)));
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static JoinGroupRequestProtocolCollection protocols(String... namesAndMetadata) {
        JoinGroupRequestProtocolCollection c = new JoinGroupRequestProtocolCollection();
        for (String name : namesAndMetadata) {
            c.add(new JoinGroupRequestProtocol().setName(name).setMetadata(subscription("topic-a")));
        }
        return c;
    }

    // ---- JoinGroup / SyncGroup / Heartbeat / LeaveGroup

    static JoinGroupRequestData joinRequest(String memberId) {
        return new JoinGroupRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setSessionTimeoutMs(SESSION_MS)
                .setRebalanceTimeoutMs(REBALANCE_MS)
                .setProtocolType("consumer")
                .setProtocols(protocols("range"));
    }

    CompletableFuture<JoinGroupResponseData> join(int version, JoinGroupRequestData req) {
        return coordinator.joinGroup(ctx(version), req);
    }

    CompletableFuture<JoinGroupResponseData> join(JoinGroupRequestData req) {
        return join(ApiKeys.JOIN_GROUP.latestVersion(), req);
    }

    /** A new dynamic member's JoinGroup, after the MEMBER_ID_REQUIRED round trip. */
    CompletableFuture<JoinGroupResponseData> joinNew(JoinGroupRequestData req) {
        JoinGroupResponseData first = join(req.duplicate().setMemberId("")).join();
        if (first.errorCode() != Errors.MEMBER_ID_REQUIRED.code()) {
            throw new AssertionError("Expected MEMBER_ID_REQUIRED, got " + first);
        }
        return join(req.duplicate().setMemberId(first.memberId()));
    }

    CompletableFuture<JoinGroupResponseData> joinNew() {
        return joinNew(joinRequest(""));
    }

    CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation, Map<String, String> assignment) {
        List<SyncGroupRequestAssignment> assignments = new ArrayList<>();
        assignment.forEach((m, a) ->
                assignments.add(new SyncGroupRequestAssignment().setMemberId(m).setAssignment(a.getBytes())));
        return coordinator.syncGroup(
                ctx(ApiKeys.SYNC_GROUP),
                new SyncGroupRequestData()
                        .setGroupId(GROUP)
                        .setMemberId(memberId)
                        .setGenerationId(generation)
                        .setAssignments(assignments));
    }

    CompletableFuture<SyncGroupResponseData> sync(String memberId, int generation) {
        return sync(memberId, generation, Map.of());
    }

    Errors heartbeat(String memberId, int generation) {
        return heartbeat(memberId, null, generation);
    }

    Errors heartbeat(String memberId, String instanceId, int generation) {
        return Errors.forCode(coordinator
                .heartbeat(
                        ctx(ApiKeys.HEARTBEAT),
                        new HeartbeatRequestData()
                                .setGroupId(GROUP)
                                .setMemberId(memberId)
                                .setGroupInstanceId(instanceId)
                                .setGenerationId(generation))
                .join()
                .errorCode());
    }

    LeaveGroupResponseData leave(LeaveGroupRequestData.MemberIdentity... members) {
        return coordinator
                .leaveGroup(
                        ctx(ApiKeys.LEAVE_GROUP),
                        new LeaveGroupRequestData().setGroupId(GROUP).setMembers(List.of(members)))
                .join();
    }

    static LeaveGroupRequestData.MemberIdentity member(String memberId) {
        return new LeaveGroupRequestData.MemberIdentity().setMemberId(memberId);
    }

    /** Joins one member and syncs it into a Stable group; returns its JoinGroup response. */
    JoinGroupResponseData stableGroupOfOne(String assignment) {
        JoinGroupResponseData joined = joinNew().join();
        sync(joined.memberId(), joined.generationId(), Map.of(joined.memberId(), assignment))
                .join();
        return joined;
    }

    // ---- offsets

    static OffsetCommitRequestData commitRequest(
            String memberId, int generation, String topic, int partition, long offset) {
        return new OffsetCommitRequestData()
                .setGroupId(GROUP)
                .setMemberId(memberId)
                .setGenerationIdOrMemberEpoch(generation)
                .setTopics(List.of(new OffsetCommitRequestTopic()
                        .setName(topic)
                        .setPartitions(List.of(new OffsetCommitRequestPartition()
                                .setPartitionIndex(partition)
                                .setCommittedOffset(offset)
                                .setCommittedLeaderEpoch(7)
                                .setCommittedMetadata("meta-" + offset)))));
    }

    OffsetCommitResponseData commit(OffsetCommitRequestData req) {
        return coordinator.commitOffsets(ctx(9), req).join();
    }

    Errors commit(String memberId, int generation, String topic, int partition, long offset) {
        OffsetCommitResponseData r = commit(commitRequest(memberId, generation, topic, partition, offset));
        return Errors.forCode(r.topics().get(0).partitions().get(0).errorCode());
    }

    /** OffsetFetch v9 of one group: all partitions when {@code topic} is null. */
    OffsetFetchResponseGroup fetch(String groupId, String topic, Integer... partitions) {
        OffsetFetchRequestGroup g = new OffsetFetchRequestGroup()
                .setGroupId(groupId)
                .setTopics(
                        topic == null
                                ? null
                                : List.of(new OffsetFetchRequestTopics()
                                        .setName(topic)
                                        .setPartitionIndexes(List.of(partitions))));
        return coordinator
                .fetchOffsets(ctx(9), new OffsetFetchRequestData().setGroups(List.of(g)))
                .join()
                .groups()
                .get(0);
    }
}
