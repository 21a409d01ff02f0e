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
 * replica list (the first replica is the preferred leader). Immutable; partitions iterate in
 * ascending order.
 */
public record TopicAssignment(String name, Uuid topicId, Map<Integer, List<Integer>> replicas) {

    public TopicAssignment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
        TreeMap<Integer, List<Integer>> sorted = new TreeMap<>();
        replicas.forEach((p, r) -> sorted.put(p, List.copyOf(r)));
        replicas = Collections.unmodifiableMap(sorted);
    }

    public int numPartitions() {
        return replicas.size();
    }

    /** The replicas of one partition, empty if the topic has no such partition. */
    public List<Integer> replicas(int partition) {
        return replicas.getOrDefault(partition, List.of());
    }

    /** This topic with more partitions, for CreatePartitions. */
    public TopicAssignment withPartitions(Map<Integer, List<Integer>> added) {
        TreeMap<Integer, List<Integer>> all = new TreeMap<>(replicas);
        all.putAll(added);
        return new TopicAssignment(name, topicId, all);
    }

    /** The partition ids in ascending order. */
    public List<Integer> partitions() {
        return new ArrayList<>(replicas.keySet());
    }
}
