package io.brook.broker.group;

import static io.brook.broker.group.Harness.GROUP;
import static io.brook.broker.group.Harness.joinRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.FetchIsolation;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading and unloading offsets partitions, restarts, and the group-level APIs (List, Describe,
 * Delete).
 */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CoordinatorLifecycleTest {

    @TempDir
    Path tmp;

    Harness h;

    @BeforeEach
    void setUp() throws IOException {
        h = new Harness(tmp.resolve("__consumer_offsets-0").toFile(), Harness.testConfig());
    }

    @AfterEach
    void tearDown() throws IOException {
        h.close();
    }

    DescribedGroup describe(String groupId, int version) {
        return h.coordinator
                .describeGroups(Harness.ctx(version), new DescribeGroupsRequestData().setGroups(List.of(groupId)))
                .join()
                .groups()
                .get(0);
    }

    DeleteGroupsResponseData delete(String... groups) {
        return h.coordinator
                .deleteGroups(
                        Harness.ctx(ApiKeys.DELETE_GROUPS),
                        new DeleteGroupsRequestData().setGroupsNames(List.of(groups)))
                .join();
    }

    ListGroupsResponseData list(ListGroupsRequestData req) {
        return h.coordinator.listGroups(Harness.ctx(ApiKeys.LIST_GROUPS), req).join();
    }

    @Test
    void offsetsAndAStableGroupSurviveARestart() throws IOException {
        JoinGroupResponseData member = h.stableGroupOfOne("p0");
        h.commit(member.memberId(), 1, "topic-a", 0, 100);
        h.commit(member.memberId(), 1, "topic-a", 0, 101);
        h.commit(member.memberId(), 1, "topic-a", 1, 200);

        h.restart();

        assertThat(h.fetch(GROUP, null).topics().get(0).partitions())
                .extracting(p -> p.committedOffset())
                .containsExactly(101L, 200L);
        DescribedGroup group = describe(GROUP, 5);
        assertThat(group.groupState()).isEqualTo("Stable");
        assertThat(group.protocolData()).isEqualTo("range");
        assertThat(group.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(member.memberId());
            assertThat(m.clientHost()).isEqualTo("/10.0.0.1");
            assertThat(new String(m.memberAssignment())).isEqualTo("p0");
        });
        assertThat(h.heartbeat(member.memberId(), 1))
                .as("the member carries on")
                .isEqualTo(Errors.NONE);
        assertThat(h.commit(member.memberId(), 1, "topic-a", 0, 102)).isEqualTo(Errors.NONE);
    }

    @Test
    void aMemberThatDiedWithTheOldCoordinatorExpiresAfterTheRestart() throws IOException {
        JoinGroupResponseData member = h.stableGroupOfOne("p0");
        h.restart();

        h.scheduler.advance(Harness.SESSION_MS);

        assertThat(describe(GROUP, 5).groupState()).isEqualTo("Empty");
        h.restart();
        DescribedGroup group = describe(GROUP, 5);
        assertThat(group.groupState()).as("the empty generation was persisted").isEqualTo("Empty");
        assertThat(h.heartbeat(member.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void onlyEmptyGroupsCanBeDeletedAndTheyStayDeletedAfterARestart() throws IOException {
        JoinGroupResponseData member = h.stableGroupOfOne("p0");
        h.commit(member.memberId(), 1, "topic-a", 0, 5);

        assertThat(delete(GROUP).results().find(GROUP).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code());
        assertThat(delete("nope").results().find("nope").errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());

        h.leave(Harness.member(member.memberId()));
        assertThat(delete(GROUP).results().find(GROUP).errorCode()).isZero();

        assertThat(describe(GROUP, 5).groupState()).isEqualTo("Dead");
        assertThat(h.fetch(GROUP, "topic-a", 0)
                        .topics()
                        .get(0)
                        .partitions()
                        .get(0)
                        .committedOffset())
                .isEqualTo(-1);
        h.restart();
        assertThat(describe(GROUP, 6).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(h.fetch(GROUP, null).topics()).isEmpty();
    }

    @Test
    void listGroupsFiltersByStateAndType() {
        h.stableGroupOfOne("p0");
        h.coordinator.commitOffsets(
                Harness.ctx(9), Harness.commitRequest("", -1, "topic-a", 0, 1).setGroupId("standalone"));

        assertThat(list(new ListGroupsRequestData()).groups())
                .extracting(ListedGroup::groupId, ListedGroup::groupState, ListedGroup::protocolType)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(GROUP, "Stable", "consumer"),
                        org.assertj.core.groups.Tuple.tuple("standalone", "Empty", ""));
        assertThat(list(new ListGroupsRequestData().setStatesFilter(List.of("stable")))
                        .groups())
                .extracting(ListedGroup::groupId)
                .containsExactly(GROUP);
        assertThat(list(new ListGroupsRequestData().setTypesFilter(List.of("consumer")))
                        .groups())
                .isEmpty();
        assertThat(list(new ListGroupsRequestData().setTypesFilter(List.of("Classic")))
                        .groups())
                .hasSize(2);
    }

    @Test
    void describeShowsProtocolAndAssignmentsOnlyWhenStable() {
        JoinGroupResponseData joined = h.joinNew().join();

        DescribedGroup completing = describe(GROUP, 5);
        assertThat(completing.groupState()).isEqualTo("CompletingRebalance");
        assertThat(completing.protocolData()).isEmpty();
        assertThat(completing.members())
                .singleElement()
                .satisfies(m -> assertThat(m.memberMetadata()).isEmpty());

        h.sync(joined.memberId(), 1, Map.of(joined.memberId(), "p0")).join();
        DescribedGroup stable = describe(GROUP, 5);
        assertThat(stable.protocolData()).isEqualTo("range");
        assertThat(stable.members())
                .singleElement()
                .satisfies(m -> assertThat(m.memberMetadata()).isNotEmpty());

        DescribedGroup unknownV5 = describe("nope", 5);
        assertThat(unknownV5.groupState()).isEqualTo("Dead");
        assertThat(unknownV5.errorCode()).isZero();
    }

    @Test
    void groupsOfAPartitionThisBrokerDoesNotLeadAreAnsweredNotCoordinator() throws IOException {
        h.close();
        h = new Harness(tmp.resolve("two").toFile(), Harness.testConfig().withOffsetsTopicPartitions(2));
        int i = 0;
        while (h.coordinator.partitionFor("g" + i) == 0) {
            i++;
        }
        String other = "g" + i;

        JoinGroupResponseData join = h.join(joinRequest("").setGroupId(other)).join();
        Errors commit = Errors.forCode(
                h.commit(Harness.commitRequest("", -1, "topic-a", 0, 1).setGroupId(other))
                        .topics()
                        .get(0)
                        .partitions()
                        .get(0)
                        .errorCode());

        assertThat(Errors.forCode(join.errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(commit).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(describe(other, 5).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
        assertThat(h.fetch(other, "topic-a", 0).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code());
    }

    @Test
    void partitionForHashesTheGroupIdAsKafkaDoes() {
        GroupCoordinatorService fifty =
                new GroupCoordinatorService(GroupConfig.defaults(), h.scheduler.clock(), h.scheduler);
        // Kafka: Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions.
        assertThat(fifty.partitionFor("my-group"))
                .isEqualTo(Math.abs("my-group".hashCode()) % 50)
                .isBetween(0, 49);
    }

    @Test
    void requestsWhileThePartitionLoadsAreToldToRetry() throws IOException {
        h.commit("", -1, "topic-a", 0, 9);
        h.stop();
        h.scheduler.hold();
        h.start();

        assertThat(h.commit("", -1, "topic-a", 0, 10)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(list(new ListGroupsRequestData()).errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());

        h.scheduler.release();
        assertThat(h.fetch(GROUP, "topic-a", 0)
                        .topics()
                        .get(0)
                        .partitions()
                        .get(0)
                        .committedOffset())
                .isEqualTo(9);
    }

    @Test
    void resigningAnswersParkedRequestsAndLaterOnesNotCoordinator() throws IOException {
        h.stableGroupOfOne("p0");
        CompletableFuture<JoinGroupResponseData> parked = h.joinNew();
        assertThat(parked).isNotDone();

        h.coordinator.onResignation(0);

        assertThat(Errors.forCode(parked.join().errorCode())).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(h.commit("", -1, "topic-a", 0, 1)).isEqualTo(Errors.NOT_COORDINATOR);

        h.elect();
        assertThat(describe(GROUP, 5).groupState()).as("reloaded from the log").isEqualTo("Stable");
    }

    @Test
    void versionsOutsideTheSupportedRangesAreRefused() {
        JoinGroupResponseData join = h.join(10, joinRequest("")).join();
        Errors commit = Errors.forCode(h.coordinator
                .commitOffsets(Harness.ctx(10), Harness.commitRequest("", -1, "topic-a", 0, 1))
                .join()
                .topics()
                .get(0)
                .partitions()
                .get(0)
                .errorCode());

        assertThat(Errors.forCode(join.errorCode())).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(commit).isEqualTo(Errors.UNSUPPORTED_VERSION);
    }

    @Test
    void theSupportedVersionsLieWithinWhatKafkaClientsKnows() {
        GroupCoordinator.SUPPORTED_VERSIONS.forEach((api, range) -> {
            assertThat(range.oldest()).as(api.name).isGreaterThanOrEqualTo(api.oldestVersion());
            assertThat(range.latest()).as(api.name).isLessThanOrEqualTo(api.latestVersion());
        });
        assertThat(GroupCoordinator.SUPPORTED_VERSIONS.get(ApiKeys.JOIN_GROUP).latest())
                .isEqualTo(ApiKeys.JOIN_GROUP.latestVersion());
    }

    @Test
    void everyRecordIsKeyedSoThatCompactionKeepsOnlyTheLatestCommit() {
        h.commit("", -1, "topic-a", 0, 1);
        h.commit("", -1, "topic-a", 0, 2);

        List<GroupRecord> records = new ArrayList<>();
        for (RecordBatch batch :
                h.log.read(0, 1 << 16, FetchIsolation.LOG_END, true).records().batches()) {
            for (Record record : batch) {
                assertThat(record.hasKey()).isTrue();
                records.add(GroupRecordSerde.decode(record));
            }
        }
        assertThat(records).hasSize(2).allSatisfy(r -> assertThat(r).isInstanceOf(GroupRecord.OffsetCommit.class));
        assertThat(GroupRecordSerde.key(records.get(0))).isEqualTo(GroupRecordSerde.key(records.get(1)));
    }
}
