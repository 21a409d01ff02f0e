package io.brook.broker.group;

import io.brook.broker.group.GroupRecord.GroupMetadata;
import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData.MemberResponse;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupRequestData.SyncGroupRequestAssignment;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic rebalance protocol of one shard: JoinGroup, SyncGroup, Heartbeat and LeaveGroup,
 * and the timers that drive them (the join phase, session expiry, members that got {@code
 * MEMBER_ID_REQUIRED} but never came back, members that never sent SyncGroup). See {@link
 * GroupState} for the transitions.
 *
 * <p>A rebalance: every member sends JoinGroup and the request is parked; once all known members
 * have rejoined (or the group's rebalance timeout, the largest of its members', has passed) the
 * next generation starts, members that did not rejoin are dropped, the protocol is chosen by vote
 * and every parked JoinGroup is answered, the leader's with the member list. Members then send
 * SyncGroup; the followers' are parked until the leader's brings the assignment, which is
 * persisted before anyone gets it. The first rebalance of an empty group waits {@code
 * group.initial.rebalance.delay.ms}, and again each time a member joined meanwhile, up to the
 * rebalance timeout.
 *
 * <p>Static members (KIP-345, JoinGroup v5+): a member that rejoins with a known {@code
 * group.instance.id} and no member id takes over the old member's place, assignment and
 * leadership under a new member id; the old id is fenced ({@code FENCED_INSTANCE_ID}). In a Stable
 * group with unchanged protocols there is no rebalance: the new id is persisted and the member
 * keeps its assignment, as in Kafka: only a change of the group's chosen protocol rebalances,
 * not a change of the member's subscription bytes.
 *
 * <p>Not thread-safe: confined to the shard's thread. Parked requests are futures this class
 * completes, possibly from a later operation or timer.
 */
final class RebalanceProtocol {

    private static final Logger LOG = LoggerFactory.getLogger(RebalanceProtocol.class);

    private final GroupConfig config;
    private final Clock clock;
    private final CoordinatorTimer timer;
    private final Map<String, ClassicGroup> groups;

    RebalanceProtocol(GroupConfig config, Clock clock, CoordinatorTimer timer, Map<String, ClassicGroup> groups) {
        this.config = config;
        this.clock = clock;
        this.timer = timer;
        this.groups = groups;
    }

    static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    // ---------------------------------------------------------------- JoinGroup

    ShardResult<Void> joinGroup(
            RequestContext ctx, JoinGroupRequestData req, CompletableFuture<JoinGroupResponseData> response) {
        short version = ctx.apiVersion();
        String memberId = req.memberId() == null ? "" : req.memberId();
        String instanceId = version >= 5 ? req.groupInstanceId() : null;
        int sessionTimeout = req.sessionTimeoutMs();
        // v0 has no rebalance timeout: the session timeout served for both.
        int rebalanceTimeout =
                version == 0 || req.rebalanceTimeoutMs() <= 0 ? sessionTimeout : req.rebalanceTimeoutMs();
        Join join = new Join(
                ctx,
                req.protocolType(),
                protocols(req),
                memberId,
                instanceId,
                sessionTimeout,
                rebalanceTimeout,
                response);

        if (!isValidGroupId(req.groupId())) {
            return join.fail(Errors.INVALID_GROUP_ID);
        }
        if (sessionTimeout < config.minSessionTimeoutMs() || sessionTimeout > config.maxSessionTimeoutMs()) {
            return join.fail(Errors.INVALID_SESSION_TIMEOUT);
        }
        ClassicGroup group = groups.get(req.groupId());
        if (group == null) {
            if (!memberId.isEmpty()) {
                return join.fail(Errors.UNKNOWN_MEMBER_ID);
            }
            group = new ClassicGroup(req.groupId(), clock.millis());
            groups.put(req.groupId(), group);
        }
        ShardResult.Builder out = new ShardResult.Builder();
        if (group.isIn(GroupState.DEAD)) {
            // Deleted meanwhile; the client looks the coordinator up again and retries.
            join.fail(Errors.COORDINATOR_NOT_AVAILABLE);
        } else if (memberId.isEmpty()) {
            joinUnknownMember(group, join, out);
        } else {
            joinKnownMember(group, join, out);
        }
        if (group.isIn(GroupState.PREPARING_REBALANCE)) {
            out.add(maybeCompleteJoin(group));
        }
        if (group.isDisposable()) {
            groups.remove(group.groupId());
        }
        return out.build();
    }

