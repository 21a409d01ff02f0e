package io.brook.broker.group;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;

/**
 * A member of a classic group: its identity, timeouts, the protocols it supports (in its order of
 * preference) with their metadata, its assignment, and its parked JoinGroup or SyncGroup request
 * while a rebalance is under way.
 *
 * <p>Not thread-safe: confined to the shard's thread.
 */
final class GroupMember {

    private static final byte[] EMPTY = new byte[0];

    private final String memberId;
    private final String groupInstanceId;
    private String clientId;
    private String clientHost;
    private int rebalanceTimeoutMs;
    private int sessionTimeoutMs;
    private final String protocolType;
    private LinkedHashMap<String, byte[]> protocols;
    private byte[] assignment = EMPTY;

    private CompletableFuture<JoinGroupResponseData> awaitingJoin;
    private short joinVersion;
    private CompletableFuture<SyncGroupResponseData> awaitingSync;
    private short syncVersion;

    GroupMember(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            String protocolType,
            LinkedHashMap<String, byte[]> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocolType = protocolType;
        this.protocols = protocols;
    }

    /** The same member under a new member id: a static member that rejoined without its id. */
    GroupMember withMemberId(String newMemberId) {
        GroupMember copy = new GroupMember(
                newMemberId,
                groupInstanceId,
                clientId,
                clientHost,
                rebalanceTimeoutMs,
                sessionTimeoutMs,
                protocolType,
                protocols);
        copy.assignment = assignment;
        return copy;
    }

    String memberId() {
        return memberId;
    }

    String groupInstanceId() {
        return groupInstanceId;
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    String clientId() {
        return clientId;
    }

    String clientHost() {
        return clientHost;
    }

    int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    String protocolType() {
        return protocolType;
    }

    Set<String> protocolNames() {
        return protocols.keySet();
    }

    LinkedHashMap<String, byte[]> protocols() {
        return protocols;
    }

    /** This member's metadata for {@code protocol}, or empty bytes if it does not support it. */
    byte[] metadata(String protocol) {
        byte[] m = protocol == null ? null : protocols.get(protocol);
        return m == null ? EMPTY : m;
    }

    /** Whether {@code other} lists the same protocols, in the same order, with the same metadata. */
    boolean sameProtocols(Map<String, byte[]> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        Iterator<Map.Entry<String, byte[]>> a = protocols.entrySet().iterator();
        Iterator<Map.Entry<String, byte[]>> b = other.entrySet().iterator();
        while (a.hasNext()) {
            Map.Entry<String, byte[]> x = a.next();
            Map.Entry<String, byte[]> y = b.next();
            if (!x.getKey().equals(y.getKey()) || !Arrays.equals(x.getValue(), y.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** This member's vote: the first protocol in its order of preference among {@code candidates}. */
    String vote(List<String> candidates) {
        for (String p : protocols.keySet()) {
            if (candidates.contains(p)) {
                return p;
            }
        }
        throw new IllegalStateException("Member " + memberId + " supports none of " + candidates);
    }

    void update(
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            LinkedHashMap<String, byte[]> protocols) {
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = protocols;
    }

    byte[] assignment() {
        return assignment;
    }

    void assignment(byte[] assignment) {
        this.assignment = assignment == null ? EMPTY : assignment;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    void awaitJoin(CompletableFuture<JoinGroupResponseData> future, short version) {
        this.awaitingJoin = future;
        this.joinVersion = version;
    }

    short joinVersion() {
        return joinVersion;
    }

    /** Answers the parked JoinGroup, if any; returns whether there was one. */
    boolean completeJoin(JoinGroupResponseData response) {
        CompletableFuture<JoinGroupResponseData> f = awaitingJoin;
        awaitingJoin = null;
        return f != null && f.complete(response);
    }

    void awaitSync(CompletableFuture<SyncGroupResponseData> future, short version) {
        this.awaitingSync = future;
        this.syncVersion = version;
    }

    short syncVersion() {
        return syncVersion;
    }

    /** Answers the parked SyncGroup, if any; returns whether there was one. */
    boolean completeSync(SyncGroupResponseData response) {
        CompletableFuture<SyncGroupResponseData> f = awaitingSync;
        awaitingSync = null;
        return f != null && f.complete(response);
    }
}
