package io.brook.broker.group;

import io.brook.broker.group.GroupRecord.OffsetCommit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestPartition;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

/**
 * Committed offsets of one shard's groups: OffsetCommit, OffsetFetch and OffsetDelete.
 *
 * <p>Commits from a member of a group are checked against its member id, {@code
 * group.instance.id} and generation; a commit with generation -1 and no member id is a "simple"
 * commit (a consumer using {@code assign()}, or a tool) and is accepted only while the group has
 * no members. A commit becomes visible to OffsetFetch only once its records are in the log.
 *
 * <p>Not done: offset expiry ({@code offsets.retention.minutes}) — offsets stay until the group
 * or the offsets are deleted; the v2-v4 {@code RetentionTimeMs} field is ignored, as Kafka 4.x
 * ignores it. Transactional offset commits and {@code RequireStable} (there are no pending
 * transactional offsets to wait for).
 *
 * <p>Not thread-safe: confined to the shard's thread.
 */
final class OffsetManager {

    private static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupConfig config;
    private final Clock clock;
    private final Map<String, ClassicGroup> groups;
    /** Told of each accepted commit by a member: a commit proves it alive, as a heartbeat does. */
    private final BiConsumer<ClassicGroup, String> memberCommitted;

    OffsetManager(
            GroupConfig config,
            Clock clock,
            Map<String, ClassicGroup> groups,
            BiConsumer<ClassicGroup, String> memberCommitted) {
        this.config = config;
        this.clock = clock;
        this.groups = groups;
        this.memberCommitted = memberCommitted;
    }

    ShardResult<OffsetCommitResponseData> commitOffsets(RequestContext ctx, OffsetCommitRequestData req) {
        short version = ctx.apiVersion();
        Errors invalid = validateCommit(
                req.groupId(),
                req.generationIdOrMemberEpoch(),
                req.memberId() == null ? "" : req.memberId(),
                version >= 7 ? req.groupInstanceId() : null,
                version);
        if (invalid != Errors.NONE) {
            return ShardResult.of(Responses.commitError(req, invalid));
        }
        ClassicGroup committer = groups.get(req.groupId());
        if (committer != null && committer.has(req.memberId())) {
            memberCommitted.accept(committer, req.memberId());
        }
        long now = clock.millis();
        List<GroupRecord> records = new ArrayList<>();
        Map<TopicPartition, Errors> rejected = new LinkedHashMap<>();
        for (OffsetCommitRequestTopic t : req.topics()) {
            for (OffsetCommitRequestPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                String metadata = p.committedMetadata() == null ? "" : p.committedMetadata();
                if (metadata.getBytes(StandardCharsets.UTF_8).length > config.offsetMetadataMaxBytes()) {
                    rejected.put(tp, Errors.OFFSET_METADATA_TOO_LARGE);
                    continue;
                }
                int epoch = version >= 6 ? p.committedLeaderEpoch() : OffsetAndMetadata.NO_LEADER_EPOCH;
                records.add(new OffsetCommit(
                        req.groupId(), tp, new OffsetAndMetadata(p.committedOffset(), epoch, metadata, now)));
            }
        }
        String groupId = req.groupId();
        return ShardResult.write(records, error -> {
            if (error == Errors.NONE) {
                records.forEach(r -> apply((OffsetCommit) r));
            }
            Errors written = commitError(error);
            OffsetCommitResponseData response = new OffsetCommitResponseData();
            for (OffsetCommitRequestTopic t : req.topics()) {
                OffsetCommitResponseTopic topic = new OffsetCommitResponseTopic().setName(t.name());
                for (OffsetCommitRequestPartition p : t.partitions()) {
                    Errors e = rejected.getOrDefault(new TopicPartition(t.name(), p.partitionIndex()), written);
                    topic.partitions()
                            .add(new OffsetCommitResponsePartition()
                                    .setPartitionIndex(p.partitionIndex())
                                    .setErrorCode(e.code()));
                }
                response.topics().add(topic);
            }
            if (error != Errors.NONE
                    && groups.containsKey(groupId)
                    && groups.get(groupId).isDisposable()) {
                groups.remove(groupId);
            }
            return response;
        });
    }

