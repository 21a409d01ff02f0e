package io.brook.broker.group;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.Errors;

/**
 * Error responses of each API, shaped for the request's version: a JoinGroup error carries a null
 * protocol name only from v7 (before, the field is not nullable), an OffsetCommit error is
 * repeated for every partition of the request, and so on. Thread-safe: stateless.
 */
final class Responses {

    /** The committed offset of a partition without one. */
    static final long NO_OFFSET = -1L;

    private Responses() {}

    static JoinGroupResponseData joinError(short version, String memberId, Errors error) {
        return new JoinGroupResponseData()
                .setErrorCode(error.code())
                .setGenerationId(-1)
                .setProtocolType(null)
                .setProtocolName(version >= 7 ? null : "")
                .setLeader("")
                .setMemberId(memberId == null ? "" : memberId);
    }

    static SyncGroupResponseData syncError(Errors error) {
        return new SyncGroupResponseData().setErrorCode(error.code()).setAssignment(new byte[0]);
    }

    static HeartbeatResponseData heartbeat(Errors error) {
        return new HeartbeatResponseData().setErrorCode(error.code());
    }

    static LeaveGroupResponseData leaveError(Errors error) {
        return new LeaveGroupResponseData().setErrorCode(error.code());
    }

    static OffsetCommitResponseData commitError(OffsetCommitRequestData request, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic t : request.topics()) {
            OffsetCommitResponseTopic topic = new OffsetCommitResponseTopic().setName(t.name());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : t.partitions()) {
                topic.partitions()
                        .add(new OffsetCommitResponsePartition()
                                .setPartitionIndex(p.partitionIndex())
                                .setErrorCode(error.code()));
            }
            response.topics().add(topic);
        }
        return response;
    }

    /** A group of an OffsetFetch response (the v8+ form) whose lookup failed as a whole. */
    static OffsetFetchResponseGroup fetchError(String groupId, List<OffsetFetchRequestTopics> topics, Errors error) {
        OffsetFetchResponseGroup group =
                new OffsetFetchResponseGroup().setGroupId(groupId).setErrorCode(error.code());
        // Kept per partition too: v1 has no group-level error code and reports it there.
        if (topics != null) {
            for (OffsetFetchRequestTopics t : topics) {
                group.topics().add(unknownOffsets(t, error));
            }
        }
        return group;
    }

    /** A topic of an OffsetFetch response with no committed offsets for the given partitions. */
    static OffsetFetchResponseTopics unknownOffsets(OffsetFetchRequestTopics t, Errors error) {
        OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setName(t.name());
        for (int p : t.partitionIndexes()) {
            topic.partitions()
                    .add(new OffsetFetchResponsePartitions()
                            .setPartitionIndex(p)
                            .setCommittedOffset(NO_OFFSET)
                            .setCommittedLeaderEpoch(OffsetAndMetadata.NO_LEADER_EPOCH)
                            .setMetadata("")
                            .setErrorCode(error.code()));
        }
        return topic;
    }

    static DescribedGroup describeError(String groupId, Errors error) {
        return new DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(error.code())
                .setGroupState("")
                .setProtocolType("")
                .setProtocolData("");
    }

    static DeletableGroupResult deleteError(String groupId, Errors error) {
        return new DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code());
    }

    static OffsetDeleteResponseData offsetDeleteError(Errors error) {
        return new OffsetDeleteResponseData().setErrorCode(error.code());
    }

    static <T> List<T> concat(List<List<T>> lists) {
        List<T> out = new ArrayList<>();
        lists.forEach(out::addAll);
        return out;
    }
}
