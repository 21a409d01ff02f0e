package io.brook.cluster.security;

import static org.apache.kafka.common.acl.AclOperation.ALL;
import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.CREATE;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.acl.AclPermissionType.ALLOW;
import static org.apache.kafka.common.acl.AclPermissionType.DENY;
import static org.apache.kafka.common.resource.PatternType.LITERAL;
import static org.apache.kafka.common.resource.PatternType.PREFIXED;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class AclAuthorizerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final String ALICE = "User:alice";
    static final String BOB = "User:bob";

    /** A request of a principal from an address, as the broker's RequestContext provides it. */
    record Request(KafkaPrincipal principal, InetAddress clientAddress) implements AuthorizableRequestContext {

        static Request of(String principal, String host) {
            try {
                String[] parts = principal.split(":", 2);
                return new Request(new KafkaPrincipal(parts[0], parts[1]), InetAddress.getByName(host));
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public String listenerName() {
            return "PLAINTEXT";
        }

        @Override
        public SecurityProtocol securityProtocol() {
            return SecurityProtocol.PLAINTEXT;
        }

        @Override
        public int requestType() {
            return 0;
        }

        @Override
        public int requestVersion() {
            return 0;
        }

        @Override
        public String clientId() {
            return "test";
        }

        @Override
        public int correlationId() {
            return 0;
        }
    }

    static AclAuthorizer started(ZooKeeperCluster zk, Map<String, ?> config) {
        AclAuthorizer authorizer = new AclAuthorizer(zk.newClient());
        authorizer.configure(config);
        authorizer.start(TIMEOUT);
        return authorizer;
    }

    static AclBinding binding(
            ResourceType type,
            String name,
            PatternType patternType,
            String principal,
            String host,
            AclOperation operation,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, patternType),
                new AccessControlEntry(principal, host, operation, permission));
    }

    static AclBinding allow(
            ResourceType type, String name, PatternType patternType, String principal, AclOperation op) {
        return binding(type, name, patternType, principal, "*", op, ALLOW);
    }

    static AclBinding deny(ResourceType type, String name, PatternType patternType, String principal, AclOperation op) {
        return binding(type, name, patternType, principal, "*", op, DENY);
    }

    static void create(AclAuthorizer authorizer, AclBinding... bindings) {
        for (CompletionStage<AclCreateResult> result : authorizer.createAcls(null, List.of(bindings))) {
            assertThat(result.toCompletableFuture().join().exception()).isEmpty();
        }
    }

    static boolean allowed(
            AclAuthorizer authorizer, String principal, String host, AclOperation op, ResourceType type, String name) {
        Action action = new Action(op, new ResourcePattern(type, name, LITERAL), 1, true, true);
        return authorizer
                        .authorize(Request.of(principal, host), List.of(action))
                        .get(0)
                == AuthorizationResult.ALLOWED;
    }

    static boolean allowed(
            AclAuthorizer authorizer, String principal, AclOperation op, ResourceType type, String name) {
        return allowed(authorizer, principal, "127.0.0.1", op, type, name);
    }

    @Test
    void aResourceWithoutAnyAclIsRefusedUnlessAllowEveryoneIfNoAclFound(ZooKeeperCluster zk) {
        try (AclAuthorizer strict = started(zk, Map.of());
                AclAuthorizer open = started(zk, Map.of(AclAuthorizer.ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG, "true"))) {
            assertThat(allowed(strict, ALICE, READ, TOPIC, "orders")).isFalse();
            assertThat(allowed(open, ALICE, READ, TOPIC, "orders")).isTrue();

            // once the resource has an ACL (for someone else), the flag no longer opens it
            create(open, allow(TOPIC, "orders", LITERAL, BOB, READ));
            assertThat(allowed(open, ALICE, READ, TOPIC, "orders")).isFalse();
            assertThat(allowed(open, BOB, READ, TOPIC, "orders")).isTrue();
            assertThat(allowed(open, ALICE, READ, TOPIC, "other")).isTrue();
        }
    }

    @Test
    void principalsMatchExactlyOrThroughTheUserWildcard(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(
                    authorizer,
                    allow(TOPIC, "orders", LITERAL, ALICE, WRITE),
                    allow(TOPIC, "audit", LITERAL, "User:*", READ));
            assertThat(allowed(authorizer, ALICE, WRITE, TOPIC, "orders")).isTrue();
            assertThat(allowed(authorizer, BOB, WRITE, TOPIC, "orders")).isFalse();
            assertThat(allowed(authorizer, "User:alicex", WRITE, TOPIC, "orders"))
                    .isFalse();
            assertThat(allowed(authorizer, BOB, READ, TOPIC, "audit")).isTrue();
            assertThat(allowed(authorizer, "User:ANONYMOUS", READ, TOPIC, "audit"))
                    .isTrue();
        }
    }

    @Test
    void hostsMatchExactlyOrThroughTheHostWildcard(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(authorizer, binding(TOPIC, "orders", LITERAL, ALICE, "10.0.0.1", READ, ALLOW));
            assertThat(allowed(authorizer, ALICE, "10.0.0.1", READ, TOPIC, "orders"))
                    .isTrue();
            assertThat(allowed(authorizer, ALICE, "10.0.0.2", READ, TOPIC, "orders"))
                    .isFalse();

            create(authorizer, binding(TOPIC, "orders", LITERAL, ALICE, "10.0.0.3", READ, DENY));
            create(authorizer, binding(TOPIC, "orders", LITERAL, ALICE, "*", READ, ALLOW));
            assertThat(allowed(authorizer, ALICE, "10.0.0.2", READ, TOPIC, "orders"))
                    .isTrue();
            assertThat(allowed(authorizer, ALICE, "10.0.0.3", READ, TOPIC, "orders"))
                    .isFalse();
        }
    }

    @Test
    void denyWinsOverAllowWhereverEitherComesFrom(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(
                    authorizer,
                    allow(TOPIC, "orders", LITERAL, ALICE, ALL),
                    deny(TOPIC, "orders", LITERAL, ALICE, WRITE),
                    allow(TOPIC, "payments", LITERAL, ALICE, READ),
                    deny(TOPIC, "*", LITERAL, "User:*", READ),
                    allow(GROUP, "team-a", LITERAL, ALICE, READ),
                    deny(GROUP, "team-", PREFIXED, ALICE, ALL));
            assertThat(allowed(authorizer, ALICE, WRITE, TOPIC, "orders")).isFalse();
            assertThat(allowed(authorizer, ALICE, DELETE, TOPIC, "orders")).isTrue();
            // the wildcard resource's DENY for every user reaches the literal ALLOW
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "payments")).isFalse();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "orders")).isFalse();
            // a prefixed DENY of ALL reaches the literal ALLOW too
            assertThat(allowed(authorizer, ALICE, READ, GROUP, "team-a")).isFalse();
        }
    }

    @Test
    void allowImpliesKafkasImpliedOperationsButDenyOnlyItsOwn(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(
                    authorizer,
                    allow(TOPIC, "read", LITERAL, ALICE, READ),
                    allow(TOPIC, "write", LITERAL, ALICE, WRITE),
                    allow(TOPIC, "delete", LITERAL, ALICE, DELETE),
                    allow(TOPIC, "alter", LITERAL, ALICE, ALTER),
                    allow(TOPIC, "configs", LITERAL, ALICE, ALTER_CONFIGS),
                    allow(TOPIC, "all", LITERAL, ALICE, ALL),
                    allow(TOPIC, "describe", LITERAL, ALICE, DESCRIBE),
                    allow(TOPIC, "denied-read", LITERAL, ALICE, ALL),
                    deny(TOPIC, "denied-read", LITERAL, ALICE, READ));
            for (String topic : List.of("read", "write", "delete", "alter", "all", "describe")) {
                assertThat(allowed(authorizer, ALICE, DESCRIBE, TOPIC, topic))
                        .as(topic)
                        .isTrue();
            }
            assertThat(allowed(authorizer, ALICE, DESCRIBE, TOPIC, "configs")).isFalse();
            assertThat(allowed(authorizer, ALICE, DESCRIBE_CONFIGS, TOPIC, "configs"))
                    .isTrue();
            assertThat(allowed(authorizer, ALICE, DESCRIBE_CONFIGS, TOPIC, "alter"))
                    .isFalse();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "write")).isFalse();
            assertThat(allowed(authorizer, ALICE, WRITE, TOPIC, "read")).isFalse();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "describe")).isFalse();
            assertThat(allowed(authorizer, ALICE, CREATE, TOPIC, "all")).isTrue();
            // DENY READ does not deny the DESCRIBE that ALL allows
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "denied-read")).isFalse();
            assertThat(allowed(authorizer, ALICE, DESCRIBE, TOPIC, "denied-read"))
                    .isTrue();
        }
    }

    @Test
    void literalWildcardAndPrefixedPatternsApply(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(
                    authorizer,
                    allow(TOPIC, "sales-", PREFIXED, ALICE, READ),
                    allow(TOPIC, "*", LITERAL, BOB, DESCRIBE),
                    allow(GROUP, "*", LITERAL, ALICE, READ));
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "sales-eu")).isTrue();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "sales-")).isTrue();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "sales")).isFalse();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "xsales-eu")).isFalse();
            assertThat(allowed(authorizer, BOB, DESCRIBE, TOPIC, "anything")).isTrue();
            assertThat(allowed(authorizer, BOB, READ, TOPIC, "anything")).isFalse();
            assertThat(allowed(authorizer, ALICE, READ, GROUP, "any-group")).isTrue();
            // a literal ACL named like a prefix is not a prefix
            create(authorizer, allow(TOPIC, "hr", LITERAL, ALICE, READ));
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "hr-payroll")).isFalse();
        }
    }

    @Test
    void superUsersAreAllowedEverythingWithoutAnyAcl(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of(AclAuthorizer.SUPER_USERS_CONFIG, "User:admin; User:ops"))) {
            create(authorizer, deny(TOPIC, "orders", LITERAL, "User:*", ALL));
            assertThat(allowed(authorizer, "User:admin", WRITE, TOPIC, "orders"))
                    .isTrue();
            assertThat(allowed(authorizer, "User:ops", ALTER, CLUSTER, "kafka-cluster"))
                    .isTrue();
            assertThat(allowed(authorizer, ALICE, WRITE, TOPIC, "orders")).isFalse();
        }
    }

    @Test
    void aclsAreKafkasZnodesWithVersionedJson(ZooKeeperCluster zk) throws Exception {
        CuratorFramework reader = zk.newClient();
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            create(
                    authorizer,
                    allow(TOPIC, "orders", LITERAL, ALICE, READ),
                    allow(GROUP, "team-", PREFIXED, ALICE, READ));
            String literal = new String(reader.getData().forPath("/kafka-acl/Topic/orders"), StandardCharsets.UTF_8);
            assertThat(literal)
                    .isEqualTo("{\"version\":1,\"acls\":[{\"principal\":\"User:alice\",\"permissionType\":\"Allow\","
                            + "\"operation\":\"Read\",\"host\":\"*\"}]}");
            assertThat(reader.checkExists().forPath("/kafka-acl-extended/prefixed/Group/team-"))
                    .isNotNull();
        }
    }

    @Test
    void createDescribeAndDeleteWithFilters(ZooKeeperCluster zk) throws Exception {
        CuratorFramework reader = zk.newClient();
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            AclBinding ordersRead = allow(TOPIC, "orders", LITERAL, ALICE, READ);
            AclBinding ordersWrite = allow(TOPIC, "orders", LITERAL, BOB, WRITE);
            AclBinding prefixed = allow(TOPIC, "ord", PREFIXED, ALICE, DESCRIBE);
            AclBinding group = allow(GROUP, "g", LITERAL, ALICE, READ);
            create(authorizer, ordersRead, ordersWrite, prefixed, group);
            assertThat(authorizer.acls(AclBindingFilter.ANY))
                    .containsExactlyInAnyOrder(ordersRead, ordersWrite, prefixed, group);
            assertThat(authorizer.aclCount()).isEqualTo(4);

            // MATCH finds every pattern that applies to the topic "orders"
            AclBindingFilter matchOrders = new AclBindingFilter(
                    new ResourcePatternFilter(TOPIC, "orders", PatternType.MATCH), AccessControlEntryFilter.ANY);
            assertThat(authorizer.acls(matchOrders)).containsExactlyInAnyOrder(ordersRead, ordersWrite, prefixed);
            AclBindingFilter alices = new AclBindingFilter(
                    ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(ALICE, null, AclOperation.ANY, AclPermissionType.ANY));
            assertThat(authorizer.acls(alices)).containsExactlyInAnyOrder(ordersRead, prefixed, group);

            List<? extends CompletionStage<AclDeleteResult>> deleted = authorizer.deleteAcls(
                    null,
                    List.of(
                            new AclBindingFilter(
                                    new ResourcePatternFilter(TOPIC, "orders", LITERAL), AccessControlEntryFilter.ANY),
                            new AclBindingFilter(
                                    new ResourcePatternFilter(GROUP, "nothing", LITERAL),
                                    AccessControlEntryFilter.ANY)));
            assertThat(deleted.get(0).toCompletableFuture().join().aclBindingDeleteResults())
                    .extracting(AclDeleteResult.AclBindingDeleteResult::aclBinding)
                    .containsExactlyInAnyOrder(ordersRead, ordersWrite);
            assertThat(deleted.get(1).toCompletableFuture().join().aclBindingDeleteResults())
                    .isEmpty();

            assertThat(authorizer.acls(AclBindingFilter.ANY)).containsExactlyInAnyOrder(prefixed, group);
            assertThat(reader.checkExists().forPath("/kafka-acl/Topic/orders")).isNull();
            assertThat(allowed(authorizer, ALICE, READ, TOPIC, "orders")).isFalse();
        }
    }

    @Test
    void invalidBindingsAreRefusedOneByOne(ZooKeeperCluster zk) {
        try (AclAuthorizer authorizer = started(zk, Map.of())) {
            AclBinding good = allow(TOPIC, "orders", LITERAL, ALICE, READ);
            List<AclBinding> bindings = List.of(
                    allow(CLUSTER, "other-cluster", LITERAL, ALICE, ALTER),
                    allow(TOPIC, "", LITERAL, ALICE, READ),
                    allow(TOPIC, "orders", LITERAL, "alice", READ),
                    good);
            List<AclCreateResult> results = new ArrayList<>();
            authorizer
                    .createAcls(null, bindings)
                    .forEach(r -> results.add(r.toCompletableFuture().join()));
            assertThat(results.subList(0, 3))
                    .allSatisfy(r -> assertThat(r.exception()).get().isInstanceOf(InvalidRequestException.class));
            assertThat(results.get(3).exception()).isEmpty();
            assertThat(authorizer.acls(AclBindingFilter.ANY)).containsExactly(good);
        }
    }

    @Test
    void aSecondAuthorizerSeesTheFirstOnesWritesThroughTheWatch(ZooKeeperCluster zk) {
        try (AclAuthorizer writer = started(zk, Map.of());
                AclAuthorizer reader = started(zk, Map.of())) {
            create(writer, allow(TOPIC, "orders", LITERAL, ALICE, READ), allow(TOPIC, "team-", PREFIXED, ALICE, WRITE));
            await().atMost(TIMEOUT)
                    .until(() -> allowed(reader, ALICE, READ, TOPIC, "orders")
                            && allowed(reader, ALICE, WRITE, TOPIC, "team-x"));

            writer.deleteAcls(
                    null,
                    List.of(new AclBindingFilter(
                            new ResourcePatternFilter(TOPIC, "orders", LITERAL), AccessControlEntryFilter.ANY)));
            await().atMost(TIMEOUT).until(() -> !allowed(reader, ALICE, READ, TOPIC, "orders"));
            assertThat(allowed(reader, ALICE, WRITE, TOPIC, "team-x")).isTrue();

            // and an authorizer started later loads what is there
            try (AclAuthorizer late = started(zk, Map.of())) {
                assertThat(late.acls(AclBindingFilter.ANY))
                        .containsExactly(allow(TOPIC, "team-", PREFIXED, ALICE, WRITE));
            }
        }
    }

    @Test
    void concurrentCreatesOnOnePatternLoseNoEntry(ZooKeeperCluster zk) throws Exception {
        try (AclAuthorizer a = started(zk, Map.of());
                AclAuthorizer b = started(zk, Map.of())) {
            int perWriter = 15;
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (AclAuthorizer authorizer : List.of(a, b)) {
                String who = authorizer == a ? "a" : "b";
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perWriter; i++) {
                        create(authorizer, allow(TOPIC, "shared", LITERAL, "User:" + who + i, READ));
                    }
                });
                t.start();
                threads.add(t);
            }
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(a.acls(AclBindingFilter.ANY)).hasSize(2 * perWriter);
                assertThat(b.acls(AclBindingFilter.ANY)).hasSize(2 * perWriter);
            });
        }
    }
}
