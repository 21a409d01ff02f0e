package io.brook.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code brook groups list | describe | reset-offsets | delete}, the {@code
 * kafka-consumer-groups.sh} of Brook, on ListGroups, DescribeGroups, OffsetFetch, ListOffsets,
 * OffsetCommit (through AlterConsumerGroupOffsets) and DeleteGroups.
 *
 * <p>Lag of a partition is its log end offset (the high watermark a consumer can read up to)
 * minus the group's committed offset; a partition without a committed offset has no lag ({@code
 * -}), as in Kafka's tool.
 */
@Command(
        name = "groups",
        description = "Consumer groups: members, committed offsets and lag; reset and delete.",
        mixinStandardHelpOptions = true,
        subcommands = {
            GroupsCommand.ListGroups.class,
            GroupsCommand.Describe.class,
            GroupsCommand.ResetOffsets.class,
            GroupsCommand.Delete.class
        })
final class GroupsCommand {

    record GroupSummary(String group, String state, String type, String protocol) {}

    record MemberInfo(String memberId, String clientId, String host, List<String> assignment) {}

    record PartitionLag(
            String topic,
            int partition,
            Long currentOffset,
            long logEndOffset,
            Long lag,
            String memberId,
            String host,
            String clientId) {}

    record GroupDetail(
            String group,
            String state,
            Integer coordinator,
            String assignor,
            List<MemberInfo> members,
            List<PartitionLag> partitions,
            long totalLag) {}

    record OffsetReset(String group, String topic, int partition, Long currentOffset, long newOffset) {}

    record ResetResult(String group, boolean executed, List<OffsetReset> partitions) {}

    record Deleted(String group, boolean deleted) {}

