package io.brook.broker.group;

import io.brook.broker.group.GroupRecord.GroupSnapshot;
import io.brook.broker.group.GroupRecord.MemberSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * A classic group's state: its {@link GroupState}, generation, chosen protocol, leader, members
 * and committed offsets. A group exists while it has members, a persisted generation or offsets.
 *
 * <p>Only the shard changes it, and it checks nothing but the state transition table; the
 * protocol rules live in {@link RebalanceProtocol}.
 *
 * <p>Not thread-safe: confined to the shard's thread.
 */
final class ClassicGroup {

    static final Comparator<TopicPartition> PARTITION_ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private long stateTimestampMs;
    private int generationId;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    /** group.instance.id to the member id that currently holds it. */
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined with them yet. */
    private final Set<String> pendingMembers = new HashSet<>();
    /** Members of the current generation that have not sent SyncGroup yet. */
    private final Set<String> pendingSyncMembers = new HashSet<>();
    /** For each protocol, how many members support it. */
    private final Map<String, Integer> protocolSupport = new HashMap<>();

    private final TreeMap<TopicPartition, OffsetAndMetadata> offsets = new TreeMap<>(PARTITION_ORDER);

    /** Milliseconds of the initial rebalance delay still left, or -1 outside an initial delay. */
    private long initialDelayRemainingMs = -1;
    /** Whether a member joined during the current step of the initial delay. */
    private boolean newMemberAdded;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    String groupId() {
        return groupId;
    }

    GroupState state() {
        return state;
    }

    boolean isIn(GroupState s) {
        return state == s;
    }

    long stateTimestampMs() {
        return stateTimestampMs;
    }

    void transitionTo(GroupState target, long nowMs) {
        if (!target.validPreviousStates().contains(state)) {
            throw new IllegalStateException(
                    "Group " + groupId + " cannot move from " + state.wireName() + " to " + target.wireName());
        }
        state = target;
        stateTimestampMs = nowMs;
    }

    int generationId() {
        return generationId;
    }

    String protocolType() {
        return protocolType;
    }

    String protocolName() {
        return protocolName;
    }

