package io.brook.broker.replication;

import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.metadata.PartitionState;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies partition states from the metadata cache to this broker: leads the partitions whose
 * leader is this broker (creating their logs), stops serving the ones it lost, and deletes the
 * logs of deleted topics. Other components that care about leadership (the group coordinator,
 * for {@code __consumer_offsets}) are told after the partition is ready.
 *
 * <p>Threading: called on the cache's notification thread, one change at a time.
 */
public final class LeadershipSync implements MetadataListener {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipSync.class);

    private final int brokerId;
    private final ReplicaManager replicaManager;
    private final List<BiConsumer<TopicPartition, Partition>> onLeader;
    private final List<Consumer<TopicPartition>> onResigned;

    public LeadershipSync(
            int brokerId,
            ReplicaManager replicaManager,
            List<BiConsumer<TopicPartition, Partition>> onLeader,
            List<Consumer<TopicPartition>> onResigned) {
        this.brokerId = brokerId;
        this.replicaManager = replicaManager;
        this.onLeader = List.copyOf(onLeader);
        this.onResigned = List.copyOf(onResigned);
    }

    @Override
    public void onPartitionStateChanged(TopicPartition tp, PartitionState state) {
        try {
            if (state.leader() == brokerId) {
                // An ISR-only change keeps leader and epoch: nothing to tell (the group
                // coordinator would otherwise reload its partition and rebalance every group).
                boolean changed = replicaManager
                        .partition(tp)
                        .map(p -> !p.isLeader() || p.leaderEpoch() != state.leaderEpoch())
                        .orElse(true);
                Partition partition = replicaManager.becomeLeader(tp, state.leaderEpoch());
                if (changed) {
                    onLeader.forEach(listener -> listener.accept(tp, partition));
                }
            } else if (replicaManager.partition(tp).map(Partition::isLeader).orElse(false)) {
                replicaManager.makeOffline(tp);
                onResigned.forEach(listener -> listener.accept(tp));
            }
        } catch (RuntimeException e) {
            LOG.error("Could not apply the state {} of {}", state, tp, e);
        }
    }

    @Override
    public void onTopicDeleted(String topic) {
        for (TopicPartition tp : replicaManager.partitions().keySet()) {
            if (tp.topic().equals(topic)) {
                onResigned.forEach(listener -> listener.accept(tp));
                replicaManager.deletePartition(tp);
                LOG.info("Deleted the log of {}", tp);
            }
        }
    }
}
