package io.brook.broker.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a classic consumer group (Kafka's {@code ClassicGroupState}). The transitions:
 *
 * <pre>
 * from                 to                   when
 * -------------------  -------------------  ---------------------------------------------------
 * Empty                PreparingRebalance   a member joins
 * Empty                Dead                 DeleteGroups removed the group
 * PreparingRebalance   CompletingRebalance  every known member rejoined (or the rebalance timeout
 *                                           passed): the next generation starts, the leader gets
 *                                           the member list
 * PreparingRebalance   Empty                the join phase ended with no members; the empty
 *                                           generation is persisted
 * CompletingRebalance  Stable               the leader's SyncGroup assignment was persisted
 * CompletingRebalance  PreparingRebalance   a member joins, changes its protocols, leaves, expires
 *                                           or does not sync in time, or persisting failed
 * Stable               PreparingRebalance   a new member joins, the leader or a member with new
 *                                           protocols rejoins, a member leaves or expires
 * any                  Dead                 the group is deleted, or its partition moved away
 * </pre>
 *
 * On load a group starts Stable (persisted members) or Empty (none), whatever state it was in:
 * a rebalance in flight when the coordinator moved is redone by the clients.
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name ListGroups and DescribeGroups send, as Kafka spells it. */
    public String wireName() {
        return wireName;
    }

    /** The states a group may move to this one from, per the table above. */
    Set<GroupState> validPreviousStates() {
        return switch (this) {
            case EMPTY -> EnumSet.of(PREPARING_REBALANCE);
            case PREPARING_REBALANCE -> EnumSet.of(EMPTY, STABLE, COMPLETING_REBALANCE);
            case COMPLETING_REBALANCE -> EnumSet.of(PREPARING_REBALANCE);
            case STABLE -> EnumSet.of(COMPLETING_REBALANCE);
            case DEAD -> EnumSet.of(EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD);
        };
    }
}
