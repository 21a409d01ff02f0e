package io.brook.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.gateway.testkit.BrokerProcess;
import io.brook.gateway.testkit.TestSocket;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * One set of users and ACLs on every path: a broker whose only listener is SASL_PLAINTEXT, with
 * the authorizer on, {@code allow.everyone.if.no.acl.found=false} and its bootstrap administrator
 * {@code admin}; a gateway with security on whose own Kafka clients log in as the SCRAM user
 * {@code gateway}, listed in the broker's super users. Users and ACLs are made by the administrator
 * through the broker's APIs (AdminClient) or through the gateway's admin API, and each is
 * enforced on the other path: HTTP users produce and read with their ACLs checked by the gateway
 * (denials move no data), a user created through the gateway logs in to the broker with SCRAM, an
 * ACL created through the gateway is enforced on the Kafka protocol, and one created with
 * AdminClient by the gateway.
 *
 * <p>Users: {@code alice} may WRITE and READ {@code gw-orders}; {@code bob} may DESCRIBE it;
 * {@code admin} is a super user of the broker and of the gateway.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "brook.gateway.security.enabled=true",
            "brook.gateway.security.token-secret=sasl-gateway-secret-0123456789abcdef",
            "brook.gateway.security.super-users=User:admin",
            "brook.gateway.security.login-failure-delay=50ms",
            // Every test logs in from 127.0.0.1, failures included: a low cap keeps one test's
            // deliberate failures from queueing another's logins behind seconds-long turns.
            "brook.gateway.security.login-failure-max-delay=200ms"
        })
@AutoConfigureWebTestClient(timeout = "60s")
@ContextConfiguration(initializers = SaslBrokerGatewayIT.SaslBroker.class)
@ExtendWith(OutputCaptureExtension.class)
class SaslBrokerGatewayIT {

    static final String TOPIC = "gw-orders";
    static final String OTHER_TOPIC = "gw-other";
    static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    static final String GATEWAY_PASSWORD = "gateway-" + Long.toHexString(System.nanoTime());
    static final String ALICE_PASSWORD = "alice-" + Long.toHexString(System.nanoTime());
    static final String BOB_PASSWORD = "bob-" + Long.toHexString(System.nanoTime());

    /**
     * The broker of this class, started with its users, ACLs and topics before the gateway's
     * context (which needs the gateway user to exist), and stopped when the JVM exits.
     */
    static class SaslBroker implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        private static BrokerProcess broker;

        static synchronized BrokerProcess get() {
            if (broker == null) {
                try {
                    broker = BrokerProcess.start(List.of(
                            "--brook.broker.listeners=SASL_PLAINTEXT://127.0.0.1:{port}",
                            "--brook.security.authorizer-enabled=true",
                            "--brook.security.allow-everyone-if-no-acl-found=false",
                            "--brook.security.super-users=User:admin,User:gateway",
                            "--brook.security.bootstrap-admin.username=admin",
                            "--brook.security.bootstrap-admin.password=" + ADMIN_PASSWORD));
                    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "sasl-broker-stop"));
                    setUp();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
            return broker;
        }