    String leaderId() {
        return leaderId;
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    // ---- members

    Collection<GroupMember> members() {
        return members.values();
    }

    int size() {
        return members.size();
    }

    GroupMember member(String memberId) {
        return members.get(memberId);
    }

    boolean has(String memberId) {
        return members.containsKey(memberId);
    }

    String staticMemberId(String groupInstanceId) {
        return groupInstanceId == null ? null : staticMembers.get(groupInstanceId);
    }

    void add(GroupMember member) {
        if (members.isEmpty()) {
            protocolType = member.protocolType();
        }
        members.put(member.memberId(), member);
        member.protocolNames().forEach(p -> protocolSupport.merge(p, 1, Integer::sum));
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
        pendingMembers.remove(member.memberId());
    }

    void remove(String memberId) {
        GroupMember m = members.remove(memberId);
        if (m == null) {
            return;
        }
        m.protocolNames().forEach(p -> protocolSupport.merge(p, -1, Integer::sum));
        if (m.isStatic() && memberId.equals(staticMembers.get(m.groupInstanceId()))) {
            staticMembers.remove(m.groupInstanceId());
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Changes a member's protocols and settings, keeping the protocol support counts right. */
    void update(
            GroupMember m,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            LinkedHashMap<String, byte[]> protocols) {
        m.protocolNames().forEach(p -> protocolSupport.merge(p, -1, Integer::sum));
        m.update(clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocols);
        m.protocolNames().forEach(p -> protocolSupport.merge(p, 1, Integer::sum));
    }

    /**
     * Puts {@code replacement} (a static member under a new member id) where the member with
     * {@code oldMemberId} was, keeping its place, its leadership and its assignment.
     */
    void replaceStaticMember(String oldMemberId, GroupMember replacement) {
        LinkedHashMap<String, GroupMember> copy = new LinkedHashMap<>(members);
        members.clear();
        copy.forEach((id, m) -> members.put(
                id.equals(oldMemberId) ? replacement.memberId() : id, id.equals(oldMemberId) ? replacement : m));
        staticMembers.put(replacement.groupInstanceId(), replacement.memberId());
        if (oldMemberId.equals(leaderId)) {
            leaderId = replacement.memberId();
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(replacement.memberId());
        }
    }

    Set<String> pendingMembers() {
        return pendingMembers;
    }

    Set<String> pendingSyncMembers() {
        return pendingSyncMembers;
    }

    /** The rebalance timeout of the group: the largest of its members'. */
    int rebalanceTimeoutMs() {
        return members.values().stream()
                .mapToInt(GroupMember::rebalanceTimeoutMs)
                .max()
                .orElse(0);
    }

    boolean hasAllMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::isAwaitingJoin);
    }

    List<GroupMember> membersNotRejoined() {
        return members.values().stream().filter(m -> !m.isAwaitingJoin()).toList();
    }

    /**
     * Whether a member with these protocols may join: an empty group takes any non-empty set;
     * otherwise the protocol type must match and one protocol must be supported by every member.
     */
    boolean supportsProtocols(String memberProtocolType, Collection<String> memberProtocols) {
        if (isIn(GroupState.EMPTY) || members.isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !memberProtocols.isEmpty();
        }
        return memberProtocolType.equals(protocolType)
                && memberProtocols.stream().anyMatch(p -> protocolSupport.getOrDefault(p, 0) == members.size());
    }

    /**
     * The protocol of the next generation: among the protocols every member supports, the one
     * most members prefer (each votes for its first supported candidate); ties go to the
     * candidate the oldest member prefers.
     */
    String selectProtocol() {
        if (members.isEmpty()) {
            throw new IllegalStateException("Cannot select a protocol for empty group " + groupId);
        }
        GroupMember first = members.values().iterator().next();
        List<String> candidates = first.protocolNames().stream()
                .filter(p -> protocolSupport.getOrDefault(p, 0) == members.size())
                .toList();
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        members.values().forEach(m -> votes.merge(m.vote(candidates), 1, Integer::sum));
        String best = null;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (best == null || e.getValue() > votes.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /** Starts the next generation; with no members the group becomes Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            pendingSyncMembers.clear();
            pendingSyncMembers.addAll(members.keySet());
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            transitionTo(GroupState.EMPTY, nowMs);
        }
    }

    long initialDelayRemainingMs() {
        return initialDelayRemainingMs;
    }

    void initialDelayRemainingMs(long ms) {
        this.initialDelayRemainingMs = ms;
    }

    boolean newMemberAdded() {
        return newMemberAdded;
    }

    void newMemberAdded(boolean added) {
        this.newMemberAdded = added;
    }

    // ---- persistence

    /** The group as its metadata record persists it. */
    GroupSnapshot snapshot() {
        List<MemberSnapshot> ms = new ArrayList<>();
        for (GroupMember m : members.values()) {
            ms.add(new MemberSnapshot(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    m.metadata(protocolName),
                    m.assignment()));
        }
        return new GroupSnapshot(
                protocolType == null ? "" : protocolType, generationId, protocolName, leaderId, stateTimestampMs, ms);
    }

    /** Replaces membership with what a metadata record says: Stable with members, else Empty. */
    void restore(GroupSnapshot s, long nowMs) {
        members.clear();
        staticMembers.clear();
        pendingMembers.clear();
        pendingSyncMembers.clear();
        protocolSupport.clear();
        generationId = s.generationId();
        protocolType = s.protocolType();
        protocolName = s.protocolName();
        for (MemberSnapshot m : s.members()) {
            LinkedHashMap<String, byte[]> protocols = new LinkedHashMap<>();
            protocols.put(s.protocolName(), m.subscription());
            GroupMember member = new GroupMember(
                    m.memberId(),
                    m.groupInstanceId(),
                    m.clientId(),
                    m.clientHost(),
                    m.rebalanceTimeoutMs(),
                    m.sessionTimeoutMs(),
                    s.protocolType(),
                    protocols);
            member.assignment(m.assignment());
            add(member);
        }
        leaderId = s.leaderId();
        state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        stateTimestampMs = s.currentStateTimestampMs() >= 0 ? s.currentStateTimestampMs() : nowMs;
    }

    /** Whether the group was never persisted and holds nothing: it can be forgotten. */
    boolean isDisposable() {
        return isIn(GroupState.EMPTY)
                && generationId == 0
                && members.isEmpty()
                && pendingMembers.isEmpty()
                && offsets.isEmpty();
    }

    void markDead(long nowMs) {
        transitionTo(GroupState.DEAD, nowMs);
    }

    // ---- offsets

    TreeMap<TopicPartition, OffsetAndMetadata> offsets() {
        return offsets;
    }
}
