package io.brook.broker.replication;

import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.zk.ZkClusterClient;
import io.brook.cluster.zk.ZkVersionMismatchException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link IsrWriter} over ZooKeeper: a conditional {@code setData} of the partition state znode
 * at the version the leader knew, without a controller fence (the version alone orders leader and
 * controller, as in Kafka's ZooKeeper mode). On a version mismatch it re-reads the znode and hands
 * that to the partition, which adopts it if it is still its leadership and decides again on the
 * next fetch or check: no blind retry loop.
 *
 * <p>Threading: writes run one at a time on a thread of its own.
 */
public final class ZkIsrWriter implements IsrWriter {

    private static final Logger LOG = LoggerFactory.getLogger(ZkIsrWriter.class);

    /** Told of every ISR change written: followers removed and added (Kafka's ISR shrink and expand rates). */
    public interface IsrChangeListener {
        void isrChanged(TopicPartition tp, int removed, int added);
    }

    private final ZkClusterClient zk;
    private final IsrChangeListener listener;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "brook-isr-writer");
        t.setDaemon(true);
        return t;
    });

    public ZkIsrWriter(ZkClusterClient zk) {
        this(zk, (tp, removed, added) -> {});
    }

    /** A writer that tells {@code listener} of each ISR change it wrote (metrics). */
    public ZkIsrWriter(ZkClusterClient zk, IsrChangeListener listener) {
        this.zk = zk;
        this.listener = listener;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public void write(Partition partition, PartitionState proposed) {
        try {
            executor.execute(() -> writeNow(partition, proposed));
        } catch (RejectedExecutionException e) {
            LOG.debug("ISR change of {} dropped: shutting down", partition.topicPartition());
        }
    }

    private void writeNow(Partition partition, PartitionState proposed) {
        TopicPartition tp = partition.topicPartition();
        PartitionState written = null;
        PartitionState current = null;
        try {
            List<Integer> before = partition.inSyncReplicas();
            written = zk.updatePartitionState(tp, proposed);
            LOG.info("ISR of {} is now {} (zkVersion {})", tp, written.isr(), written.zkVersion());
            int removed = (int)
                    before.stream().filter(id -> !proposed.isr().contains(id)).count();
            int added = (int)
                    proposed.isr().stream().filter(id -> !before.contains(id)).count();
            listener.isrChanged(tp, removed, added);
        } catch (ZkVersionMismatchException e) {
            try {
                current = zk.partitionState(tp).orElse(null);
            } catch (RuntimeException readFailed) {
                LOG.warn("Re-reading the state of {} failed: {}", tp, readFailed.toString());
            }
        } catch (RuntimeException e) {
            LOG.warn("Writing the ISR {} of {} failed: {}", proposed.isr(), tp, e.toString());
        }
        partition.completeIsrChange(proposed, written, current);
    }
}
