package io.brook.cluster.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * A topic as {@code /brokers/topics/<topic>} holds it: its id and, for each partition, the ordered
 * replica list (the first replica is the preferred leader), plus the partitions being reassigned
 * (KIP-455, as Kafka 2.4+ keeps them in the same znode). Immutable; partitions iterate in
 * ascending order.
 *
 * <p>While a partition is reassigned, {@link #replicas(int)} is the union the partition is
 * replicated to during the move: the target replicas first, then the original ones that are
 * leaving ({@link #removingReplicas(int)}); {@link #addingReplicas(int)} are the target replicas
 * that were not there before. Brokers follow {@code replicas}; the controller ends the move by
 * writing {@code replicas = target} and clearing both lists.
 *
 * @param addingReplicas partition → replicas being added; only partitions being reassigned
 * @param removingReplicas partition → replicas being removed; only partitions being reassigned
 */
public record TopicAssignment(
        String name,
        Uuid topicId,
        Map<Integer, List<Integer>> replicas,
        Map<Integer, List<Integer>> addingReplicas,
        Map<Integer, List<Integer>> removingReplicas) {

    public TopicAssignment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        replicas = sortedCopy(replicas);
        addingReplicas = sortedCopy(addingReplicas);
        removingReplicas = sortedCopy(removingReplicas);
    }

    /** A topic with no reassignment in progress. */
    public TopicAssignment(String name, Uuid topicId, Map<Integer, List<Integer>> replicas) {
        this(name, topicId, replicas, Map.of(), Map.of());
    }

    public int numPartitions() {
        return replicas.size();
    }

    /** The replicas of one partition, empty if the topic has no such partition. */
    public List<Integer> replicas(int partition) {
        return replicas.getOrDefault(partition, List.of());
    }

    /** The replicas a reassignment adds to this partition; empty if none is in progress. */
    public List<Integer> addingReplicas(int partition) {
        return addingReplicas.getOrDefault(partition, List.of());
    }

    /** The replicas a reassignment removes from this partition; empty if none is in progress. */
    public List<Integer> removingReplicas(int partition) {
        return removingReplicas.getOrDefault(partition, List.of());
    }

    public boolean isReassigning(int partition) {
        return addingReplicas.containsKey(partition) || removingReplicas.containsKey(partition);
    }

    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** Where the partition is going: {@code replicas} without the removing ones, in order. */
    public List<Integer> targetReplicas(int partition) {
        List<Integer> removing = removingReplicas(partition);
        return replicas(partition).stream().filter(r -> !removing.contains(r)).toList();
    }

    /** Where the partition was before its reassignment: {@code replicas} without the adding ones. */
    public List<Integer> originalReplicas(int partition) {
        List<Integer> adding = addingReplicas(partition);
        return replicas(partition).stream().filter(r -> !adding.contains(r)).toList();
    }

    /** This topic with more partitions, for CreatePartitions. */
    public TopicAssignment withPartitions(Map<Integer, List<Integer>> added) {
        TreeMap<Integer, List<Integer>> all = new TreeMap<>(replicas);
        all.putAll(added);
        return new TopicAssignment(name, topicId, all, addingReplicas, removingReplicas);
    }

    /**
     * This topic with one partition's replicas and reassignment replaced; empty {@code adding}
     * and {@code removing} mean no reassignment.
     */
    public TopicAssignment withPartition(
            int partition, List<Integer> newReplicas, List<Integer> adding, List<Integer> removing) {
        TreeMap<Integer, List<Integer>> all = new TreeMap<>(replicas);
        all.put(partition, newReplicas);
        TreeMap<Integer, List<Integer>> add = new TreeMap<>(addingReplicas);
        TreeMap<Integer, List<Integer>> remove = new TreeMap<>(removingReplicas);
        add.remove(partition);
        remove.remove(partition);
        if (!adding.isEmpty() || !removing.isEmpty()) {
            add.put(partition, adding);
            remove.put(partition, removing);
        }
        return new TopicAssignment(name, topicId, all, add, remove);
    }

    /** The partition ids in ascending order. */
    public List<Integer> partitions() {
        return new ArrayList<>(replicas.keySet());
    }

    private static Map<Integer, List<Integer>> sortedCopy(Map<Integer, List<Integer>> map) {
        TreeMap<Integer, List<Integer>> sorted = new TreeMap<>();
        map.forEach((p, r) -> sorted.put(p, List.copyOf(r)));
        return Collections.unmodifiableMap(sorted);
    }
}
