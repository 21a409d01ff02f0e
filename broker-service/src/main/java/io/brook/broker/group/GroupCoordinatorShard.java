package io.brook.broker.group;

import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.OffsetCommit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * The group coordinator state machine of one {@code __consumer_offsets} partition: every classic
 * group that hashes to it and their committed offsets. Each operation handles one request and
 * returns a {@link ShardResult}: the records to append and how to finish once they are appended.
 * {@link #replay} rebuilds the state from those records when the partition is loaded. The shard
 * never writes, waits or spawns threads; {@link GroupCoordinatorService} does.
 *
 * <p>The rebalance protocol is in {@link RebalanceProtocol} (see {@link GroupState} for the state
 * transitions), offsets in {@link OffsetManager}; this class adds the group-level operations
 * (List, Describe, Delete) and loading.
 *
 * <p>Threading: not thread-safe. Every method, and every timer operation, runs on the one thread
 * the service assigns to this shard. JoinGroup and SyncGroup take the future that answers them,
 * since the answer may come from a later request or timer.
 */
public final class GroupCoordinatorShard {

    /** ListGroups v5 GroupType of every group Brook has: the classic protocol. */
    static final String CLASSIC_GROUP_TYPE = "classic";

    private final Clock clock;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private final RebalanceProtocol rebalance;
    private final OffsetManager offsets;

    public GroupCoordinatorShard(GroupConfig config, Clock clock, CoordinatorTimer timer) {
        this.clock = clock;
        this.rebalance = new RebalanceProtocol(config, clock, timer, groups);
        this.offsets = new OffsetManager(config, clock, groups, rebalance::touch);
    }

    // ---- loading

    /** Applies a record read back from the log on load. Records are replayed in log order. */
    public void replay(GroupRecord record) {
        if (record instanceof OffsetCommit c) {
            offsets.apply(c);
        } else if (record instanceof GroupMetadata m) {
            if (m.value() == null) {
                groups.remove(m.groupId());
            } else {
                groups.computeIfAbsent(m.groupId(), id -> new ClassicGroup(id, clock.millis()))
                        .restore(m.value(), clock.millis());
            }
        }
    }

    /** Loading is complete: persisted members get a fresh session timeout to heartbeat in. */
    public void onLoaded() {
        groups.values().removeIf(ClassicGroup::isDisposable);
        rebalance.onLoaded();
    }

    /** The partition moved away: parked requests are answered NOT_COORDINATOR. */
    public void onUnloaded() {
        rebalance.onUnloaded();
        groups.clear();
    }

    /**
     * Every group's committed offsets, by group and partition (a copy): what the consumer-lag
     * metrics compare with the log ends. Groups without offsets are left out.
     */
    public Map<String, Map<TopicPartition, Long>> committedOffsets() {
        Map<String, Map<TopicPartition, Long>> all = new HashMap<>();
        groups.forEach((id, group) -> {
            if (!group.offsets().isEmpty()) {
                Map<TopicPartition, Long> offsets = new HashMap<>();
                group.offsets().forEach((tp, committed) -> offsets.put(tp, committed.offset()));
                all.put(id, offsets);
            }
        });
        return all;
    }

    // ---- the rebalance protocol

    public ShardResult<Void> joinGroup(
            RequestContext ctx, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> response) {
        return rebalance.joinGroup(ctx, req, response);
    }

    public ShardResult<Void> syncGroup(
            RequestContext ctx, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> response) {
        return rebalance.syncGroup(ctx, req, response);
    }

    public ShardResult<HeartbeatResponseData> heartbeat(RequestContext ctx, HeartbeatRequestData req) {
        Errors error =
                rebalance.heartbeat(ctx, req.groupId(), req.memberId(), req.groupInstanceId(), req.generationId());
        return ShardResult.of(Responses.heartbeat(error));
    }

    public ShardResult<LeaveGroupResponseData> leaveGroup(RequestContext ctx, LeaveGroupRequestData req) {
        return rebalance.leaveGroup(ctx, req);
    }

    // ---- offsets

    public ShardResult<OffsetCommitResponseData> commitOffsets(RequestContext ctx, OffsetCommitRequestData req) {
        return offsets.commitOffsets(ctx, req);
    }

    public OffsetFetchResponseGroup fetchOffsets(String groupId, List<OffsetFetchRequestTopics> topics) {
        return offsets.fetchOffsets(groupId, topics);
    }

    public ShardResult<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData req) {
        return offsets.deleteOffsets(req);
    }

    // ---- group administration

    /** The groups for ListGroups, filtered by state (v4+) and type (v5+), case-insensitively. */
    public List<ListedGroup> listGroups(List<String> statesFilter, List<String> typesFilter) {
        Set<String> states = lower(statesFilter);
        Set<String> types = lower(typesFilter);
        if (!types.isEmpty() && !types.contains(CLASSIC_GROUP_TYPE)) {
            return List.of();
        }
        List<ListedGroup> out = new ArrayList<>();
        for (ClassicGroup g : groups.values()) {
            if (g.isIn(GroupState.DEAD)) {
                continue;
            }
            if (!states.isEmpty() && !states.contains(g.state().wireName().toLowerCase(Locale.ROOT))) {
                continue;
            }
            out.add(new ListedGroup()
                    .setGroupId(g.groupId())
                    .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                    .setGroupState(g.state().wireName())
                    .setGroupType(CLASSIC_GROUP_TYPE));
        }
        return out;
    }

    private static Set<String> lower(List<String> names) {
        return names == null
                ? Set.of()
                : names.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    /**
     * DescribeGroups for one group. Protocol, member metadata and assignments are given only
     * while Stable, as in Kafka; a group that does not exist is Dead, and from v6 also
     * GROUP_ID_NOT_FOUND (KIP-1043).
     */
    public DescribedGroup describeGroup(String groupId, short version) {
        if (!RebalanceProtocol.isValidGroupId(groupId)) {
            return Responses.describeError(groupId, Errors.INVALID_GROUP_ID);
        }
        ClassicGroup g = groups.get(groupId);
        if (g == null || g.isIn(GroupState.DEAD)) {
            DescribedGroup dead = new DescribedGroup()
                    .setGroupId(groupId)
                    .setGroupState(GroupState.DEAD.wireName())
                    .setProtocolType("")
                    .setProtocolData("");
            if (version >= 6) {
                dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code()).setErrorMessage("Group " + groupId + " not found.");
            }
            return dead;
        }
        boolean stable = g.isIn(GroupState.STABLE);
        DescribedGroup out = new DescribedGroup()
                .setGroupId(groupId)
                .setGroupState(g.state().wireName())
                .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                .setProtocolData(stable && g.protocolName() != null ? g.protocolName() : "");
        for (GroupMember m : g.members()) {
            out.members()
                    .add(new DescribedGroupMember()
                            .setMemberId(m.memberId())
                            .setGroupInstanceId(m.groupInstanceId())
                            .setClientId(m.clientId())
                            .setClientHost(m.clientHost())
                            .setMemberMetadata(stable ? m.metadata(g.protocolName()) : new byte[0])
                            .setMemberAssignment(stable ? m.assignment() : new byte[0]));
        }
        return out;
    }

    /**
     * Deletes an Empty group with its offsets: tombstones for every offset and the group, then
     * the group is Dead and forgotten. Groups with members get NON_EMPTY_GROUP.
     */
    public ShardResult<DeletableGroupResult> deleteGroup(String groupId) {
        if (!RebalanceProtocol.isValidGroupId(groupId)) {
            return ShardResult.of(Responses.deleteError(groupId, Errors.INVALID_GROUP_ID));
        }
        ClassicGroup g = groups.get(groupId);
        if (g == null || g.isIn(GroupState.DEAD)) {
            return ShardResult.of(Responses.deleteError(groupId, Errors.GROUP_ID_NOT_FOUND));
        }
        if (!g.isIn(GroupState.EMPTY)) {
            return ShardResult.of(Responses.deleteError(groupId, Errors.NON_EMPTY_GROUP));
        }
        List<GroupRecord> records = new ArrayList<>();
        for (TopicPartition tp : g.offsets().keySet()) {
            records.add(new OffsetCommit(groupId, tp, null));
        }
        records.add(new GroupMetadata(groupId, null));
        // Dead while the tombstones are written (Kafka's order): a member joining or a commit
        // meanwhile is told COORDINATOR_NOT_AVAILABLE and retries, instead of landing in a group
        // the log is about to delete.
        GroupSnapshot before = g.snapshot();
        g.markDead(clock.millis());
        return ShardResult.write(records, error -> {
            if (groups.get(groupId) == g) {
                if (error == Errors.NONE) {
                    groups.remove(groupId);
                } else {
                    // Not deleted: the group is back as it was.
                    ClassicGroup back = new ClassicGroup(groupId, clock.millis());
                    back.restore(before, clock.millis());
                    back.offsets().putAll(g.offsets());
                    groups.put(groupId, back);
                }
            }
            return Responses.deleteError(groupId, error);
        });
    }

    /** The number of groups, for tests and metrics. */
    int groupCount() {
        return groups.size();
    }

    /** The state of a group, or null if there is no such group; for tests. */
    GroupState stateOf(String groupId) {
        ClassicGroup g = groups.get(groupId);
        return g == null ? null : g.state();
    }
}
