package io.brook.cluster.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.admin.ReassignmentPlanner.Plan;
import io.brook.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReassignmentPlannerTest {

    static List<BrokerRegistration> brokers(int n) {
        List<BrokerRegistration> brokers = new ArrayList<>();
        for (int id = 1; id <= n; id++) {
            brokers.add(new BrokerRegistration(id, List.of(), Optional.empty()));
        }
        return brokers;
    }

    static Map<TopicPartition, List<Integer>> assign(
            String topic, List<BrokerRegistration> brokers, int partitions, int rf) {
        Map<TopicPartition, List<Integer>> result = new TreeMap<>(
                java.util.Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        new ReplicaAssignor(new Random(1))
                .assign(brokers, partitions, rf, 0, 0)
                .forEach((p, r) -> result.put(new TopicPartition(topic, p), r));
        return result;
    }

    static Map<TopicPartition, List<Integer>> apply(Map<TopicPartition, List<Integer>> current, Plan plan) {
        Map<TopicPartition, List<Integer>> after = new HashMap<>(current);
        after.putAll(plan.targets());
        return after;
    }

    static Map<Integer, Integer> replicaCounts(Map<TopicPartition, List<Integer>> assignment, int brokers) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int b = 1; b <= brokers; b++) {
            counts.put(b, 0);
        }
        assignment.values().forEach(rs -> rs.forEach(b -> counts.merge(b, 1, Integer::sum)));
        return counts;
    }

    static Map<Integer, Integer> leaderCounts(Map<TopicPartition, List<Integer>> assignment, int brokers) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (int b = 1; b <= brokers; b++) {
            counts.put(b, 0);
        }
        assignment.values().forEach(rs -> counts.merge(rs.get(0), 1, Integer::sum));
        return counts;
    }

    static void assertEven(Map<Integer, Integer> counts) {
        assertThat(Collections.max(counts.values()) - Collections.min(counts.values()))
                .as("%s", counts)
                .isLessThanOrEqualTo(1);
    }

    static void assertDistinctReplicas(Map<TopicPartition, List<Integer>> assignment) {
        assignment.forEach(
                (tp, rs) -> assertThat(new HashSet<>(rs)).as("%s %s", tp, rs).hasSameSizeAs(rs));
    }

    @Test
    void aNewBrokerGetsItsShareOfReplicasAndLeadersWithTheFewestMoves() {
        Map<TopicPartition, List<Integer>> current = assign("orders", brokers(3), 6, 2);

        Plan plan = ReassignmentPlanner.plan(current, brokers(4));

        Map<TopicPartition, List<Integer>> after = apply(current, plan);
        assertEven(replicaCounts(after, 4));
        assertEven(leaderCounts(after, 4));
        assertDistinctReplicas(after);
        assertThat(plan.replicasMoved())
                .as("12 replicas over 4 brokers: the new one needs 3")
                .isEqualTo(3);
        assertThat(replicaCounts(after, 4)).containsEntry(4, 3);
    }

    @Test
    void aBalancedClusterNeedsNoMoves() {
        Map<TopicPartition, List<Integer>> current = assign("orders", brokers(3), 6, 3);

        assertThat(ReassignmentPlanner.plan(current, brokers(3)).isEmpty()).isTrue();
    }

    @Test
    void replicasOnABrokerThatIsGoneMoveToLiveOnes() {
        Map<TopicPartition, List<Integer>> current = assign("orders", brokers(3), 3, 2);

        Plan plan = ReassignmentPlanner.plan(current, brokers(3).subList(0, 2));

        Map<TopicPartition, List<Integer>> after = apply(current, plan);
        assertThat(after.values()).allMatch(rs -> !rs.contains(3));
        assertDistinctReplicas(after);
    }

    @Test
    void movesKeepEachPartitionOnAsManyRacksAsBefore() {
        List<BrokerRegistration> before = List.of(
                new BrokerRegistration(1, List.of(), Optional.of("a")),
                new BrokerRegistration(2, List.of(), Optional.of("b")));
        Map<TopicPartition, List<Integer>> current = assign("orders", before, 8, 2);
        List<BrokerRegistration> after = new ArrayList<>(before);
        after.add(new BrokerRegistration(3, List.of(), Optional.of("a")));
        after.add(new BrokerRegistration(4, List.of(), Optional.of("b")));
        Map<Integer, String> rackOf = Map.of(1, "a", 2, "b", 3, "a", 4, "b");

        Plan plan = ReassignmentPlanner.plan(current, after);

        Map<TopicPartition, List<Integer>> result = apply(current, plan);
        result.values()
                .forEach(rs -> assertThat(rs.stream().map(rackOf::get).distinct())
                        .as("%s", rs)
                        .hasSize(2));
        assertEven(replicaCounts(result, 4));
        assertEven(leaderCounts(result, 4));
    }

    @Test
    void randomClustersEndEvenWithTheSmallestNumberOfReplicaMoves() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int before = 1 + random.nextInt(5);
            int added = random.nextInt(4);
            int rf = 1 + random.nextInt(before);
            Map<TopicPartition, List<Integer>> current = new HashMap<>();
            for (int t = 0; t < 1 + random.nextInt(3); t++) {
                current.putAll(assign("t" + t, brokers(before), 1 + random.nextInt(12), rf));
            }
            int n = before + added;

            Plan plan = ReassignmentPlanner.plan(current, brokers(n));

            Map<TopicPartition, List<Integer>> after = apply(current, plan);
            assertEven(replicaCounts(after, n));
            assertEven(leaderCounts(after, n));
            assertDistinctReplicas(after);
            int total = current.values().stream().mapToInt(List::size).sum();
            int floor = total / n;
            int ceil = (total + n - 1) / n;
            int above = 0;
            int below = 0;
            for (int count : replicaCounts(current, n).values()) {
                above += Math.max(0, count - ceil);
                below += Math.max(0, floor - count);
            }
            assertThat(plan.replicasMoved()).as("round %d", round).isEqualTo(Math.max(above, below));
        }
    }
}