    @Command(
            name = "list",
            aliases = "ls",
            description = "The groups and their states.",
            mixinStandardHelpOptions = true)
    static final class ListGroups extends ClusterCommand {

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                Collection<GroupListing> listings = get(admin.listGroups().all());
                List<GroupSummary> groups = listings.stream()
                        .sorted(Comparator.comparing(GroupListing::groupId))
                        .map(g -> new GroupSummary(
                                g.groupId(),
                                g.groupState().map(GroupState::toString).orElse(null),
                                g.type().map(t -> t.toString()).orElse(null),
                                g.protocol().isEmpty() ? null : g.protocol()))
                        .toList();
                if (json()) {
                    Output.printJson(out(), groups);
                } else {
                    Output.Table table = new Output.Table("GROUP", "STATE", "TYPE", "PROTOCOL");
                    groups.forEach(g -> table.row(g.group(), g.state(), g.type(), g.protocol()));
                    table.print(out());
                }
                return 0;
            }
        }
    }

    @Command(
            name = "describe",
            description = "Members, committed offsets, log end offsets and lag per partition.",
            mixinStandardHelpOptions = true)
    static final class Describe extends ClusterCommand {

        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to describe.")
        List<String> groups;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                Map<String, ConsumerGroupDescription> descriptions =
                        get(admin.describeConsumerGroups(groups).all());
                List<GroupDetail> details = new ArrayList<>();
                for (String group : groups) {
                    details.add(detail(admin, descriptions.get(group)));
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

        private GroupDetail detail(Admin admin, ConsumerGroupDescription d) throws Exception {
            String group = d.groupId();
            if (d.groupState() == GroupState.DEAD) {
                throw new CliException("consumer group '" + group + "' does not exist");
            }
            Map<TopicPartition, OffsetAndMetadata> committed =
                    get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
            Map<TopicPartition, MemberDescription> owners = new HashMap<>();
            List<MemberInfo> members = new ArrayList<>();
            for (MemberDescription m : d.members()) {
                List<TopicPartition> assigned = m.assignment().topicPartitions().stream()
                        .sorted(Comparator.comparing(TopicPartition::topic).thenComparing(TopicPartition::partition))
                        .toList();
                assigned.forEach(tp -> owners.put(tp, m));
                members.add(new MemberInfo(
                        m.consumerId(),
                        m.clientId(),
                        m.host(),
                        assigned.stream().map(TopicPartition::toString).toList()));
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            owners.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = request.isEmpty()
                    ? Map.of()
                    : get(admin.listOffsets(request).all());
            List<PartitionLag> partitions = new ArrayList<>();
            long total = 0;
            for (TopicPartition tp : sorted(request.keySet())) {
                OffsetAndMetadata offset = committed.get(tp);
                long end = ends.get(tp).offset();
                Long current = offset == null ? null : offset.offset();
                Long lag = current == null ? null : Math.max(0, end - current);
                total += lag == null ? 0 : lag;
                MemberDescription owner = owners.get(tp);
                partitions.add(new PartitionLag(
                        tp.topic(),
                        tp.partition(),
                        current,
                        end,
                        lag,
                        owner == null ? null : owner.consumerId(),
                        owner == null ? null : owner.host(),
                        owner == null ? null : owner.clientId()));
            }
            return new GroupDetail(
                    group,
                    d.groupState().toString(),
                    d.coordinator() == null ? null : d.coordinator().id(),
                    d.partitionAssignor() == null || d.partitionAssignor().isEmpty() ? null : d.partitionAssignor(),
                    members,
                    partitions,
                    total);
        }

        private void print(GroupDetail d) {
            Output.printFields(
                    out(),
                    "GROUP",
                    d.group(),
                    "STATE",
                    d.state(),
                    "COORDINATOR",
                    d.coordinator(),
                    "ASSIGNOR",
                    d.assignor(),
                    "MEMBERS",
                    d.members().size(),
                    "TOTAL LAG",
                    d.totalLag());
            out().println();
            Output.Table table = new Output.Table(
                    "TOPIC",
                    "PARTITION",
                    "CURRENT-OFFSET",
                    "LOG-END-OFFSET",
                    "LAG",
                    "CONSUMER-ID",
                    "HOST",
                    "CLIENT-ID");
            d.partitions()
                    .forEach(p -> table.row(
                            p.topic(),
                            p.partition(),
                            p.currentOffset(),
                            p.logEndOffset(),
                            p.lag(),
                            p.memberId(),
                            p.host(),
                            p.clientId()));
            table.print(out());
        }
    }

    @Command(
            name = "reset-offsets",
            description = {
                "Move a group's committed offsets, as kafka-consumer-groups.sh --reset-offsets.",
                "Shows the plan (--dry-run, the default); --execute commits it. The group must have no members."
            },
            mixinStandardHelpOptions = true)
    static final class ResetOffsets extends ClusterCommand {

        @Option(
                names = {"-g", "--group"},
                required = true,
                paramLabel = "GROUP",
                description = "The group.")
        String group;

        @ArgGroup(multiplicity = "1")
        Scope scope;

        static final class Scope {
            @Option(
                    names = {"-t", "--topic"},
                    paramLabel = "TOPIC[:P,P...]",
                    required = true,
                    description = "A topic, or some of its partitions (orders:0,2); repeatable.")
            List<String> topics;

            @Option(names = "--all-topics", required = true, description = "Every topic the group has offsets for.")
            boolean allTopics;
        }

        @ArgGroup(multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--to-earliest", required = true, description = "The log start offset.")
            boolean earliest;

            @Option(names = "--to-latest", required = true, description = "The log end offset.")
            boolean latest;

            @Option(
                    names = "--to-datetime",
                    required = true,
                    paramLabel = "TIME",
                    converter = TimeArgument.class,
                    description =
                            "The first offset at or after TIME (ISO-8601, e.g. 2026-11-29T07:00:00Z, or epoch ms).")
            Long datetime;

            @Option(
                    names = "--to-offset",
                    required = true,
                    paramLabel = "OFFSET",
                    description = "This offset (kept within the log).")
            Long offset;

            @Option(
                    names = "--shift-by",
                    required = true,
                    paramLabel = "N",
                    description = "The committed offset plus N (negative: back), kept within the log.")
            Long shiftBy;
        }

        @ArgGroup(multiplicity = "0..1")
        Mode mode = new Mode();

        static final class Mode {
            @Option(names = "--dry-run", description = "Show the new offsets only (the default).")
            boolean dryRun;

            @Option(names = "--execute", description = "Commit the new offsets.")
            boolean execute;
        }

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                ConsumerGroupDescription description =
                        get(admin.describeConsumerGroups(List.of(group)).all()).get(group);
                GroupState state = description.groupState();
                if (mode.execute && state != GroupState.EMPTY && state != GroupState.DEAD) {
                    throw new CliException("Assignments can only be reset if the group '" + group
                            + "' is inactive, but the current state is " + state + ".");
                }
                Map<TopicPartition, OffsetAndMetadata> committed =
                        get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
                List<TopicPartition> partitions = partitions(admin, committed);
                Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
                Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> byTime = target.datetime == null
                        ? Map.of()
                        : offsets(admin, partitions, OffsetSpec.forTimestamp(target.datetime));
                List<OffsetReset> plan = new ArrayList<>();
                Map<TopicPartition, OffsetAndMetadata> commit = new LinkedHashMap<>();
                for (TopicPartition tp : partitions) {
                    OffsetAndMetadata current = committed.get(tp);
                    long start = earliest.get(tp);
                    long end = latest.get(tp);
                    long wanted;
                    if (target.earliest) {
                        wanted = start;
                    } else if (target.latest) {
                        wanted = end;
                    } else if (target.datetime != null) {
                        // no record at or after the time: the end, as Kafka's tool does
                        long found = byTime.get(tp);
                        wanted = found < 0 ? end : found;
                    } else if (target.offset != null) {
                        wanted = target.offset;
                    } else {
                        wanted = (current == null ? start : current.offset()) + target.shiftBy;
                    }
                    long next = Math.max(start, Math.min(end, wanted));
                    plan.add(new OffsetReset(
                            group, tp.topic(), tp.partition(), current == null ? null : current.offset(), next));
                    commit.put(tp, new OffsetAndMetadata(next));
                }
                if (mode.execute && !commit.isEmpty()) {
                    get(admin.alterConsumerGroupOffsets(group, commit).all());
                }
                if (json()) {
                    Output.printJson(out(), new ResetResult(group, mode.execute, plan));
                } else {
                    Output.Table table =
                            new Output.Table("GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "NEW-OFFSET");
                    plan.forEach(r -> table.row(r.group(), r.topic(), r.partition(), r.currentOffset(), r.newOffset()));
                    table.print(out());
                    if (!mode.execute) {
                        err().println("Dry run: nothing changed; --execute commits these offsets.");
                        err().flush();
                    }
                }
                return 0;
            }
        }

        private List<TopicPartition> partitions(Admin admin, Map<TopicPartition, OffsetAndMetadata> committed)
                throws Exception {
            if (scope.allTopics) {
                return sorted(committed.keySet());
            }
            Map<String, List<Integer>> chosen = new LinkedHashMap<>();
            for (String spec : scope.topics) {
                int colon = spec.indexOf(':');
                if (colon < 0) {
                    chosen.put(spec, null);
                } else {
                    List<Integer> ids = new ArrayList<>();
                    for (String p : spec.substring(colon + 1).split(",")) {
                        try {
                            ids.add(Integer.parseInt(p.strip()));
                        } catch (NumberFormatException e) {
                            throw new ParameterException(
                                    spec(), "--topic " + spec + ": '" + p + "' is not a partition number");
                        }
                    }
                    chosen.put(spec.substring(0, colon), ids);
                }
            }
            Map<String, TopicDescription> descriptions =
                    get(admin.describeTopics(chosen.keySet()).allTopicNames());
            List<TopicPartition> partitions = new ArrayList<>();
            chosen.forEach((topic, ids) -> {
                int count = descriptions.get(topic).partitions().size();
                if (ids == null) {
                    for (int p = 0; p < count; p++) {
                        partitions.add(new TopicPartition(topic, p));
                    }
                } else {
                    for (int p : ids) {
                        if (p < 0 || p >= count) {
                            throw new CliException("topic '" + topic + "' has no partition " + p);
                        }
                        partitions.add(new TopicPartition(topic, p));
                    }
                }
            });
            return partitions;
        }

        private picocli.CommandLine spec() {
            return spec.commandLine();
        }
    }

    @Command(
            name = "delete",
            description = "Delete groups and their committed offsets (groups without members only).",
            mixinStandardHelpOptions = true)
    static final class Delete extends ClusterCommand {

        @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Groups to delete.")
        List<String> groups;

        @Override
        int run() throws Exception {
            try (Admin admin = admin()) {
                get(admin.deleteConsumerGroups(groups).all());
            }
            List<Deleted> deleted =
                    groups.stream().map(g -> new Deleted(g, true)).toList();
            if (json()) {
                Output.printJson(out(), deleted.size() == 1 ? deleted.get(0) : deleted);
            } else {
                Output.Table table = new Output.Table("GROUP", "STATUS");
                deleted.forEach(d -> table.row(d.group(), "deleted"));
                table.print(out());
            }
            return 0;
        }
    }

    static Map<TopicPartition, Long> offsets(Admin admin, Collection<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!request.isEmpty()) {
            ClusterCommand.get(admin.listOffsets(request).all()).forEach((tp, info) -> offsets.put(tp, info.offset()));
        }
        return offsets;
    }

    static List<TopicPartition> sorted(Collection<TopicPartition> partitions) {
        return partitions.stream()
                .sorted(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition))
                .toList();
    }
}
