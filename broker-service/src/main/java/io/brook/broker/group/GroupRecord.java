package io.brook.broker.group;

import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * A record of the {@code __consumer_offsets} topic, as the coordinator sees it; {@link
 * GroupRecordSerde} turns it into key and value bytes. A null value is a tombstone: compaction
 * then removes the key altogether.
 */
public sealed interface GroupRecord permits GroupRecord.OffsetCommit, GroupRecord.GroupMetadata {

    String groupId();

    /** A committed offset of one partition, or its removal. */
    record OffsetCommit(String groupId, TopicPartition partition, OffsetAndMetadata value) implements GroupRecord {}

    /**
     * A classic group's generation and members, written when a generation's assignment is
     * complete, when a generation ends with no members, and when a static member is replaced; a
     * null value deletes the group.
     */
    record GroupMetadata(String groupId, GroupSnapshot value) implements GroupRecord {}

    /** A group as persisted: enough to resume a Stable generation after a coordinator move. */
    record GroupSnapshot(
            String protocolType,
            int generationId,
            String protocolName,
            String leaderId,
            long currentStateTimestampMs,
            List<MemberSnapshot> members) {}

    /** A member as persisted; {@code subscription} is its metadata for the chosen protocol. */
    record MemberSnapshot(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            byte[] subscription,
            byte[] assignment) {}
}