        private static void setUp() throws Exception {
            try (Admin admin = Admin.create(client("admin", ADMIN_PASSWORD, "SCRAM-SHA-512"))) {
                List<UserScramCredentialUpsertion> users = new ArrayList<>();
                for (var user : Map.of("gateway", GATEWAY_PASSWORD, "alice", ALICE_PASSWORD, "bob", BOB_PASSWORD)
                        .entrySet()) {
                    for (ScramMechanism mechanism :
                            List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                        users.add(new UserScramCredentialUpsertion(
                                user.getKey(), new ScramCredentialInfo(mechanism, 4096), user.getValue()));
                    }
                }
                admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
                admin.createAcls(List.of(
                                allow("User:alice", AclOperation.WRITE, TOPIC),
                                allow("User:alice", AclOperation.READ, TOPIC),
                                allow("User:bob", AclOperation.DESCRIBE, TOPIC)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                admin.createTopics(List.of(
                                new NewTopic(TOPIC, 1, (short) 1),
                                new NewTopic(OTHER_TOPIC, 1, (short) 1),
                                new NewTopic("orders", 1, (short) 1)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            // A first record, so that a denied reader always has something it is refused.
            Map<String, Object> config = client("admin", ADMIN_PASSWORD, "SCRAM-SHA-512");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, "seed")).get(30, TimeUnit.SECONDS);
            }
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            BrokerProcess broker = get();
            TestPropertyValues.of(
                            "brook.gateway.bootstrap-servers=" + broker.bootstrap(),
                            "brook.gateway.zookeeper-connect=" + broker.zookeeperConnect(),
                            "brook.gateway.kafka[security.protocol]=SASL_PLAINTEXT",
                            "brook.gateway.kafka[sasl.mechanism]=SCRAM-SHA-512",
                            "brook.gateway.kafka[sasl.jaas.config]="
                                    + "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                    + " username=\"gateway\" password=\"" + GATEWAY_PASSWORD + "\";")
                    .applyTo(context);
        }
    }

    @Autowired
    WebTestClient http;

    @Autowired
    LoginThrottle throttle;

    static String cluster;

    @BeforeAll
    static void clusterId() throws Exception {
        try (Admin admin = Admin.create(client("admin", ADMIN_PASSWORD, "SCRAM-SHA-512"))) {
            cluster = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    static AclBinding allow(String principal, AclOperation operation, String topic) {
        return new AclBinding(
                new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** A Java client's settings for {@code user} on the broker's SASL_PLAINTEXT listener. */
    static Map<String, Object> client(String user, String password, String mechanism) {
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> config = new HashMap<>();
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, SaslBroker.get().bootstrap());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                module + " required username=\"" + user + "\" password=\"" + password + "\";");
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return config;
    }

    /**
     * Waits until an Admin client logging in to the broker as {@code user} gets the cluster id
     * ({@code succeeds}) or a SASL authentication failure (not {@code succeeds}).
     */
    static void awaitBrokerLogin(String user, String password, String mechanism, boolean succeeds) {
        await(user + " logs in with " + mechanism + ": " + succeeds)
                .atMost(Duration.ofSeconds(30))
                .until(() -> {
                    try (Admin client = Admin.create(client(user, password, mechanism))) {
                        assertThat(client.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                                .isEqualTo(cluster);
                        return succeeds;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof SaslAuthenticationException) {
                            return !succeeds;
                        }
                        throw e;
                    }
                });
    }

    static Admin admin() {
        return Admin.create(client("admin", ADMIN_PASSWORD, "SCRAM-SHA-512"));
    }

    static long endOffset(String topic) throws Exception {
        try (Admin admin = admin()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    String records(String topic) {
        return "/v3/clusters/" + cluster + "/topics/" + topic + "/records";
    }

    String read(String topic) {
        return "/v3/clusters/" + cluster + "/topics/" + topic + "/partitions/0/records?offset=0";
    }

    int produceStatus(String user, String password, String topic) {
        return http.post()
                .uri(records(topic))
                .headers(h -> h.setBasicAuth(user, password))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"type\": \"STRING\", \"data\": \"from-" + user + "\"}}")
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }

    int readStatus(String user, String password, String topic) {
        return http.get()
                .uri(read(topic))
                .headers(h -> h.setBasicAuth(user, password))
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }

    int clustersStatus(String user, String password) {
        return http.get()
                .uri("/v3/clusters")
                .headers(h -> h.setBasicAuth(user, password))
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
    }

    /** Reads partition 0 of {@code topic} from the start as a Java client; the values. */
    static List<String> consume(Map<String, Object> config, String topic) {
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            while (consumer.position(tp) < end) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }

    @Test
    void httpUsersProduceAndReadThroughTheGatewaysSaslClientsWithTheirAclsEnforced() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> clustersStatus("bob", BOB_PASSWORD) == 200);
        throttle.succeeded("127.0.0.1");
        long before = endOffset(TOPIC);
        long otherBefore = endOffset(OTHER_TOPIC);
        http.post()
                .uri(records(TOPIC))
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"type\": \"STRING\", \"data\": \"from-alice\"}}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.offset")
                .isEqualTo(before);
        http.post()
                .uri(records(TOPIC))
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partition_id\": 0, \"value\": {\"type\": \"STRING\", \"data\": \"from-bob\"}}")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(40301);
        assertThat(produceStatus("alice", ALICE_PASSWORD, OTHER_TOPIC)).isEqualTo(403);
        assertThat(endOffset(TOPIC)).isEqualTo(before + 1);
        assertThat(endOffset(OTHER_TOPIC)).isEqualTo(otherBefore);
        // alice reads what she wrote, through the gateway's SASL consumer; bob may not.
        http.get()
                .uri(read(TOPIC))
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.records[?(@.value.data == 'from-alice')]")
                .exists();
        http.get()
                .uri(read(TOPIC))
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.records")
                .doesNotExist();
        // The same record through alice's own SASL client: one store of data, one set of rights.
        assertThat(consume(client("alice", ALICE_PASSWORD, "PLAIN"), TOPIC)).contains("from-alice");
        assertThatThrownBy(() -> consume(client("bob", BOB_PASSWORD, "SCRAM-SHA-256"), TOPIC))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void anAclCreatedThroughTheGatewayIsEnforcedOnTheKafkaProtocolAndOneFromAdminClientByTheGateway() throws Exception {
        String acls = "/v3/clusters/" + cluster + "/acls";
        // Through the gateway: bob may READ gw-orders, on the Kafka protocol too.
        assertThatThrownBy(() -> consume(client("bob", BOB_PASSWORD, "SCRAM-SHA-512"), TOPIC))
                .isInstanceOf(TopicAuthorizationException.class);
        http.post()
                .uri(acls)
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "resource_type", "TOPIC",
                        "resource_name", TOPIC,
                        "pattern_type", "LITERAL",
                        "principal", "User:bob",
                        "host", "*",
                        "operation", "READ",
                        "permission", "ALLOW"))
                .exchange()
                .expectStatus()
                .isCreated();
        http.get()
                .uri(acls + "?principal=User:bob&operation=READ")
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.kind")
                .isEqualTo("KafkaAclDataList")
                .jsonPath("$.data[0].resource_name")
                .isEqualTo(TOPIC)
                .jsonPath("$.data[0].permission")
                .isEqualTo("ALLOW");
        // The broker's own change: its next request is allowed.
        consume(client("bob", BOB_PASSWORD, "SCRAM-SHA-512"), TOPIC);
        await().atMost(Duration.ofSeconds(30)).until(() -> readStatus("bob", BOB_PASSWORD, TOPIC) == 200);
        http.delete()
                .uri(acls + "?principal=User:bob&operation=READ")
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.data.length()")
                .isEqualTo(1);
        assertThatThrownBy(() -> consume(client("bob", BOB_PASSWORD, "SCRAM-SHA-512"), TOPIC))
                .isInstanceOf(TopicAuthorizationException.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> readStatus("bob", BOB_PASSWORD, TOPIC) == 403);

