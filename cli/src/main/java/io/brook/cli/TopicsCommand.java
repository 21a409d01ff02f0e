package io.brook.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.admin.TopicListing;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code brook topics list | describe | create | delete | alter-config | add-partitions}, the
 * {@code kafka-topics.sh} and {@code kafka-configs.sh --entity-type topics} of Brook, on
 * CreateTopics, DeleteTopics, CreatePartitions, DescribeConfigs, IncrementalAlterConfigs and
 * ListOffsets.
 */
@Command(
        name = "topics",
        description = "List, describe, create, delete and change topics.",
        mixinStandardHelpOptions = true,
        subcommands = {
            TopicsCommand.ListTopics.class,
            TopicsCommand.Describe.class,
            TopicsCommand.Create.class,
            TopicsCommand.Delete.class,
            TopicsCommand.AlterConfig.class,
            TopicsCommand.AddPartitions.class
        })
final class TopicsCommand {

    record TopicSummary(String name, int partitions, int replicationFactor, boolean internal) {}

    record PartitionDetail(
            int partition,
            Integer leader,
            List<Integer> replicas,
            List<Integer> isr,
            long logStartOffset,
            long highWatermark) {}

    record TopicDetail(
            String name,
            String topicId,
            boolean internal,
            List<PartitionDetail> partitions,
            Map<String, String> configs) {}

    record Created(String name, int partitions, int replicationFactor, boolean created) {}

    record Deleted(String name, boolean deleted) {}

    record ConfigChange(String name, Map<String, String> set, List<String> deleted) {}

    record PartitionsChange(String name, int before, int after) {}

    @Command(
            name = "list",
            aliases = "ls",
            description = "The topics, with partition and replica counts.",
            mixinStandardHelpOptions = true)
    static final class ListTopics extends ClusterCommand {

