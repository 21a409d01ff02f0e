package io.brook.cluster.admin;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.TopicAssignment;
import io.brook.cluster.zk.Versioned;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkVersionMismatchException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.Topic;

/**
 * The admin operations behind CreateTopics, DeleteTopics, CreatePartitions, AlterConfigs,
 * IncrementalAlterConfigs and DescribeConfigs for topics, validated as Kafka validates them and
 * failing with Kafka's exceptions, so a handler maps them with {@code Errors.forException}.
 *
 * <p>Replica placement is computed here, in the admin path, as Kafka does in ZooKeeper mode: the
 * assignment written to {@code /brokers/topics/<topic>} is final, and the controller only creates
 * the partition states (leader, ISR) for it. Computing it here lets CreateTopics refuse a bad
 * replication factor or manual assignment synchronously, and keeps the controller a pure
 * reconciler of assignments against live brokers. Placement follows {@link ReplicaAssignor}.
 *
 * <p>Writes go straight to ZooKeeper and return once written; brokers (including this one) see
 * them through their {@code MetadataCache}, which a handler waits on ({@code awaitTopic}) before it
 * answers. Live brokers and existing topics are read from ZooKeeper, not from a cache, so that a
 * decision never rests on a stale view.
 *
 * <p>Threading: thread-safe; every method blocks on ZooKeeper. Concurrent changes of the same
 * topic are ordered by conditional writes: a loser re-reads and re-validates, up to {@value
 * #CONFLICT_RETRIES} times.
 */
public final class ClusterAdmin {

    /**
     * Re-reads after losing a conditional write. Conflicts come from people running admin tools
     * at the same moment, so a handful of retries settles them; more means a bug.
     */
    static final int CONFLICT_RETRIES = 5;