        // With AdminClient on the broker: bob may WRITE gw-other, through the gateway too.
        long before = endOffset(OTHER_TOPIC);
        assertThat(produceStatus("bob", BOB_PASSWORD, OTHER_TOPIC)).isEqualTo(403);
        AclBinding write = allow("User:bob", AclOperation.WRITE, OTHER_TOPIC);
        try (Admin admin = admin()) {
            admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> produceStatus("bob", BOB_PASSWORD, OTHER_TOPIC) == 200);
        assertThat(endOffset(OTHER_TOPIC)).isEqualTo(before + 1);
        try (Admin admin = admin()) {
            admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> produceStatus("bob", BOB_PASSWORD, OTHER_TOPIC) == 403);
        assertThat(endOffset(OTHER_TOPIC)).isEqualTo(before + 1);
        // Only an administrator may change ACLs, on either path.
        throttle.succeeded("127.0.0.1");
        http.post()
                .uri(acls)
                .headers(h -> h.setBasicAuth("bob", BOB_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "resource_type", "TOPIC",
                        "resource_name", TOPIC,
                        "pattern_type", "LITERAL",
                        "principal", "User:bob",
                        "host", "*",
                        "operation", "ALL",
                        "permission", "ALLOW"))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aUserCreatedThroughTheGatewayLogsInToTheBrokerWithScram() throws Exception {
        String users = "/v3/clusters/" + cluster + "/users";
        http.post()
                .uri(users)
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("user_name", "carol", "password", "carol-pw-1"))
                .exchange()
                .expectStatus()
                .isCreated();
        String listed = http.get()
                .uri(users)
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(listed)
                .contains("\"user_name\":\"carol\"", "SCRAM-SHA-256", "SCRAM-SHA-512")
                .doesNotContain("carol-pw-1");
        // The broker learns of credentials through its ZooKeeper watch, a moment after it answered
        // (as Kafka's brokers do): logins are awaited.
        for (String mechanism : List.of("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN")) {
            awaitBrokerLogin("carol", "carol-pw-1", mechanism, true);
        }
        try (Admin wrong = Admin.create(client("carol", "carol-pw-2", "SCRAM-SHA-512"))) {
            assertThatThrownBy(() -> wrong.describeCluster().clusterId().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clustersStatus("carol", "carol-pw-1") == 200);
        // A new password through the gateway: the broker takes only the new one.
        http.put()
                .uri(users + "/carol")
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("password", "carol-pw-2"))
                .exchange()
                .expectStatus()
                .isNoContent();
        awaitBrokerLogin("carol", "carol-pw-2", "SCRAM-SHA-256", true);
        awaitBrokerLogin("carol", "carol-pw-1", "SCRAM-SHA-256", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> clustersStatus("carol", "carol-pw-2") == 200);
        assertThat(clustersStatus("carol", "carol-pw-1")).isEqualTo(401);
        http.delete()
                .uri(users + "/carol")
                .headers(h -> h.setBasicAuth("admin", ADMIN_PASSWORD))
                .exchange()
                .expectStatus()
                .isNoContent();
        awaitBrokerLogin("carol", "carol-pw-2", "SCRAM-SHA-256", false);
        await().atMost(Duration.ofSeconds(30)).until(() -> clustersStatus("carol", "carol-pw-2") == 401);
        throttle.succeeded("127.0.0.1");
        // A user made with AdminClient logs in to the gateway; only admins manage users.
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                            "dave", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "dave-pw-1")))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> clustersStatus("dave", "dave-pw-1") == 200);
        http.post()
                .uri(users)
                .headers(h -> h.setBasicAuth("dave", "dave-pw-1"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("user_name", "eve", "password", "x-1"))
                .exchange()
                .expectStatus()
                .isForbidden();
        throttle.succeeded("127.0.0.1");
    }

    /**
     * The {@code sh} block of the README's security section, run with bash and curl as written,
     * except the port, the administrator's password (this broker's) and the user's name ({@code
     * ann}: {@code alice} is this class's own user, with her own password).
     */
    @Test
    void theReadmesSecurityExamplesWorkAgainstASecuredGatewayAndBroker() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        int section = readme.indexOf("## Security (off by default)");
        assertThat(section).as("README has a security section").isNotNegative();
        int start = readme.indexOf("```sh\n", section) + "```sh\n".length();
        String examples = readme.substring(start, readme.indexOf("```", start));
        String script = "set -euo pipefail\n"
                + examples.replace("localhost:8080", "localhost:" + port)
                        .replace("admin:admin-secret", "admin:" + ADMIN_PASSWORD)
                        .replace("alice", "ann")
                + "echo \"token length ${#TOKEN}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", script)
                .redirectErrorStream(true)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(bash.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("\"principal\":\"User:ann\"", "\"operation\":\"WRITE\"")
                .contains("\"topic_name\":\"orders\"")
                .doesNotContain("\"topic_name\":\"" + TOPIC + "\"")
                .contains("\"kind\":\"KafkaPartitionList\"")
                .doesNotContain("error_code\":4", "error_code\":5", "token length 0");
        assertThat(endOffset("orders")).isEqualTo(1);
        try (Admin admin = admin()) {
            assertThat(admin.describeUserScramCredentials().all().get(30, TimeUnit.SECONDS))
                    .containsKey("ann");
        }
    }

    @LocalServerPort
    int port;

    /**
     * No password reaches a log: not the gateway's own Kafka login (its clients print their
     * configs), nor the users', nor the bootstrap administrator's in the broker's output.
     */
    @Test
    void noPasswordIsLoggedByTheGatewayOrTheBroker(CapturedOutput output) throws Exception {
        assertThat(produceStatus("alice", ALICE_PASSWORD, TOPIC)).isEqualTo(200);
        assertThat(produceStatus("bob", "not-" + BOB_PASSWORD, TOPIC)).isEqualTo(401);
        throttle.succeeded("127.0.0.1");
        assertThat(output.getAll())
                .contains("sasl.jaas.config = [hidden]")
                .doesNotContain(GATEWAY_PASSWORD, ADMIN_PASSWORD, ALICE_PASSWORD, BOB_PASSWORD);
        assertThat(SaslBroker.get().output())
                .contains("bootstrap administrator admin")
                .doesNotContain(GATEWAY_PASSWORD, ADMIN_PASSWORD, ALICE_PASSWORD, BOB_PASSWORD);
    }

    /** A token user's WebSocket consumer reads through the gateway's SASL consumer; bob's is refused. */
    @Test
    void aTokenUsersWebSocketReadsThroughTheGatewaysSaslClients() throws Exception {
        String socket = "ws://127.0.0.1:" + port + "/v3/clusters/" + cluster + "/topics/" + TOPIC
                + "/consume-socket?from=beginning";
        String alice = token("alice", ALICE_PASSWORD);
        try (TestSocket open =
                TestSocket.open(socket, true, Map.of("Sec-WebSocket-Protocol", "brook, brook.bearer." + alice))) {
            open.send("{\"type\": \"credit\", \"n\": 100}");
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> open.received().stream().anyMatch(f -> f.contains("\"offset\"")));
        }
        String bob = token("bob", BOB_PASSWORD);
        assertThat(SecureGatewayIT.handshakeStatus(
                        socket, Map.of("Sec-WebSocket-Protocol", "brook, brook.bearer." + bob)))
                .isEqualTo(403);
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

    /** The gateway's producer and a Java producer write to the same log, as different users. */
    @Test
    void aJavaProducerAndTheGatewayShareTheTopicAndItsRights() throws Exception {
        Map<String, Object> config = client("alice", ALICE_PASSWORD, "SCRAM-SHA-256");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        long before = endOffset(TOPIC);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, 0, null, "java-alice")).get(30, TimeUnit.SECONDS);
        }
        assertThat(endOffset(TOPIC)).isEqualTo(before + 1);
        http.get()
                .uri(read(TOPIC))
                .headers(h -> h.setBasicAuth("alice", ALICE_PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.records[?(@.value.data == 'java-alice')]")
                .exists();
    }
}
