package io.brook.cluster.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.controller.PartitionLeaderElection.Brokers;
import io.brook.cluster.controller.PartitionLeaderElection.Demand;
import io.brook.cluster.controller.PartitionLeaderElection.Election;
import io.brook.cluster.controller.PartitionLeaderElection.Kind;
import io.brook.cluster.metadata.PartitionState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.protocol.Errors;
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

    // ---- unclean election -----------------------------------------------------------------

    static Optional<Election> next(Optional<PartitionState> current, Brokers brokers, boolean unclean) {
        return PartitionLeaderElection.next(REPLICAS, current, brokers, unclean, 7);
    }

    @Test
    void withUncleanElectionOnADeadIsrGivesWayToTheFirstLiveReplicaAlone() {
        assertThat(next(state(3, 2, List.of(3)), Brokers.live(Set.of(1, 2)), true))
                .contains(new Election(new PartitionState(1, 3, List.of(1), 7, 4), Kind.UNCLEAN));
    }

    @Test
    void withUncleanElectionOnAnOfflinePartitionGetsALeaderAtOnce() {
        assertThat(next(state(PartitionState.NO_LEADER, 3, List.of(3)), Brokers.live(Set.of(2)), true))
                .contains(new Election(new PartitionState(2, 4, List.of(2), 7, 4), Kind.UNCLEAN));
    }

    @Test
    void withUncleanElectionOffAnOfflinePartitionStaysOffline() {
        assertThat(next(state(PartitionState.NO_LEADER, 3, List.of(3)), Brokers.live(Set.of(1, 2)), false))
                .isEmpty();
    }

    @Test
    void uncleanElectionStillPrefersALiveIsrMember() {
        assertThat(next(state(3, 2, List.of(3, 2)), Brokers.live(Set.of(1, 2)), true))
                .contains(new Election(new PartitionState(2, 3, List.of(2), 7, 4), Kind.CLEAN));
    }

    // ---- controlled shutdown --------------------------------------------------------------

    @Test
    void aLeaderShuttingDownHandsOverToTheNextIsrMemberAndLeavesTheIsr() {
        assertThat(next(state(3, 2, List.of(3, 1, 2)), new Brokers(Set.of(1, 2, 3), Set.of(3)), false))
                .contains(new Election(new PartitionState(1, 3, List.of(1, 2), 7, 4), Kind.CONTROLLED_SHUTDOWN));
    }

    @Test
    void aFollowerShuttingDownLeavesTheIsr() {
        assertThat(next(state(3, 2, List.of(3, 1, 2)), new Brokers(Set.of(1, 2, 3), Set.of(2)), false))
                .contains(new Election(new PartitionState(3, 2, List.of(3, 1), 7, 4), Kind.ISR_CHANGE));
    }

    @Test
    void aLeaderShuttingDownWithNoOtherIsrMemberKeepsLeadingUntilItStops() {
        Brokers brokers = new Brokers(Set.of(1, 2, 3), Set.of(3));
        assertThat(next(state(3, 2, List.of(3)), brokers, false)).isEmpty();
        assertThat(next(state(3, 2, List.of(3)), brokers, true))
                .as("not unclean either")
                .isEmpty();
    }

    @Test
    void aBrokerShuttingDownIsNotMadeLeaderOfANewPartition() {
        assertThat(next(Optional.empty(), new Brokers(Set.of(1, 2, 3), Set.of(3)), false))
                .contains(new Election(new PartitionState(1, 0, List.of(1, 2), 7, PartitionState.NEW), Kind.NEW));
    }

    // ---- preferred and on-demand unclean election ----------------------------------------

    @Test
    void preferredElectionMovesLeadershipToTheFirstReplicaWhenItIsInSync() {
        assertThat(PartitionLeaderElection.preferred(
                        REPLICAS, state(1, 2, List.of(1, 3)).get(), Brokers.live(Set.of(1, 2, 3)), 7))
                .isEqualTo(Demand.elect(new PartitionState(3, 3, List.of(1, 3), 7, 4)));
    }

    @Test
    void preferredElectionIsNotNeededWhenThePreferredReplicaLeads() {
        assertThat(PartitionLeaderElection.preferred(
                                REPLICAS, state(3, 2, List.of(3)).get(), Brokers.live(Set.of(3)), 7)
                        .error())
                .isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    @Test
    void preferredElectionNeedsThePreferredReplicaLiveAndInSync() {
        assertThat(PartitionLeaderElection.preferred(
                                REPLICAS, state(1, 2, List.of(1)).get(), Brokers.live(Set.of(1, 3)), 7)
                        .error())
                .as("not in the ISR")
                .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(PartitionLeaderElection.preferred(
                                REPLICAS, state(1, 2, List.of(1, 3)).get(), Brokers.live(Set.of(1)), 7)
                        .error())
                .as("not live")
                .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(PartitionLeaderElection.preferred(
                                REPLICAS, state(1, 2, List.of(1, 3)).get(), new Brokers(Set.of(1, 3), Set.of(3)), 7)
                        .error())
                .as("shutting down")
                .isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
    }

    @Test
    void uncleanElectionOnDemandElectsAnyLiveReplicaOfALeaderlessPartition() {
        PartitionState offline = state(PartitionState.NO_LEADER, 3, List.of(3)).get();
        assertThat(PartitionLeaderElection.uncleanOnDemand(REPLICAS, offline, Brokers.live(Set.of(2)), 7))
                .isEqualTo(Demand.elect(new PartitionState(2, 4, List.of(2), 7, 4)));
        assertThat(PartitionLeaderElection.uncleanOnDemand(REPLICAS, offline, Brokers.live(Set.of(9)), 7)
                        .error())
                .isEqualTo(Errors.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        assertThat(PartitionLeaderElection.uncleanOnDemand(
                                REPLICAS, state(1, 3, List.of(1)).get(), Brokers.live(Set.of(1)), 7)
                        .error())
                .isEqualTo(Errors.ELECTION_NOT_NEEDED);
    }

    // ---- reassignment ---------------------------------------------------------------------

    @Test
    void aReassignmentWaitsUntilEveryTargetReplicaIsInSync() {
        assertThat(PartitionLeaderElection.completeReassignment(
                        List.of(4, 5), state(3, 2, List.of(3, 4)).get(), Brokers.live(Set.of(3, 4, 5)), 7))
                .isEmpty();
    }

    @Test
    void aReassignmentEndsWithATargetReplicaLeadingAndTheIsrCutToTheTarget() {
        assertThat(PartitionLeaderElection.completeReassignment(
                        List.of(4, 5), state(3, 2, List.of(3, 5, 4)).get(), Brokers.live(Set.of(3, 4, 5)), 7))
                .contains(new PartitionState(4, 3, List.of(5, 4), 7, 4));
    }

    @Test
    void aReassignmentKeepingTheLeaderOnlyCutsTheIsr() {
        assertThat(PartitionLeaderElection.completeReassignment(
                        List.of(3, 5), state(3, 2, List.of(3, 1, 5)).get(), Brokers.live(Set.of(1, 3, 5)), 7))
                .contains(new PartitionState(3, 2, List.of(3, 5), 7, 4));
    }

    @Test
    void aCancelledReassignmentGoesBackToTheOriginalReplicas() {
        assertThat(PartitionLeaderElection.revertReassignment(
                        List.of(1, 2), state(4, 5, List.of(4, 2)).get(), Brokers.live(Set.of(1, 2, 4)), 7))
                .isEqualTo(new PartitionState(2, 6, List.of(2), 7, 4));
    }
}
