package io.brook.broker.group;

import static io.brook.broker.group.Harness.GROUP;
import static io.brook.broker.group.Harness.joinRequest;
import static io.brook.broker.group.Harness.protocols;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData.MemberIdentity;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Static membership (KIP-345): group.instance.id survives restarts of the client. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StaticMembershipTest {

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

    static JoinGroupRequestData staticJoin(String instanceId, String memberId) {
        return joinRequest(memberId).setGroupInstanceId(instanceId);
    }

    /** Two static members, a (leader) and b, Stable at generation 2 with assignments "A" and "B". */
    String[] stableStaticGroup() {
        JoinGroupResponseData a = h.join(staticJoin("instance-a", "")).join();
        assertThat(a.memberId()).as("static members skip MEMBER_ID_REQUIRED").startsWith("instance-a-");
        h.sync(a.memberId(), 1, Map.of(a.memberId(), "A")).join();
        CompletableFuture<JoinGroupResponseData> b = h.join(staticJoin("instance-b", ""));
        h.join(staticJoin("instance-a", a.memberId())).join();
        String bId = b.join().memberId();
        h.sync(a.memberId(), 2, Map.of(a.memberId(), "A", bId, "B")).join();
        h.sync(bId, 2).join();
        return new String[] {a.memberId(), bId};
    }

    @Test
    void aRestartedStaticMemberTakesItsOldPlaceWithoutARebalanceAndTheOldIdIsFenced() {
        String[] ids = stableStaticGroup();

        JoinGroupResponseData rejoined = h.join(staticJoin("instance-b", "")).join();

        assertThat(Errors.forCode(rejoined.errorCode())).isEqualTo(Errors.NONE);
        assertThat(rejoined.memberId()).startsWith("instance-b-").isNotEqualTo(ids[1]);
        assertThat(rejoined.generationId()).as("no new generation").isEqualTo(2);
        assertThat(rejoined.leader()).isEqualTo(ids[0]);
        SyncGroupResponseData synced = h.sync(rejoined.memberId(), 2).join();
        assertThat(new String(synced.assignment()))
                .as("it keeps its assignment")
                .isEqualTo("B");
        assertThat(h.heartbeat(ids[0], "instance-a", 2)).isEqualTo(Errors.NONE);
        assertThat(h.heartbeat(ids[1], "instance-b", 2)).isEqualTo(Errors.FENCED_INSTANCE_ID);
        assertThat(h.heartbeat(rejoined.memberId(), "instance-b", 2)).isEqualTo(Errors.NONE);
        assertThat(h.commit(ids[1], 2, "topic-a", 0, 5)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aRestartedStaticLeaderOfVersion9IsToldToSkipTheAssignment() {
        String[] ids = stableStaticGroup();

        JoinGroupResponseData rejoined = h.join(9, staticJoin("instance-a", "")).join();

        assertThat(rejoined.leader()).isEqualTo(rejoined.memberId());
        assertThat(rejoined.skipAssignment()).isTrue();
        assertThat(rejoined.members()).hasSize(2);
        assertThat(h.heartbeat(ids[1], "instance-b", 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aStaticMemberRejoiningWithOtherSubscriptionsKeepsItsPlaceWhileTheGroupProtocolStays() {
        String[] ids = stableStaticGroup();

        // Kafka's rule (KIP-345): only a change of the group's chosen protocol rebalances; here
        // "range" stays the choice, so the member's new subscription bytes do not matter.
        JoinGroupResponseData rejoined = h.join(
                        staticJoin("instance-b", "").setProtocols(protocols("range", "roundrobin")))
                .join();

        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(rejoined.protocolName()).isEqualTo("range");
        assertThat(h.heartbeat(ids[0], "instance-a", 2)).isEqualTo(Errors.NONE);
    }

    @Test
    void aStaticMemberRejoiningSoThatTheGroupProtocolChangesTriggersARebalance() {
        JoinGroupRequestData aJoin = staticJoin("instance-a", "").setProtocols(protocols("range", "roundrobin"));
        JoinGroupResponseData a = h.join(aJoin).join();
        h.sync(a.memberId(), 1, Map.of(a.memberId(), "A")).join();
        CompletableFuture<JoinGroupResponseData> b =
                h.join(staticJoin("instance-b", "").setProtocols(protocols("range", "roundrobin")));
        h.join(staticJoin("instance-a", a.memberId()).setProtocols(protocols("range", "roundrobin")))
                .join();
        String bId = b.join().memberId();
        h.sync(a.memberId(), 2, Map.of(a.memberId(), "A", bId, "B")).join();
        h.sync(bId, 2).join();

        // b comes back supporting only "roundrobin": the group's protocol must change.
        CompletableFuture<JoinGroupResponseData> rejoined =
                h.join(staticJoin("instance-b", "").setProtocols(protocols("roundrobin")));

        assertThat(rejoined).isNotDone();
        assertThat(h.heartbeat(a.memberId(), "instance-a", 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        h.join(staticJoin("instance-a", a.memberId()).setProtocols(protocols("range", "roundrobin")))
                .join();
        assertThat(rejoined.join().generationId()).isEqualTo(3);
        assertThat(rejoined.join().protocolName()).isEqualTo("roundrobin");
    }

    @Test
    void aStaticMemberCanBeRemovedByInstanceIdAlone() {
        String[] ids = stableStaticGroup();

        LeaveGroupResponseData left = h.leave(
                new MemberIdentity().setMemberId("").setGroupInstanceId("instance-b"),
                new MemberIdentity().setMemberId("").setGroupInstanceId("instance-z"));

        assertThat(left.members())
                .extracting(m -> Errors.forCode(m.errorCode()))
                .containsExactly(Errors.NONE, Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat(ids[1], "instance-b", 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.heartbeat(ids[0], "instance-a", 2)).isEqualTo(Errors.REBALANCE_IN_PROGRESS);
    }

    @Test
    void aLeaveWithTheWrongMemberIdForAnInstanceIsFenced() {
        String[] ids = stableStaticGroup();

        LeaveGroupResponseData left =
                h.leave(new MemberIdentity().setMemberId(ids[0]).setGroupInstanceId("instance-b"));

        assertThat(left.members())
                .extracting(m -> Errors.forCode(m.errorCode()))
                .containsExactly(Errors.FENCED_INSTANCE_ID);
        assertThat(h.coordinator
                        .describeGroups(
                                Harness.ctx(5),
                                new org.apache.kafka.common.message.DescribeGroupsRequestData()
                                        .setGroups(List.of(GROUP)))
                        .join()
                        .groups()
                        .get(0)
                        .members())
                .extracting(m -> m.groupInstanceId())
                .containsExactlyInAnyOrder("instance-a", "instance-b");
    }
}