        @Option(
                names = {"-i", "--internal"},
                description = "Include internal topics (__consumer_offsets).")
        boolean internal;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                Collection<TopicListing> listings = get(admin.listTopics(new ListTopicsOptions().listInternal(internal))
                        .listings());
                Map<String, TopicDescription> descriptions = new TreeMap<>(get(admin.describeTopics(
                                listings.stream().map(TopicListing::name).toList())
                        .allTopicNames()));
                List<TopicSummary> topics = descriptions.values().stream()
                        .map(d -> new TopicSummary(
                                d.name(),
                                d.partitions().size(),
                                d.partitions().isEmpty()
                                        ? 0
                                        : d.partitions().get(0).replicas().size(),
                                d.isInternal()))
                        .toList();
                if (json()) {
                    Output.printJson(out(), topics);
                } else {
                    Output.Table table = new Output.Table("NAME", "PARTITIONS", "REPLICAS");
                    topics.forEach(t -> table.row(t.name(), t.partitions(), t.replicationFactor()));
                    table.print(out());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "describe",
            description = "Partitions (leader, replicas, ISR, offsets) and the configs set on topics.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClusterCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topics to describe.")
        List<String> topics;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                Map<String, TopicDescription> descriptions =
                        get(admin.describeTopics(topics).allTopicNames());
                Map<ConfigResource, Config> configs = get(admin.describeConfigs(topics.stream()
                                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                                .toList())
                        .all());
                Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                descriptions
                        .values()
                        .forEach(d -> d.partitions().forEach(p -> {
                            earliest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.earliest());
                            latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                        }));
                Map<TopicPartition, ListOffsetsResultInfo> starts =
                        get(admin.listOffsets(earliest).all());
                Map<TopicPartition, ListOffsetsResultInfo> ends =
                        get(admin.listOffsets(latest).all());
                List<TopicDetail> details = new ArrayList<>();
                for (String topic : topics) {
                    TopicDescription d = descriptions.get(topic);
                    List<PartitionDetail> partitions = new ArrayList<>();
                    for (TopicPartitionInfo p : d.partitions()) {
                        TopicPartition tp = new TopicPartition(topic, p.partition());
                        partitions.add(new PartitionDetail(
                                p.partition(),
                                p.leader() == null || p.leader().isEmpty()
                                        ? null
                                        : p.leader().id(),
                                ids(p.replicas()),
                                ids(p.isr()),
                                starts.get(tp).offset(),
                                ends.get(tp).offset()));
                    }
                    Map<String, String> set = new TreeMap<>();
                    Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic));
                    if (config != null) {
                        for (ConfigEntry entry : config.entries()) {
                            if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                                set.put(entry.name(), entry.isSensitive() ? null : entry.value());
                            }
                        }
                    }
                    details.add(new TopicDetail(
                            topic,
                            d.topicId() == null ? null : d.topicId().toString(),
                            d.isInternal(),
                            partitions,
                            set));
                }
                if (json()) {
                    Output.printJson(out(), details.size() == 1 ? details.get(0) : details);
                    return 0;
                }
                for (int i = 0; i < details.size(); i++) {
                    if (i > 0) {
                        out().println();
                    }
                    print(details.get(i));
                }
                return 0;
            }
        }

        private void print(TopicDetail d) {
            Output.printFields(
                    out(),
                    "NAME",
                    d.name(),
                    "TOPIC ID",
                    d.topicId(),
                    "INTERNAL",
                    d.internal(),
                    "PARTITIONS",
                    d.partitions().size(),
                    "REPLICAS",
                    d.partitions().isEmpty()
                            ? 0
                            : d.partitions().get(0).replicas().size(),
                    "CONFIGS",
                    d.configs().isEmpty() ? "(defaults)" : join(d.configs()));
            out().println();
            Output.Table table =
                    new Output.Table("PARTITION", "LEADER", "REPLICAS", "ISR", "LOG-START-OFFSET", "HIGH-WATERMARK");
            d.partitions()
                    .forEach(p -> table.row(
                            p.partition(),
                            p.leader(),
                            join(p.replicas()),
                            join(p.isr()),
                            p.logStartOffset(),
                            p.highWatermark()));
            table.print(out());
        }
    }

    @Command(name = "create", description = "Create topics.", mixinStandardHelpOptions = true)
    static final class Create extends ClusterCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topics to create.")
        List<String> topics;

        @Option(
                names = {"-p", "--partitions"},
                paramLabel = "N",
                description = "Partitions (default: the broker's num.partitions).")
        Integer partitions;

        @Option(
                names = {"-r", "--replication-factor"},
                paramLabel = "N",
                description = "Replicas of each partition (default: the broker's).")
        Short replicationFactor;

        @Option(
                names = {"-c", "--config"},
                paramLabel = "KEY=VALUE",
                description = "A topic config, by Kafka's name (retention.ms=86400000); repeatable.")
        Map<String, String> configs = new LinkedHashMap<>();

        @Option(names = "--if-not-exists", description = "A topic that exists already is not an error.")
        boolean ifNotExists;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                List<NewTopic> requests = topics.stream()
                        .map(t -> new NewTopic(
                                        t, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
                                .configs(configs))
                        .toList();
                CreateTopicsResult result = admin.createTopics(requests);
                List<Created> created = new ArrayList<>();
                for (String topic : topics) {
                    try {
                        get(result.values().get(topic));
                        created.add(new Created(
                                topic, get(result.numPartitions(topic)), get(result.replicationFactor(topic)), true));
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException) || !ifNotExists) {
                            throw e;
                        }
                        TopicDescription d = get(admin.describeTopics(List.of(topic))
                                        .allTopicNames())
                                .get(topic);
                        created.add(new Created(
                                topic,
                                d.partitions().size(),
                                d.partitions().get(0).replicas().size(),
                                false));
                    }
                }
                if (json()) {
                    Output.printJson(out(), created.size() == 1 ? created.get(0) : created);
                } else {
                    Output.Table table = new Output.Table("TOPIC", "PARTITIONS", "REPLICAS", "STATUS");
                    created.forEach(c -> table.row(
                            c.name(), c.partitions(), c.replicationFactor(), c.created() ? "created" : "exists"));
                    table.print(out());
                }
                return 0;
            }
        }
    }

    @Command(name = "delete", description = "Delete topics and their records.", mixinStandardHelpOptions = true)
    static final class Delete extends ClusterCommand {

        @Parameters(paramLabel = "TOPIC", arity = "1..*", description = "Topics to delete.")
        List<String> topics;

        @Option(names = "--if-exists", description = "A topic that does not exist is not an error.")
        boolean ifExists;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                var futures = admin.deleteTopics(topics).topicNameValues();
                List<Deleted> deleted = new ArrayList<>();
                for (String topic : topics) {
                    try {
                        get(futures.get(topic));
                        deleted.add(new Deleted(topic, true));
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || !ifExists) {
                            throw e;
                        }
                        deleted.add(new Deleted(topic, false));
                    }
                }
                if (json()) {
                    Output.printJson(out(), deleted.size() == 1 ? deleted.get(0) : deleted);
                } else {
                    Output.Table table = new Output.Table("TOPIC", "STATUS");
                    deleted.forEach(d -> table.row(d.name(), d.deleted() ? "deleted" : "not found"));
                    table.print(out());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "alter-config",
            description = "Set or remove topic configs (IncrementalAlterConfigs), like kafka-configs.sh --alter.",
            mixinStandardHelpOptions = true)
    static final class AlterConfig extends ClusterCommand {

        @Parameters(paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @Option(
                names = {"-s", "--set", "--add-config"},
                paramLabel = "KEY=VALUE",
                description = "A config to set; repeatable.")
        Map<String, String> set = new LinkedHashMap<>();

        @Option(
                names = {"-d", "--delete", "--delete-config"},
                paramLabel = "KEY",
                description = "A config to reset to the default; repeatable.")
        List<String> delete = new ArrayList<>();

        @Override
        int run() throws Exception {
            if (set.isEmpty() && delete.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(
                        spec.commandLine(), "give --set KEY=VALUE or --delete KEY");
            }
            List<AlterConfigOp> ops = new ArrayList<>();
            set.forEach((k, v) -> ops.add(new AlterConfigOp(new ConfigEntry(k, v), AlterConfigOp.OpType.SET)));
            delete.forEach(k -> ops.add(new AlterConfigOp(new ConfigEntry(k, null), AlterConfigOp.OpType.DELETE)));
            try (Admin admin = admin()) {
                get(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
                        .all());
            }
            ConfigChange change = new ConfigChange(topic, set, delete);
            if (json()) {
                Output.printJson(out(), change);
            } else {
                Output.Table table = new Output.Table("TOPIC", "CONFIG", "CHANGE");
                set.forEach((k, v) -> table.row(topic, k, "set to " + v));
                delete.forEach(k -> table.row(topic, k, "reset to default"));
                table.print(out());
            }
            return 0;
        }
    }

    @Command(
            name = "add-partitions",
            description =
                    "Add partitions to a topic (records keep their partitions; keys may map elsewhere from now on).",
            mixinStandardHelpOptions = true)
    static final class AddPartitions extends ClusterCommand {

        @Parameters(paramLabel = "TOPIC", description = "The topic.")
        String topic;

        @ArgGroup(multiplicity = "1")
        Count count;

        static final class Count {
            @Option(
                    names = {"-n", "--num"},
                    paramLabel = "N",
                    required = true,
                    description = "How many partitions to add.")
            Integer add;

            @Option(
                    names = {"--partitions", "--to"},
                    paramLabel = "N",
                    required = true,
                    description = "The new total, as kafka-topics.sh --alter --partitions.")
            Integer total;
        }

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                int before = get(admin.describeTopics(List.of(topic)).allTopicNames())
                        .get(topic)
                        .partitions()
                        .size();
                int after = count.total != null ? count.total : before + count.add;
                get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(after)))
                        .all());
                PartitionsChange change = new PartitionsChange(topic, before, after);
                if (json()) {
                    Output.printJson(out(), change);
                } else {
                    Output.Table table = new Output.Table("TOPIC", "PARTITIONS-BEFORE", "PARTITIONS-AFTER");
                    table.row(topic, before, after).print(out());
                }
                return 0;
            }
        }
    }

    static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    static String join(Collection<?> values) {
        return String.join(",", values.stream().map(String::valueOf).toList());
    }

    static String join(Map<String, String> configs) {
        return String.join(
                ",",
                new TreeSet<>(configs.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .toList()));
    }
}
