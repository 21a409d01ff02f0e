package io.brook.cluster.controller;

import io.brook.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller's decisions for one partition, as pure functions of its replica assignment, its
 * current state and the brokers (no ZooKeeper, so they are tested on their own). Kafka's
 * ZooKeeper-mode {@code PartitionStateMachine} and its election strategies (offline, controlled
 * shutdown, preferred replica, reassignment).
 *
 * <p>"Eligible" means live (registered) and not shutting down ({@link Brokers}): Kafka's {@code
 * isReplicaOnline} without shutting-down brokers. The regular decision, {@link #next}:
 *
 * <table>
 *   <caption>Transitions (L = leader, E = leader epoch)</caption>
 *   <tr><th>current state</th><th>condition</th><th>next state</th></tr>
 *   <tr><td>none</td><td>a replica is eligible</td><td>L = first eligible replica in assignment
 *       order, E = 0, ISR = eligible replicas</td></tr>
 *   <tr><td>none</td><td>none eligible</td><td>none (wait: Kafka's NewPartition)</td></tr>
 *   <tr><td>L eligible</td><td>every ISR member eligible</td><td>unchanged</td></tr>
 *   <tr><td>L eligible</td><td>an ISR member is not</td><td>ISR = eligible ISR members, L and E
 *       unchanged (the znode version changes; as in KRaft, only a change of leader bumps
 *       E)</td></tr>
 *   <tr><td>L live but shutting down</td><td>another ISR member eligible</td><td>L = first
 *       eligible ISR member in assignment order, E + 1, ISR = eligible ISR members (controlled
 *       shutdown)</td></tr>
 *   <tr><td>L live but shutting down</td><td>no other ISR member eligible</td><td>L stays (it
 *       serves until it stops, then the partition goes offline); other non-eligible members
 *       leave the ISR</td></tr>
 *   <tr><td>L not live, or L = -1</td><td>an ISR member is eligible</td><td>L = first eligible ISR
 *       member in assignment order, E + 1, ISR = eligible ISR members</td></tr>
 *   <tr><td>L not live, or L = -1</td><td>no ISR member eligible, unclean election on, a replica
 *       eligible</td><td>L = first eligible replica in assignment order, E + 1, ISR = [L]
 *       (unclean: what the ISR had beyond L's log is lost)</td></tr>
 *   <tr><td>L not live</td><td>no ISR member eligible, no unclean election</td><td>L = -1
 *       (offline), E + 1, ISR unchanged, so that the last in-sync replica can lead again when it
 *       returns</td></tr>
 *   <tr><td>L = -1</td><td>no ISR member eligible, no unclean election</td><td>unchanged (stays
 *       offline)</td></tr>
 * </table>
 *
 * <p>On demand (ElectLeaders) and by the periodic rebalance, {@link #preferred} moves leadership
 * to the first replica of the assignment; {@link #uncleanOnDemand} elects a leader for a
 * partition without one, from the ISR if it can and from any replica if not. A reassignment
 * ends with {@link #completeReassignment} (or {@link #revertReassignment} when cancelled).
 *
 * <p>Threading: stateless.
 */
final class PartitionLeaderElection {

    /** Why a state was written: logged, and counted for unclean elections. */
    enum Kind {
        NEW,
        ISR_CHANGE,
        CLEAN,
        UNCLEAN,
        CONTROLLED_SHUTDOWN,
        OFFLINE,
        PREFERRED
    }

    /** A state to write and why. */
    record Election(PartitionState state, Kind kind) {}

    /** The brokers as the controller sees them. */
    record Brokers(Set<Integer> live, Set<Integer> shuttingDown) {

        Brokers {
            live = Set.copyOf(live);
            shuttingDown = Set.copyOf(shuttingDown);
        }

        static Brokers live(Set<Integer> live) {
            return new Brokers(live, Set.of());
        }

        boolean isLive(int broker) {
            return live.contains(broker);
        }

        /** Live and not shutting down: may lead and be in sync. */
        boolean isEligible(int broker) {
            return live.contains(broker) && !shuttingDown.contains(broker);
        }
    }

    /**
     * An answer to an election asked for by ElectLeaders: the state to write, or Kafka's error for
     * the partition ({@code ELECTION_NOT_NEEDED}, {@code PREFERRED_LEADER_NOT_AVAILABLE}, {@code
     * ELIGIBLE_LEADERS_NOT_AVAILABLE}).
     */
    record Demand(Optional<PartitionState> state, Errors error, String message) {

        static Demand elect(PartitionState state) {
            return new Demand(Optional.of(state), Errors.NONE, null);
        }

        static Demand refuse(Errors error, String message) {
            return new Demand(Optional.empty(), error, message);
        }
    }

    private PartitionLeaderElection() {}

    /** {@link #next(List, Optional, Brokers, boolean, int)} without shutdowns or unclean election. */
    static Optional<PartitionState> next(
            List<Integer> replicas, Optional<PartitionState> current, Set<Integer> live, int controllerEpoch) {
        return next(replicas, current, Brokers.live(live), false, controllerEpoch)
                .map(Election::state);
    }

    /**
     * @param uncleanAllowed the topic's {@code unclean.leader.election.enable}
     * @return the state to write and why, or empty if the current one stands
     */
    static Optional<Election> next(
            List<Integer> replicas,
            Optional<PartitionState> current,
            Brokers brokers,
            boolean uncleanAllowed,
            int controllerEpoch) {
        if (current.isEmpty()) {
            List<Integer> eligible =
                    replicas.stream().filter(brokers::isEligible).toList();
            if (eligible.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Election(
                    new PartitionState(eligible.get(0), 0, eligible, controllerEpoch, PartitionState.NEW), Kind.NEW));
        }
        PartitionState state = current.get();
        List<Integer> eligibleIsr =
                state.isr().stream().filter(brokers::isEligible).toList();
        if (state.hasLeader() && brokers.isEligible(state.leader())) {
            if (eligibleIsr.size() == state.isr().size()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Election(state(state, state.leader(), 0, eligibleIsr, controllerEpoch), Kind.ISR_CHANGE));
        }
        if (!eligibleIsr.isEmpty()) {
            int leader = inAssignmentOrder(replicas, eligibleIsr).get(0);
            boolean shuttingDown = state.hasLeader() && brokers.isLive(state.leader());
            return Optional.of(new Election(
                    state(state, leader, 1, eligibleIsr, controllerEpoch),
                    shuttingDown ? Kind.CONTROLLED_SHUTDOWN : Kind.CLEAN));
        }
        if (state.hasLeader() && brokers.isLive(state.leader())) {
            // the leader is shutting down and no one else is in sync: it serves until it goes
            List<Integer> liveIsr = state.isr().stream()
                    .filter(b -> b == state.leader() || brokers.isEligible(b))
                    .toList();
            if (liveIsr.size() == state.isr().size()) {
                return Optional.empty();
            }
            return Optional.of(
                    new Election(state(state, state.leader(), 0, liveIsr, controllerEpoch), Kind.ISR_CHANGE));
        }
        if (uncleanAllowed) {
            Optional<Integer> replica =
                    replicas.stream().filter(brokers::isEligible).findFirst();
            if (replica.isPresent()) {
                return Optional.of(new Election(
                        state(state, replica.get(), 1, List.of(replica.get()), controllerEpoch), Kind.UNCLEAN));
            }
        }
        if (state.hasLeader()) {
            return Optional.of(new Election(
                    state(state, PartitionState.NO_LEADER, 1, state.isr(), controllerEpoch), Kind.OFFLINE));
        }
        return Optional.empty();
    }

    /**
     * A preferred-replica election (Kafka's {@code PreferredReplicaPartitionLeaderElectionStrategy}):
     * the first replica of the assignment leads if it is eligible and in the ISR.
     */
    static Demand preferred(List<Integer> replicas, PartitionState state, Brokers brokers, int controllerEpoch) {
        int preferred = replicas.get(0);
        if (state.leader() == preferred) {
            return Demand.refuse(Errors.ELECTION_NOT_NEEDED, "Leader is already the preferred replica.");
        }
        if (!brokers.isEligible(preferred) || !state.isr().contains(preferred)) {
            return Demand.refuse(
                    Errors.PREFERRED_LEADER_NOT_AVAILABLE,
                    "Failed to elect leader for partition: the preferred replica " + preferred
                            + " is not alive or not in the isr " + state.isr() + ".");
        }
        return Demand.elect(state(state, preferred, 1, state.isr(), controllerEpoch));
    }

    /**
     * An unclean election asked for by ElectLeaders (Kafka's {@code ElectionType.UNCLEAN}): only
     * for a partition whose leader is gone; an eligible ISR member if there is one, else the first
     * eligible replica, whatever the topic's {@code unclean.leader.election.enable}.
     */
    static Demand uncleanOnDemand(List<Integer> replicas, PartitionState state, Brokers brokers, int controllerEpoch) {
        if (state.hasLeader() && brokers.isLive(state.leader())) {
            return Demand.refuse(Errors.ELECTION_NOT_NEEDED, "The partition has a live leader.");
        }
        Optional<Election> election = next(replicas, Optional.of(state), brokers, true, controllerEpoch);
        if (election.isEmpty() || !election.get().state().hasLeader()) {
            return Demand.refuse(
                    Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE, "No replica of the partition is alive: " + replicas + ".");
        }
        return Demand.elect(election.get().state());
    }

    /**
     * The last step of a reassignment, once every target replica is in the ISR: ISR = ISR ∩
     * target, and, if the leader is not a live target replica, the first eligible target ISR
     * member leads (E + 1).
     *
     * @return the state to write with {@code replicas = target}, or empty while the target
     *     replicas are not all in sync (or none of them may lead)
     */
    static Optional<PartitionState> completeReassignment(
            List<Integer> target, PartitionState state, Brokers brokers, int controllerEpoch) {
        if (!state.isr().containsAll(target)) {
            return Optional.empty();
        }
        List<Integer> isr = state.isr().stream().filter(target::contains).toList();
        if (target.contains(state.leader()) && brokers.isLive(state.leader())) {
            return Optional.of(state(state, state.leader(), 0, isr, controllerEpoch));
        }
        return target.stream()
                .filter(b -> isr.contains(b) && brokers.isEligible(b))
                .findFirst()
                .map(leader -> state(state, leader, 1, isr, controllerEpoch));
    }

    /**
     * A cancelled reassignment goes back to its original replicas: ISR = ISR ∩ original, and a
     * leader that is not an original replica hands over to the first eligible original ISR member
     * (E + 1), or the partition goes offline if there is none.
     */
    static PartitionState revertReassignment(
            List<Integer> original, PartitionState state, Brokers brokers, int controllerEpoch) {
        List<Integer> isr = state.isr().stream().filter(original::contains).toList();
        if (original.contains(state.leader()) && brokers.isLive(state.leader())) {
            return state(state, state.leader(), 0, isr, controllerEpoch);
        }
        return original.stream()
                .filter(b -> isr.contains(b) && brokers.isEligible(b))
                .findFirst()
                .map(leader -> state(state, leader, 1, isr, controllerEpoch))
                .orElseGet(() ->
                        state(state, PartitionState.NO_LEADER, 1, isr.isEmpty() ? state.isr() : isr, controllerEpoch));
    }

    private static PartitionState state(
            PartitionState current, int leader, int epochIncrement, List<Integer> isr, int controllerEpoch) {
        return new PartitionState(
                leader, current.leaderEpoch() + epochIncrement, isr, controllerEpoch, current.zkVersion());
    }

    /** {@code members} ordered as in {@code replicas} (the preferred order), others after. */
    static List<Integer> inAssignmentOrder(List<Integer> replicas, List<Integer> members) {
        List<Integer> ordered = new ArrayList<>();
        for (int replica : replicas) {
            if (members.contains(replica)) {
                ordered.add(replica);
            }
        }
        for (int member : members) {
            if (!ordered.contains(member)) {
                ordered.add(member);
            }
        }
        return ordered;
    }
}
