package io.brook.cluster.metadata;

import java.util.List;

/**
 * Leader and in-sync replicas of one partition, as {@code
 * /brokers/topics/<topic>/partitions/<p>/state} holds them, plus the znode's version, which every
 * update must name ({@code setData(path, bytes, zkVersion)}) so that of two concurrent writers
 * exactly one wins (Kafka's {@code LeaderAndIsr.partitionEpoch}, which in ZooKeeper mode was this
 * same version). Immutable.
 *
 * @param leader the leading broker, or {@link #NO_LEADER} while no in-sync replica is live
 * @param leaderEpoch incremented on every change of leader (KIP-101, KIP-279), so that replicas
 *     and fetchers can fence a stale leader
 * @param controllerEpoch the epoch of the controller that wrote this state
 * @param zkVersion the znode version this state was read at; {@link #NEW} before it exists
 */
public record PartitionState(int leader, int leaderEpoch, List<Integer> isr, int controllerEpoch, int zkVersion) {

    /** Kafka's "no leader" (the partition is offline). */
    public static final int NO_LEADER = -1;

    /** The zkVersion of a state not yet written. */
    public static final int NEW = -1;

    public PartitionState {
        isr = List.copyOf(isr);
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    /** The same state at another znode version (after a write). */
    public PartitionState withZkVersion(int version) {
        return new PartitionState(leader, leaderEpoch, isr, controllerEpoch, version);
    }

    /**
     * Whether the two states agree in everything but the znode version and the writing
     * controller's epoch, that is, whether the change matters to a replica.
     */
    public boolean sameLeaderAndIsr(PartitionState other) {
        return other != null && leader == other.leader && leaderEpoch == other.leaderEpoch && isr.equals(other.isr);
    }
}
