package io.brook.broker.protocol.handlers;

import io.brook.broker.security.RequestAuthorization;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteRequestData.OffsetDeleteRequestTopic;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponsePartition;
import org.apache.kafka.common.message.OffsetDeleteResponseData.OffsetDeleteResponseTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;

/**
 * The ACL checks of the consumer-group APIs, as Kafka's {@code KafkaApis} makes them, each a
 * {@link Guard} around the coordinator call of its {@link GroupApiHandler}:
 *
 * <table>
 *   <caption>checks per API</caption>
 *   <tr><th>API</th><th>group</th><th>topics</th><th>denied</th></tr>
 *   <tr><td>JoinGroup, SyncGroup, Heartbeat, LeaveGroup</td><td>READ</td><td>-</td>
 *       <td>GROUP_AUTHORIZATION_FAILED for the request</td></tr>
 *   <tr><td>OffsetCommit</td><td>READ</td><td>READ</td>
 *       <td>group: for the request; topic: TOPIC_AUTHORIZATION_FAILED for its partitions, the others committed</td></tr>
 *   <tr><td>OffsetFetch</td><td>DESCRIBE</td><td>DESCRIBE</td>
 *       <td>group: for that group (v8+: the others answered); topic: TOPIC_AUTHORIZATION_FAILED, or
 *       left out silently when all topics were asked for</td></tr>
 *   <tr><td>DescribeGroups</td><td>DESCRIBE</td><td>-</td><td>GROUP_AUTHORIZATION_FAILED for that group
 *       (authorized operations reported when asked for)</td></tr>
 *   <tr><td>ListGroups</td><td colspan="2">DESCRIBE on the cluster, or else only the groups it may DESCRIBE</td>
 *       <td>left out silently</td></tr>
 *   <tr><td>DeleteGroups</td><td>DELETE</td><td>-</td><td>GROUP_AUTHORIZATION_FAILED for that group</td></tr>
 *   <tr><td>OffsetDelete</td><td>DELETE</td><td>READ</td>
 *       <td>group: for the request; topic: TOPIC_AUTHORIZATION_FAILED for its partitions</td></tr>
 * </table>
 *
 * <p>A denied part never reaches the coordinator: the request it sees is a copy without it, and
 * the denied part's answer is added to the coordinator's.
 */
public final class GroupAuthorization {

    /** A coordinator call with its checks around it. */
    @FunctionalInterface
    public interface Guard<Q, S> {
        CompletableFuture<S> call(
                AuthorizableRequestContext context, Q request, Function<Q, CompletableFuture<S>> next);
    }

    private GroupAuthorization() {}

    /** No check: the coordinator call as it is. */
    public static <Q extends ApiMessage, S extends ApiMessage> Guard<Q, S> none() {
        return (context, request, next) -> next.apply(request);
    }

    private static void requireGroup(
            RequestAuthorization authorization, AuthorizableRequestContext context, AclOperation op, String groupId) {
        if (!authorization.authorize(context, op, ResourceType.GROUP, groupId)) {
            throw new GroupAuthorizationException("Not authorized to access group: " + groupId, groupId);
        }
    }

