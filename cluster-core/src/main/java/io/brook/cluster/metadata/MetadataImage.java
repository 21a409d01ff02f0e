package io.brook.cluster.metadata;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/**
 * One immutable, self-consistent view of the cluster metadata in ZooKeeper, as the {@link
 * MetadataCache} last saw it. Safe to share between threads; a request handler should take one
 * image and answer from it, so that its answer never mixes two versions.
 *
 * <p>Partition states are included only for partitions of topics in {@link #topics()}, so a
 * reader never sees a state whose topic it cannot find.
 */
public final class MetadataImage {

    public static final MetadataImage EMPTY = new MetadataImage(
            Optional.empty(), OptionalInt.empty(), Map.of(), Map.of(), Map.of(), Map.of(), Set.of(), Set.of(), 0);

    private final Optional<String> clusterId;
    private final OptionalInt controllerId;
    private final SortedMap<Integer, BrokerRegistration> brokers;
    private final SortedMap<String, TopicAssignment> topics;
    private final Map<Uuid, String> topicNamesById;
    private final Map<TopicPartition, PartitionState> partitionStates;
    private final Map<String, Map<String, String>> topicConfigs;
    private final Set<String> topicsMarkedForDeletion;
    private final Set<Integer> shuttingDownBrokers;
    private final long sequence;

    MetadataImage(
            Optional<String> clusterId,
            OptionalInt controllerId,
            Map<Integer, BrokerRegistration> brokers,
            Map<String, TopicAssignment> topics,
            Map<TopicPartition, PartitionState> partitionStates,
            Map<String, Map<String, String>> topicConfigs,
            Set<String> topicsMarkedForDeletion,
            Set<Integer> shuttingDownBrokers,
            long sequence) {
        this.clusterId = clusterId;
        this.controllerId = controllerId;
        this.brokers = Collections.unmodifiableSortedMap(new TreeMap<>(brokers));
        this.topics = Collections.unmodifiableSortedMap(new TreeMap<>(topics));
        Map<Uuid, String> byId = new HashMap<>();
        topics.values().forEach(t -> byId.put(t.topicId(), t.name()));
        this.topicNamesById = Collections.unmodifiableMap(byId);
        Map<TopicPartition, PartitionState> states = new HashMap<>();
        partitionStates.forEach((tp, state) -> {
            TopicAssignment topic = topics.get(tp.topic());
            if (topic != null && topic.replicas().containsKey(tp.partition())) {
                states.put(tp, state);
            }
        });
        this.partitionStates = Collections.unmodifiableMap(states);
        Map<String, Map<String, String>> configs = new HashMap<>();
        topicConfigs.forEach((t, c) -> {
            if (topics.containsKey(t)) {
                configs.put(t, Map.copyOf(c));
            }
        });
        this.topicConfigs = Collections.unmodifiableMap(configs);
        this.topicsMarkedForDeletion = Collections.unmodifiableSet(new TreeSet<>(topicsMarkedForDeletion));
        this.shuttingDownBrokers = Collections.unmodifiableSet(new TreeSet<>(shuttingDownBrokers));
        this.sequence = sequence;
    }

    public Optional<String> clusterId() {
        return clusterId;
    }

    /** The active controller's broker id, if there is one. */
    public OptionalInt controllerId() {
        return controllerId;
    }

    /** The live brokers by ascending id. */
    public SortedMap<Integer, BrokerRegistration> brokers() {
        return brokers;
    }

    public Optional<BrokerRegistration> broker(int id) {
        return Optional.ofNullable(brokers.get(id));
    }

    /** Every topic (including those marked for deletion) by name. */
    public SortedMap<String, TopicAssignment> topics() {
        return topics;
    }

    public Set<String> topicNames() {
        return topics.keySet();
    }

    public Optional<TopicAssignment> topic(String name) {
        return Optional.ofNullable(topics.get(name));
    }

    public Optional<Uuid> topicId(String name) {
        return topic(name).map(TopicAssignment::topicId);
    }

    /** The name of the topic with this id (Fetch from v13 and others name topics by id). */
    public Optional<String> topicName(Uuid topicId) {
        return Optional.ofNullable(topicNamesById.get(topicId));
    }

    public Optional<PartitionState> partitionState(TopicPartition tp) {
        return Optional.ofNullable(partitionStates.get(tp));
    }

    public Map<TopicPartition, PartitionState> partitionStates() {
        return partitionStates;
    }

    /** A topic's config overrides (empty if none or no such topic); broker defaults apply to the rest. */
    public Map<String, String> topicConfig(String name) {
        return topicConfigs.getOrDefault(name, Map.of());
    }

    public boolean isMarkedForDeletion(String topic) {
        return topicsMarkedForDeletion.contains(topic);
    }

    public Set<String> topicsMarkedForDeletion() {
        return topicsMarkedForDeletion;
    }

    /**
     * The brokers that asked for a controlled shutdown ({@code /admin/controlled_shutdown/<id>}):
     * the controller moves leadership off them and keeps them out of ISRs while they stop.
     */
    public Set<Integer> shuttingDownBrokers() {
        return shuttingDownBrokers;
    }

    /**
     * Whether the topic and a state for each of its partitions are visible: what CreateTopics
     * waits for before answering.
     */
    public boolean isTopicReady(String name) {
        TopicAssignment topic = topics.get(name);
        if (topic == null) {
            return false;
        }
        List<Integer> partitions = topic.partitions();
        return partitions.stream().allMatch(p -> partitionStates.containsKey(new TopicPartition(name, p)));
    }

    /** Increases by one with every image the cache publishes (0 for {@link #EMPTY}). */
    public long sequence() {
        return sequence;
    }
}
