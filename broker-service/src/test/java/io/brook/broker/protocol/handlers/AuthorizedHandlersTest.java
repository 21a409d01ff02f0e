package io.brook.broker.protocol.handlers;

import static io.brook.broker.security.SecurityFixture.context;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.SecurityFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.message.CreateAclsRequestData;
import org.apache.kafka.common.message.CreateAclsResponseData;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateAclsRequest;
import org.apache.kafka.common.requests.CreateAclsResponse;
import org.apache.kafka.common.requests.DeleteGroupsRequest;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsRequest;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.JoinGroupRequest;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.ListGroupsRequest;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetFetchRequest;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Handlers called with requests of chosen principals against a real authorizer: denials answer
 * Kafka's errors, and what is denied never reaches the coordinator (here a stand-in that records
 * what it was given and answers every partition and group with NONE).
 */
class AuthorizedHandlersTest {

    static SecurityFixture security;

    @BeforeAll
    static void start() throws Exception {
        security = new SecurityFixture("User:admin");
        security.allow("alice", AclOperation.READ, ResourceType.GROUP, "team");
        security.allow("alice", AclOperation.READ, ResourceType.TOPIC, "orders");
        security.allow("alice", AclOperation.DESCRIBE, ResourceType.GROUP, "visible-group");
    }

    @AfterAll
    static void stop() throws Exception {
        security.close();
    }

    static KafkaRequest request(String user, AbstractRequest body) {
        return new KafkaRequest(context(user, body.apiKey(), body.version()), body, System.nanoTime());
    }

    /** A group handler over a coordinator stand-in that records the requests it receives. */
    static <Q extends ApiMessage, S extends ApiMessage> GroupApiHandler<Q, S> groupHandler(
            ApiKeys key,
            Class<Q> type,
            List<Q> received,
            java.util.function.Function<Q, S> answer,
            BiFunction<S, Short, AbstractResponse> wrap,
            GroupAuthorization.Guard<Q, S> guard) {
        return new GroupApiHandler<>(
                key,
                key.oldestVersion(),
                key.latestVersion(),
                type,
                (ctx, q) -> {
                    received.add(q);
                    return CompletableFuture.completedFuture(answer.apply(q));
                },
                wrap,
                guard);
    }