    private static LinkedHashMap<String, byte[]> protocols(JoinGroupRequestData req) {
        LinkedHashMap<String, byte[]> protocols = new LinkedHashMap<>();
        for (JoinGroupRequestProtocol p : req.protocols()) {
            protocols.putIfAbsent(p.name(), p.metadata());
        }
        return protocols;
    }

    /** A JoinGroup being handled. */
    private record Join(
            RequestContext ctx,
            String protocolType,
            LinkedHashMap<String, byte[]> protocols,
            String memberId,
            String instanceId,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            CompletableFuture<JoinGroupResponseData> response) {

        ShardResult<Void> fail(Errors error) {
            return fail(memberId, error);
        }

        ShardResult<Void> fail(String id, Errors error) {
            response.complete(Responses.joinError(ctx.apiVersion(), id, error));
            return ShardResult.empty();
        }
    }

    private void joinUnknownMember(ClassicGroup group, Join join, ShardResult.Builder out) {
        if (!group.supportsProtocols(join.protocolType(), join.protocols().keySet())) {
            join.fail(Errors.INCONSISTENT_GROUP_PROTOCOL);
            return;
        }
        String newMemberId =
                (join.instanceId() != null ? join.instanceId() : join.ctx().clientId()) + "-" + UUID.randomUUID();
        if (join.instanceId() != null) {
            String oldMemberId = group.staticMemberId(join.instanceId());
            if (oldMemberId != null) {
                out.add(replaceStaticMember(group, oldMemberId, newMemberId, join));
                return;
            }
        }
        if (group.size() + group.pendingMembers().size() >= config.maxGroupSize()) {
            join.fail(Errors.GROUP_MAX_SIZE_REACHED);
            return;
        }
        if (join.instanceId() == null && join.ctx().apiVersion() >= 4) {
            // KIP-394: hand out the id first, so that a client that times out and retries
            // rejoins under the same id instead of leaving a ghost member behind.
            group.pendingMembers().add(newMemberId);
            String groupId = group.groupId();
            timer.schedule(
                    pendingKey(groupId, newMemberId),
                    join.sessionTimeoutMs(),
                    () -> expirePendingMember(groupId, newMemberId));
            join.fail(newMemberId, Errors.MEMBER_ID_REQUIRED);
            return;
        }
        addMemberAndRebalance(group, newMemberId, join);
    }

