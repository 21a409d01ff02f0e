package io.brook.broker.group;

import static io.brook.broker.group.Harness.GROUP;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopicCollection;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** OffsetCommit, OffsetFetch and OffsetDelete. */
@Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OffsetsTest {

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

    static OffsetFetchResponsePartitions only(OffsetFetchResponseGroup g) {
        return g.topics().get(0).partitions().get(0);
    }

    @Test
    void aStandaloneConsumerCommitsWithGenerationMinusOneAndFetchesItBack() {
        assertThat(h.commit("", -1, "topic-a", 0, 42)).isEqualTo(Errors.NONE);
        assertThat(h.commit("", -1, "topic-a", 1, 7)).isEqualTo(Errors.NONE);
        assertThat(h.commit("", -1, "topic-b", 0, 3)).isEqualTo(Errors.NONE);
        assertThat(h.commit("", -1, "topic-a", 0, 43)).isEqualTo(Errors.NONE);

        OffsetFetchResponsePartitions p = only(h.fetch(GROUP, "topic-a", 0));
        assertThat(p.committedOffset()).isEqualTo(43);
        assertThat(p.committedLeaderEpoch()).isEqualTo(7);
        assertThat(p.metadata()).isEqualTo("meta-43");
        assertThat(Errors.forCode(p.errorCode())).isEqualTo(Errors.NONE);

        OffsetFetchResponsePartitions unknown = only(h.fetch(GROUP, "topic-a", 9));
        assertThat(unknown.committedOffset()).isEqualTo(-1);
        assertThat(unknown.committedLeaderEpoch()).isEqualTo(-1);

        OffsetFetchResponseGroup all = h.fetch(GROUP, null);
        assertThat(all.topics()).extracting(t -> t.name()).containsExactly("topic-a", "topic-b");
        assertThat(all.topics().get(0).partitions())
                .extracting(OffsetFetchResponsePartitions::committedOffset)
                .containsExactly(43L, 7L);

        assertThat(only(h.fetch("no-such-group", "topic-a", 0)).committedOffset())
                .isEqualTo(-1);
    }

    @Test
    void aMembersCommitIsCheckedAgainstItsGroup() {
        JoinGroupResponseData joined = h.joinNew().join();
        String id = joined.memberId();
        assertThat(h.commit(id, 1, "topic-a", 0, 1))
                .as("the assignment is not out yet")
                .isEqualTo(Errors.REBALANCE_IN_PROGRESS);
        h.sync(id, 1, Map.of(id, "all")).join();

        assertThat(h.commit(id, 1, "topic-a", 0, 10)).isEqualTo(Errors.NONE);
        assertThat(h.commit(id, 0, "topic-a", 0, 11)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(h.commit("stranger", 1, "topic-a", 0, 12)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(h.commit("", -1, "topic-a", 0, 13))
                .as("a simple commit may not overwrite a live group's offsets")
                .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(only(h.fetch(GROUP, "topic-a", 0)).committedOffset()).isEqualTo(10);
    }

    @Test
    void aCommitForAGroupThatDoesNotExistIsRefusedByGeneration() {
        OffsetCommitResponseData v9 = h.coordinator
                .commitOffsets(Harness.ctx(9), Harness.commitRequest("m", 3, "topic-a", 0, 1))
                .join();
        OffsetCommitResponseData v8 = h.coordinator
                .commitOffsets(Harness.ctx(8), Harness.commitRequest("m", 3, "topic-a", 0, 1))
                .join();

        assertThat(v9.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
        assertThat(v8.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code());
    }

    @Test
    void metadataAboveTheLimitIsRefusedPerPartition() {
        var req = Harness.commitRequest("", -1, "topic-a", 0, 5);
        req.topics().get(0).partitions().get(0).setCommittedMetadata("x".repeat(5000));

        OffsetCommitResponseData r = h.commit(req);

        assertThat(r.topics().get(0).partitions().get(0).errorCode())
                .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE.code());
        assertThat(only(h.fetch(GROUP, "topic-a", 0)).committedOffset()).isEqualTo(-1);
    }

    @Test
    void offsetFetchAnswersEachVersionInItsOwnShape() {
        h.commit("", -1, "topic-a", 0, 42);
        OffsetFetchRequestData single = new OffsetFetchRequestData()
                .setGroupId(GROUP)
                .setTopics(
                        List.of(new OffsetFetchRequestTopic().setName("topic-a").setPartitionIndexes(List.of(0))));

        OffsetFetchResponseData v1 =
                h.coordinator.fetchOffsets(Harness.ctx(1), single).join();
        OffsetFetchResponseData v7all = h.coordinator
                .fetchOffsets(
                        Harness.ctx(7),
                        new OffsetFetchRequestData().setGroupId(GROUP).setTopics(null))
                .join();

        assertThat(v1.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(42);
        assertThat(v7all.errorCode()).isZero();
        assertThat(v7all.topics().get(0).partitions().get(0).committedOffset()).isEqualTo(42);
        assertThat(v7all.groups()).isEmpty();
    }

    @Test
    void offsetDeleteRemovesOffsetsOfTopicsNoMemberSubscribesTo() {
        // Members subscribe to topic-a (see Harness.protocols).
        h.commit("", -1, "topic-a", 0, 1);
        h.commit("", -1, "topic-b", 0, 2);
        h.stableGroupOfOne("all");

        OffsetDeleteResponseData r = h.coordinator
                .deleteOffsets(Harness.ctx(0), deleteRequest("topic-a", "topic-b"))
                .join();

        assertThat(r.errorCode()).isZero();
        assertThat(r.topics().find("topic-a").partitions().find(0).errorCode())
                .isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code());
        assertThat(r.topics().find("topic-b").partitions().find(0).errorCode()).isZero();
        assertThat(only(h.fetch(GROUP, "topic-a", 0)).committedOffset()).isEqualTo(1);
        assertThat(only(h.fetch(GROUP, "topic-b", 0)).committedOffset()).isEqualTo(-1);
    }

    @Test
    void offsetDeleteOfAnEmptyGroupRemovesAnyOffsetAndOfAnUnknownGroupFails() {
        h.commit("", -1, "topic-a", 0, 1);

        OffsetDeleteResponseData r = h.coordinator
                .deleteOffsets(Harness.ctx(0), deleteRequest("topic-a"))
                .join();
        OffsetDeleteResponseData unknown = h.coordinator
                .deleteOffsets(Harness.ctx(0), deleteRequest("topic-a").setGroupId("nope"))
                .join();

        assertThat(r.topics().find("topic-a").partitions().find(0).errorCode()).isZero();
        assertThat(only(h.fetch(GROUP, "topic-a", 0)).committedOffset()).isEqualTo(-1);
        assertThat(unknown.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code());
    }

    @Test
    void aCommitProvesTheMemberAlive() {
        JoinGroupResponseData joined = h.stableGroupOfOne("all");
        for (int i = 0; i < 4; i++) {
            h.scheduler.advance(Harness.SESSION_MS - 1_000);
            assertThat(h.commit(joined.memberId(), 1, "topic-a", 0, i)).isEqualTo(Errors.NONE);
        }
        assertThat(h.heartbeat(joined.memberId(), 1)).isEqualTo(Errors.NONE);
    }

    @Test
    void aCommitThatCannotBeWrittenIsNotAcknowledgedNorVisible() throws IOException {
        h.log.close();

        Errors error = h.commit("", -1, "topic-z", 0, 1);

        assertThat(error)
                .as("the log failed: the client must find the coordinator again")
                .isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(only(h.fetch(GROUP, "topic-z", 0)).committedOffset()).isEqualTo(-1);
    }

    static OffsetDeleteRequestData deleteRequest(String... topics) {
        OffsetDeleteRequestTopicCollection c = new OffsetDeleteRequestTopicCollection();
        for (String t : topics) {
            c.add(new OffsetDeleteRequestTopic()
                    .setName(t)
                    .setPartitions(List.of(new OffsetDeleteRequestPartition().setPartitionIndex(0))));
        }
        return new OffsetDeleteRequestData().setGroupId(GROUP).setTopics(c);
    }
}
