package io.brook.broker.group;

import static io.brook.broker.group.Harness.GROUP;
import static io.brook.broker.group.Harness.REBALANCE_MS;
import static io.brook.broker.group.Harness.SESSION_MS;
import static io.brook.broker.group.Harness.joinRequest;
import static io.brook.broker.group.Harness.member;
import static io.brook.broker.group.Harness.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData.JoinGroupResponseMember;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The classic rebalance protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and the timeouts. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RebalanceTest {

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

    DescribedGroup describe() {
        return h.coordinator
                .describeGroups(
                        Harness.ctx(ApiKeys.DESCRIBE_GROUPS), new DescribeGroupsRequestData().setGroups(List.of(GROUP)))
                .join()
                .groups()
                .get(0);
    }

    @Test
    void oneMemberJoinsLeadsAndSyncsIntoAStableGroup() {
        JoinGroupResponseData joined = h.joinNew().join();

        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).startsWith("client-");
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(joined.memberId());
        assertThat(joined.protocolType()).isEqualTo("consumer");
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.members())
                .extracting(JoinGroupResponseMember::memberId)
                .containsExactly(joined.memberId());
        assertThat(describe().groupState()).isEqualTo("CompletingRebalance");

        SyncGroupResponseData synced =
                h.sync(joined.memberId(), 1, Map.of(joined.memberId(), "p0,p1")).join();

        assertThat(Errors.forCode(synced.errorCode())).isEqualTo(Errors.NONE);
        assertThat(new String(synced.assignment())).isEqualTo("p0,p1");
        assertThat(synced.protocolName()).isEqualTo("range");
        assertThat(describe().groupState()).isEqualTo("Stable");
        assertThat(h.heartbeat(joined.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void threeMembersJoinInOneRebalanceAndEachGetsItsShareOfTheLeadersAssignment() throws IOException {
        h.close();
        h = new Harness(tmp.resolve("delayed").toFile(), Harness.testConfig().withInitialRebalanceDelayMs(3_000));
        CompletableFuture<JoinGroupResponseData> a = h.joinNew();
        CompletableFuture<JoinGroupResponseData> b = h.joinNew();
        h.scheduler.advance(1_000);
        CompletableFuture<JoinGroupResponseData> c = h.joinNew();
        h.scheduler.advance(2_000);
        assertThat(a).as("a member joined during the delay: it is extended").isNotDone();

        h.scheduler.advance(3_000);

        List<JoinGroupResponseData> joins = List.of(a.join(), b.join(), c.join());
        assertThat(joins).extracting(JoinGroupResponseData::generationId).containsOnly(1);
        String leader = a.join().leader();
        assertThat(joins).extracting(JoinGroupResponseData::leader).containsOnly(leader);
        JoinGroupResponseData leaderJoin = joins.stream()
                .filter(j -> j.memberId().equals(leader))
                .findFirst()
                .orElseThrow();
        assertThat(leaderJoin.members()).hasSize(3);
        assertThat(joins.stream().filter(j -> !j.memberId().equals(leader)))
                .allSatisfy(j -> assertThat(j.members()).isEmpty());

        List<String> followers = joins.stream()
                .map(JoinGroupResponseData::memberId)
                .filter(id -> !id.equals(leader))
                .toList();
        List<CompletableFuture<SyncGroupResponseData>> followerSyncs =
                followers.stream().map(id -> h.sync(id, 1)).toList();
        assertThat(followerSyncs).as("followers wait for the leader").noneMatch(CompletableFuture::isDone);

        SyncGroupResponseData leaderSync = h.sync(
                        leader,
                        1,
                        Map.of(
                                a.join().memberId(),
                                "A",
                                b.join().memberId(),
                                "B",
                                c.join().memberId(),
                                "C"))
                .join();

        Map<String, String> expected = Map.of(
                a.join().memberId(), "A", b.join().memberId(), "B", c.join().memberId(), "C");
        assertThat(new String(leaderSync.assignment())).isEqualTo(expected.get(leader));
        for (int i = 0; i < followers.size(); i++) {
            assertThat(new String(followerSyncs.get(i).join().assignment())).isEqualTo(expected.get(followers.get(i)));
        }
        assertThat(describe().groupState()).isEqualTo("Stable");
        assertThat(describe().members()).hasSize(3);
    }

    @Test
    void aNewMemberTriggersARebalanceThatTheOldMembersRejoin() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");

        CompletableFuture<JoinGroupResponseData> second = h.joinNew();

        assertThat(second).isNotDone();
        assertThat(h.heartbeat(first.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoined = h.join(joinRequest(first.memberId())).join();
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(second.join().generationId()).isEqualTo(2);
        assertThat(rejoined.leader()).isEqualTo(first.memberId());
        assertThat(rejoined.members()).hasSize(2);
    }

    @Test
    void aMemberLeavingTriggersARebalance() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        CompletableFuture<JoinGroupResponseData> secondJoin = h.joinNew();
        h.join(joinRequest(first.memberId())).join();
        String second = secondJoin.join().memberId();
        h.sync(first.memberId(), 2, Map.of(first.memberId(), "x", second, "y")).join();
        h.sync(second, 2).join();

        LeaveGroupResponseData left = h.leave(member(second));

        assertThat(left.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(second);
            assertThat(m.errorCode()).isEqualTo(Errors.NONE.code());
        });
        assertThat(h.heartbeat(first.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoined = h.join(joinRequest(first.memberId())).join();
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(rejoined.members())
                .extracting(JoinGroupResponseMember::memberId)
                .containsExactly(first.memberId());
    }

    @Test
    void theLastMemberLeavingEmptiesTheGroup() {
        JoinGroupResponseData only = h.stableGroupOfOne("all");

        h.leave(member(only.memberId()));

        DescribedGroup group = describe();
        assertThat(group.groupState()).isEqualTo("Empty");
        assertThat(group.members()).isEmpty();
        assertThat(h.heartbeat(only.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeout() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        CompletableFuture<JoinGroupResponseData> secondJoin = h.joinNew();
        h.join(joinRequest(first.memberId())).join();
        String second = secondJoin.join().memberId();
        h.sync(first.memberId(), 2, Map.of()).join();
        h.sync(second, 2).join();

        for (int i = 0; i < 3; i++) {
            h.scheduler.advance(SESSION_MS / 2);
            assertThat(h.heartbeat(first.memberId(), 2)).isIn(Errors.NONE, Errors.REBALANCE_IN_PROGRESS);
        }

        assertThat(h.heartbeat(second, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat(first.memberId(), 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        JoinGroupResponseData rejoined = h.join(joinRequest(first.memberId())).join();
        assertThat(rejoined.generationId()).isEqualTo(3);
        assertThat(rejoined.members()).hasSize(1);
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreDropped() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        CompletableFuture<JoinGroupResponseData> second = h.joinNew();
        // The old member keeps heartbeating but never rejoins.
        for (int elapsed = 0; elapsed < REBALANCE_MS - 5_000; elapsed += 5_000) {
            h.scheduler.advance(5_000);
            assertThat(h.heartbeat(first.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        }
        assertThat(second).isNotDone();

        h.scheduler.advance(5_000);

        assertThat(second.join().generationId()).isEqualTo(2);
        assertThat(second.join().members()).hasSize(1);
        assertThat(h.heartbeat(first.memberId(), 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatNeverSyncsIsDroppedAfterTheRebalanceTimeout() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        CompletableFuture<JoinGroupResponseData> secondJoin = h.joinNew();
        h.join(joinRequest(first.memberId())).join();
        String second = secondJoin.join().memberId();
        CompletableFuture<SyncGroupResponseData> followerSync = h.sync(second, 2);
        assertThat(h.heartbeat(first.memberId(), 2)).isEqualTo(Errors.NONE);

        h.scheduler.advance(REBALANCE_MS);

        assertThat(h.heartbeat(first.memberId(), 2))
                .as("the leader never synced")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(followerSync.join().errorCode())).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void heartbeatsAreCheckedForGroupMemberAndGeneration() {
        assertThat(h.heartbeat("nobody", 0)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        JoinGroupResponseData joined = h.stableGroupOfOne("all");

        assertThat(h.heartbeat("nobody", 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat(joined.memberId(), 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.heartbeat(joined.memberId(), 1)).isEqualTo(Errors.NONE);
        h.joinNew();
        assertThat(h.heartbeat(joined.memberId(), 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void syncGroupIsCheckedForMemberGenerationAndState() {
        JoinGroupResponseData joined = h.joinNew().join();

        assertThat(Errors.forCode(h.sync("nobody", 1).join().errorCode())).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(Errors.forCode(h.sync(joined.memberId(), 7).join().errorCode()))
                .isEqualTo(Errors.ILLEGAL_GENERATION);
        h.sync(joined.memberId(), 1).join();
        h.joinNew();
        assertThat(Errors.forCode(h.sync(joined.memberId(), 1).join().errorCode()))
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void aNewDynamicMemberIsGivenItsIdFirstFromVersion4() {
        JoinGroupResponseData required = h.join(4, joinRequest("")).join();

        assertThat(Errors.forCode(required.errorCode())).isEqualTo(Errors.MEMBER_ID_REQUIRED);
        assertThat(required.memberId()).startsWith("client-");
        assertThat(required.protocolName()).as("not nullable before v7").isEmpty();
        assertThat(describe().groupState()).isEqualTo("Empty");

        JoinGroupResponseData joined =
                h.join(4, joinRequest(required.memberId())).join();
        assertThat(Errors.forCode(joined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(joined.memberId()).isEqualTo(required.memberId());

        CompletableFuture<JoinGroupResponseData> v3 = h.join(3, joinRequest(""));
        assertThat(v3)
                .as("an older client joins at once: its JoinGroup waits for the rebalance")
                .isNotDone();
    }

    @Test
    void aMemberIdHandedOutButNeverUsedExpiresAfterTheSessionTimeout() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        String pending = h.join(joinRequest("")).join().memberId();
        CompletableFuture<JoinGroupResponseData> rejoin = h.join(joinRequest(first.memberId()));
        assertThat(rejoin).as("the join phase waits for the pending member").isNotDone();

        h.scheduler.advance(SESSION_MS);

        assertThat(rejoin.join().members())
                .extracting(JoinGroupResponseMember::memberId)
                .containsExactly(first.memberId());
        assertThat(Errors.forCode(h.join(joinRequest(pending)).join().errorCode()))
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void theProtocolIsOneEveryMemberSupportsChosenByVote() {
        CompletableFuture<JoinGroupResponseData> a =
                h.join(1, joinRequest("").setProtocols(protocols("range", "roundrobin")));
        String aId = a.join().memberId();
        h.sync(aId, 1).join();
        CompletableFuture<JoinGroupResponseData> b =
                h.join(1, joinRequest("").setProtocols(protocols("roundrobin", "range")));
        CompletableFuture<JoinGroupResponseData> c = h.join(1, joinRequest("").setProtocols(protocols("roundrobin")));
        h.join(1, joinRequest(aId).setProtocols(protocols("range", "roundrobin")));

        assertThat(b.join().protocolName()).isEqualTo("roundrobin");
        assertThat(c.join().generationId()).isEqualTo(2);

        JoinGroupResponseData mismatch =
                h.join(joinRequest("").setProtocols(protocols("sticky"))).join();
        assertThat(Errors.forCode(mismatch.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
        JoinGroupResponseData otherType =
                h.join(joinRequest("").setProtocolType("connect")).join();
        assertThat(Errors.forCode(otherType.errorCode())).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL);
    }

    @Test
    void joinGroupRejectsBadGroupIdsAndSessionTimeouts() throws IOException {
        assertThat(Errors.forCode(h.join(joinRequest("").setGroupId("")).join().errorCode()))
                .isEqualTo(Errors.INVALID_GROUP_ID);
        h.close();
        h = new Harness(tmp.resolve("strict").toFile(), Harness.testConfig().withSessionTimeoutBounds(6_000, 60_000));

        assertThat(Errors.forCode(h.join(joinRequest("").setSessionTimeoutMs(1_000))
                        .join()
                        .errorCode()))
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(Errors.forCode(h.join(joinRequest("").setSessionTimeoutMs(120_000))
                        .join()
                        .errorCode()))
                .isEqualTo(Errors.INVALID_SESSION_TIMEOUT);
        assertThat(h.coordinator
                        .listGroups(
                                Harness.ctx(ApiKeys.LIST_GROUPS),
                                new org.apache.kafka.common.message.ListGroupsRequestData())
                        .join()
                        .groups())
                .as("a refused first join leaves no group behind")
                .isEmpty();
    }

    @Test
    void aFollowerRejoiningAStableGroupWithTheSameProtocolsGetsTheCurrentGeneration() {
        JoinGroupResponseData first = h.stableGroupOfOne("all");
        CompletableFuture<JoinGroupResponseData> secondJoin = h.joinNew();
        h.join(joinRequest(first.memberId())).join();
        String second = secondJoin.join().memberId();
        h.sync(first.memberId(), 2, Map.of()).join();
        h.sync(second, 2).join();

        JoinGroupResponseData again = h.join(joinRequest(second)).join();

        assertThat(again.generationId()).isEqualTo(2);
        assertThat(h.heartbeat(first.memberId(), 2)).isEqualTo(Errors.NONE);
    }
}
