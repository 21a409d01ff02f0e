package io.brook.cluster.admin;

import io.brook.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Plans the partition reassignment that spreads replicas over the brokers after some were added
 * (or replaced): a pure function of the current assignment and the live brokers, applied with
 * AlterPartitionReassignments ({@code ./brook reassign}). Three steps, each greedy and
 * deterministic (partitions in topic, partition order; brokers by id on ties):
 *
 * <ol>
 *   <li>A replica on a broker that is not live moves to the live broker with the fewest replicas
 *       that the partition may use.
 *   <li>While the broker with the most replicas has two or more than the one with the fewest, one
 *       replica moves from the first to the second (to the next-fewest if the partition is already
 *       there, or if the move would narrow the partition's racks). A follower moves before a
 *       preferred leader. Every move lowers the excess by one, so the number of replicas moved is
 *       the smallest that evens the counts: {@code max(Σ above ceil(R/n), Σ below floor(R/n))}
 *       without rack constraints.
 *   <li>While preferred-leader counts (first replicas) differ by two or more, a partition whose
 *       preferred leader is on the broker with the most swaps its first replica with one on a
 *       broker with at least two fewer, or a shortest chain of such swaps reaches one. This
 *       reorders replicas and moves no data.
 * </ol>
 *
 * <p>A new replica takes the place of the one it replaces in the list, so preferred leaders stay
 * put unless step 3 moves them. Replicas of one partition always stay on distinct brokers. Racks
 * are considered only when every live broker has one (as in {@link ReplicaAssignor}): a move never
 * leaves a partition on fewer racks than before.
 *
 * <p>Threading: stateless.
 */
public final class ReassignmentPlanner {

    /** One partition's change. */
    public record Move(TopicPartition partition, List<Integer> current, List<Integer> proposed) {

        public Move {
            current = List.copyOf(current);
            proposed = List.copyOf(proposed);
        }

        /** Replicas placed on brokers that did not hold one (data to copy). */
        public int replicasMoved() {
            return (int) proposed.stream().filter(b -> !current.contains(b)).count();
        }

        public boolean leaderChanged() {
            return !current.get(0).equals(proposed.get(0));
        }
    }

    /** The moves, in topic and partition order. */
    public record Plan(List<Move> moves) {

        public Plan {
            moves = List.copyOf(moves);
        }

        public int replicasMoved() {
            return moves.stream().mapToInt(Move::replicasMoved).sum();
        }

        public boolean isEmpty() {
            return moves.isEmpty();
        }

        /** partition → proposed replicas. */
        public Map<TopicPartition, List<Integer>> targets() {
            Map<TopicPartition, List<Integer>> targets = new LinkedHashMap<>();
            moves.forEach(m -> targets.put(m.partition(), m.proposed()));
            return targets;
        }
    }

    private static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private ReassignmentPlanner() {}

    /**
     * @param assignment every partition to balance, with its current replicas
     * @param brokers the live brokers to spread over
     */
    public static Plan plan(Map<TopicPartition, List<Integer>> assignment, List<BrokerRegistration> brokers) {
        if (brokers.isEmpty()) {
            return new Plan(List.of());
        }
        Map<Integer, String> racks = new TreeMap<>();
        boolean racked = brokers.stream().allMatch(b -> b.rack().isPresent());
        brokers.forEach(b -> racks.put(b.id(), racked ? b.rack().orElseThrow() : ""));
        TreeMap<TopicPartition, List<Integer>> work = new TreeMap<>(ORDER);
        assignment.forEach((tp, replicas) -> work.put(tp, new ArrayList<>(replicas)));
        Map<Integer, Integer> counts = new TreeMap<>();
        racks.keySet().forEach(b -> counts.put(b, 0));
        work.values().forEach(rs -> rs.forEach(b -> counts.computeIfPresent(b, (k, c) -> c + 1)));

        // 1. off brokers that are not live
        for (Map.Entry<TopicPartition, List<Integer>> e : work.entrySet()) {
            List<Integer> replicas = e.getValue();
            for (int i = 0; i < replicas.size(); i++) {
                if (!racks.containsKey(replicas.get(i))) {
                    int gone = replicas.get(i);
                    Optional<Integer> to = byCount(counts).stream()
                            .filter(b -> canReplace(replicas, gone, b, racks))
                            .findFirst();
                    if (to.isPresent()) {
                        replicas.set(i, to.get());
                        counts.merge(to.get(), 1, Integer::sum);
                    }
                }
            }
        }

        // 2. even replica counts
        int guard = work.values().stream().mapToInt(List::size).sum() + 1;
        while (guard-- > 0 && !moveOne(work, counts, racks)) {
            // moveOne returns true when balanced or stuck
        }

        // 3. even preferred-leader counts
        Map<Integer, Integer> leaders = new TreeMap<>();
        racks.keySet().forEach(b -> leaders.put(b, 0));
        work.values().forEach(rs -> leaders.computeIfPresent(rs.get(0), (k, c) -> c + 1));
        guard = work.size() * racks.size() + 1;
        while (guard-- > 0 && !swapOne(work, leaders)) {
            // swapOne returns true when balanced or stuck
        }

        List<Move> moves = new ArrayList<>();
        for (Map.Entry<TopicPartition, List<Integer>> e : work.entrySet()) {
            List<Integer> current = assignment.get(e.getKey());
            if (!current.equals(e.getValue())) {
                moves.add(new Move(e.getKey(), current, e.getValue()));
            }
        }
        return new Plan(moves);
    }

    /** @return true if there is nothing (more) to do */
    private static boolean moveOne(
            TreeMap<TopicPartition, List<Integer>> work, Map<Integer, Integer> counts, Map<Integer, String> racks) {
        List<Integer> ascending = byCount(counts);
        int from = ascending.get(ascending.size() - 1);
        for (int to : ascending) {
            if (counts.get(from) - counts.get(to) < 2) {
                return true;
            }
            // followers first, then preferred leaders
            for (boolean leader : new boolean[] {false, true}) {
                for (List<Integer> replicas : work.values()) {
                    int i = replicas.indexOf(from);
                    if (i < 0 || (i == 0) != leader || !canReplace(replicas, from, to, racks)) {
                        continue;
                    }
                    replicas.set(i, to);
                    counts.merge(from, -1, Integer::sum);
                    counts.merge(to, 1, Integer::sum);
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Moves one preferred leadership from the broker with the most to one with at least two
     * fewer, along the shortest chain of swaps (a partition led by A with a replica on B hands
     * its lead to B, one led by B to C, ...): only the ends of the chain change counts.
     *
     * @return true if there is nothing (more) to do
     */
    private static boolean swapOne(TreeMap<TopicPartition, List<Integer>> work, Map<Integer, Integer> leaders) {
        List<Integer> ascending = byCount(leaders);
        int from = ascending.get(ascending.size() - 1);
        // breadth-first over brokers; via.get(b) is the partition whose lead b takes
        Map<Integer, TopicPartition> via = new LinkedHashMap<>();
        Map<Integer, Integer> parent = new LinkedHashMap<>();
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(from));
        parent.put(from, from);
        while (!queue.isEmpty()) {
            int u = queue.poll();
            for (Map.Entry<TopicPartition, List<Integer>> e : work.entrySet()) {
                List<Integer> replicas = e.getValue();
                if (replicas.get(0) != u) {
                    continue;
                }
                for (int v : replicas.subList(1, replicas.size())) {
                    if (parent.containsKey(v) || !leaders.containsKey(v)) {
                        continue;
                    }
                    parent.put(v, u);
                    via.put(v, e.getKey());
                    if (leaders.get(from) - leaders.get(v) >= 2) {
                        for (int b = v; b != from; b = parent.get(b)) {
                            List<Integer> rs = work.get(via.get(b));
                            int leader = rs.get(0);
                            rs.set(rs.indexOf(b), leader);
                            rs.set(0, b);
                        }
                        leaders.merge(from, -1, Integer::sum);
                        leaders.merge(v, 1, Integer::sum);
                        return false;
                    }
                    queue.add(v);
                }
            }
        }
        return true;
    }

    /** Broker ids by ascending count, then id. */
    private static List<Integer> byCount(Map<Integer, Integer> counts) {
        List<Integer> ids = new ArrayList<>(counts.keySet());
        ids.sort(Comparator.<Integer>comparingInt(counts::get).thenComparing(Comparator.naturalOrder()));
        return ids;
    }

    /** Whether {@code to} may take {@code from}'s place: not there yet, and no rack lost. */
    private static boolean canReplace(List<Integer> replicas, int from, int to, Map<Integer, String> racks) {
        if (replicas.contains(to)) {
            return false;
        }
        Set<String> before = new HashSet<>();
        Set<String> after = new HashSet<>();
        for (int b : replicas) {
            before.add(racks.getOrDefault(b, "?" + b));
            after.add(b == from ? racks.get(to) : racks.getOrDefault(b, "?" + b));
        }
        long knownBefore = before.stream().filter(r -> !r.startsWith("?")).count();
        return after.size() >= Math.min(knownBefore, before.size());
    }
}
