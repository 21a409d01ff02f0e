package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.MutableClock;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.replication.ReplicaManager.AppendResult;
import io.brook.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An acks=all produce waiting on a real leader partition whose followers the test moves. */
class DelayedProduceTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000);
    final TopicPartition tp = new TopicPartition("t", 0);
    final List<PartitionState> proposals = new ArrayList<>();
    ScheduledExecutorService scheduler;
    PartitionLog log;
    Partition partition;

    @BeforeEach
    void open() throws Exception {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log = PartitionLog.open(
                tmp.toFile(),
                LogConfig.of(Map.of(LogConfig.MIN_IN_SYNC_REPLICAS, "2")),
                clock,
                scheduler,
                new LogDirFailureHandler());
        partition = new Partition(
                tp, log, clock, 86_400_000L, new Partition.Settings(1, 10_000, (p, s) -> proposals.add(s)), t -> {});
        partition.becomeLeader(new PartitionState(1, 0, List.of(1, 2), 1, 0), List.of(1, 2));
    }

    @AfterEach
    void close() throws Exception {
        log.close();
        scheduler.shutdownNow();
    }

    DelayedProduce append(int records) {
        LogAppendInfo info = partition.appendAsLeader(PartitionReplicationTest.records(records), (short) -1);
        AppendResult result = new AppendResult(Errors.NONE, null, info, 0, partition.leaderEpoch());
        return new DelayedProduce(
                Map.of(tp, result),
                Map.of(tp, new DelayedProduce.Pending(info.lastOffset() + 1, partition.leaderEpoch())),
                key -> Optional.of(partition));
    }

    @Test
    void completesOnceTheHighWatermarkPassesTheAppend() {
        DelayedProduce produce = append(5);
        assertThat(produce.tryComplete()).isFalse();
        partition.updateFollowerFetchState(2, 3, 0, clock.millis());
        assertThat(produce.tryComplete()).isFalse();
        partition.updateFollowerFetchState(2, 5, 0, clock.millis());
        assertThat(produce.tryComplete()).isTrue();
        AppendResult result = produce.future().join().get(tp);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.info().firstOffset()).isZero();
    }

    @Test
    void timesOutWhileTheFollowerLags() {
        DelayedProduce produce = append(5);
        partition.updateFollowerFetchState(2, 2, 0, clock.millis());
        produce.expire();
        assertThat(produce.future().join().get(tp).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
        // Later progress does not change an answer given.
        partition.updateFollowerFetchState(2, 5, 0, clock.millis());
        assertThat(produce.tryComplete()).isTrue();
        assertThat(produce.future().join().get(tp).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void answersNotEnoughReplicasAfterAppendWhenTheIsrShrankBelowTheMinimum() {
        DelayedProduce produce = append(5);
        clock.advance(10_001);
        partition.maybeShrinkIsr(clock.millis());
        PartitionState proposed = proposals.get(0);
        partition.completeIsrChange(proposed, proposed.withZkVersion(1), null);
        // The leader alone: the HW reached the append, but with 1 < min.insync.replicas 2.
        assertThat(log.highWatermark()).isEqualTo(5);
        assertThat(produce.tryComplete()).isTrue();
        assertThat(produce.future().join().get(tp).error()).isEqualTo(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    }

    @Test
    void answersNotLeaderWhenLeadershipMovesAway() {
        DelayedProduce produce = append(5);
        partition.becomeFollower(new PartitionState(2, 1, List.of(2), 1, 1), List.of(1, 2));
        assertThat(produce.tryComplete()).isTrue();
        assertThat(produce.future().join().get(tp).error()).isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
    }
}
