package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.MutableClock;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.replication.ReplicaManager.DeleteResult;
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

/**
 * A DeleteRecords waiting on a real leader partition (replicas 1, 2 and 3, all in sync, ten records
 * replicated) for its followers to report their log start, as their fetches do.
 */
class DelayedDeleteRecordsTest {

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
        log = PartitionLog.open(tmp.toFile(), LogConfig.of(Map.of()), clock, scheduler, new LogDirFailureHandler());
        partition = new Partition(
                tp, log, clock, 86_400_000L, new Partition.Settings(1, 10_000, (p, s) -> proposals.add(s)), t -> {});
        partition.becomeLeader(new PartitionState(1, 0, List.of(1, 2, 3), 1, 0), List.of(1, 2, 3));
        partition.appendAsLeader(PartitionReplicationTest.records(10), (short) -1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());
        assertThat(log.highWatermark()).isEqualTo(10);
    }

    @AfterEach
    void close() throws Exception {
        log.close();
        scheduler.shutdownNow();
    }

    /** What ReplicaManager does: deletes on the leader, then waits. */
    DelayedDeleteRecords deleteBefore(long offset) {
        long logStart = log.deleteRecordsBefore(offset);
        return new DelayedDeleteRecords(
                Map.of(tp, new DeleteResult(Errors.NONE, null, logStart)),
                Map.of(tp, new DelayedDeleteRecords.Pending(logStart, partition.leaderEpoch())),
                key -> Optional.of(partition));
    }

    @Test
    void completesOnceEveryInSyncFollowerReportsTheNewLogStart() {
        DelayedDeleteRecords delete = deleteBefore(6);
        assertThat(partition.lowWatermark()).isZero();
        assertThat(delete.tryComplete()).isFalse();

        partition.updateFollowerFetchState(2, 10, 6, clock.millis());
        assertThat(partition.lowWatermark()).as("follower 3 still starts at 0").isZero();
        assertThat(delete.tryComplete()).isFalse();
        partition.updateFollowerFetchState(3, 10, 6, clock.millis());

        assertThat(partition.lowWatermark()).isEqualTo(6);
        assertThat(delete.tryComplete()).isTrue();
        assertThat(delete.future().join().get(tp)).isEqualTo(new DeleteResult(Errors.NONE, null, 6));
    }

    @Test
    void timesOutWhileAFollowerHasNotCaughtUpWithTheLogStart() {
        DelayedDeleteRecords delete = deleteBefore(6);
        partition.updateFollowerFetchState(2, 10, 6, clock.millis());
        delete.expire();
        assertThat(delete.future().join().get(tp).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
        // Later progress does not change an answer given.
        partition.updateFollowerFetchState(3, 10, 6, clock.millis());
        assertThat(delete.tryComplete()).isTrue();
        assertThat(delete.future().join().get(tp).error()).isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void aFollowerThatLeavesTheIsrIsNoLongerWaitedFor() {
        DelayedDeleteRecords delete = deleteBefore(6);
        partition.updateFollowerFetchState(2, 10, 6, clock.millis());
        partition.appendAsLeader(PartitionReplicationTest.records(1), (short) 1);
        clock.advance(10_001);
        partition.updateFollowerFetchState(2, 11, 6, clock.millis()); // 2 keeps up, 3 went silent
        partition.maybeShrinkIsr(clock.millis());
        PartitionState proposed = proposals.get(0);
        assertThat(proposed.isr()).containsExactly(1, 2);
        assertThat(delete.tryComplete())
                .as("3 is still in the ISR until the change is written")
                .isFalse();

        partition.completeIsrChange(proposed, proposed.withZkVersion(1), null);

        assertThat(delete.tryComplete()).isTrue();
        assertThat(delete.future().join().get(tp)).isEqualTo(new DeleteResult(Errors.NONE, null, 6));
    }

    @Test
    void aFollowerThatHasNotFetchedInThisLeadershipHoldsTheLowWatermark() {
        partition.becomeLeader(new PartitionState(1, 1, List.of(1, 2, 3), 1, 1), List.of(1, 2, 3));
        assertThat(partition.lowWatermark()).isEqualTo(-1);
        DelayedDeleteRecords delete = deleteBefore(6);
        partition.updateFollowerFetchState(2, 10, 6, clock.millis());
        assertThat(delete.tryComplete()).isFalse();
        partition.updateFollowerFetchState(3, 10, 6, clock.millis());
        assertThat(delete.tryComplete()).isTrue();
        assertThat(delete.future().join().get(tp).lowWatermark()).isEqualTo(6);
    }

    @Test
    void answersNotLeaderWhenLeadershipMovesAway() {
        DelayedDeleteRecords delete = deleteBefore(6);
        partition.becomeFollower(new PartitionState(2, 1, List.of(2, 3), 1, 1), List.of(1, 2, 3));
        assertThat(delete.tryComplete()).isTrue();
        assertThat(delete.future().join().get(tp)).isEqualTo(new DeleteResult(Errors.NOT_LEADER_OR_FOLLOWER, null, -1));
    }
}