    @Test
    void createAclsNeedsAlterOnTheCluster() {
        CreateAclsHandler handler = new CreateAclsHandler(security.authorization);
        AclBinding binding = new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, "t", PatternType.LITERAL),
                new AccessControlEntry("User:carol", "*", AclOperation.READ, AclPermissionType.ALLOW));
        CreateAclsRequest body = new CreateAclsRequest.Builder(
                        new CreateAclsRequestData().setCreations(List.of(CreateAclsRequest.aclCreation(binding))))
                .build();
        assertThatThrownBy(() -> handler.handle(request("alice", body)))
                .isInstanceOf(ClusterAuthorizationException.class);
        assertThat(security.authorization.requireAuthorizer().acls(binding.toFilter()))
                .isEmpty();

        CreateAclsResponse answer =
                (CreateAclsResponse) handler.handle(request("admin", body)).join();
        assertThat(answer.results())
                .extracting(CreateAclsResponseData.AclCreationResult::errorCode)
                .containsExactly(Errors.NONE.code());
        assertThat(security.authorization.requireAuthorizer().acls(AclBindingFilter.ANY))
                .contains(binding);
    }

    @Test
    void joinGroupWithoutReadOnTheGroupNeverReachesTheCoordinator() {
        List<JoinGroupRequestData> received = new ArrayList<>();
        var handler = groupHandler(
                ApiKeys.JOIN_GROUP,
                JoinGroupRequestData.class,
                received,
                q -> new JoinGroupResponseData().setErrorCode(Errors.NONE.code()),
                JoinGroupResponse::new,
                GroupAuthorization.joinGroup(security.authorization));
        JoinGroupRequest body = new JoinGroupRequest.Builder(new JoinGroupRequestData()
                        .setGroupId("team")
                        .setMemberId("")
                        .setProtocolType("consumer")
                        .setSessionTimeoutMs(10_000))
                .build();
        assertThatThrownBy(() -> handler.handle(request("bob", body))).isInstanceOf(GroupAuthorizationException.class);
        assertThat(received).isEmpty();
        handler.handle(request("alice", body)).join();
        assertThat(received).hasSize(1);
    }

    @Test
    void offsetCommitCommitsOnlyTheTopicsTheUserMayRead() {
        List<OffsetCommitRequestData> received = new ArrayList<>();
        var handler = groupHandler(
                ApiKeys.OFFSET_COMMIT,
                OffsetCommitRequestData.class,
                received,
                q -> {
                    OffsetCommitResponseData r = new OffsetCommitResponseData();
                    q.topics()
                            .forEach(t -> r.topics()
                                    .add(new OffsetCommitResponseData.OffsetCommitResponseTopic()
                                            .setName(t.name())
                                            .setPartitions(
                                                    List.of(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                                            .setPartitionIndex(0)))));
                    return r.setTopics(List.copyOf(r.topics())); // answers may be immutable
                },
                (d, v) -> new OffsetCommitResponse(d),
                GroupAuthorization.offsetCommit(security.authorization));
        OffsetCommitRequestData data = new OffsetCommitRequestData()
                .setGroupId("team")
                .setTopics(List.of(
                        new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                .setName("orders")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(5))),
                        new OffsetCommitRequestData.OffsetCommitRequestTopic()
                                .setName("payments")
                                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                                        .setPartitionIndex(0)
                                        .setCommittedOffset(5)))));
        OffsetCommitResponse answer = (OffsetCommitResponse) handler.handle(request(
                        "alice", OffsetCommitRequest.Builder.forTopicNames(data).build((short) 9)))
                .join();
        assertThat(received)
                .singleElement()
                .satisfies(q -> assertThat(q.topics())
                        .extracting(OffsetCommitRequestData.OffsetCommitRequestTopic::name)
                        .containsExactly("orders"));
        assertThat(answer.data().topics())
                .extracting(t ->
                        t.name() + "=" + Errors.forCode(t.partitions().get(0).errorCode()))
                .containsExactlyInAnyOrder("orders=NONE", "payments=TOPIC_AUTHORIZATION_FAILED");
    }

    @Test
    void offsetFetchAnswersADeniedGroupAndStillServesTheOthers() {
        List<OffsetFetchRequestData> received = new ArrayList<>();
        var handler = groupHandler(
                ApiKeys.OFFSET_FETCH,
                OffsetFetchRequestData.class,
                received,
                q -> new OffsetFetchResponseData()
                        .setGroups(q.groups().stream()
                                .map(g ->
                                        new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(g.groupId()))
                                .toList()),
                OffsetFetchResponse::new,
                GroupAuthorization.offsetFetch(security.authorization));
        OffsetFetchRequestData data = new OffsetFetchRequestData()
                .setGroups(List.of(
                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                .setGroupId("team")
                                .setTopics(null),
                        new OffsetFetchRequestData.OffsetFetchRequestGroup()
                                .setGroupId("secret-group")
                                .setTopics(null)));
        OffsetFetchResponse answer = (OffsetFetchResponse) handler.handle(request(
                        "alice",
                        OffsetFetchRequest.Builder.forTopicNames(data, false).build((short) 9)))
                .join();
        assertThat(received)
                .singleElement()
                .satisfies(q -> assertThat(q.groups())
                        .extracting(OffsetFetchRequestData.OffsetFetchRequestGroup::groupId)
                        .containsExactly("team"));
        assertThat(answer.data().groups())
                .extracting(g -> g.groupId() + "=" + Errors.forCode(g.errorCode()))
                .containsExactlyInAnyOrder("team=NONE", "secret-group=GROUP_AUTHORIZATION_FAILED");
    }

    @Test
    void listGroupsShowsOnlyTheGroupsTheUserMayDescribe() {
        var handler = groupHandler(
                ApiKeys.LIST_GROUPS,
                ListGroupsRequestData.class,
                new ArrayList<>(),
                q -> new ListGroupsResponseData()
                        .setGroups(List.of(
                                new ListGroupsResponseData.ListedGroup().setGroupId("visible-group"),
                                new ListGroupsResponseData.ListedGroup().setGroupId("team"),
                                new ListGroupsResponseData.ListedGroup().setGroupId("other"))),
                (d, v) -> new ListGroupsResponse(d),
                GroupAuthorization.listGroups(security.authorization));
        ListGroupsRequest body = new ListGroupsRequest.Builder(new ListGroupsRequestData()).build();
        ListGroupsResponse forAlice =
                (ListGroupsResponse) handler.handle(request("alice", body)).join();
        // READ on "team" implies DESCRIBE
        assertThat(forAlice.data().groups())
                .extracting(ListGroupsResponseData.ListedGroup::groupId)
                .containsExactly("visible-group", "team");
        ListGroupsResponse forAdmin =
                (ListGroupsResponse) handler.handle(request("admin", body)).join();
        assertThat(forAdmin.data().groups()).hasSize(3);
    }

    @Test
    void describeGroupsAnswersEachDeniedGroupAndReportsAuthorizedOperations() {
        List<DescribeGroupsRequestData> received = new ArrayList<>();
        var handler = groupHandler(
                ApiKeys.DESCRIBE_GROUPS,
                DescribeGroupsRequestData.class,
                received,
                q -> new DescribeGroupsResponseData()
                        .setGroups(q.groups().stream()
                                .map(g -> new DescribeGroupsResponseData.DescribedGroup()
                                        .setGroupId(g)
                                        .setGroupState("Stable"))
                                .toList()),
                (d, v) -> new DescribeGroupsResponse(d),
                GroupAuthorization.describeGroups(security.authorization));
        DescribeGroupsRequest body = new DescribeGroupsRequest.Builder(new DescribeGroupsRequestData()
                        .setGroups(List.of("team", "other"))
                        .setIncludeAuthorizedOperations(true))
                .build();
        DescribeGroupsResponse answer =
                (DescribeGroupsResponse) handler.handle(request("alice", body)).join();
        assertThat(received)
                .singleElement()
                .satisfies(q -> assertThat(q.groups()).containsExactly("team"));
        assertThat(answer.data().groups())
                .extracting(g -> g.groupId() + "=" + Errors.forCode(g.errorCode()))
                .containsExactlyInAnyOrder("team=NONE", "other=GROUP_AUTHORIZATION_FAILED");
        DescribeGroupsResponseData.DescribedGroup team = answer.data().groups().stream()
                .filter(g -> g.groupId().equals("team"))
                .findFirst()
                .orElseThrow();
        // READ on the group, and DESCRIBE it implies
        assertThat(org.apache.kafka.common.utils.Utils.from32BitField(team.authorizedOperations()))
                .containsExactlyInAnyOrder(AclOperation.READ.code(), AclOperation.DESCRIBE.code());
    }

    @Test
    void deleteGroupsRefusesEachGroupWithoutDelete() {
        List<DeleteGroupsRequestData> received = new ArrayList<>();
        var handler = groupHandler(
                ApiKeys.DELETE_GROUPS,
                DeleteGroupsRequestData.class,
                received,
                q -> {
                    DeleteGroupsResponseData r = new DeleteGroupsResponseData();
                    q.groupsNames()
                            .forEach(g ->
                                    r.results().add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(g)));
                    return r;
                },
                (d, v) -> new DeleteGroupsResponse(d),
                GroupAuthorization.deleteGroups(security.authorization));
        DeleteGroupsRequest body = new DeleteGroupsRequest.Builder(
                        new DeleteGroupsRequestData().setGroupsNames(List.of("team", "visible-group")))
                .build();
        DeleteGroupsResponse answer =
                (DeleteGroupsResponse) handler.handle(request("admin", body)).join();
        assertThat(answer.errors()).containsOnlyKeys("team", "visible-group");
        received.clear();
        answer = (DeleteGroupsResponse) handler.handle(request("alice", body)).join();
        assertThat(received).isEmpty();
        assertThat(answer.errors().values()).containsOnly(Errors.GROUP_AUTHORIZATION_FAILED);
    }
}
