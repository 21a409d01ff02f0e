package io.brook.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;

/** {@code brook cluster info}: the cluster id, the controller and the brokers (DescribeCluster). */
@Command(
        name = "cluster",
        description = "The cluster as a whole.",
        mixinStandardHelpOptions = true,
        subcommands = {ClusterInfoCommand.Info.class})
final class ClusterInfoCommand {

    /** One broker as DescribeCluster reports it. */
    record BrokerInfo(int id, String host, int port, String rack, boolean controller) {

        static List<BrokerInfo> of(Collection<Node> nodes, Node controller) {
            return nodes.stream()
                    .sorted(Comparator.comparingInt(Node::id))
                    .map(n -> new BrokerInfo(
                            n.id(), n.host(), n.port(), n.rack(), controller != null && controller.id() == n.id()))
                    .toList();
        }
    }

    record ClusterInfo(String clusterId, Integer controllerId, int topics, List<BrokerInfo> brokers) {}

    @Command(
            name = "info",
            description = "Cluster id, controller, brokers and topic count.",
            mixinStandardHelpOptions = true)
    static final class Info extends ClusterCommand {

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                DescribeClusterResult cluster = admin.describeCluster();
                Node controller = get(cluster.controller());
                List<BrokerInfo> brokers = BrokerInfo.of(get(cluster.nodes()), controller);
                int topics = get(admin.listTopics().names()).size();
                ClusterInfo info = new ClusterInfo(
                        get(cluster.clusterId()),
                        controller == null || controller.isEmpty() ? null : controller.id(),
                        topics,
                        brokers);
                if (json()) {
                    Output.printJson(out(), info);
                    return 0;
                }
                Output.printFields(
                        out(),
                        "CLUSTER ID",
                        info.clusterId(),
                        "CONTROLLER",
                        info.controllerId(),
                        "BROKERS",
                        brokers.size(),
                        "TOPICS",
                        topics);
                out().println();
                BrokersCommand.table(brokers).print(out());
                return 0;
            }
        }
    }
}
