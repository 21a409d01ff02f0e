package io.brook.broker.group;

import io.brook.broker.log.PartitionLog;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The classic consumer group coordinator, as the protocol handlers see it. Each call answers one
 * request of the version in {@link RequestContext#apiVersion()}; the future completes with a
 * response whose errors are in its error codes (it never completes exceptionally). JoinGroup and
 * SyncGroup complete late: when the rebalance they are part of gets that far.
 *
 * <p>A group is coordinated by the leader of {@code __consumer_offsets} partition {@link
 * #partitionFor}. Until {@link #onElection} for that partition, requests are answered
 * NOT_COORDINATOR; while its log is being read back, COORDINATOR_LOAD_IN_PROGRESS.
 *
 * <p>Threading: every method is thread-safe and returns without waiting.
 */
public interface GroupCoordinator {

    /** An inclusive range of API versions. */
    record VersionRange(short oldest, short latest) {
        static VersionRange of(int oldest, int latest) {
            return new VersionRange((short) oldest, (short) latest);
        }

        public boolean contains(short version) {
            return version >= oldest && version <= latest;
        }
    }

    /**
     * The versions this coordinator answers, for ApiVersions to advertise. They are kafka-clients
     * 4.4.0's full ranges except OffsetCommit and OffsetFetch v10, which name topics by id
     * (KIP-848) and need the broker's topic id lookup. Requests of other versions are answered
     * UNSUPPORTED_VERSION.
     */
    Map<ApiKeys, VersionRange> SUPPORTED_VERSIONS = Map.of(
            ApiKeys.JOIN_GROUP, VersionRange.of(0, 9),
            ApiKeys.SYNC_GROUP, VersionRange.of(0, 5),
            ApiKeys.HEARTBEAT, VersionRange.of(0, 4),
            ApiKeys.LEAVE_GROUP, VersionRange.of(0, 5),
            ApiKeys.OFFSET_COMMIT, VersionRange.of(2, 9),
            ApiKeys.OFFSET_FETCH, VersionRange.of(1, 9),
            ApiKeys.LIST_GROUPS, VersionRange.of(0, 5),
            ApiKeys.DESCRIBE_GROUPS, VersionRange.of(0, 6),
            ApiKeys.DELETE_GROUPS, VersionRange.of(0, 3),
            ApiKeys.OFFSET_DELETE, VersionRange.of(0, 0));

    CompletableFuture<JoinGroupResponseData> joinGroup(RequestContext ctx, JoinGroupRequestData req);

    CompletableFuture<SyncGroupResponseData> syncGroup(RequestContext ctx, SyncGroupRequestData req);

    CompletableFuture<HeartbeatResponseData> heartbeat(RequestContext ctx, HeartbeatRequestData req);

    CompletableFuture<LeaveGroupResponseData> leaveGroup(RequestContext ctx, LeaveGroupRequestData req);

    CompletableFuture<OffsetCommitResponseData> commitOffsets(RequestContext ctx, OffsetCommitRequestData req);

    /** Both forms: one group ({@code groupId}, {@code topics}) before v8, {@code groups} from v8. */
    CompletableFuture<OffsetFetchResponseData> fetchOffsets(RequestContext ctx, OffsetFetchRequestData req);

    /** The groups of every loaded partition. */
    CompletableFuture<ListGroupsResponseData> listGroups(RequestContext ctx, ListGroupsRequestData req);

    CompletableFuture<DescribeGroupsResponseData> describeGroups(RequestContext ctx, DescribeGroupsRequestData req);

    CompletableFuture<DeleteGroupsResponseData> deleteGroups(RequestContext ctx, DeleteGroupsRequestData req);

    CompletableFuture<OffsetDeleteResponseData> deleteOffsets(RequestContext ctx, OffsetDeleteRequestData req);

    /** {@code Utils.abs(groupId.hashCode()) % offsets.topic.num.partitions}, as in Kafka. */
    int partitionFor(String groupId);

    /**
     * This broker now leads {@code __consumer_offsets} partition {@code offsetsPartition} at
     * {@code leaderEpoch}: read {@code log} back (to its end), then serve its groups, writing
     * through {@code writer}, which answers once a write is committed. Returns at once; loading
     * runs on the coordinator's thread.
     */
    void onElection(int offsetsPartition, int leaderEpoch, PartitionLog log, PartitionWriter writer);

    /** This broker no longer leads the partition: drop its groups; their requests get NOT_COORDINATOR. */
    void onResignation(int offsetsPartition);
}
