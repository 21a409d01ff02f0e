package io.brook.broker.replication;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the cluster metadata to this broker's replicas (what Kafka's controller sent as
 * LeaderAndIsr and StopReplica in ZooKeeper mode). For every partition, from its state and its
 * topic's replica assignment:
 *
 * <table>
 *   <caption>Role of this broker (me) for a partition</caption>
 *   <tr><th>condition</th><th>action</th></tr>
 *   <tr><td>leader = me</td><td>lead at the state's epoch with its ISR (log created if
 *       missing)</td></tr>
 *   <tr><td>leader &ne; me, me in the replicas</td><td>follow: log created if missing, truncate
 *       to where it agrees with the leader and fetch from the leader's advertised endpoint (no
 *       fetching while there is no live leader)</td></tr>
 *   <tr><td>me not in the replicas, a local replica exists</td><td>stop serving and fetching,
 *       delete the local log (a reassignment moved it)</td></tr>
 *   <tr><td>topic deleted</td><td>stop and delete the logs of its partitions</td></tr>
 * </table>
 *
 * <p>Each image is compared with what was last applied per partition (state with its znode
 * version, replica list, leader endpoint), so that an assignment change alone (a broker added by a
 * reassignment) is applied too. Other components that care about leadership (the group
 * coordinator, for {@code __consumer_offsets}) are told after the partition is ready: of a new
 * leadership (not of an ISR-only change), and of its loss.
 *
 * <p>Threading: called on the cache's notification thread, one image at a time. Role changes
 * touch only local state and the fetcher threads' partition sets; network and truncation work
 * runs on the fetcher threads.
 */
public final class LeadershipSync implements MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipSync.class);
    private final int brokerId;
    /** The inter-broker listener: followers fetch from the leader's endpoint on it. */
    private final String listener;

    private final ReplicaManager replicaManager;
    private final List<BiConsumer<TopicPartition, Partition>> onLeader;
    private final List<Consumer<TopicPartition>> onResigned;
    /** What was last applied per partition. Notification thread only. */
    private final Map<TopicPartition, Applied> applied = new HashMap<>();

    private record Applied(Uuid topicId, PartitionState state, List<Integer> replicas, Optional<Node> leader) {}

    public LeadershipSync(
            int brokerId,
            ReplicaManager replicaManager,
            List<BiConsumer<TopicPartition, Partition>> onLeader,
            List<Consumer<TopicPartition>> onResigned) {
        this(
                brokerId,
                ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT),
                replicaManager,
                onLeader,
                onResigned);
    }

    /**
     * @param interBrokerListener the listener whose endpoint of the leader followers fetch from
     *     (Kafka's inter.broker.listener.name); a leader without it is fetched from on its first
     *     endpoint
     */
    public LeadershipSync(
            int brokerId,
            ListenerName interBrokerListener,
            ReplicaManager replicaManager,
            List<BiConsumer<TopicPartition, Partition>> onLeader,
            List<Consumer<TopicPartition>> onResigned) {
        this.listener = interBrokerListener.value();
        this.brokerId = brokerId;
        this.replicaManager = replicaManager;
        this.onLeader = List.copyOf(onLeader);
        this.onResigned = List.copyOf(onResigned);
    }

    @Override
    public void onImage(MetadataImage image) {
        Set<TopicPartition> seen = new HashSet<>();
        image.partitionStates().forEach((tp, state) -> {
            seen.add(tp);
            TopicAssignment topic = image.topic(tp.topic()).orElse(null);
            if (topic == null) {
                return;
            }
            Optional<Node> leader =
                    state.hasLeader() ? image.broker(state.leader()).flatMap(this::endpoint) : Optional.empty();
            Applied next = new Applied(topic.topicId(), state, topic.replicas(tp.partition()), leader);
            if (!next.equals(applied.get(tp))) {
                apply(tp, next.topicId(), state, next.replicas(), leader);
                applied.put(tp, next);
            }
        });
        applied.keySet().retainAll(seen);
    }

    private Optional<Node> endpoint(BrokerRegistration broker) {
        Optional<Endpoint> endpoint =
                broker.endpoint(listener).or(() -> broker.endpoints().stream().findFirst());
        return endpoint.map(e -> new Node(broker.id(), e.host(), e.port()));
    }

    /**
     * Applies one partition's state and replica list (see the table above).
     *
     * @param leader the leader's endpoint, empty if it has none or it is not registered
     */
    public void apply(
            TopicPartition tp, Uuid topicId, PartitionState state, List<Integer> replicas, Optional<Node> leader) {
        try {
            boolean wasLeader =
                    replicaManager.partition(tp).map(Partition::isLeader).orElse(false);
            if (state.leader() == brokerId) {
                if (replicaManager.makeLeader(tp, state, replicas)) {
                    Partition partition = replicaManager.partition(tp).orElseThrow();
                    onLeader.forEach(listener -> listener.accept(tp, partition));
                }
            } else if (replicas.contains(brokerId)) {
                replicaManager.makeFollower(tp, topicId, state, replicas, leader);
                if (wasLeader) {
                    onResigned.forEach(listener -> listener.accept(tp));
                }
            } else if (replicaManager.hasLocalReplica(tp)) {
                if (wasLeader) {
                    onResigned.forEach(listener -> listener.accept(tp));
                }
                replicaManager.deletePartition(tp);
                LOG.info("Deleted the replica of {}: no longer assigned here (replicas {})", tp, replicas);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not apply the state {} of {}", state, tp, e);
        }
    }

    @Override
    public void onTopicDeleted(String topic) {
        applied.keySet().removeIf(tp -> tp.topic().equals(topic));
        for (TopicPartition tp : replicaManager.partitions().keySet()) {
            if (tp.topic().equals(topic)) {
                onResigned.forEach(listener -> listener.accept(tp));
                replicaManager.deletePartition(tp);
                LOG.info("Deleted the log of {}", tp);
            }
        }
    }

    /** Stops the replica fetchers and ISR writes: the broker is shutting down and its logs close next. */
    public void close() {
        replicaManager.shutdown();
    }
}
