package io.brook.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.security.AclAuthorizer;
import io.brook.cluster.security.ScramCredentialStore;
import io.brook.cluster.security.ScramPasswords;
import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.GatewayIntegrationTest;
import io.brook.gateway.testkit.TestSocket;
import io.brook.gateway.testkit.TestTopics;
import java.net.InetAddress;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The gateway with security on against a real broker, with users and ACLs written to the
 * broker's real ZooKeeper by cluster-core's {@link ScramCredentialStore} and {@link AclAuthorizer}
 * (as the brokers write them) and read by the gateway through its own instances and their
 * watches: a matrix of users, operations and resources over HTTP, SSE and WebSocket, allowed and
 * denied, where a denial moves no data; every OpenAPI path refused to an anonymous caller; the
 * audit log; no password or token in the output. The shared broker runs without an authorizer,
 * so its ACL APIs answer SECURITY_DISABLED: the admin API for ACLs and users is tested against a
 * broker with SASL and the authorizer on, in {@link SaslBrokerGatewayIT}.
 *
 * <p>Users: {@code alice} may write and read {@code sec-orders} (and read in groups {@code
 * alice-*}), {@code bob} may only describe it; {@code admin} is a super user.
 */
@GatewayIntegrationTest
@TestPropertySource(
        properties = {
            "brook.gateway.security.enabled=true",
            "brook.gateway.security.token-secret=" + SecureGatewayIT.SECRET,
            "brook.gateway.security.super-users=User:admin",
            "brook.gateway.security.login-failure-delay=50ms",
            // Every test logs in from 127.0.0.1, failures included: a low cap keeps one test's
            // deliberate failures from queueing another's logins behind seconds-long turns.
            "brook.gateway.security.login-failure-max-delay=200ms"
        })
@ExtendWith(OutputCaptureExtension.class)
class SecureGatewayIT {

    static final String SECRET = "integration-secret-0123456789abcdef";
    static final String TOPIC = "sec-orders";
    static final String SECRET_TOPIC = "sec-hidden";
    static final String ALICE_PASSWORD = "alice-pw-7Xq";
    static final String BOB_PASSWORD = "bob-pw-9Lm";
    static final String ADMIN_PASSWORD = "admin-pw-3Zt";

    static CuratorFramework curator;
    static String cluster;

    @Autowired
    WebTestClient http;

    @Autowired
    GatewayAuthorization authorization;

    @Autowired
    LoginThrottle throttle;

    @LocalServerPort
    int port;