    /** Configs whose values are lists, which IncrementalAlterConfigs may APPEND to and SUBTRACT from. */
    private static final Set<String> LIST_CONFIGS = Set.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            "leader.replication.throttled.replicas",
            "follower.replication.throttled.replicas");

    /** Kafka's {@code num.partitions} and {@code default.replication.factor}, for requests saying -1. */
    public record Defaults(int numPartitions, int replicationFactor) {
        public static final Defaults KAFKA = new Defaults(1, 1);
    }

    private final ZkClusterClient zk;
    private final ReplicaAssignor assignor;
    private final TopicConfigValidator configValidator;
    private final Defaults defaults;

    public ClusterAdmin(
            ZkClusterClient zk, ReplicaAssignor assignor, TopicConfigValidator configValidator, Defaults defaults) {
        this.zk = zk;
        this.assignor = assignor;
        this.configValidator = configValidator;
        this.defaults = defaults;
    }

    /** {@link #createTopic(String, int, int, Optional, Map, boolean)} that writes. */
    public TopicAssignment createTopic(
            String name,
            int numPartitions,
            int replicationFactor,
            Optional<Map<Integer, List<Integer>>> manualAssignment,
            Map<String, String> configs) {
        return createTopic(name, numPartitions, replicationFactor, manualAssignment, configs, false);
    }

    /**
     * Creates a topic: validates, places replicas (or checks the manual placement), and writes its
     * assignment and configs in one transaction.
     *
     * @param numPartitions -1 for the default (must be -1 with a manual assignment)
     * @param replicationFactor -1 for the default (must be -1 with a manual assignment)
     * @param manualAssignment partition → replicas, partitions numbered from 0
     * @param validateOnly check everything, write nothing (CreateTopics' {@code validate_only})
     * @return the assignment written (or that would be)
     * @throws InvalidTopicException bad name, or one that collides with an existing topic's
     * @throws TopicExistsException the topic exists
     * @throws InvalidPartitionsException fewer than one partition
     * @throws InvalidReplicationFactorException below 1, or above the live brokers
     * @throws InvalidReplicaAssignmentException bad manual assignment
     * @throws InvalidRequestException both counts and a manual assignment given
     * @throws InvalidConfigurationException a bad config
     */
    public TopicAssignment createTopic(
            String name,
            int numPartitions,
            int replicationFactor,
            Optional<Map<Integer, List<Integer>>> manualAssignment,
            Map<String, String> configs,
            boolean validateOnly) {
        Topic.validate(name);
        List<String> existing = zk.topicNames();
        if (existing.contains(name)) {
            throw zk.isMarkedForDeletion(name)
                    ? new TopicExistsException("Topic '" + name + "' is marked for deletion.")
                    : new TopicExistsException("Topic '" + name + "' already exists.");
        }
        for (String other : existing) {
            if (Topic.hasCollision(name, other)) {
                throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + other);
            }
        }
        List<BrokerRegistration> brokers = zk.brokers();
        Map<Integer, List<Integer>> replicas;
        if (manualAssignment.isPresent()) {
            if (numPartitions != -1 || replicationFactor != -1) {
                throw new InvalidRequestException("Both numPartitions or replicationFactor and replicasAssignments "
                        + "were set. Both cannot be used at the same time.");
            }
            replicas = validateManual(manualAssignment.get(), 0, brokers);
        } else {
            int partitions = numPartitions == -1 ? defaults.numPartitions() : numPartitions;
            int rf = replicationFactor == -1 ? defaults.replicationFactor() : replicationFactor;
            if (partitions <= 0) {
                throw new InvalidPartitionsException("Number of partitions must be larger than 0.");
            }
            if (rf <= 0) {
                throw new InvalidReplicationFactorException("Replication factor must be larger than 0.");
            }
            replicas = assignor.assign(brokers, partitions, rf, 0, -1);
        }
        configValidator.validate(name, configs);
        TopicAssignment topic = new TopicAssignment(name, Uuid.randomUuid(), replicas);
        if (!validateOnly) {
            zk.createTopic(topic, configs);
        }
        return topic;
    }

    /**
     * Marks a topic for deletion; the controller removes it and brokers delete its logs when they
     * see it gone. Idempotent while the deletion is pending.
     *
     * @throws UnknownTopicOrPartitionException no such topic
     */
    public void deleteTopic(String name) {
        zk.markTopicForDeletion(name);
    }

    /**
     * Grows a topic to {@code newTotal} partitions (CreatePartitions). New partitions get the
     * replication factor of partition 0, placed as Kafka places them, or {@code
     * manualAssignment}, one replica list per new partition.
     *
     * @return the topic's whole new assignment
     * @throws UnknownTopicOrPartitionException no such topic
     * @throws InvalidTopicException the topic is marked for deletion
     * @throws InvalidPartitionsException {@code newTotal} is not above the current count
     * @throws InvalidReplicaAssignmentException bad manual assignment
     * @throws InvalidReplicationFactorException too few live brokers
     */
    public TopicAssignment createPartitions(
            String name, int newTotal, Optional<List<List<Integer>>> manualAssignment, boolean validateOnly) {
        for (int attempt = 1; ; attempt++) {
            Versioned<TopicAssignment> current = zk.topic(name)
                    .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
            if (zk.isMarkedForDeletion(name)) {
                throw new InvalidTopicException("The topic is queued for deletion.");
            }
            TopicAssignment topic = current.value();
            int existing = topic.numPartitions();
            if (newTotal < existing) {
                throw new InvalidPartitionsException("Topic currently has " + existing
                        + " partitions, which is higher than the requested " + newTotal + ".");
            }
            if (newTotal == existing) {
                throw new InvalidPartitionsException("Topic already has " + existing + " partitions.");
            }
            List<BrokerRegistration> brokers = zk.brokers();
            Map<Integer, List<Integer>> added;
            if (manualAssignment.isPresent()) {
                List<List<Integer>> lists = manualAssignment.get();
                if (lists.size() != newTotal - existing) {
                    throw new InvalidReplicaAssignmentException("Increasing the number of partitions by "
                            + (newTotal - existing) + " but " + lists.size() + " assignments provided.");
                }
                Map<Integer, List<Integer>> numbered = new TreeMap<>();
                for (int i = 0; i < lists.size(); i++) {
                    numbered.put(existing + i, lists.get(i));
                }
                added = validateManual(numbered, existing, brokers);
            } else {
                List<Integer> first = topic.targetReplicas(0);
                int rf = first.isEmpty() ? 1 : first.size();
                int start = first.isEmpty() ? -1 : ReplicaAssignor.indexOf(brokers, first.get(0));
                added = assignor.assign(brokers, newTotal - existing, rf, existing, start);
            }
            TopicAssignment grown = topic.withPartitions(added);
            if (validateOnly) {
                return grown;
            }
            try {
                zk.setTopicAssignment(grown, current.zkVersion());
                return grown;
            } catch (ZkVersionMismatchException e) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** A topic's config overrides (DescribeConfigs adds the broker defaults for the rest). */
    public Map<String, String> describeTopicConfigs(String name) {
        return zk.topicConfig(name)
                .map(Versioned::value)
                .orElseThrow(() -> new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist."));
    }

    /**
     * Replaces all of a topic's overrides (AlterConfigs: what is not named goes back to default).
     *
     * @return the new overrides
     */
    public Map<String, String> alterTopicConfigs(String name, Map<String, String> configs, boolean validateOnly) {
        return updateConfigs(name, current -> new TreeMap<>(configs), validateOnly);
    }

    /**
     * Applies IncrementalAlterConfigs operations: SET, DELETE (back to default), and APPEND or
     * SUBTRACT on list configs ({@code cleanup.policy}, the throttled-replica lists).
     *
     * @return the new overrides
     */
    public Map<String, String> incrementalAlterTopicConfigs(
            String name, Collection<AlterConfigOp> ops, boolean validateOnly) {
        return incrementalAlterTopicConfigs(name, ops, validateOnly, Map.of());
    }

    /**
     * {@link #incrementalAlterTopicConfigs(String, Collection, boolean)} where APPEND and SUBTRACT
     * on a config the topic does not override start from {@code defaults}' value for it, as in
     * Kafka (APPEND {@code compact} to the default {@code cleanup.policy=delete} gives {@code
     * delete,compact}).
     *
     * @param defaults the value each config has without an override (the broker's default)
     */
    public Map<String, String> incrementalAlterTopicConfigs(
            String name, Collection<AlterConfigOp> ops, boolean validateOnly, Map<String, String> defaults) {
        return updateConfigs(
                name,
                current -> {
                    Map<String, String> next = new TreeMap<>(current);
                    for (AlterConfigOp op : ops) {
                        String key = op.configEntry().name();
                        String value = op.configEntry().value();
                        switch (op.opType()) {
                            case SET -> next.put(key, value);
                            case DELETE -> next.remove(key);
                            case APPEND, SUBTRACT -> {
                                if (!LIST_CONFIGS.contains(key)) {
                                    throw new InvalidConfigurationException("Config value "
                                            + op.opType().name().toLowerCase() + " is not allowed for config key: "
                                            + key);
                                }
                                Set<String> items = new LinkedHashSet<>(
                                        split(next.containsKey(key) ? next.get(key) : defaults.get(key)));
                                if (op.opType() == AlterConfigOp.OpType.APPEND) {
                                    items.addAll(split(value));
                                } else {
                                    split(value).forEach(items::remove);
                                }
                                if (items.isEmpty()) {
                                    next.remove(key);
                                } else {
                                    next.put(key, String.join(",", items));
                                }
                            }
                        }
                    }
                    return next;
                },
                validateOnly);
    }

    private Map<String, String> updateConfigs(
            String name,
            java.util.function.Function<Map<String, String>, Map<String, String>> change,
            boolean validateOnly) {
        for (int attempt = 1; ; attempt++) {
            if (zk.topic(name).isEmpty()) {
                throw new UnknownTopicOrPartitionException("Topic '" + name + "' does not exist.");
            }
            Versioned<Map<String, String>> current = zk.topicConfig(name).orElse(new Versioned<>(Map.of(), -1));
            Map<String, String> next = change.apply(current.value());
            configValidator.validate(name, next);
            if (validateOnly) {
                return Map.copyOf(next);
            }
            try {
                zk.setTopicConfig(name, next, current.zkVersion());
                return Map.copyOf(next);
            } catch (ZkVersionMismatchException e) {
                if (attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /**
     * Checks a manual placement as Kafka does: partitions numbered consecutively from {@code
     * first}, one replication factor for all, no broker twice in a list, every broker registered.
     */
    private static Map<Integer, List<Integer>> validateManual(
            Map<Integer, List<Integer>> assignment, int first, List<BrokerRegistration> brokers) {
        if (assignment.isEmpty()) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment is empty.");
        }
        TreeMap<Integer, List<Integer>> sorted = new TreeMap<>(assignment);
        int expected = first;
        for (int partition : sorted.keySet()) {
            if (partition != expected++) {
                throw new InvalidReplicaAssignmentException(
                        "Partitions should be a consecutive 0-based integer sequence");
            }
        }
        Set<Integer> live = new HashSet<>();
        brokers.forEach(b -> live.add(b.id()));
        int rf = sorted.firstEntry().getValue().size();
        for (Map.Entry<Integer, List<Integer>> e : sorted.entrySet()) {
            List<Integer> replicas = e.getValue();
            if (replicas.isEmpty()) {
                throw new InvalidReplicaAssignmentException(
                        "The manual partition assignment includes an empty replica list.");
            }
            if (replicas.size() != rf) {
                throw new InvalidReplicaAssignmentException("All partitions should have the same number of replicas");
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                throw new InvalidReplicaAssignmentException(
                        "Duplicate replica assignment found for partition " + e.getKey() + ": " + replicas);
            }
            for (int broker : replicas) {
                if (!live.contains(broker)) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker "
                            + broker + ", but no such broker is registered.");
                }
            }
        }
        return sorted;
    }

    private static List<String> split(String list) {
        List<String> items = new ArrayList<>();
        if (list != null) {
            for (String item : list.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }
}
