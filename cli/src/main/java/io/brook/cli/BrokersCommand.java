package io.brook.cli;

import io.brook.cli.ClusterInfoCommand.BrokerInfo;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import picocli.CommandLine.Command;

/** {@code brook brokers}: the live brokers, the controller marked with {@code *}. */
@Command(name = "brokers", description = "The live brokers (the controller marked *).", mixinStandardHelpOptions = true)
final class BrokersCommand extends ClusterCommand {

    @Override
    int run() throws Exception {
        try (Admin admin = admin()) {
            DescribeClusterResult cluster = admin.describeCluster();
            List<BrokerInfo> brokers = BrokerInfo.of(get(cluster.nodes()), get(cluster.controller()));
            if (json()) {
                Output.printJson(out(), brokers);
            } else {
                table(brokers).print(out());
            }
            return 0;
        }
    }

    static Output.Table table(List<BrokerInfo> brokers) {
        Output.Table table = new Output.Table("ID", "HOST", "PORT", "RACK");
        brokers.forEach(b -> table.row(b.id() + (b.controller() ? "*" : ""), b.host(), b.port(), b.rack()));
        return table;
    }
}
