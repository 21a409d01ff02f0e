package io.brook.cluster.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.junit.jupiter.api.Test;

class ReplicaAssignorTest {

    final ReplicaAssignor assignor = new ReplicaAssignor(new Random(42));

    static List<BrokerRegistration> brokers(String... racks) {
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (int i = 0; i < racks.length; i++) {
            brokers.add(new BrokerRegistration(i + 1, List.of(), Optional.ofNullable(racks[i])));
        }
        return brokers;
    }

    @Test
    void withoutRacksLeadersGoRoundRobinFromTheStartIndexAndFollowersAfterThem() {
        Map<Integer, List<Integer>> assignment = assignor.assign(brokers(null, null, null), 4, 2, 0, 0);

        // Kafka's AdminUtils gives the same for start index 0, shift 0
        assertThat(assignment)
                .containsExactly(
                        Map.entry(0, List.of(1, 2)),
                        Map.entry(1, List.of(2, 3)),
                        Map.entry(2, List.of(3, 1)),
                        Map.entry(3, List.of(1, 3)));
    }

    @Test
    void everyPartitionHasDistinctReplicasAndLeadersAreSpreadEvenly() {
        Map<Integer, List<Integer>> assignment = assignor.assign(brokers(null, null, null, null), 12, 3, 0, -1);

        Map<Integer, Integer> leaders = new HashMap<>();
        assignment.values().forEach(r -> {
            assertThat(new HashSet<>(r)).hasSize(3);
            leaders.merge(r.get(0), 1, Integer::sum);
        });
        assertThat(leaders.values()).containsOnly(3);
    }

    @Test
    void withRacksEachPartitionSpansAsManyRacksAsItCan() {
        List<BrokerRegistration> brokers = brokers("a", "a", "b", "b", "c", "c");
        Map<String, String> rackOf = Map.of("1", "a", "2", "a", "3", "b", "4", "b", "5", "c", "6", "c");

        Map<Integer, List<Integer>> assignment = assignor.assign(brokers, 12, 3, 0, -1);

        assignment.values().forEach(replicas -> {
            Set<String> racks = new HashSet<>();
            replicas.forEach(b -> racks.add(rackOf.get(Integer.toString(b))));
            assertThat(racks).as("racks of %s", replicas).hasSize(3);
        });
        Map<Integer, List<Integer>> two = assignor.assign(brokers, 6, 2, 0, -1);
        two.values()
                .forEach(replicas -> assertThat(rackOf.get(replicas.get(0).toString()))
                        .isNotEqualTo(rackOf.get(replicas.get(1).toString())));
    }

    @Test
    void newPartitionsAreNumberedAfterTheExistingOnes() {
        assertThat(assignor.assign(brokers(null, null), 2, 1, 3, 0).keySet()).containsExactly(3, 4);
    }

    @Test
    void aReplicationFactorAboveTheBrokersIsRefused() {
        assertThatThrownBy(() -> assignor.assign(brokers(null, null), 1, 3, 0, -1))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessage("Replication factor: 3 larger than available brokers: 2.");
    }
}