    public static <S> Guard<JoinGroupRequestData, S> joinGroup(RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.READ, request.groupId());
            return next.apply(request);
        };
    }

    public static <S> Guard<SyncGroupRequestData, S> syncGroup(RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.READ, request.groupId());
            return next.apply(request);
        };
    }

    public static <S> Guard<HeartbeatRequestData, S> heartbeat(RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.READ, request.groupId());
            return next.apply(request);
        };
    }

    public static <S> Guard<LeaveGroupRequestData, S> leaveGroup(RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.READ, request.groupId());
            return next.apply(request);
        };
    }

    public static Guard<OffsetCommitRequestData, OffsetCommitResponseData> offsetCommit(
            RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.READ, request.groupId());
            Set<String> readable = authorization.filter(
                    context,
                    AclOperation.READ,
                    ResourceType.TOPIC,
                    request.topics().stream()
                            .map(OffsetCommitRequestTopic::name)
                            .toList(),
                    true);
            OffsetCommitRequestData allowed = request.duplicate();
            allowed.topics().removeIf(t -> !readable.contains(t.name()));
            List<OffsetCommitResponseTopic> denied = new ArrayList<>();
            for (OffsetCommitRequestTopic topic : request.topics()) {
                if (!readable.contains(topic.name())) {
                    OffsetCommitResponseTopic answer = new OffsetCommitResponseTopic().setName(topic.name());
                    topic.partitions()
                            .forEach(p -> answer.partitions()
                                    .add(new OffsetCommitResponsePartition()
                                            .setPartitionIndex(p.partitionIndex())
                                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                    denied.add(answer);
                }
            }
            if (allowed.topics().isEmpty() && !denied.isEmpty()) {
                return CompletableFuture.completedFuture(new OffsetCommitResponseData().setTopics(denied));
            }
            return next.apply(allowed).thenApply(response -> {
                response.setTopics(new ArrayList<>(response.topics())).topics().addAll(denied);
                return response;
            });
        };
    }

    public static Guard<OffsetFetchRequestData, OffsetFetchResponseData> offsetFetch(
            RequestAuthorization authorization) {
        return (context, request, next) -> {
            if (request.groups().isEmpty()) {
                return offsetFetchSingleGroup(authorization, context, request, next);
            }
            // v8+: one answer per group; a group denied is answered without the coordinator
            OffsetFetchRequestData allowed = request.duplicate();
            List<OffsetFetchResponseData.OffsetFetchResponseGroup> deniedGroups = new ArrayList<>();
            List<OffsetFetchResponseData.OffsetFetchResponseGroup> deniedTopics = new ArrayList<>();
            Set<String> listedAll = new LinkedHashSet<>();
            allowed.groups().removeIf(group -> {
                if (!authorization.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group.groupId())) {
                    deniedGroups.add(new OffsetFetchResponseData.OffsetFetchResponseGroup()
                            .setGroupId(group.groupId())
                            .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code()));
                    return true;
                }
                if (group.topics() == null) {
                    listedAll.add(group.groupId());
                    return false;
                }
                Set<String> describable = authorization.filter(
                        context,
                        AclOperation.DESCRIBE,
                        ResourceType.TOPIC,
                        group.topics().stream()
                                .map(OffsetFetchRequestData.OffsetFetchRequestTopics::name)
                                .toList(),
                        true);
                OffsetFetchResponseData.OffsetFetchResponseGroup refused =
                        new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(group.groupId());
                group.topics().removeIf(topic -> {
                    if (describable.contains(topic.name())) {
                        return false;
                    }
                    OffsetFetchResponseData.OffsetFetchResponseTopics answer =
                            new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(topic.name());
                    topic.partitionIndexes()
                            .forEach(p -> answer.partitions()
                                    .add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                                            .setPartitionIndex(p)
                                            .setCommittedOffset(OffsetFetchResponse.INVALID_OFFSET)
                                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                    refused.topics().add(answer);
                    return true;
                });
                if (!refused.topics().isEmpty()) {
                    deniedTopics.add(refused);
                }
                return false;
            });
            CompletableFuture<OffsetFetchResponseData> answered =
                    allowed.groups().isEmpty()
                            ? CompletableFuture.completedFuture(new OffsetFetchResponseData())
                            : next.apply(allowed);
            return answered.thenApply(response -> {
                response.setGroups(new ArrayList<>(response.groups()));
                for (OffsetFetchResponseData.OffsetFetchResponseGroup group : response.groups()) {
                    group.setTopics(new ArrayList<>(group.topics()));
                    if (listedAll.contains(group.groupId())) {
                        Set<String> visible = authorization.filter(
                                context,
                                AclOperation.DESCRIBE,
                                ResourceType.TOPIC,
                                group.topics().stream()
                                        .map(OffsetFetchResponseData.OffsetFetchResponseTopics::name)
                                        .toList(),
                                false);
                        group.topics().removeIf(t -> !visible.contains(t.name()));
                    }
                    for (OffsetFetchResponseData.OffsetFetchResponseGroup refused : deniedTopics) {
                        if (refused.groupId().equals(group.groupId())) {
                            group.topics().addAll(refused.duplicate().topics());
                        }
                    }
                }
                response.groups().addAll(deniedGroups);
                return response;
            });
        };
    }

    /** OffsetFetch before v8: one group, the answer's topics at the top level. */
    private static CompletableFuture<OffsetFetchResponseData> offsetFetchSingleGroup(
            RequestAuthorization authorization,
            AuthorizableRequestContext context,
            OffsetFetchRequestData request,
            Function<OffsetFetchRequestData, CompletableFuture<OffsetFetchResponseData>> next) {
        requireGroup(authorization, context, AclOperation.DESCRIBE, request.groupId());
        if (request.topics() == null) {
            return next.apply(request).thenApply(response -> {
                Set<String> visible = authorization.filter(
                        context,
                        AclOperation.DESCRIBE,
                        ResourceType.TOPIC,
                        response.topics().stream()
                                .map(OffsetFetchResponseData.OffsetFetchResponseTopic::name)
                                .toList(),
                        false);
                response.setTopics(new ArrayList<>(response.topics()))
                        .topics()
                        .removeIf(t -> !visible.contains(t.name()));
                return response;
            });
        }
        Set<String> describable = authorization.filter(
                context,
                AclOperation.DESCRIBE,
                ResourceType.TOPIC,
                request.topics().stream()
                        .map(OffsetFetchRequestData.OffsetFetchRequestTopic::name)
                        .toList(),
                true);
        OffsetFetchRequestData allowed = request.duplicate();
        allowed.topics().removeIf(t -> !describable.contains(t.name()));
        List<OffsetFetchResponseData.OffsetFetchResponseTopic> denied = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
            if (!describable.contains(topic.name())) {
                OffsetFetchResponseData.OffsetFetchResponseTopic answer =
                        new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(topic.name());
                topic.partitionIndexes()
                        .forEach(p -> answer.partitions()
                                .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                        .setPartitionIndex(p)
                                        .setCommittedOffset(OffsetFetchResponse.INVALID_OFFSET)
                                        .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                denied.add(answer);
            }
        }
        return next.apply(allowed).thenApply(response -> {
            response.setTopics(new ArrayList<>(response.topics())).topics().addAll(denied);
            return response;
        });
    }

    public static Guard<DescribeGroupsRequestData, DescribeGroupsResponseData> describeGroups(
            RequestAuthorization authorization) {
        return (context, request, next) -> {
            Set<String> describable =
                    authorization.filter(context, AclOperation.DESCRIBE, ResourceType.GROUP, request.groups(), true);
            DescribeGroupsRequestData allowed = request.duplicate();
            allowed.groups().removeIf(g -> !describable.contains(g));
            List<String> denied = request.groups().stream()
                    .filter(g -> !describable.contains(g))
                    .distinct()
                    .toList();
            CompletableFuture<DescribeGroupsResponseData> answered =
                    allowed.groups().isEmpty()
                            ? CompletableFuture.completedFuture(new DescribeGroupsResponseData())
                            : next.apply(allowed);
            return answered.thenApply(response -> {
                response.setGroups(new ArrayList<>(response.groups()));
                if (request.includeAuthorizedOperations()) {
                    response.groups().stream()
                            .filter(g -> g.errorCode() == Errors.NONE.code())
                            .forEach(g -> g.setAuthorizedOperations(
                                    authorization.authorizedOperations(context, ResourceType.GROUP, g.groupId())));
                }
                denied.forEach(g ->
                        response.groups().add(DescribeGroupsResponse.groupError(g, Errors.GROUP_AUTHORIZATION_FAILED)));
                return response;
            });
        };
    }

    public static Guard<ListGroupsRequestData, ListGroupsResponseData> listGroups(RequestAuthorization authorization) {
        return (context, request, next) -> {
            if (authorization.allowedQuietly(
                    context, AclOperation.DESCRIBE, ResourceType.CLUSTER, RequestAuthorization.CLUSTER_NAME)) {
                return next.apply(request);
            }
            return next.apply(request).thenApply(response -> {
                Set<String> visible = authorization.filter(
                        context,
                        AclOperation.DESCRIBE,
                        ResourceType.GROUP,
                        response.groups().stream()
                                .map(ListGroupsResponseData.ListedGroup::groupId)
                                .toList(),
                        false);
                response.setGroups(new ArrayList<>(response.groups()))
                        .groups()
                        .removeIf(g -> !visible.contains(g.groupId()));
                return response;
            });
        };
    }

    public static Guard<DeleteGroupsRequestData, DeleteGroupsResponseData> deleteGroups(
            RequestAuthorization authorization) {
        return (context, request, next) -> {
            Set<String> deletable =
                    authorization.filter(context, AclOperation.DELETE, ResourceType.GROUP, request.groupsNames(), true);
            DeleteGroupsRequestData allowed = request.duplicate();
            allowed.groupsNames().removeIf(g -> !deletable.contains(g));
            List<String> denied = request.groupsNames().stream()
                    .filter(g -> !deletable.contains(g))
                    .distinct()
                    .toList();
            CompletableFuture<DeleteGroupsResponseData> answered =
                    allowed.groupsNames().isEmpty()
                            ? CompletableFuture.completedFuture(new DeleteGroupsResponseData())
                            : next.apply(allowed);
            return answered.thenApply(response -> {
                denied.forEach(g -> response.results()
                        .add(new DeletableGroupResult()
                                .setGroupId(g)
                                .setErrorCode(Errors.GROUP_AUTHORIZATION_FAILED.code())));
                return response;
            });
        };
    }

    public static Guard<OffsetDeleteRequestData, OffsetDeleteResponseData> offsetDelete(
            RequestAuthorization authorization) {
        return (context, request, next) -> {
            requireGroup(authorization, context, AclOperation.DELETE, request.groupId());
            Set<String> readable = authorization.filter(
                    context,
                    AclOperation.READ,
                    ResourceType.TOPIC,
                    request.topics().stream()
                            .map(OffsetDeleteRequestTopic::name)
                            .toList(),
                    true);
            OffsetDeleteRequestData allowed = request.duplicate();
            allowed.topics().removeIf(t -> !readable.contains(t.name()));
            List<OffsetDeleteResponseTopic> denied = new ArrayList<>();
            for (OffsetDeleteRequestTopic topic : request.topics()) {
                if (!readable.contains(topic.name())) {
                    OffsetDeleteResponseTopic answer = new OffsetDeleteResponseTopic().setName(topic.name());
                    topic.partitions()
                            .forEach(p -> answer.partitions()
                                    .add(new OffsetDeleteResponsePartition()
                                            .setPartitionIndex(p.partitionIndex())
                                            .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code())));
                    denied.add(answer);
                }
            }
            return next.apply(allowed).thenApply(response -> {
                denied.forEach(t -> response.topics().add(t));
                return response;
            });
        };
    }
}
