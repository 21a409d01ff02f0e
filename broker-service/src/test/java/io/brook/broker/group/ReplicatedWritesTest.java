package io.brook.broker.group;

import static io.brook.broker.group.Harness.GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LogConfig;
import io.brook.cluster.metadata.PartitionState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator on a replicated {@code __consumer_offsets} partition: this broker leads, broker 1
 * follows in the ISR, and the test moves the follower. A write is answered, and its effect
 * visible, only once the high watermark has passed it; what cannot be committed is answered with
 * Kafka's coordinator errors.
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ReplicatedWritesTest {

    @TempDir
    Path tmp;

    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = Harness.replicated(tmp.resolve("leader").toFile(), Harness.testConfig(), Map.of());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (h != null) {
            h.close();
        }
    }

    CompletableFuture<OffsetCommitResponseData> commit(long offset) {
        return commit("", -1, offset);
    }

    CompletableFuture<OffsetCommitResponseData> commit(String memberId, int generation, long offset) {
        return h.coordinator.commitOffsets(
                Harness.ctx(9), Harness.commitRequest(memberId, generation, "topic-a", 0, offset));
    }

    static Errors error(OffsetCommitResponseData response) {
        return Errors.forCode(response.topics().get(0).partitions().get(0).errorCode());
    }

    long committed() {
        return h.fetch(GROUP, "topic-a", 0).topics().get(0).partitions().get(0).committedOffset();
    }

    @Test
    void aCommitIsAnsweredAndVisibleOnlyOnceTheFollowerHasIt() {
        CompletableFuture<OffsetCommitResponseData> response = commit(42);

        assertThat(h.log.logEndOffset()).as("appended at once").isEqualTo(1);
        assertThat(h.log.highWatermark())
                .as("the coordinator does not move the HW")
                .isZero();
        assertThat(response).as("waits for the ISR").isNotDone();
        assertThat(committed()).as("not visible before it is committed").isEqualTo(-1);

        h.followerFetched(0);
        assertThat(response).as("the follower has not got it yet").isNotDone();

        h.followerFetched(1);
        assertThat(h.log.highWatermark()).isEqualTo(1);
        assertThat(error(response.join())).isEqualTo(Errors.NONE);
        assertThat(committed()).isEqualTo(42);
    }

    @Test
    void writesFinishInLogOrderWhenOneHighWatermarkMovePassesSeveral() {
        CompletableFuture<OffsetCommitResponseData> first = commit(1);
        CompletableFuture<OffsetCommitResponseData> second = commit(2);
        CompletableFuture<OffsetCommitResponseData> third = commit(3);
        assertThat(List.of(first, second, third)).noneMatch(CompletableFuture::isDone);

        h.followerFetched(2);
        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isNotDone();
        assertThat(committed()).isEqualTo(2);

        h.followerFetched(3);
        assertThat(error(third.join())).isEqualTo(Errors.NONE);
        assertThat(committed()).as("the last commit wins, as on replay").isEqualTo(3);
    }

    @Test
    void aCommitNotReplicatedWithinTheTimeoutIsAnsweredCoordinatorNotAvailable() {
        CompletableFuture<OffsetCommitResponseData> response = commit(7);

        h.scheduler.advance(h.config.offsetCommitTimeoutMs() - 1);
        assertThat(response).isNotDone();
        h.scheduler.advance(1);

        assertThat(error(response.join()))
                .as("REQUEST_TIMED_OUT as the coordinator maps it: the client retries")
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(committed()).isEqualTo(-1);
        // Later replication does not change an answer given, and the retry succeeds.
        CompletableFuture<OffsetCommitResponseData> retry = commit(7);
        h.followerFetched(h.log.logEndOffset());
        assertThat(error(retry.join())).isEqualTo(Errors.NONE);
        assertThat(committed()).isEqualTo(7);
    }

    @Test
    void tooFewInSyncReplicasRefuseTheWriteWithCoordinatorNotAvailable() throws IOException {
        h.close();
        h = Harness.replicated(
                tmp.resolve("min-isr").toFile(), Harness.testConfig(), Map.of(LogConfig.MIN_IN_SYNC_REPLICAS, "3"));

        CompletableFuture<OffsetCommitResponseData> response = commit(5);

        assertThat(error(response.join()))
                .as("NOT_ENOUGH_REPLICAS as the coordinator maps it")
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(h.log.logEndOffset()).as("refused before appending").isZero();
        assertThat(committed()).isEqualTo(-1);
    }

    @Test
    void aCommitWaitingWhenLeadershipMovesIsAnsweredNotCoordinator() {
        CompletableFuture<OffsetCommitResponseData> response = commit(9);

        h.replicaManager.makeFollower(
                Harness.OFFSETS,
                Uuid.randomUuid(),
                new PartitionState(Harness.FOLLOWER, h.leaderEpoch + 1, h.replicas, 0, 1),
                h.replicas,
                Optional.empty());

        assertThat(error(response.join())).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void resigningAnswersWritesInFlightNotCoordinatorAtOnce() {
        CompletableFuture<OffsetCommitResponseData> response = commit(9);

        h.coordinator.onResignation(0);

        assertThat(error(response.join())).isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void theAssignmentReachesTheMembersOnlyOnceThePersistedGroupIsCommitted() {
        JoinGroupResponseData joined = h.joinNew().join();
        // The first generation's join needs no write; the leader's assignment does.
        CompletableFuture<SyncGroupResponseData> sync =
                h.sync(joined.memberId(), joined.generationId(), Map.of(joined.memberId(), "p0"));
        assertThat(sync).isNotDone();
        assertThat(h.heartbeat(joined.memberId(), joined.generationId()))
                .as("heartbeats are answered while the write waits")
                .isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);

        h.followerFetched(h.log.logEndOffset());

        SyncGroupResponseData answer = sync.join();
        assertThat(Errors.forCode(answer.errorCode())).isEqualTo(Errors.NONE);
        assertThat(new String(answer.assignment())).isEqualTo("p0");
    }

    CompletableFuture<DeleteGroupsResponseData> deleteGroup() {
        return h.coordinator.deleteGroups(
                Harness.ctx(ApiKeys.DELETE_GROUPS), new DeleteGroupsRequestData().setGroupsNames(List.of(GROUP)));
    }

    static Errors error(DeleteGroupsResponseData response) {
        return Errors.forCode(response.results().find(GROUP).errorCode());
    }

    @Test
    void aGroupBeingDeletedTakesNoMembersAndIsGoneOnceTheTombstonesAreCommitted() {
        CompletableFuture<OffsetCommitResponseData> commit = commit(5);
        h.followerFetched(h.log.logEndOffset());
        commit.join();

        CompletableFuture<DeleteGroupsResponseData> delete = deleteGroup();
        assertThat(delete).isNotDone();
        JoinGroupResponseData join = h.join(Harness.joinRequest("")).join();
        assertThat(Errors.forCode(join.errorCode()))
                .as("a join meanwhile is told to retry")
                .isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);

        h.followerFetched(h.log.logEndOffset());

        assertThat(error(delete.join())).isEqualTo(Errors.NONE);
        assertThat(committed()).isEqualTo(-1);
    }

    @Test
    void aGroupWhoseTombstonesCannotBeCommittedIsBackAsItWas() {
        CompletableFuture<OffsetCommitResponseData> commit = commit(5);
        h.followerFetched(h.log.logEndOffset());
        commit.join();

        CompletableFuture<DeleteGroupsResponseData> delete = deleteGroup();
        h.scheduler.advance(h.config.offsetCommitTimeoutMs());

        assertThat(error(delete.join())).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(committed()).isEqualTo(5);
        JoinGroupResponseData rejoined = h.joinNew().join();
        assertThat(Errors.forCode(rejoined.errorCode()))
                .as("the group takes members again")
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aFollowerThatBecomesLeaderLoadsToItsLogEndIncludingWritesNotYetCommitted() throws IOException {
        JoinGroupResponseData joined = h.joinNew().join();
        CompletableFuture<SyncGroupResponseData> sync =
                h.sync(joined.memberId(), joined.generationId(), Map.of(joined.memberId(), "p0"));
        h.followerFetched(h.log.logEndOffset());
        sync.join();
        CompletableFuture<OffsetCommitResponseData> answered = commit(joined.memberId(), joined.generationId(), 100);
        h.followerFetched(h.log.logEndOffset());
        assertThat(error(answered.join())).isEqualTo(Errors.NONE);
        assertThat(committed()).isEqualTo(100);
        // Appended on the old leader, not committed: its client was never answered.
        CompletableFuture<OffsetCommitResponseData> unanswered = commit(joined.memberId(), joined.generationId(), 101);
        long committedEnd = h.log.highWatermark();
        assertThat(h.log.logEndOffset()).isGreaterThan(committedEnd);

        try (Harness follower = Harness.follower(tmp.resolve("follower").toFile(), Harness.testConfig())) {
            follower.replicate(h.log, committedEnd);
            assertThat(follower.log.highWatermark()).isEqualTo(committedEnd);
            assertThat(follower.coordinator
                            .describeGroups(
                                    Harness.ctx(5),
                                    new org.apache.kafka.common.message.DescribeGroupsRequestData()
                                            .setGroups(List.of(GROUP)))
                            .join()
                            .groups()
                            .get(0)
                            .errorCode())
                    .as("a follower coordinates nothing")
                    .isEqualTo(Errors.NOT_COORDINATOR.code());

            follower.elect();

            assertThat(follower.fetch(GROUP, "topic-a", 0)
                            .topics()
                            .get(0)
                            .partitions()
                            .get(0)
                            .committedOffset())
                    .as("loaded to the log end, as Kafka does: the new leader's log is the log now")
                    .isEqualTo(101);
            assertThat(follower.coordinator
                            .describeGroups(
                                    Harness.ctx(5),
                                    new org.apache.kafka.common.message.DescribeGroupsRequestData()
                                            .setGroups(List.of(GROUP)))
                            .join()
                            .groups()
                            .get(0)
                            .groupState())
                    .isEqualTo("Stable");
        }
        assertThat(unanswered).isNotDone();
    }
}
