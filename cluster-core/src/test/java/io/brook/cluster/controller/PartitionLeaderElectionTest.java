package io.brook.cluster.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.metadata.PartitionState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One test per row of the transition table in {@link PartitionLeaderElection}'s javadoc. */
class PartitionLeaderElectionTest {

    static final List<Integer> REPLICAS = List.of(3, 1, 2);

    static Optional<PartitionState> next(Optional<PartitionState> current, Set<Integer> live) {
        return PartitionLeaderElection.next(REPLICAS, current, live, 7);
    }

    static Optional<PartitionState> state(int leader, int epoch, List<Integer> isr) {
        return Optional.of(new PartitionState(leader, epoch, isr, 5, 4));
    }

    @Test
    void aNewPartitionIsLedByItsFirstLiveReplicaWithTheLiveReplicasInSync() {
        assertThat(next(Optional.empty(), Set.of(1, 2)))
                .contains(new PartitionState(1, 0, List.of(1, 2), 7, PartitionState.NEW));
    }

    @Test
    void aNewPartitionWithoutLiveReplicasWaits() {
        assertThat(next(Optional.empty(), Set.of(9))).isEmpty();
    }

    @Test
    void aLiveLeaderWithALiveIsrStays() {
        assertThat(next(state(3, 2, List.of(3, 1, 2)), Set.of(1, 2, 3))).isEmpty();
    }

    @Test
    void aDeadFollowerLeavesTheIsrWithoutAnEpochBump() {
        assertThat(next(state(3, 2, List.of(3, 1, 2)), Set.of(2, 3)))
                .contains(new PartitionState(3, 2, List.of(3, 2), 7, 4));
    }

    @Test
    void aDeadLeaderIsReplacedByTheFirstLiveIsrMemberInAssignmentOrder() {
        assertThat(next(state(3, 2, List.of(2, 3, 1)), Set.of(1, 2)))
                .contains(new PartitionState(1, 3, List.of(2, 1), 7, 4));
    }

    @Test
    void withNoLiveIsrMemberThePartitionGoesOfflineKeepingItsIsr() {
        assertThat(next(state(3, 2, List.of(3)), Set.of(1, 2)))
                .contains(new PartitionState(PartitionState.NO_LEADER, 3, List.of(3), 7, 4));
    }

    @Test
    void anOfflinePartitionStaysOfflineUntilAnIsrMemberReturnsThenLeadsWithANewEpoch() {
        Optional<PartitionState> offline = state(PartitionState.NO_LEADER, 3, List.of(3));
        assertThat(next(offline, Set.of(1, 2))).as("no unclean election").isEmpty();
        assertThat(next(offline, Set.of(1, 2, 3))).contains(new PartitionState(3, 4, List.of(3), 7, 4));
    }
}
