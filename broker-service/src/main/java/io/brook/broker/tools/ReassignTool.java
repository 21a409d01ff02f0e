package io.brook.broker.tools;

import io.brook.cluster.admin.ReassignmentPlanner;
import io.brook.cluster.admin.ReassignmentPlanner.Move;
import io.brook.cluster.admin.ReassignmentPlanner.Plan;
import io.brook.cluster.metadata.BrokerRegistration;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * {@code ./brook reassign --bootstrap-server HOST:PORT [--topics a,b] [--dry-run]}: spreads the
 * partitions of a running cluster over its live brokers, e.g. after brokers were added. It reads
 * the assignment and the brokers (with racks) through the Admin client, plans with {@link
 * ReassignmentPlanner} (partitions already being reassigned are left alone), prints the plan as a
 * table and, without {@code --dry-run}, applies it with {@code alterPartitionReassignments}, then
 * asks for a preferred-leader election of the partitions whose replicas were only reordered
 * (those with new replicas get their preferred leader once the new replicas are in sync, from the
 * controller's periodic rebalance or {@code kafka-leader-election.sh}). Follow the progress with
 * {@code kafka-reassign-partitions.sh --list} or {@code Admin.listPartitionReassignments}.
 *
 * <p>Exit status: 0 when the plan was printed (and applied), 1 when a partition was refused, 2 on
 * bad arguments.
 */
public final class ReassignTool {

    private static final long TIMEOUT_SECONDS = 60;

    private ReassignTool() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns its exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        String bootstrap = null;
        Optional<Set<String>> topics = Optional.empty();
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-server" -> bootstrap = i + 1 < args.length ? args[++i] : null;
                case "--topics" -> topics = Optional.of(i + 1 < args.length ? Set.of(args[++i].split(",")) : Set.of());
                case "--dry-run" -> dryRun = true;
                default -> {
                    return usage(err, "unknown argument: " + args[i]);
                }
            }
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            return usage(err, "--bootstrap-server is required");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return reassign(admin, topics, dryRun, out, err);
        } catch (ExecutionException e) {
            err.println("reassign: " + e.getCause().getMessage());
            return 1;
        } catch (TimeoutException e) {
            err.println("reassign: the cluster did not answer within " + TIMEOUT_SECONDS + " s");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static int reassign(
            Admin admin, Optional<Set<String>> only, boolean dryRun, PrintStream out, PrintStream err)
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<Node> nodes = get(admin.describeCluster().nodes());
        List<BrokerRegistration> brokers = new ArrayList<>();
        nodes.forEach(n -> brokers.add(new BrokerRegistration(n.id(), List.of(), Optional.ofNullable(n.rack()))));
        Set<String> names =
                only.isPresent() ? only.get() : get(admin.listTopics().names());
        Map<String, TopicDescription> descriptions =
                get(admin.describeTopics(names).allTopicNames());
        Set<TopicPartition> moving = new HashSet<>(
                get(admin.listPartitionReassignments().reassignments()).keySet());
        Map<TopicPartition, List<Integer>> assignment = new LinkedHashMap<>();
        descriptions.values().forEach(t -> {
            for (TopicPartitionInfo p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partition());
                if (!moving.contains(tp)) {
                    assignment.put(tp, p.replicas().stream().map(Node::id).toList());
                }
            }
        });
        if (!moving.isEmpty()) {
            out.println(moving.size() + " partition(s) already being reassigned are left as they are.");
        }

        Plan plan = ReassignmentPlanner.plan(assignment, brokers);
        print(plan, brokers.size(), assignment.size(), out);
        if (dryRun || plan.isEmpty()) {
            return 0;
        }

        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        plan.targets().forEach((tp, replicas) -> request.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        Map<TopicPartition, KafkaFuture<Void>> results =
                admin.alterPartitionReassignments(request).values();
        int refused = 0;
        Set<TopicPartition> reordered = new HashSet<>();
        for (Move move : plan.moves()) {
            try {
                results.get(move.partition()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (move.replicasMoved() == 0 && move.leaderChanged()) {
                    reordered.add(move.partition());
                }
            } catch (ExecutionException e) {
                refused++;
                err.println(move.partition() + ": " + e.getCause().getMessage());
            }
        }
        if (!reordered.isEmpty()) {
            // the controller completes a reordering at once; ask for the new preferred leaders
            admin.electLeaders(ElectionType.PREFERRED, reordered).partitions().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        out.println("Started " + (plan.moves().size() - refused) + " reassignment(s); "
                + "kafka-reassign-partitions.sh --list shows those still copying data.");
        return refused == 0 ? 0 : 1;
    }

    private static void print(Plan plan, int brokers, int partitions, PrintStream out) {
        if (plan.isEmpty()) {
            out.println("The " + partitions + " partition(s) are spread evenly over " + brokers
                    + " broker(s): nothing to move.");
            return;
        }
        String format = "%-30s %9s  %-18s %-18s %s%n";
        out.printf(format, "TOPIC", "PARTITION", "CURRENT", "PROPOSED", "MOVED REPLICAS");
        for (Move move : plan.moves()) {
            out.printf(
                    format,
                    move.partition().topic(),
                    move.partition().partition(),
                    join(move.current()),
                    join(move.proposed()),
                    move.replicasMoved());
        }
        out.println(plan.moves().size() + " partition(s) change, " + plan.replicasMoved() + " replica(s) move, over "
                + brokers + " broker(s).");
    }

    private static String join(List<Integer> replicas) {
        return replicas.stream()
                .map(String::valueOf)
                .reduce((a, b) -> a + "," + b)
                .orElse("");
    }

    private static <T> T get(KafkaFuture<T> future) throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private static int usage(PrintStream err, String problem) {
        err.println("reassign: " + problem);
        err.println("usage: reassign --bootstrap-server HOST:PORT [--topics a,b] [--dry-run]");
        return 2;
    }
}
