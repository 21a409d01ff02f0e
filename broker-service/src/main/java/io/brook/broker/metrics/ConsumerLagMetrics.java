package io.brook.broker.metrics;

import io.brook.broker.group.GroupCoordinatorService;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ReplicaManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag exported by the brokers themselves (Kafka needs kafka_exporter or Burrow for
 * this): {@code brook_consumer_group_lag{group,topic,partition}} and {@code
 * brook_consumer_group_lag_sum{group}}, reported by the group's coordinator only, so that a sum
 * over brokers counts each group once.
 *
 * <p>The lag of a partition is its high watermark minus the group's committed offset (0 if the
 * commit is ahead, which a truncated log can cause): the high watermark, not the leader's log end,
 * because it is what a consumer can read and what {@code ListOffsets(latest)} answers, as
 * kafka_exporter reads it. It comes from this broker's own replica of the partition: exact as
 * leader; as follower, the leader's high watermark as of the last fetch response (behind by at
 * most one fetch round trip). A partition with no replica on the coordinator has no series (and
 * is left out of the sum): asking its leader would make each refresh a network round trip.
 * With {@code offsets.topic.replication.factor} and the topics' replication factors equal to the
 * cluster size every coordinator hosts every partition.
 *
 * <p>Committed offsets are read from the coordinator's shards on their event thread ({@link
 * GroupCoordinatorService#committedOffsets}) at each {@link #refresh}, every {@code
 * brook.broker.metrics-refresh-interval}; the series of a group or partition that has no
 * committed offset any more (the group or its offsets deleted, the coordinator moved) disappear
 * at the next refresh.
 *
 * <p>Threading: {@link #refresh} runs on one thread at a time (the metrics refresher).
 */
public final class ConsumerLagMetrics {

    private final GroupCoordinatorService groups;
    private final ReplicaManager replicaManager;
    private final MultiGauge lag;
    private final MultiGauge lagSum;

    public ConsumerLagMetrics(MeterRegistry registry, GroupCoordinatorService groups, ReplicaManager replicaManager) {
        this.groups = groups;
        this.replicaManager = replicaManager;
        this.lag = MultiGauge.builder("brook.consumer.group.lag")
                .description("High watermark minus the group's committed offset, by the group's coordinator")
                .register(registry);
        this.lagSum = MultiGauge.builder("brook.consumer.group.lag.sum")
                .description("The group's lag summed over its partitions, by the group's coordinator")
                .register(registry);
    }

    /** Re-reads the committed offsets and the high watermarks and replaces every series. */
    public void refresh() throws Exception {
        Map<String, Map<TopicPartition, Long>> committed =
                groups.committedOffsets().get(10, TimeUnit.SECONDS);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        List<MultiGauge.Row<?>> sums = new ArrayList<>();
        committed.forEach((group, offsets) -> {
            long sum = 0;
            boolean any = false;
            for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
                OptionalLong end = highWatermark(e.getKey());
                if (end.isEmpty()) {
                    continue;
                }
                long partitionLag = Math.max(0, end.getAsLong() - e.getValue());
                rows.add(MultiGauge.Row.of(
                        Tags.of(
                                "group",
                                group,
                                "topic",
                                e.getKey().topic(),
                                "partition",
                                Integer.toString(e.getKey().partition())),
                        partitionLag));
                sum += partitionLag;
                any = true;
            }
            if (any) {
                sums.add(MultiGauge.Row.of(Tags.of("group", group), sum));
            }
        });
        lag.register(rows, true);
        lagSum.register(sums, true);
    }

    /** The high watermark of this broker's replica of {@code tp}, if it hosts one. */
    private OptionalLong highWatermark(TopicPartition tp) {
        Optional<Partition> partition = replicaManager.partition(tp);
        if (partition.isEmpty()
                || partition.get().role() == Partition.Role.OFFLINE
                || partition.get().role() == Partition.Role.NONE) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(partition.get().log().highWatermark());
    }
}
