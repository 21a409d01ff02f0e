package io.brook.broker.metrics;

import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ZkIsrWriter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka's {@code ReplicaManager}, {@code LogFlushStats} and {@code Log} meters:
 *
 * <ul>
 *   <li>{@code brook_replica_manager_under_replicated_partitions}: partitions led here whose ISR
 *       is smaller than their replica set;
 *   <li>{@code brook_replica_manager_under_min_isr_partition_count}: partitions led here whose
 *       ISR is below the topic's {@code min.insync.replicas};
 *   <li>{@code brook_replica_manager_isr_shrinks_total} and {@code _isr_expands_total}: followers
 *       removed from and added to ISRs by this broker as leader, counted when the change is
 *       written to ZooKeeper ({@link ZkIsrWriter.IsrChangeListener});
 *   <li>{@code brook_log_flush_time_ms}: fsync latency of log flushes, a summary like the
 *       request times;
 *   <li>{@code brook_log_size_bytes{topic,partition}}: bytes of each partition's log on this
 *       broker, leader or follower.
 * </ul>
 *
 * <p>The two partition counts are computed over the hosted partitions when scraped; the set of
 * log-size series follows the hosted partitions at each {@link #refresh}, and each value is read
 * from the log when scraped.
 *
 * <p>Threading: thread-safe.
 */
public final class ReplicationMetrics implements ZkIsrWriter.IsrChangeListener, LongConsumer {

    private static final double NANOS_PER_MS = 1_000_000.0;

    private final Supplier<Map<TopicPartition, Partition>> partitions;
    private final Counter isrShrinks;
    private final Counter isrExpands;
    private final DistributionSummary flushTime;
    private final MultiGauge logSize;

    /** @param partitions the hosted partitions now (the replica manager's) */
    public ReplicationMetrics(MeterRegistry registry, Supplier<Map<TopicPartition, Partition>> partitions) {
        this.partitions = partitions;
        Gauge.builder("brook.replica.manager.under.replicated.partitions", this, m -> m.underReplicated())
                .description("Partitions led here with an ISR smaller than the replica set")
                .register(registry);
        Gauge.builder("brook.replica.manager.under.min.isr.partition.count", this, m -> m.underMinIsr())
                .description("Partitions led here with an ISR below min.insync.replicas")
                .register(registry);
        isrShrinks = Counter.builder("brook.replica.manager.isr.shrinks")
                .description("Followers removed from an ISR by this broker as leader")
                .register(registry);
        isrExpands = Counter.builder("brook.replica.manager.isr.expands")
                .description("Followers added back to an ISR by this broker as leader")
                .register(registry);
        flushTime = DistributionSummary.builder("brook.log.flush.time.ms")
                .description("Fsync latency of log flushes in milliseconds")
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
        logSize = MultiGauge.builder("brook.log.size")
                .description("Bytes of a partition's log on this broker")
                .baseUnit("bytes")
                .register(registry);
    }

    int underReplicated() {
        int count = 0;
        for (Partition p : partitions.get().values()) {
            if (p.isLeader() && p.inSyncReplicas().size() < p.replicas().size()) {
                count++;
            }
        }
        return count;
    }

    int underMinIsr() {
        int count = 0;
        for (Partition p : partitions.get().values()) {
            if (p.isLeader() && p.inSyncReplicas().size() < p.log().config().minInSyncReplicas()) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void isrChanged(TopicPartition tp, int removed, int added) {
        if (removed > 0) {
            isrShrinks.increment(removed);
        }
        if (added > 0) {
            isrExpands.increment(added);
        }
    }

    /** A log flush took {@code nanos}. */
    @Override
    public void accept(long nanos) {
        flushTime.record(nanos / NANOS_PER_MS);
    }

    /** Brings the log-size series in line with the partitions hosted now (others are removed). */
    public void refresh() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (Map.Entry<TopicPartition, Partition> e : partitions.get().entrySet()) {
            TopicPartition tp = e.getKey();
            Partition partition = e.getValue();
            if (partition.role() == Partition.Role.OFFLINE) {
                continue;
            }
            rows.add(MultiGauge.Row.of(
                    Tags.of("topic", tp.topic(), "partition", Integer.toString(tp.partition())),
                    partition,
                    p -> p.log().size()));
        }
        logSize.register(rows, true);
    }
}
