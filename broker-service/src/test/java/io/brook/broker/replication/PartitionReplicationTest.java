package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.MutableClock;
import io.brook.broker.log.PartitionLog;
import io.brook.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader's side of replication on one {@link Partition} with a real log and a hand-moved
 * clock: the high watermark as the minimum over the ISR, and the ISR expand and shrink decisions,
 * with ISR writes recorded by a fake writer and answered by the test.
 */
class PartitionReplicationTest {

    static final int LEADER = 1;
    static final long LAG_MS = 10_000;

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000);
    final TopicPartition tp = new TopicPartition("t", 0);
    final List<PartitionState> proposals = new ArrayList<>();
    final List<TopicPartition> changes = new ArrayList<>();
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
                tp,
                log,
                clock,
                86_400_000L,
                new Partition.Settings(LEADER, LAG_MS, (p, proposed) -> proposals.add(proposed)),
                changes::add);
    }

    @AfterEach
    void close() throws Exception {
        log.close();
        scheduler.shutdownNow();
    }

    static MemoryRecords records(int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(0L, null, ("v" + i).getBytes());
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    void lead(List<Integer> isr, int zkVersion) {
        partition.becomeLeader(new PartitionState(LEADER, 3, isr, 1, zkVersion), List.of(1, 2, 3));
    }

    /** Answers the last proposal as written at the next znode version. */
    PartitionState acceptLastProposal() {
        PartitionState proposed = proposals.get(proposals.size() - 1);
        PartitionState written = proposed.withZkVersion(proposed.zkVersion() + 1);
        partition.completeIsrChange(proposed, written, null);
        return written;
    }

    @Test
    void highWatermarkIsTheMinimumLogEndOverTheIsrAndNeverMovesBack() {
        lead(List.of(1, 2, 3), 0);
        partition.appendAsLeader(records(10), (short) -1);
        assertThat(log.logEndOffset()).isEqualTo(10);
        // Followers' log ends are unknown until they fetch: the HW stays.
        assertThat(log.highWatermark()).isZero();

        assertThat(partition.updateFollowerFetchState(2, 10, 0, clock.millis())).isFalse();
        assertThat(partition.updateFollowerFetchState(3, 0, 0, clock.millis())).isFalse();
        assertThat(log.highWatermark()).isZero();
        changes.clear();
        assertThat(partition.updateFollowerFetchState(3, 4, 0, clock.millis())).isTrue();
        assertThat(log.highWatermark()).isEqualTo(4);
        assertThat(changes).as("a moved HW wakes what waits on the partition").containsExactly(tp);
        assertThat(partition.updateFollowerFetchState(3, 10, 0, clock.millis())).isTrue();
        assertThat(log.highWatermark()).isEqualTo(10);

        // A follower that fetches from an older offset (it truncated) does not move the HW back.
        partition.updateFollowerFetchState(3, 6, 0, clock.millis());
        assertThat(log.highWatermark()).isEqualTo(10);
    }

    @Test
    void aFollowersLogStartMovingOrAnIsrChangeFromTheControllerWakesWhatWaitsOnThePartition() {
        lead(List.of(1, 2, 3), 0);
        partition.updateFollowerFetchState(2, 0, 0, clock.millis());
        changes.clear();
        partition.updateFollowerFetchState(2, 0, 0, clock.millis());
        assertThat(changes).as("nothing moved").isEmpty();

        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());
        log.deleteRecordsBefore(4);
        changes.clear();
        partition.updateFollowerFetchState(2, 10, 4, clock.millis()); // (a DeleteRecords may wait on it)
        assertThat(changes).containsExactly(tp);

        assertThat(partition.lowWatermark()).as("broker 3 still starts at 0").isZero();

        // broker 3 died: the controller drops it from the ISR, same leader and epoch
        changes.clear();
        partition.becomeLeader(new PartitionState(LEADER, 3, List.of(1, 2), 1, 1), List.of(1, 2, 3));
        assertThat(changes).containsExactly(tp);
        assertThat(partition.lowWatermark()).isEqualTo(4);
    }

    @Test
    void anIsrMemberNoLongerAssignedIsRemovedAtOnce() {
        lead(List.of(1, 2, 3), 0);
        partition.updateFollowerFetchState(2, 0, 0, clock.millis());
        partition.updateFollowerFetchState(3, 0, 0, clock.millis());
        assertThat(proposals).isEmpty();

        // A reassignment took replica 3 away; the ISR still names it (not lagging, by the clock).
        partition.becomeLeader(new PartitionState(LEADER, 3, List.of(1, 2, 3), 1, 0), List.of(1, 2));

        assertThat(proposals).hasSize(1);
        assertThat(proposals.get(0).isr()).containsExactly(1, 2);
        acceptLastProposal();
        // And it is not added back while it still fetches, before it learns it was removed.
        partition.updateFollowerFetchState(3, 0, 0, clock.millis());
        assertThat(proposals).hasSize(1);
    }

    @Test
    void aLeaderAloneInTheIsrMovesTheHighWatermarkWithItsAppends() {
        lead(List.of(1), 0);
        partition.appendAsLeader(records(3), (short) 1);
        assertThat(log.highWatermark()).isEqualTo(3);
    }

    @Test
    void aFollowerJoinsTheIsrOnceItReachesTheHighWatermark() {
        lead(List.of(1, 2), 0);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        assertThat(log.highWatermark()).isEqualTo(10);

        partition.updateFollowerFetchState(3, 5, 0, clock.millis());
        assertThat(proposals).isEmpty();
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());
        assertThat(proposals).hasSize(1);
        assertThat(proposals.get(0).isr()).containsExactly(1, 2, 3);
        assertThat(proposals.get(0).leaderEpoch()).isEqualTo(3);
        assertThat(proposals.get(0).zkVersion()).isZero();
        // One change at a time.
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());
        assertThat(proposals).hasSize(1);

        acceptLastProposal();
        assertThat(partition.inSyncReplicas()).containsExactly(1, 2, 3);
        assertThat(partition.partitionState().orElseThrow().zkVersion()).isEqualTo(1);
    }

    @Test
    void whileAnExpansionIsInFlightTheNewMemberAlreadyHoldsTheHighWatermark() {
        lead(List.of(1, 2), 0);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());
        assertThat(partition.pendingIsrChange()).isPresent();

        partition.appendAsLeader(records(5), (short) 1);
        partition.updateFollowerFetchState(2, 15, 0, clock.millis());
        // 3 is in the proposed ISR and still at 10: the HW waits for it.
        assertThat(log.highWatermark()).isEqualTo(10);
        partition.updateFollowerFetchState(3, 15, 0, clock.millis());
        assertThat(log.highWatermark()).isEqualTo(15);
    }

    @Test
    void aFollowerThatHasNotCaughtUpWithinTheLagTimeLeavesTheIsrButTheLeaderNever() {
        lead(List.of(1, 2, 3), 0);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        partition.updateFollowerFetchState(3, 10, 0, clock.millis());

        partition.appendAsLeader(records(10), (short) 1);
        clock.advance(LAG_MS / 2);
        partition.updateFollowerFetchState(2, 20, 0, clock.millis()); // caught up
        partition.updateFollowerFetchState(3, 12, 0, clock.millis()); // behind
        assertThat(partition.maybeShrinkIsr(clock.millis())).isEmpty();

        clock.advance(LAG_MS / 2 + 1);
        // 3 was last caught up LAG_MS + 1 ago; 2 half that.
        assertThat(partition.maybeShrinkIsr(clock.millis())).containsExactly(3);
        assertThat(proposals.get(0).isr()).containsExactly(1, 2);
        assertThat(proposals.get(0).leader()).isEqualTo(LEADER);
        acceptLastProposal();
        assertThat(partition.inSyncReplicas()).containsExactly(1, 2);
        // Without 3 the HW follows 2 alone.
        assertThat(log.highWatermark()).isEqualTo(20);

        // Even with every follower gone quiet, the leader stays in its ISR.
        partition.appendAsLeader(records(1), (short) 1);
        clock.advance(LAG_MS * 3);
        assertThat(partition.maybeShrinkIsr(clock.millis())).containsExactly(2);
        assertThat(proposals.get(1).isr()).containsExactly(1);
    }

    @Test
    void aFollowerFetchingFromTheLeadersEndAtThePreviousFetchCountsAsCaughtUpThen() {
        lead(List.of(1, 2), 0);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 5, 0, clock.millis()); // leader end was 10
        clock.advance(LAG_MS - 1);
        partition.appendAsLeader(records(10), (short) 1);
        // From 10, the leader's end at the previous fetch: caught up as of that fetch.
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        clock.advance(2);
        assertThat(partition.maybeShrinkIsr(clock.millis())).containsExactly(2);
    }

    @Test
    void aLostIsrWriteAdoptsTheStateReadBackAndDecidesAgain() {
        lead(List.of(1, 2, 3), 4);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        clock.advance(LAG_MS + 1);
        partition.maybeShrinkIsr(clock.millis());
        PartitionState proposed = proposals.get(0);

        // The controller removed 2 meanwhile (it died): version 5 on ZooKeeper.
        PartitionState current = new PartitionState(LEADER, 3, List.of(1, 3), 2, 5);
        partition.completeIsrChange(proposed, null, current);
        assertThat(partition.inSyncReplicas()).containsExactly(1, 3);
        assertThat(partition.pendingIsrChange()).isEmpty();

        partition.maybeShrinkIsr(clock.millis());
        assertThat(proposals.get(1).isr()).containsExactly(1);
        assertThat(proposals.get(1).zkVersion()).isEqualTo(5);

        // A state of another leadership is not adopted: the metadata will demote this broker.
        partition.completeIsrChange(proposals.get(1), null, new PartitionState(2, 4, List.of(2), 2, 6));
        assertThat(partition.inSyncReplicas()).containsExactly(1, 3);
    }

    @Test
    void acksAllWithTooFewInSyncReplicasIsRefusedBeforeAnythingIsAppended() {
        lead(List.of(1), 0);
        assertThatThrownBy(() -> partition.appendAsLeader(records(2), (short) -1))
                .isInstanceOf(NotEnoughReplicasException.class);
        assertThat(log.logEndOffset()).isZero();
        partition.appendAsLeader(records(2), (short) 1);
        assertThat(log.logEndOffset()).isEqualTo(2);
    }

    @Test
    void aNewLeaderEpochResetsTheFollowersAndStartsTheEpochInTheCache() {
        lead(List.of(1, 2), 0);
        partition.appendAsLeader(records(10), (short) 1);
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        assertThat(partition.followerLogEndOffset(2)).isEqualTo(10);

        partition.becomeFollower(new PartitionState(2, 4, List.of(1, 2), 1, 1), List.of(1, 2, 3));
        assertThat(partition.isLeader()).isFalse();
        assertThat(partition.checkReplicated(10, 3))
                .hasValue(org.apache.kafka.common.protocol.Errors.NOT_LEADER_OR_FOLLOWER);

        assertThat(partition.becomeLeader(new PartitionState(LEADER, 5, List.of(1, 2), 1, 2), List.of(1, 2, 3)))
                .isTrue();
        assertThat(partition.followerLogEndOffset(2)).isEqualTo(-1);
        assertThat(log.latestEpoch()).hasValue(5);
        assertThat(log.endOffsetForEpoch(3).endOffset()).isEqualTo(10);
        // The same epoch again is not a new leadership.
        assertThat(partition.becomeLeader(new PartitionState(LEADER, 5, List.of(1, 2), 1, 2), List.of(1, 2, 3)))
                .isFalse();
    }

    @Test
    void theHighWatermarkSurvivesARestartAndBoundsReadsUntilTheReplicaLearnsMore() throws Exception {
        partition.becomeFollower(new PartitionState(2, 3, List.of(1, 2), 1, 0), List.of(1, 2));
        for (long base : new long[] {0, 6}) {
            SimpleRecord[] values = new SimpleRecord[base == 0 ? 6 : 4];
            for (int i = 0; i < values.length; i++) {
                values[i] = new SimpleRecord(0L, null, ("v" + (base + i)).getBytes());
            }
            partition.appendAsFollower(MemoryRecords.withRecords(
                    RecordBatch.MAGIC_VALUE_V2,
                    base,
                    Compression.NONE,
                    TimestampType.CREATE_TIME,
                    1L,
                    (short) 0,
                    (int) base,
                    3,
                    false,
                    values));
        }
        partition.updateFollowerHighWatermark(6);
        log.close();

        log = PartitionLog.open(
                tmp.toFile(),
                LogConfig.of(Map.of(LogConfig.MIN_IN_SYNC_REPLICAS, "2")),
                clock,
                scheduler,
                new LogDirFailureHandler());
        partition = new Partition(
                tp,
                log,
                clock,
                86_400_000L,
                new Partition.Settings(LEADER, LAG_MS, (p, proposed) -> proposals.add(proposed)),
                changes::add);
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.highWatermark()).isEqualTo(6);

        // Elected leader with a follower in the ISR: the HW stays until that follower fetches.
        lead(List.of(1, 2), 1);
        assertThat(log.highWatermark()).isEqualTo(6);
        assertThat(log.read(0, Integer.MAX_VALUE, io.brook.broker.log.FetchIsolation.HIGH_WATERMARK, true)
                        .records()
                        .batches()
                        .iterator()
                        .next()
                        .lastOffset())
                .isEqualTo(5);
        // The batch above the HW is not exposed until the HW passes it.
        assertThat(log.read(6, Integer.MAX_VALUE, io.brook.broker.log.FetchIsolation.HIGH_WATERMARK, true)
                        .records()
                        .sizeInBytes())
                .isZero();
        assertThat(partition.producers().producer(1L)).isPresent();
        partition.updateFollowerFetchState(2, 10, 0, clock.millis());
        assertThat(log.highWatermark()).isEqualTo(10);
    }
}