    /** Kafka's checks of a classic group commit (ClassicGroup.validateOffsetCommit). */
    private Errors validateCommit(String groupId, int generationId, String memberId, String instanceId, short version) {
        if (!RebalanceProtocol.isValidGroupId(groupId)) {
            return Errors.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (generationId < 0 && memberId.isEmpty() && instanceId == null) {
                return Errors.NONE;
            }
            // v9 tells a member whose group is gone apart from one with a stale generation.
            return version >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION;
        }
        if (group.isIn(GroupState.DEAD)) {
            return Errors.COORDINATOR_NOT_AVAILABLE;
        }
        if (generationId < 0 && group.isIn(GroupState.EMPTY)) {
            return Errors.NONE;
        }
        if (generationId >= 0 || !memberId.isEmpty() || instanceId != null) {
            Errors invalid = RebalanceProtocol.validateMember(group, memberId, instanceId);
            if (invalid != Errors.NONE) {
                return invalid;
            }
            if (generationId != group.generationId()) {
                return Errors.ILLEGAL_GENERATION;
            }
        } else {
            // A simple commit into a group that has members would fight with them.
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (group.isIn(GroupState.COMPLETING_REBALANCE)) {
            // The member's partitions may be about to move: it must finish the rebalance first.
            return Errors.REBALANCE_IN_PROGRESS;
        }
        return Errors.NONE;
    }

    private static Errors commitError(Errors appendError) {
        return switch (appendError) {
            case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE -> Errors.INVALID_COMMIT_OFFSET_SIZE;
            default -> appendError;
        };
    }

    /**
     * The committed offsets of {@code groupId}: of the given topics' partitions, or of every
     * partition when {@code topics} is null. A partition without a commit (or a group that does
     * not exist) gets offset -1 and no error, as in Kafka.
     */
    OffsetFetchResponseGroup fetchOffsets(String groupId, List<OffsetFetchRequestTopics> topics) {
        if (!RebalanceProtocol.isValidGroupId(groupId)) {
            return Responses.fetchError(groupId, topics, Errors.INVALID_GROUP_ID);
        }
        ClassicGroup group = groups.get(groupId);
        Map<TopicPartition, OffsetAndMetadata> offsets = group == null ? Map.of() : group.offsets();
        OffsetFetchResponseGroup response = new OffsetFetchResponseGroup().setGroupId(groupId);
        if (topics == null) {
            OffsetFetchResponseTopics topic = null;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (topic == null || !topic.name().equals(e.getKey().topic())) {
                    topic = new OffsetFetchResponseTopics().setName(e.getKey().topic());
                    response.topics().add(topic);
                }
                topic.partitions().add(partition(e.getKey().partition(), e.getValue()));
            }
            return response;
        }
        for (OffsetFetchRequestTopics t : topics) {
            OffsetFetchResponseTopics topic = new OffsetFetchResponseTopics().setName(t.name());
            for (int p : t.partitionIndexes()) {
                topic.partitions().add(partition(p, offsets.get(new TopicPartition(t.name(), p))));
            }
            response.topics().add(topic);
        }
        return response;
    }

    private static OffsetFetchResponsePartitions partition(int partition, OffsetAndMetadata o) {
        OffsetFetchResponsePartitions out = new OffsetFetchResponsePartitions().setPartitionIndex(partition);
        if (o == null) {
            return out.setCommittedOffset(Responses.NO_OFFSET)
                    .setCommittedLeaderEpoch(OffsetAndMetadata.NO_LEADER_EPOCH)
                    .setMetadata("");
        }
        return out.setCommittedOffset(o.offset())
                .setCommittedLeaderEpoch(o.leaderEpoch())
                .setMetadata(o.metadata());
    }

    /**
     * Deletes committed offsets of partitions the group does not consume: any partition of an
     * Empty group, and in a group of consumers, partitions of topics no member subscribes to.
     */
    ShardResult<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData req) {
        String groupId = req.groupId();
        if (!RebalanceProtocol.isValidGroupId(groupId)) {
            return ShardResult.of(Responses.offsetDeleteError(Errors.INVALID_GROUP_ID));
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.isIn(GroupState.DEAD)) {
            return ShardResult.of(Responses.offsetDeleteError(Errors.GROUP_ID_NOT_FOUND));
        }
        if (!group.isIn(GroupState.EMPTY) && !CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            // Without the consumer protocol there is no telling which topics the members use.
            return ShardResult.of(Responses.offsetDeleteError(Errors.NON_EMPTY_GROUP));
        }
        Optional<Set<String>> subscribed =
                group.isIn(GroupState.EMPTY) ? Optional.of(Set.of()) : subscribedTopics(group);
        List<GroupRecord> records = new ArrayList<>();
        Map<TopicPartition, Errors> results = new LinkedHashMap<>();
        for (OffsetDeleteRequestTopic t : req.topics()) {
            boolean inUse = subscribed.map(s -> s.contains(t.name())).orElse(true);
            for (OffsetDeleteRequestPartition p : t.partitions()) {
                TopicPartition tp = new TopicPartition(t.name(), p.partitionIndex());
                if (inUse) {
                    results.put(tp, Errors.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    results.put(tp, Errors.NONE);
                    if (group.offsets().containsKey(tp)) {
                        records.add(new OffsetCommit(groupId, tp, null));
                    }
                }
            }
        }
        return ShardResult.write(records, error -> {
            if (error == Errors.NONE) {
                records.forEach(r -> apply((OffsetCommit) r));
            }
            OffsetDeleteResponseData response = new OffsetDeleteResponseData();
            for (Map.Entry<TopicPartition, Errors> e : results.entrySet()) {
                TopicPartition tp = e.getKey();
                OffsetDeleteResponseTopic topic = response.topics().find(tp.topic());
                if (topic == null) {
                    topic = new OffsetDeleteResponseTopic().setName(tp.topic());
                    response.topics().add(topic);
                }
                Errors partitionError = e.getValue() == Errors.NONE ? error : e.getValue();
                topic.partitions()
                        .add(new OffsetDeleteResponsePartition()
                                .setPartitionIndex(tp.partition())
                                .setErrorCode(partitionError.code()));
            }
            if (group.isDisposable()) {
                groups.remove(groupId);
            }
            return response;
        });
    }

    /** The topics the members subscribe to, or empty when some member's subscription cannot be read. */
    private static Optional<Set<String>> subscribedTopics(ClassicGroup group) {
        if (group.protocolName() == null) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        for (GroupMember m : group.members()) {
            try {
                Subscription s =
                        ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(m.metadata(group.protocolName())));
                topics.addAll(s.topics());
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.of(topics);
    }

    /** Applies a written (or replayed) commit or tombstone; a commit creates its group if needed. */
    void apply(OffsetCommit record) {
        if (record.value() == null) {
            ClassicGroup group = groups.get(record.groupId());
            if (group != null) {
                group.offsets().remove(record.partition());
            }
            return;
        }
        groups.computeIfAbsent(record.groupId(), id -> new ClassicGroup(id, clock.millis()))
                .offsets()
                .put(record.partition(), record.value());
    }
}