    private void joinKnownMember(ClassicGroup group, Join join, ShardResult.Builder out) {
        String memberId = join.memberId();
        if (group.pendingMembers().contains(memberId)) {
            if (!group.supportsProtocols(join.protocolType(), join.protocols().keySet())) {
                join.fail(Errors.INCONSISTENT_GROUP_PROTOCOL);
                return;
            }
            timer.cancel(pendingKey(group.groupId(), memberId));
            addMemberAndRebalance(group, memberId, join);
            return;
        }
        Errors invalid = validateMember(group, memberId, join.instanceId());
        if (invalid != Errors.NONE) {
            join.fail(invalid);
            return;
        }
        if (!group.supportsProtocols(join.protocolType(), join.protocols().keySet())) {
            join.fail(Errors.INCONSISTENT_GROUP_PROTOCOL);
            return;
        }
        GroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, join);
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(join.protocols())) {
                    // It lost our JoinGroup response: answer again for the current generation.
                    join.response()
                            .complete(joinResponse(group, member, join.ctx().apiVersion(), false));
                    scheduleHeartbeat(group, member);
                } else {
                    updateMemberAndRebalance(group, member, join);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.sameProtocols(join.protocols())) {
                    // The leader rejoins to rebalance (e.g. its metadata of the topics changed).
                    updateMemberAndRebalance(group, member, join);
                } else {
                    join.response()
                            .complete(joinResponse(group, member, join.ctx().apiVersion(), false));
                    scheduleHeartbeat(group, member);
                }
            }
            case EMPTY, DEAD -> join.fail(Errors.UNKNOWN_MEMBER_ID);
        }
    }

    private void addMemberAndRebalance(ClassicGroup group, String memberId, Join join) {
        GroupMember member = new GroupMember(
                memberId,
                join.instanceId(),
                join.ctx().clientId(),
                join.ctx().clientHost(),
                join.rebalanceTimeoutMs(),
                join.sessionTimeoutMs(),
                join.protocolType(),
                join.protocols());
        member.awaitJoin(join.response(), join.ctx().apiVersion());
        group.add(member);
        if (group.isIn(GroupState.PREPARING_REBALANCE) && group.initialDelayRemainingMs() >= 0) {
            group.newMemberAdded(true);
        }
        scheduleHeartbeat(group, member);
        maybePrepareRebalance(group, "member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(ClassicGroup group, GroupMember member, Join join) {
        group.update(
                member,
                join.ctx().clientId(),
                join.ctx().clientHost(),
                join.rebalanceTimeoutMs(),
                join.sessionTimeoutMs(),
                join.protocols());
        // A duplicate JoinGroup replaces the parked one; the earlier request is answered so that
        // no future is left dangling.
        member.completeJoin(Responses.joinError(member.joinVersion(), member.memberId(), Errors.REBALANCE_IN_PROGRESS));
        member.awaitJoin(join.response(), join.ctx().apiVersion());
        maybePrepareRebalance(group, "member " + member.memberId() + " rejoined");
    }

    private ShardResult<Void> replaceStaticMember(
            ClassicGroup group, String oldMemberId, String newMemberId, Join join) {
        GroupMember old = group.member(oldMemberId);
        old.completeJoin(Responses.joinError(old.joinVersion(), oldMemberId, Errors.FENCED_INSTANCE_ID));
        old.completeSync(Responses.syncError(Errors.FENCED_INSTANCE_ID));
        timer.cancel(heartbeatKey(group.groupId(), oldMemberId));
        GroupMember member = old.withMemberId(newMemberId);
        group.replaceStaticMember(oldMemberId, member);
        LOG.info("Static member {} of group {} rejoined as {}", join.instanceId(), group.groupId(), newMemberId);

        group.update(
                member,
                join.ctx().clientId(),
                join.ctx().clientHost(),
                join.rebalanceTimeoutMs(),
                join.sessionTimeoutMs(),
                join.protocols());
        scheduleHeartbeat(group, member);
        // Kafka's rule (KIP-345): a rejoining static member triggers no rebalance unless the
        // group's protocol would change. Its subscription bytes usually differ (a cooperative
        // consumer's carry the partitions it owned, none after a restart), and comparing them
        // would rebalance on every restart, which is what static membership exists to avoid.
        boolean unchanged = group.protocolName() != null && group.protocolName().equals(group.selectProtocol());
        if (group.isIn(GroupState.STABLE) && unchanged) {
            short version = join.ctx().apiVersion();
            int generation = group.generationId();
            return ShardResult.write(List.of(metadataRecord(group)), error -> {
                if (error == Errors.NONE) {
                    // KIP-814: a v9+ leader gets the members but is told not to reassign.
                    join.response().complete(joinResponse(group, member, version, version >= 9));
                } else if (group.generationId() == generation && group.has(newMemberId)) {
                    LOG.warn("Could not persist static member {} of group {}: {}", newMemberId, group.groupId(), error);
                    timer.cancel(heartbeatKey(group.groupId(), newMemberId));
                    group.replaceStaticMember(newMemberId, old);
                    scheduleHeartbeat(group, old);
                    join.fail(newMemberId, storeError(error));
                } else {
                    join.fail(newMemberId, storeError(error));
                }
                return null;
            });
        }
        member.awaitJoin(join.response(), join.ctx().apiVersion());
        if (group.isIn(GroupState.STABLE) || group.isIn(GroupState.COMPLETING_REBALANCE)) {
            // In CompletingRebalance the leader may already be assigning to the old id.
            prepareRebalance(group, "static member " + join.instanceId() + " rejoined");
        }
        return ShardResult.empty();
    }

    private JoinGroupResponseData joinResponse(
            ClassicGroup group, GroupMember member, short version, boolean skipAssignment) {
        JoinGroupResponseData response = new JoinGroupResponseData()
                .setGenerationId(group.generationId())
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setLeader(group.leaderId())
                .setSkipAssignment(version >= 9 && skipAssignment)
                .setMemberId(member.memberId());
        if (group.isLeader(member.memberId())) {
            for (GroupMember m : group.members()) {
                response.members()
                        .add(new JoinGroupResponseMember()
                                .setMemberId(m.memberId())
                                .setGroupInstanceId(m.groupInstanceId())
                                .setMetadata(m.metadata(group.protocolName())));
            }
        }
        return response;
    }

    // ---------------------------------------------------------------- rebalances

    private void maybePrepareRebalance(ClassicGroup group, String reason) {
        if (GroupState.PREPARING_REBALANCE.validPreviousStates().contains(group.state())) {
            prepareRebalance(group, reason);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.isIn(GroupState.COMPLETING_REBALANCE)) {
            // Assignments handed to the leader are void: everyone must rejoin.
            for (GroupMember m : group.members()) {
                m.assignment(null);
                m.completeSync(Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
            }
        }
        String groupId = group.groupId();
        timer.cancel(syncKey(groupId));
        group.pendingSyncMembers().clear();
        boolean initial = group.isIn(GroupState.EMPTY);
        int rebalanceTimeout = group.rebalanceTimeoutMs();
        if (initial) {
            int delay = config.initialRebalanceDelayMs();
            group.initialDelayRemainingMs(Math.max(rebalanceTimeout - delay, 0));
            group.newMemberAdded(false);
            timer.schedule(joinKey(groupId), delay, () -> initialDelayExpired(groupId));
        } else {
            group.initialDelayRemainingMs(-1);
            timer.schedule(joinKey(groupId), rebalanceTimeout, () -> joinPhaseExpired(groupId));
        }
        group.transitionTo(GroupState.PREPARING_REBALANCE, clock.millis());
        LOG.info(
                "Preparing to rebalance group {} in state {} with old generation {}: {}",
                groupId,
                group.state().wireName(),
                group.generationId(),
                reason);
    }

    private ShardResult<Void> initialDelayExpired(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || !group.isIn(GroupState.PREPARING_REBALANCE)) {
            return ShardResult.empty();
        }
        long remaining = group.initialDelayRemainingMs();
        if (group.newMemberAdded() && remaining > 0) {
            // Someone joined during the delay: wait once more for stragglers, within the timeout.
            long delay = Math.min(config.initialRebalanceDelayMs(), remaining);
            group.initialDelayRemainingMs(Math.max(remaining - delay, 0));
            group.newMemberAdded(false);
            timer.schedule(joinKey(groupId), delay, () -> initialDelayExpired(groupId));
            return ShardResult.empty();
        }
        return completeJoin(group);
    }

    private ShardResult<Void> joinPhaseExpired(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || !group.isIn(GroupState.PREPARING_REBALANCE)) {
            return ShardResult.empty();
        }
        return completeJoin(group);
    }

    private ShardResult<Void> maybeCompleteJoin(ClassicGroup group) {
        if (group.isIn(GroupState.PREPARING_REBALANCE)
                && group.initialDelayRemainingMs() < 0
                && group.hasAllMembersJoined()) {
            return completeJoin(group);
        }
        return ShardResult.empty();
    }

    /** Ends the join phase: drops members that did not rejoin and starts the next generation. */
    private ShardResult<Void> completeJoin(ClassicGroup group) {
        String groupId = group.groupId();
        timer.cancel(joinKey(groupId));
        group.initialDelayRemainingMs(-1);
        for (GroupMember m : group.membersNotRejoined()) {
            LOG.info("Member {} of group {} did not rejoin in time; removing it", m.memberId(), groupId);
            timer.cancel(heartbeatKey(groupId, m.memberId()));
            group.remove(m.memberId());
        }
        group.initNextGeneration(clock.millis());
        if (group.isIn(GroupState.EMPTY)) {
            LOG.info("Group {} is empty at generation {}", groupId, group.generationId());
            return ShardResult.write(List.of(metadataRecord(group)), error -> {
                if (error != Errors.NONE) {
                    LOG.warn(
                            "Could not persist empty generation {} of group {}: {}",
                            group.generationId(),
                            groupId,
                            error);
                }
                return null;
            });
        }
        LOG.info(
                "Group {} starts generation {} with protocol {} and {} members",
                groupId,
                group.generationId(),
                group.protocolName(),
                group.size());
        for (GroupMember m : group.members()) {
            m.completeJoin(joinResponse(group, m, m.joinVersion(), false));
            scheduleHeartbeat(group, m);
        }
        int generation = group.generationId();
        timer.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), () -> syncPhaseExpired(groupId, generation));
        return ShardResult.empty();
    }

    /** Members that never sent SyncGroup for the generation are dropped, and the group rebalances. */
    private ShardResult<Void> syncPhaseExpired(String groupId, int generation) {
        ClassicGroup group = groups.get(groupId);
        if (group == null
                || group.generationId() != generation
                || !(group.isIn(GroupState.COMPLETING_REBALANCE) || group.isIn(GroupState.STABLE))
                || group.pendingSyncMembers().isEmpty()) {
            return ShardResult.empty();
        }
        for (String memberId : List.copyOf(group.pendingSyncMembers())) {
            LOG.info("Member {} of group {} did not sync in time; removing it", memberId, groupId);
            timer.cancel(heartbeatKey(groupId, memberId));
            group.remove(memberId);
        }
        prepareRebalance(group, "members did not send SyncGroup in time");
        return maybeCompleteJoin(group);
    }

    // ---------------------------------------------------------------- SyncGroup

    ShardResult<Void> syncGroup(
            RequestContext ctx, SyncGroupRequestData req, CompletableFuture<SyncGroupResponseData> response) {
        short version = ctx.apiVersion();
        String instanceId = version >= 3 ? req.groupInstanceId() : null;
        if (!isValidGroupId(req.groupId())) {
            return syncFail(response, Errors.INVALID_GROUP_ID);
        }
        ClassicGroup group = groups.get(req.groupId());
        if (group == null) {
            return syncFail(response, Errors.UNKNOWN_MEMBER_ID);
        }
        if (group.isIn(GroupState.DEAD)) {
            return syncFail(response, Errors.COORDINATOR_NOT_AVAILABLE);
        }
        Errors invalid = validateMember(group, req.memberId(), instanceId);
        if (invalid != Errors.NONE) {
            return syncFail(response, invalid);
        }
        if (req.generationId() != group.generationId()) {
            return syncFail(response, Errors.ILLEGAL_GENERATION);
        }
        if ((req.protocolType() != null && !req.protocolType().equals(group.protocolType()))
                || (req.protocolName() != null && !req.protocolName().equals(group.protocolName()))) {
            return syncFail(response, Errors.INCONSISTENT_GROUP_PROTOCOL);
        }
        GroupMember member = group.member(req.memberId());
        switch (group.state()) {
            case EMPTY -> {
                return syncFail(response, Errors.UNKNOWN_MEMBER_ID);
            }
            case PREPARING_REBALANCE -> {
                return syncFail(response, Errors.REBALANCE_IN_PROGRESS);
            }
            case COMPLETING_REBALANCE -> {
                member.completeSync(Responses.syncError(Errors.REBALANCE_IN_PROGRESS));
                member.awaitSync(response, version);
                markSynced(group, member);
                if (group.isLeader(member.memberId())) {
                    return persistAssignment(group, req.assignments());
                }
                return ShardResult.empty();
            }
            case STABLE -> {
                markSynced(group, member);
                response.complete(syncResponse(group, member.assignment()));
                return ShardResult.empty();
            }
            default -> {
                return syncFail(response, Errors.COORDINATOR_NOT_AVAILABLE);
            }
        }
    }

    private static ShardResult<Void> syncFail(CompletableFuture<SyncGroupResponseData> response, Errors error) {
        response.complete(Responses.syncError(error));
        return ShardResult.empty();
    }

    private static SyncGroupResponseData syncResponse(ClassicGroup group, byte[] assignment) {
        return new SyncGroupResponseData()
                .setProtocolType(group.protocolType())
                .setProtocolName(group.protocolName())
                .setAssignment(assignment);
    }

    private void markSynced(ClassicGroup group, GroupMember member) {
        scheduleHeartbeat(group, member);
        if (group.pendingSyncMembers().remove(member.memberId())
                && group.pendingSyncMembers().isEmpty()) {
            timer.cancel(syncKey(group.groupId()));
        }
    }

    /** Persists the leader's assignment; once written, every member gets its share and the group is Stable. */
    private ShardResult<Void> persistAssignment(ClassicGroup group, List<SyncGroupRequestAssignment> assignments) {
        Map<String, byte[]> byMember = new HashMap<>();
        for (SyncGroupRequestAssignment a : assignments) {
            if (group.has(a.memberId())) {
                byMember.put(a.memberId(), a.assignment());
            }
        }
        GroupSnapshot current = group.snapshot();
        List<MemberSnapshot> members = new ArrayList<>();
        for (MemberSnapshot m : current.members()) {
            members.add(new MemberSnapshot(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    m.subscription(),
                    byMember.getOrDefault(m.memberId(), new byte[0])));
        }
        GroupSnapshot next = new GroupSnapshot(
                current.protocolType(),
                current.generationId(),
                current.protocolName(),
                current.leaderId(),
                current.currentStateTimestampMs(),
                members);
        int generation = group.generationId();
        return ShardResult.write(List.of(new GroupMetadata(group.groupId(), next)), error -> {
            // A member may have rejoined while the write was in flight: that rebalance wins.
            if (!group.isIn(GroupState.COMPLETING_REBALANCE) || group.generationId() != generation) {
                return null;
            }
            if (error != Errors.NONE) {
                LOG.warn(
                        "Could not persist the assignment of group {} generation {}: {}",
                        group.groupId(),
                        generation,
                        error);
                Errors clientError = storeError(error);
                for (GroupMember m : group.members()) {
                    m.assignment(null);
                    m.completeSync(Responses.syncError(clientError));
                }
                maybePrepareRebalance(group, "the assignment could not be persisted");
                return null;
            }
            for (GroupMember m : group.members()) {
                m.assignment(byMember.get(m.memberId()));
                m.completeSync(syncResponse(group, m.assignment()));
            }
            group.transitionTo(GroupState.STABLE, clock.millis());
            LOG.info("Group {} is stable at generation {}", group.groupId(), generation);
            return null;
        });
    }

    // ---------------------------------------------------------------- Heartbeat

    Errors heartbeat(RequestContext ctx, String groupId, String memberId, String instanceId, int generationId) {
        if (!isValidGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isIn(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        Errors invalid = validateMember(group, memberId, ctx.apiVersion() >= 3 ? instanceId : null);
        if (invalid != Errors.NONE) {
            return invalid;
        }
        if (generationId != group.generationId()) {
            return Errors.ILLEGAL_GENERATION;
        }
        GroupMember member = group.member(memberId);
        return switch (group.state()) {
            case EMPTY, DEAD -> Errors.UNKNOWN_MEMBER_ID;
            case PREPARING_REBALANCE -> {
                scheduleHeartbeat(group, member);
                yield Errors.REBALANCE_IN_PROGRESS;
            }
            // After its JoinGroup response a member heartbeats while waiting for SyncGroup.
            case COMPLETING_REBALANCE, STABLE -> {
                scheduleHeartbeat(group, member);
                yield Errors.NONE;
            }
        };
    }

    /** Restarts a member's session timer, as a heartbeat does; used by offset commits too. */
    void touch(ClassicGroup group, String memberId) {
        GroupMember member = group.member(memberId);
        if (member != null) {
            scheduleHeartbeat(group, member);
        }
    }

    private void scheduleHeartbeat(ClassicGroup group, GroupMember member) {
        String groupId = group.groupId();
        String memberId = member.memberId();
        timer.schedule(
                heartbeatKey(groupId, memberId), member.sessionTimeoutMs(), () -> sessionExpired(groupId, memberId));
    }

    private ShardResult<Void> sessionExpired(String groupId, String memberId) {
        ClassicGroup group = groups.get(groupId);
        GroupMember member = group == null ? null : group.member(memberId);
        if (member == null) {
            return ShardResult.empty();
        }
        if (member.isAwaitingJoin() || member.isAwaitingSync()) {
            // Its request is parked here, so it is alive; the rebalance and sync timeouts bound the wait.
            scheduleHeartbeat(group, member);
            return ShardResult.empty();
        }
        LOG.info("Member {} of group {} has failed: session timeout expired", memberId, groupId);
        ShardResult.Builder out = new ShardResult.Builder();
        removeMemberAndUpdateGroup(group, member, "session timeout of " + memberId + " expired", out);
        return out.build();
    }

    private ShardResult<Void> expirePendingMember(String groupId, String memberId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || !group.pendingMembers().remove(memberId)) {
            return ShardResult.empty();
        }
        LOG.info("Pending member {} of group {} did not rejoin in time", memberId, groupId);
        ShardResult<Void> result = maybeCompleteJoin(group);
        if (group.isDisposable()) {
            groups.remove(groupId);
        }
        return result;
    }

    // ---------------------------------------------------------------- LeaveGroup

    ShardResult<LeaveGroupResponseData> leaveGroup(RequestContext ctx, LeaveGroupRequestData req) {
        short version = ctx.apiVersion();
        List<MemberIdentity> leaving = version >= 3
                ? req.members()
                : List.of(new MemberIdentity().setMemberId(req.memberId()).setGroupInstanceId(null));
        if (!isValidGroupId(req.groupId())) {
            return ShardResult.of(Responses.leaveError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup group = groups.get(req.groupId());
        if (group == null) {
            return ShardResult.of(Responses.leaveError(Errors.UNKNOWN_MEMBER_ID));
        }
        if (group.isIn(GroupState.DEAD)) {
            return ShardResult.of(Responses.leaveError(Errors.COORDINATOR_NOT_AVAILABLE));
        }
        ShardResult.Builder out = new ShardResult.Builder();
        List<MemberResponse> results = new ArrayList<>();
        for (MemberIdentity identity : leaving) {
            Errors error = leaveOne(group, identity, out);
            results.add(new MemberResponse()
                    .setMemberId(identity.memberId())
                    .setGroupInstanceId(identity.groupInstanceId())
                    .setErrorCode(error.code()));
        }
        if (group.isDisposable()) {
            groups.remove(group.groupId());
        }
        LeaveGroupResponseData response = new LeaveGroupResponseData();
        if (version >= 3) {
            response.setMembers(results);
        } else {
            response.setErrorCode(results.get(0).errorCode());
        }
        return out.build(error -> response);
    }

    private Errors leaveOne(ClassicGroup group, MemberIdentity identity, ShardResult.Builder out) {
        String memberId = identity.memberId() == null ? "" : identity.memberId();
        String instanceId = identity.groupInstanceId();
        if (memberId.isEmpty() && instanceId != null) {
            // KIP-345 admin removal of a static member by instance id alone.
            memberId = group.staticMemberId(instanceId);
            if (memberId == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
        } else if (group.pendingMembers().remove(memberId)) {
            timer.cancel(pendingKey(group.groupId(), memberId));
            out.add(maybeCompleteJoin(group));
            return Errors.NONE;
        } else {
            Errors invalid = validateMember(group, memberId, instanceId);
            if (invalid != Errors.NONE) {
                return invalid;
            }
        }
        removeMemberAndUpdateGroup(group, group.member(memberId), "member " + memberId + " left", out);
        return Errors.NONE;
    }

    private void removeMemberAndUpdateGroup(
            ClassicGroup group, GroupMember member, String reason, ShardResult.Builder out) {
        member.completeJoin(Responses.joinError(member.joinVersion(), member.memberId(), Errors.UNKNOWN_MEMBER_ID));
        member.completeSync(Responses.syncError(Errors.UNKNOWN_MEMBER_ID));
        timer.cancel(heartbeatKey(group.groupId(), member.memberId()));
        group.remove(member.memberId());
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> {
                prepareRebalance(group, reason);
                out.add(maybeCompleteJoin(group));
            }
            case PREPARING_REBALANCE -> out.add(maybeCompleteJoin(group));
            case EMPTY, DEAD -> {}
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** After loading: restarts the session timers of persisted members. */
    void onLoaded() {
        for (ClassicGroup group : groups.values()) {
            for (GroupMember m : group.members()) {
                scheduleHeartbeat(group, m);
            }
        }
    }

    /** The partition moved away: parked requests learn they must find the new coordinator. */
    void onUnloaded() {
        for (ClassicGroup group : groups.values()) {
            for (GroupMember m : group.members()) {
                m.completeJoin(Responses.joinError(m.joinVersion(), m.memberId(), Errors.NOT_COORDINATOR));
                m.completeSync(Responses.syncError(Errors.NOT_COORDINATOR));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    /** UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID when the request does not come from a current member. */
    static Errors validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String current = group.staticMemberId(instanceId);
            if (current == null) {
                return Errors.UNKNOWN_MEMBER_ID;
            }
            if (!current.equals(memberId)) {
                return Errors.FENCED_INSTANCE_ID;
            }
        }
        return memberId != null && group.has(memberId) ? Errors.NONE : Errors.UNKNOWN_MEMBER_ID;
    }

    static GroupMetadata metadataRecord(ClassicGroup group) {
        return new GroupMetadata(group.groupId(), group.snapshot());
    }

    /** What a client is told when persisting group metadata failed (Kafka's mapping). */
    static Errors storeError(Errors appendError) {
        return switch (appendError) {
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.UNKNOWN_SERVER_ERROR;
            default -> appendError;
        };
    }

    static String joinKey(String groupId) {
        return "join\u0000" + groupId;
    }

    static String syncKey(String groupId) {
        return "sync\u0000" + groupId;
    }

    static String heartbeatKey(String groupId, String memberId) {
        return "heartbeat\u0000" + groupId + "\u0000" + memberId;
    }

    static String pendingKey(String groupId, String memberId) {
        return "pending\u0000" + groupId + "\u0000" + memberId;
    }
}
