package io.brook.cli;

import io.brook.cluster.admin.ReassignmentPlanner;
import io.brook.cluster.admin.ReassignmentPlanner.Move;
import io.brook.cluster.admin.ReassignmentPlanner.Plan;
import io.brook.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code brook reassign [--topics a,b] [--dry-run]}: spreads the partitions of a running cluster
 * over its live brokers, e.g. after brokers were added. It reads the assignment and the brokers
 * (with racks) through the Admin client, plans with {@link ReassignmentPlanner} (partitions already
 * being reassigned are left alone), prints the plan and, without {@code --dry-run}, applies it
 * with AlterPartitionReassignments, then asks for a preferred-leader election of the partitions
 * whose replicas were only reordered (those with new replicas get their preferred leader once the
 * new replicas are in sync, from the controller's periodic rebalance). Follow the progress with
 * {@code kafka-reassign-partitions.sh --list} or {@code Admin.listPartitionReassignments}.
 *
 * <p>Exit status: 0 when the plan was printed (and applied), 1 when a partition was refused, 2 on
 * bad arguments. It replaces the broker module's {@code ReassignTool} behind {@code ./brook
 * reassign}, with the same flags and table.
 */
@Command(
        name = "reassign",
        description = "Spread partitions evenly over the live brokers (after adding brokers).",
        mixinStandardHelpOptions = true)
final class ReassignCommand extends ClusterCommand {

    record PlannedMove(String topic, int partition, List<Integer> current, List<Integer> proposed, int replicasMoved) {}

    record Result(
            int brokers,
            int partitions,
            int replicasMoved,
            boolean applied,
            List<PlannedMove> moves,
            List<String> refused) {}

    @Option(
            names = "--topics",
            paramLabel = "TOPIC[,TOPIC...]",
            split = ",",
            description = "Only these topics (default: all).")
    Set<String> topics;

    @Option(names = "--dry-run", description = "Print the plan only.")
    boolean dryRun;

    @Override
    int run() throws Exception {
        try (Admin admin = admin()) {
            Collection<Node> nodes = get(admin.describeCluster().nodes());
            List<BrokerRegistration> brokers = new ArrayList<>();
            nodes.forEach(n -> brokers.add(new BrokerRegistration(n.id(), List.of(), Optional.ofNullable(n.rack()))));
            Set<String> names = topics != null ? topics : get(admin.listTopics().names());
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
                err().println(moving.size() + " partition(s) already being reassigned are left as they are.");
            }

            Plan plan = ReassignmentPlanner.plan(assignment, brokers);
            List<String> refused = new ArrayList<>();
            boolean apply = !dryRun && !plan.isEmpty();
            if (apply) {
                refused = apply(admin, plan);
            }
            if (json()) {
                Output.printJson(
                        out(),
                        new Result(
                                brokers.size(),
                                assignment.size(),
                                plan.replicasMoved(),
                                apply,
                                plan.moves().stream()
                                        .map(m -> new PlannedMove(
                                                m.partition().topic(),
                                                m.partition().partition(),
                                                m.current(),
                                                m.proposed(),
                                                m.replicasMoved()))
                                        .toList(),
                                refused));
            } else {
                print(plan, brokers.size(), assignment.size());
                if (apply) {
                    out().println("Started " + (plan.moves().size() - refused.size()) + " reassignment(s); "
                            + "kafka-reassign-partitions.sh --list shows those still copying data.");
                }
                refused.forEach(r -> err().println(r));
            }
            out().flush();
            err().flush();
            return refused.isEmpty() ? 0 : 1;
        }
    }

    private List<String> apply(Admin admin, Plan plan) throws InterruptedException {
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        plan.targets().forEach((tp, replicas) -> request.put(tp, Optional.of(new NewPartitionReassignment(replicas))));
        Map<TopicPartition, KafkaFuture<Void>> results =
                admin.alterPartitionReassignments(request).values();
        List<String> refused = new ArrayList<>();
        Set<TopicPartition> reordered = new HashSet<>();
        for (Move move : plan.moves()) {
            try {
                get(results.get(move.partition()));
                if (move.replicasMoved() == 0 && move.leaderChanged()) {
                    reordered.add(move.partition());
                }
            } catch (ExecutionException e) {
                refused.add(move.partition() + ": " + BrookCli.message(e.getCause()));
            }
        }
        if (!reordered.isEmpty()) {
            // the controller completes a reordering at once; ask for the new preferred leaders
            try {
                get(admin.electLeaders(ElectionType.PREFERRED, reordered).partitions());
            } catch (ExecutionException e) {
                refused.add("preferred leader election: " + BrookCli.message(e.getCause()));
            }
        }
        return refused;
    }

    private void print(Plan plan, int brokers, int partitions) {
        if (plan.isEmpty()) {
            out().println("The " + partitions + " partition(s) are spread evenly over " + brokers
                    + " broker(s): nothing to move.");
            return;
        }
        Output.Table table = new Output.Table("TOPIC", "PARTITION", "CURRENT", "PROPOSED", "MOVED REPLICAS");
        plan.moves()
                .forEach(m -> table.row(
                        m.partition().topic(),
                        m.partition().partition(),
                        TopicsCommand.join(m.current()),
                        TopicsCommand.join(m.proposed()),
                        m.replicasMoved()));
        table.print(out());
        out().println(plan.moves().size() + " partition(s) change, " + plan.replicasMoved() + " replica(s) move, over "
                + brokers + " broker(s).");
    }
}
