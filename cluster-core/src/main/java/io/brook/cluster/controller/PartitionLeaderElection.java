package io.brook.cluster.controller;

import io.brook.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The controller's decision for one partition, as a pure function of its replica assignment, its
 * current state and the live brokers (no ZooKeeper, so it is tested on its own). Kafka's
 * ZooKeeper-mode {@code PartitionStateMachine} with the offline-partition leader election and
 * unclean election off:
 *
 * <table>
 *   <caption>Transitions (L = leader, E = leader epoch, live = registered brokers)</caption>
 *   <tr><th>current state</th><th>condition</th><th>next state</th></tr>
 *   <tr><td>none</td><td>a replica is live</td><td>L = first live replica in assignment order,
 *       E = 0, ISR = live replicas</td></tr>
 *   <tr><td>none</td><td>no replica live</td><td>none (wait: Kafka's NewPartition)</td></tr>
 *   <tr><td>L live</td><td>every ISR member live</td><td>unchanged</td></tr>
 *   <tr><td>L live</td><td>an ISR member is not</td><td>ISR = ISR ∩ live, L and E unchanged (the
 *       znode version changes; as in KRaft, only a change of leader bumps E)</td></tr>
 *   <tr><td>L not live, or L = -1</td><td>an ISR member is live</td><td>L = first live ISR
 *       member in assignment order, E + 1, ISR = ISR ∩ live</td></tr>
 *   <tr><td>L not live</td><td>no ISR member live</td><td>L = -1 (offline), E + 1, ISR unchanged,
 *       so that the last in-sync replica can lead again when it returns</td></tr>
 *   <tr><td>L = -1</td><td>no ISR member live</td><td>unchanged (stays offline: no unclean
 *       election)</td></tr>
 * </table>
 *
 * <p>Threading: stateless.
 */
final class PartitionLeaderElection {

    private PartitionLeaderElection() {}

    /**
     * @return the state to write, or empty if the current one stands
     */
    static Optional<PartitionState> next(
            List<Integer> replicas, Optional<PartitionState> current, Set<Integer> live, int controllerEpoch) {
        if (current.isEmpty()) {
            List<Integer> liveReplicas =
                    replicas.stream().filter(live::contains).toList();
            if (liveReplicas.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(
                    new PartitionState(liveReplicas.get(0), 0, liveReplicas, controllerEpoch, PartitionState.NEW));
        }
        PartitionState state = current.get();
        List<Integer> liveIsr = state.isr().stream().filter(live::contains).toList();
        if (state.hasLeader() && live.contains(state.leader())) {
            if (liveIsr.size() == state.isr().size()) {
                return Optional.empty();
            }
            return Optional.of(new PartitionState(
                    state.leader(), state.leaderEpoch(), liveIsr, controllerEpoch, state.zkVersion()));
        }
        if (!liveIsr.isEmpty()) {
            int leader = inAssignmentOrder(replicas, liveIsr).get(0);
            return Optional.of(
                    new PartitionState(leader, state.leaderEpoch() + 1, liveIsr, controllerEpoch, state.zkVersion()));
        }
        if (state.hasLeader()) {
            return Optional.of(new PartitionState(
                    PartitionState.NO_LEADER,
                    state.leaderEpoch() + 1,
                    state.isr(),
                    controllerEpoch,
                    state.zkVersion()));
        }
        return Optional.empty();
    }

    /** {@code members} ordered as in {@code replicas} (the preferred order), others after. */
    private static List<Integer> inAssignmentOrder(List<Integer> replicas, List<Integer> members) {
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