    @BeforeAll
    static void usersAndAcls() throws Exception {
        TestTopics.create(TOPIC, 1);
        TestTopics.create(SECRET_TOPIC, 1);
        cluster = TestTopics.clusterId();
        curator = CuratorFrameworkFactory.newClient(
                BrokerProcess.shared().zookeeperConnect(), new ExponentialBackoffRetry(200, 10));
        curator.start();
        ScramCredentialStore users = new ScramCredentialStore(curator, ScramPasswords.newCache());
        users.upsert(
                "alice",
                ScramMechanism.SCRAM_SHA_512,
                ScramPasswords.create(ScramMechanism.SCRAM_SHA_512, ALICE_PASSWORD, 4096));
        users.upsert(
                "bob",
                ScramMechanism.SCRAM_SHA_256,
                ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, BOB_PASSWORD, 4096));
        users.upsert(
                "admin",
                ScramMechanism.SCRAM_SHA_256,
                ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, ADMIN_PASSWORD, 4096));
        try (AclAuthorizer acls = new AclAuthorizer(curator)) {
            acls.configure(Map.of());
            acls.start(Duration.ofSeconds(30));
            List<AclBinding> bindings = List.of(
                    allow("User:alice", AclOperation.WRITE, ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    allow("User:alice", AclOperation.READ, ResourceType.TOPIC, TOPIC, PatternType.LITERAL),
                    allow("User:alice", AclOperation.READ, ResourceType.GROUP, "alice-", PatternType.PREFIXED),
                    allow("User:bob", AclOperation.DESCRIBE, ResourceType.TOPIC, TOPIC, PatternType.LITERAL));
            for (var result : acls.createAcls(null, bindings)) {
                assertThat(result.toCompletableFuture()
                                .get(30, TimeUnit.SECONDS)
                                .exception())
                        .isEmpty();
            }
        }
    }

    @AfterAll
    static void close() {
        if (curator != null) {
            curator.close();
        }
    }

    static AclBinding allow(
            String principal, AclOperation operation, ResourceType type, String name, PatternType pattern) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** The gateway's own watches have brought the users and ACLs written above. */
    void awaitSecurityLoaded() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> authorization.allowed(
                                "alice", loopback, false, AclOperation.READ, ResourceType.GROUP, "alice-g")
                        && authorization.allowed(
                                "bob", loopback, false, AclOperation.DESCRIBE, ResourceType.TOPIC, TOPIC));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> http.get()
                                .uri("/v3/clusters")
                                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                                .exchange()
                                .returnResult(String.class)
                                .getStatus()
                                .value()
                        == 200);
        throttle.succeeded("127.0.0.1");
    }

    String records(String topic) {
        return "/v3/clusters/" + cluster + "/topics/" + topic + "/records";
    }

    static long endOffset(String topic) throws Exception {
        try (Admin admin = TestTopics.admin()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    WebTestClient.ResponseSpec produce(String user, String password, String topic) {
        return http.post()
                .uri(records(topic))
                .headers(h -> h.setBasicAuth(user, password))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"type\": \"STRING\", \"data\": \"from-" + user + "\"}}")
                .exchange();
    }

    @Test
    void produceIsAllowedWithWriteAndADeniedProduceAppendsNothing() throws Exception {
        awaitSecurityLoaded();
        long before = endOffset(TOPIC);
        produce("alice", ALICE_PASSWORD, TOPIC)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.offset")
                .isEqualTo(before);
        produce("bob", BOB_PASSWORD, TOPIC)
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40301);
        produce("alice", ALICE_PASSWORD, SECRET_TOPIC).expectStatus().isForbidden();
        produce("admin", ADMIN_PASSWORD, TOPIC).expectStatus().isOk();
        assertThat(endOffset(TOPIC)).isEqualTo(before + 2);
        assertThat(endOffset(SECRET_TOPIC)).isZero();
    }

    @Test
    void readsAndStreamsNeedReadAndGroupsNeedGroupRead() throws Exception {
        awaitSecurityLoaded();
        TestTopics.produce(TOPIC, 0, List.of("r1".getBytes(StandardCharsets.UTF_8)));
        String read = "/v3/clusters/" + cluster + "/topics/" + TOPIC + "/partitions/0/records?offset=0";
        http.get()
                .uri(read)
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.records")
                .isNotEmpty();
        http.get()
                .uri(read)
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.records")
                .doesNotExist();
        String stream = "/v3/clusters/" + cluster + "/topics/" + TOPIC + "/records:stream";
        http.get()
                .uri(stream)
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri(stream + "?group=bob-g")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        // v2 consumer instances: group READ to create, topic READ to subscribe.
        http.post()
                .uri("/consumers/bob-g")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"c\"}")
                .exchange()
                .expectStatus()
                .isForbidden();
        http.post()
                .uri("/consumers/alice-g")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\": \"c\"}")
                .exchange()
                .expectStatus()
                .isOk();
        http.post()
                .uri("/consumers/alice-g/instances/c/subscription")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topics\": [\"" + SECRET_TOPIC + "\"]}")
                .exchange()
                .expectStatus()
                .isForbidden();
        http.post()
                .uri("/consumers/alice-g/instances/c/subscription")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topics\": [\"" + TOPIC + "\"]}")
                .exchange()
                .expectStatus()
                .isNoContent();
        http.delete()
                .uri("/consumers/alice-g/instances/c")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    @Test
    void theTopicListShowsOnlyTopicsTheUserMayDescribe() {
        awaitSecurityLoaded();
        JsonNode list = http.get()
                .uri("/v3/clusters/" + cluster + "/topics")
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        List<String> names = new ArrayList<>();
        list.get("data").forEach(t -> names.add(t.get("topic_name").asString()));
        assertThat(names).containsExactly(TOPIC);
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics/" + SECRET_TOPIC)
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri("/v3/clusters/" + cluster + "/brokers")
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri("/v3/clusters/" + cluster + "/brokers")
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk();
        http.post()
                .uri("/v3/clusters/" + cluster + "/acls")
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isForbidden();
        http.post()
                .uri("/v3/clusters/" + cluster + "/topics")
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"topic_name\": \"sec-bobs\"}")
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void webSocketsTakeTheTokenAsASubprotocolAndAreRefusedWithoutRead() throws Exception {
        awaitSecurityLoaded();
        TestTopics.produce(TOPIC, 0, List.of("ws-1".getBytes(StandardCharsets.UTF_8)));
        String socket = "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + TOPIC
                + "/consume-socket?from=beginning";
        String alice = token("alice", ALICE_PASSWORD);
        try (TestSocket open =
                TestSocket.open(socket, true, Map.of("Sec-WebSocket-Protocol", "brook, brook.bearer." + alice))) {
            assertThat(open.subprotocol()).isEqualTo("brook");
            open.send("{\"type\": \"credit\", \"n\": 100}");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> open.received().stream().anyMatch(f -> f.contains("\"offset\"")));
        }
        String bob = token("bob", BOB_PASSWORD);
        assertThat(handshakeStatus(socket, Map.of("Sec-WebSocket-Protocol", "brook, brook.bearer." + bob)))
                .isEqualTo(403);
        assertThat(handshakeStatus(socket, Map.of("Authorization", "Bearer " + bob)))
                .isEqualTo(403);
        assertThat(handshakeStatus(socket, Map.of())).isEqualTo(401);
        String produceSocket =
                "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + TOPIC + "/produce-socket";
        assertThat(handshakeStatus(produceSocket, Map.of("Sec-WebSocket-Protocol", "brook, brook.bearer." + bob)))
                .isEqualTo(403);
    }

    static int handshakeStatus(String url, Map<String, String> headers) throws Exception {
        try (TestSocket ignored = TestSocket.open(url, true, headers)) {
            return 101;
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(WebSocketHandshakeException.class);
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    String token(String user, String password) {
        return http.post()
                .uri("/v3/auth/token")
                .headers(h -> h.setBasicAuth(user, password))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("access_token")
                .asString();
    }

    JsonNode me(String user, String password) {
        return http.get()
                .uri("/v3/auth/me")
                .headers(h -> h.setBasicAuth(user, password))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .cacheControl(org.springframework.http.CacheControl.noStore())
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    @Test
    void meNamesTheUserAndTheClusterOperationsTheAclsAllow() throws Exception {
        awaitSecurityLoaded();
        JsonNode alice = me("alice", ALICE_PASSWORD);
        assertThat(alice.get("user").asString()).isEqualTo("alice");
        assertThat(alice.get("security_enabled").asBoolean()).isTrue();
        assertThat(alice.get("super_user").asBoolean()).isFalse();
        assertThat(alice.get("cluster_operations")).isEmpty();

        JsonNode admin = me("admin", ADMIN_PASSWORD);
        assertThat(admin.get("user").asString()).isEqualTo("admin");
        assertThat(admin.get("super_user").asBoolean()).isTrue();
        assertThat(admin.get("cluster_operations"))
                .extracting(JsonNode::asString)
                .contains("ALTER", "DESCRIBE", "DESCRIBE_CONFIGS", "CREATE");

        // A cluster DESCRIBE grant shows at once (the gateway's authorizer watches the ACLs).
        try (AclAuthorizer acls = new AclAuthorizer(curator)) {
            acls.configure(Map.of());
            acls.start(Duration.ofSeconds(30));
            AclBinding describe = allow(
                    "User:carol", AclOperation.DESCRIBE, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
            ScramCredentialStore users = new ScramCredentialStore(curator, ScramPasswords.newCache());
            users.upsert(
                    "carol",
                    ScramMechanism.SCRAM_SHA_256,
                    ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, "carol-pw-5Rt", 4096));
            for (var result : acls.createAcls(null, List.of(describe))) {
                assertThat(result.toCompletableFuture()
                                .get(30, TimeUnit.SECONDS)
                                .exception())
                        .isEmpty();
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(me("carol", "carol-pw-5Rt").get("cluster_operations"))
                        .extracting(JsonNode::asString)
                        .containsExactly("DESCRIBE"));
        http.get().uri("/v3/auth/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void searchNeedsTopicReadAndSamplesNeedClusterOrGroupDescribe() {
        awaitSecurityLoaded();
        String search = "/v3/clusters/" + cluster + "/topics/" + TOPIC + "/records:search?q=zzz";
        http.get()
                .uri(search)
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri(search)
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("event:done"));
        String throughput = "/v3/clusters/" + cluster + "/metrics/throughput";
        http.get()
                .uri(throughput)
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
        http.get()
                .uri(throughput)
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk();
        http.get()
                .uri("/v3/clusters/" + cluster + "/consumer-groups/bob-g/lag-history")
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void everyPathOfTheOpenApiSpecRefusesAnAnonymousCaller() {
        awaitSecurityLoaded();
        JsonNode spec = http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        List<String> checked = new ArrayList<>();
        spec.get("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(operation -> {
                    String uri = path.getKey().replaceAll("\\{[^}]+}", "x");
                    HttpMethod method = HttpMethod.valueOf(operation.getKey().toUpperCase(java.util.Locale.ROOT));
                    http.method(method).uri(uri).exchange().expectStatus().isUnauthorized();
                    checked.add(method + " " + path.getKey());
                }));
        assertThat(checked)
                .hasSizeGreaterThan(30)
                .contains(
                        "POST /v3/clusters/{cluster_id}/acls",
                        "POST /v3/auth/token",
                        "GET /v3/auth/me",
                        "GET /v3/clusters/{cluster_id}/metrics/throughput",
                        "GET /v3/clusters/{cluster_id}/topics/{topic_name}/records:search",
                        "GET /v3/clusters/{cluster_id}/consumer-groups/{consumer_group_id}/lag-history");
        http.get().uri("/actuator/health").exchange().expectStatus().isOk();
    }

    @Test
    void failuresAndDenialsAreAuditedAndNoPasswordOrTokenIsLogged(CapturedOutput output) {
        awaitSecurityLoaded();
        String alice = token("alice", ALICE_PASSWORD);
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics")
                .headers(h -> h.setBasicAuth("alice", "not-" + ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics")
                .headers(h -> h.setBearerAuth(alice + "x"))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        produce("bob", BOB_PASSWORD, TOPIC).expectStatus().isForbidden();
        http.get()
                .uri("/v3/clusters/" + cluster + "/topics")
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk();
        throttle.succeeded("127.0.0.1");
        assertThat(output.getOut())
                .contains("authentication failed: user=alice address=127.0.0.1 request=\"GET /v3/clusters/" + cluster
                        + "/topics\" reason=bad-credentials")
                .contains("reason=invalid-token")
                .contains("authorization denied: user=bob address=127.0.0.1 operation=WRITE resource=TOPIC:" + TOPIC);
        assertThat(output.getAll())
                .doesNotContain(ALICE_PASSWORD)
                .doesNotContain(BOB_PASSWORD)
                .doesNotContain(ADMIN_PASSWORD)
                .doesNotContain(alice)
                .doesNotContain(alice.substring(alice.lastIndexOf('.') + 1));
    }
}
