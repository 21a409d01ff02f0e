package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brook.broker.security.RequestAuthorization;
import io.brook.broker.security.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

/**
 * Issue 6 end to end on the Kafka protocol: two brokers whose only listeners are SASL_PLAINTEXT and
 * SASL_SSL (a test CA), replicating over SASL_PLAINTEXT as the SCRAM user {@code broker} (a super
 * user), with the authorizer on and
 * {@code allow.everyone.if.no.acl.found=false}. The bootstrap administrator comes from {@code
 * brook.security.bootstrap-admin.*}; every other user is created by that administrator with
 * {@code Admin.alterUserScramCredentials} and given ACLs with {@code Admin.createAcls}, as an
 * operator would with {@code kafka-configs} and {@code kafka-acls}. Then a table of users x
 * operations x resources through the Java clients, some users logging in with SASL PLAIN, others
 * with SCRAM-SHA-256 or -512: each row allowed, or refused with the exception Kafka's clients
 * raise, and a refused row moves no data (end offsets, committed offsets, topics and configs as
 * before). kcat over SASL as an allowed and a denied user; an ACL revoked while a producer is
 * connected refuses its next request.
 *
 * <p>Users and their ACLs:
 *
 * <table>
 *   <caption>the matrix's users</caption>
 *   <tr><th>user</th><th>logs in with</th><th>ACLs</th></tr>
 *   <tr><td>admin</td><td>SCRAM-SHA-512</td><td>super user (bootstrap administrator)</td></tr>
 *   <tr><td>alice</td><td>PLAIN</td><td>WRITE, READ on topic {@code orders} (literal); READ on
 *       groups {@code alice-*} (prefixed)</td></tr>
 *   <tr><td>bob</td><td>SCRAM-SHA-256</td><td>ALL on topics {@code pub-*} (prefixed), DENY WRITE
 *       on {@code pub-locked} (literal); READ on group {@code bob-g} (literal)</td></tr>
 *   <tr><td>carol</td><td>SCRAM-SHA-512</td><td>none</td></tr>
 *   <tr><td>ops</td><td>SCRAM-SHA-256</td><td>cluster CREATE, DESCRIBE, ALTER; topic {@code orders}
 *       ALTER_CONFIGS; topics {@code tmp-*} DELETE</td></tr>
 * </table>
 */
class SecurityMatrixIT {

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static TestCertificates ca;
    static ListAppender<ILoggingEvent> audit;

    static final String ADMIN_PASSWORD = "admin-" + Long.toHexString(System.nanoTime());
    static final String BROKER_PASSWORD = "broker-" + Long.toHexString(System.nanoTime());
    static final Map<String, String> PASSWORDS = Map.of(
            "alice", "alice-" + Long.toHexString(System.nanoTime()),
            "bob", "bob-" + Long.toHexString(System.nanoTime()),
            "carol", "carol-" + Long.toHexString(System.nanoTime()),
            "ops", "ops-" + Long.toHexString(System.nanoTime()));
    static final Map<String, String> MECHANISMS = Map.of(
            "admin", "SCRAM-SHA-512",
            "alice", "PLAIN",
            "bob", "SCRAM-SHA-256",
            "carol", "SCRAM-SHA-512",
            "ops", "SCRAM-SHA-256");

    static final List<String> TOPICS = List.of("orders", "pub-news", "pub-locked", "secret", "tmp-scratch");
    static final int SEEDED = 3;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCertificates.create(tmp.resolve("pki"), "matrix-ca");
        TestCertificates.Issued brokerCert = ca.issue("broker");
        cluster = TestCluster.start(
                tmp,
                2,
                "--brook.broker.listeners=SASL_PLAINTEXT://127.0.0.1:{port},SASL_SSL://127.0.0.1:{port2}",
                "--brook.broker.inter-broker-listener-name=SASL_PLAINTEXT",
                "--brook.broker.ssl.keystore-location=" + brokerCert.keystore(),
                "--brook.broker.ssl.keystore-password=" + brokerCert.password(),
                "--brook.broker.inter-broker.sasl-mechanism=SCRAM-SHA-512",
                "--brook.broker.inter-broker.username=broker",
                "--brook.broker.inter-broker.password=" + BROKER_PASSWORD,
                "--brook.broker.replica-fetch-backoff-ms=200",
                "--brook.broker.offsets-topic-replication-factor=2",
                "--brook.broker.auto-create-topics=false",
                "--brook.security.authorizer-enabled=true",
                "--brook.security.allow-everyone-if-no-acl-found=false",
                "--brook.security.super-users=User:admin,User:broker",
                "--brook.security.bootstrap-admin.username=admin",
                "--brook.security.bootstrap-admin.password=" + ADMIN_PASSWORD);
        // After the brokers' start, which initialises logging anew.
        Logger auditLogger = (Logger) LoggerFactory.getLogger(RequestAuthorization.AUDIT_LOGGER);
        auditLogger.setLevel(Level.INFO);
        audit = new ListAppender<>();
        audit.start();
        auditLogger.addAppender(audit);
        try (Admin admin = Admin.create(client("admin"))) {
            List<UserScramCredentialUpsertion> users = new ArrayList<>();
            users.add(new UserScramCredentialUpsertion(
                    "broker", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), BROKER_PASSWORD));
            for (var user : PASSWORDS.entrySet()) {
                for (ScramMechanism mechanism : List.of(ScramMechanism.SCRAM_SHA_256, ScramMechanism.SCRAM_SHA_512)) {
                    users.add(new UserScramCredentialUpsertion(
                            user.getKey(), new ScramCredentialInfo(mechanism, 4096), user.getValue()));
                }
            }
            admin.alterUserScramCredentials(new ArrayList<>(users)).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(
                            allow("alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                            allow("alice", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ),
                            allow("alice", ResourceType.GROUP, "alice-", PatternType.PREFIXED, AclOperation.READ),
                            allow("bob", ResourceType.TOPIC, "pub-", PatternType.PREFIXED, AclOperation.ALL),
                            acl(
                                    "bob",
                                    ResourceType.TOPIC,
                                    "pub-locked",
                                    PatternType.LITERAL,
                                    AclOperation.WRITE,
                                    AclPermissionType.DENY),
                            allow("bob", ResourceType.GROUP, "bob-g", PatternType.LITERAL, AclOperation.READ),
                            allow(
                                    "ops",
                                    ResourceType.CLUSTER,
                                    "kafka-cluster",
                                    PatternType.LITERAL,
                                    AclOperation.CREATE),
                            allow(
                                    "ops",
                                    ResourceType.CLUSTER,
                                    "kafka-cluster",
                                    PatternType.LITERAL,
                                    AclOperation.DESCRIBE),
                            allow(
                                    "ops",
                                    ResourceType.CLUSTER,
                                    "kafka-cluster",
                                    PatternType.LITERAL,
                                    AclOperation.ALTER),
                            allow("ops", ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.ALTER_CONFIGS),
                            allow("ops", ResourceType.TOPIC, "tmp-", PatternType.PREFIXED, AclOperation.DELETE)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            admin.createTopics(TOPICS.stream()
                            .map(t -> new NewTopic(t, 1, (short) 2))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        // The admin seeds every topic; both replicas have the records (acks=all, ISR of two).
        for (String topic : TOPICS) {
            produce("admin", topic, SEEDED, true);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = Admin.create(client("admin"))) {
                return admin.describeTopics(TOPICS).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
                        .allMatch(d -> d.partitions().get(0).isr().size() == 2);
            }
        });
    }

    @AfterAll
    static void stop() {
        ((Logger) LoggerFactory.getLogger(RequestAuthorization.AUDIT_LOGGER)).detachAppender(audit);
        if (cluster != null) {
            cluster.close();
        }
    }

    static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return acl(user, type, name, pattern, op, AclPermissionType.ALLOW);
    }

    static AclBinding acl(
            String user,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation op,
            AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern), new AccessControlEntry("User:" + user, "*", op, permission));
    }

    static String password(String user) {
        return user.equals("admin") ? ADMIN_PASSWORD : PASSWORDS.get(user);
    }

    /** A client of {@code user} on the SASL_PLAINTEXT listener with the user's mechanism. */
    static Map<String, Object> client(String user) {
        String mechanism = MECHANISMS.get(user);
        String module = mechanism.equals("PLAIN")
                ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, mechanism);
        config.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                module + " required username=\"" + user + "\" password=\"" + password(user) + "\";");
        config.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        return config;
    }

    /** The same user on the SASL_SSL listener, trusting the test CA. */
    static Map<String, Object> tlsClient(String user) throws Exception {
        Map<String, Object> config = client(user);
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + cluster.broker(1).port2 + ",127.0.0.1:" + cluster.broker(2).port2);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ca.truststore().toString());
        config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, ca.storePassword);
        config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        return config;
    }

    static void produce(String user, String topic, int count, boolean idempotent) throws Exception {
        produce(client(user), user, topic, count, idempotent);
    }

    static void produce(Map<String, Object> base, String user, String topic, int count, boolean idempotent)
            throws Exception {
        Map<String, Object> config = new HashMap<>(base);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, idempotent);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", user + "-" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    static long endOffset(String topic) throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                    .partitionResult(tp)
                    .get(30, TimeUnit.SECONDS)
                    .offset();
        }
    }

    static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            return admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    static Set<String> topics() throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }

    static String retention(String topic) throws Exception {
        try (Admin admin = Admin.create(client("admin"))) {
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            ConfigEntry entry = admin.describeConfigs(List.of(resource))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(resource)
                    .get("retention.ms");
            return entry == null ? null : entry.value();
        }
    }

    /** The cause a client future or call failed with, unwrapped from ExecutionException. */
    static Throwable failure(Call call) {
        try {
            call.run();
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Throwable e) {
            return e;
        }
        return null;
    }

    interface Call {
        void run() throws Exception;
    }

    /**
     * One kind of operation of the matrix: what it does as a user on a resource, and what it
     * checks, as the admin, about the data before and after.
     */
    interface Operation {
        /** Snapshot of the data the operation would change, taken as the admin. */
        Object state(String resource) throws Exception;

        void run(String user, String resource) throws Exception;
    }

    static final Map<String, Operation> OPERATIONS = new HashMap<>();

    static {
        OPERATIONS.put("produce", new Operation() {
            public Object state(String topic) throws Exception {
                return endOffset(topic);
            }

            public void run(String user, String topic) throws Exception {
                produce(user, topic, 2, false);
            }
        });
        // Without transactional id, InitProducerId needs IDEMPOTENT_WRITE on the cluster or WRITE
        // on some topic (KIP-679).
        OPERATIONS.put("produce-idempotent", new Operation() {
            public Object state(String topic) throws Exception {
                return endOffset(topic);
            }

            public void run(String user, String topic) throws Exception {
                produce(user, topic, 1, true);
            }
        });
        OPERATIONS.put("consume-assign", new Operation() {
            public Object state(String topic) throws Exception {
                return endOffset(topic);
            }

            public void run(String user, String topic) {
                try (KafkaConsumer<String, String> consumer = consumer(user, null)) {
                    TopicPartition tp = new TopicPartition(topic, 0);
                    consumer.assign(List.of(tp));
                    consumer.seekToBeginning(List.of(tp));
                    List<String> values = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            values.add(r.value());
                        }
                        return values.size() >= SEEDED;
                    });
                    assertThat(values).startsWith("admin-0", "admin-1", "admin-2");
                }
            }
        });
        OPERATIONS.put("consume-group", new Operation() {
            public Object state(String groupAndTopic) throws Exception {
                return committed(groupAndTopic.split("/")[0]);
            }

            public void run(String user, String groupAndTopic) {
                String[] parts = groupAndTopic.split("/");
                try (KafkaConsumer<String, String> consumer = consumer(user, parts[0])) {
                    consumer.subscribe(List.of(parts[1]));
                    List<String> values = new ArrayList<>();
                    await().atMost(Duration.ofSeconds(30)).until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            values.add(r.value());
                        }
                        return values.size() >= SEEDED;
                    });
                    consumer.commitSync();
                }
            }
        });
        OPERATIONS.put("commit", new Operation() {
            public Object state(String groupAndTopic) throws Exception {
                return committed(groupAndTopic.split("/")[0]);
            }

            public void run(String user, String groupAndTopic) {
                String[] parts = groupAndTopic.split("/");
                try (KafkaConsumer<String, String> consumer = consumer(user, parts[0])) {
                    consumer.commitSync(Map.of(new TopicPartition(parts[1], 0), new OffsetAndMetadata(1)));
                }
            }
        });
        OPERATIONS.put("describe-topic", new Operation() {
            public Object state(String topic) {
                return null;
            }

            public void run(String user, String topic) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    assertThat(admin.describeTopics(List.of(topic))
                                    .allTopicNames()
                                    .get(30, TimeUnit.SECONDS)
                                    .get(topic)
                                    .partitions())
                            .hasSize(1);
                }
            }
        });
        OPERATIONS.put("create-topic", new Operation() {
            public Object state(String topic) throws Exception {
                return topics().contains(topic);
            }

            public void run(String user, String topic) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            }
        });
        OPERATIONS.put("delete-topic", new Operation() {
            public Object state(String topic) throws Exception {
                return topics().contains(topic);
            }

            public void run(String user, String topic) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                }
            }
        });
        OPERATIONS.put("describe-configs", new Operation() {
            public Object state(String topic) {
                return null;
            }

            public void run(String user, String topic) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    assertThat(admin.describeConfigs(List.of(resource))
                                    .all()
                                    .get(30, TimeUnit.SECONDS)
                                    .get(resource)
                                    .get("retention.ms"))
                            .isNotNull();
                }
            }
        });
        OPERATIONS.put("alter-configs", new Operation() {
            public Object state(String topic) throws Exception {
                return retention(topic);
            }

            public void run(String user, String topic) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                    String value = Long.toString(86_400_000L + System.nanoTime() % 1000);
                    admin.incrementalAlterConfigs(Map.of(
                                    resource,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("retention.ms", value), AlterConfigOp.OpType.SET))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            }
        });
        OPERATIONS.put("describe-group", new Operation() {
            public Object state(String group) {
                return null;
            }

            public void run(String user, String group) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
                }
            }
        });
        OPERATIONS.put("describe-acls", new Operation() {
            public Object state(String cluster) {
                return null;
            }

            public void run(String user, String cluster) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    assertThat(admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS))
                            .isNotEmpty();
                }
            }
        });
        OPERATIONS.put("create-acls", new Operation() {
            public Object state(String cluster) throws Exception {
                try (Admin admin = Admin.create(client("admin"))) {
                    return admin.describeAcls(AclBindingFilter.ANY)
                            .values()
                            .get(30, TimeUnit.SECONDS)
                            .size();
                }
            }

            public void run(String user, String cluster) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    AclBinding binding =
                            allow("dave-" + user, ResourceType.TOPIC, "dave", PatternType.LITERAL, AclOperation.READ);
                    admin.createAcls(List.of(binding)).all().get(30, TimeUnit.SECONDS);
                    admin.deleteAcls(List.of(binding.toFilter())).all().get(30, TimeUnit.SECONDS);
                }
            }
        });
        OPERATIONS.put("alter-users", new Operation() {
            public Object state(String cluster) throws Exception {
                try (Admin admin = Admin.create(client("admin"))) {
                    return admin.describeUserScramCredentials()
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .keySet();
                }
            }

            public void run(String user, String cluster) throws Exception {
                try (Admin admin = Admin.create(client(user))) {
                    admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                                    "mallory", new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), "m-1")))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                }
            }
        });
    }

    static KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> config = client(user);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /**
     * The matrix: user, operation, resource, and {@code null} for allowed or the exception Kafka's
     * clients raise for the refusal.
     */
    static Stream<Arguments> matrix() {
        Class<?> allowed = null;
        return Stream.of(
                // produce: topic WRITE (literal for alice, prefixed for bob, DENY wins on pub-locked)
                Arguments.of("alice", "produce", "orders", allowed),
                Arguments.of("alice", "produce", "pub-news", TopicAuthorizationException.class),
                Arguments.of("bob", "produce", "pub-news", allowed),
                Arguments.of("bob", "produce", "pub-locked", TopicAuthorizationException.class),
                Arguments.of("bob", "produce", "orders", TopicAuthorizationException.class),
                Arguments.of("carol", "produce", "orders", TopicAuthorizationException.class),
                Arguments.of("ops", "produce", "orders", TopicAuthorizationException.class),
                // idempotent produce: WRITE on some topic is enough for InitProducerId (KIP-679)
                Arguments.of("alice", "produce-idempotent", "orders", allowed),
                Arguments.of("bob", "produce-idempotent", "pub-news", allowed),
                // consume without group: topic READ
                Arguments.of("alice", "consume-assign", "orders", allowed),
                Arguments.of("bob", "consume-assign", "pub-locked", allowed),
                Arguments.of("bob", "consume-assign", "secret", TopicAuthorizationException.class),
                Arguments.of("carol", "consume-assign", "orders", TopicAuthorizationException.class),
                Arguments.of("ops", "consume-assign", "orders", TopicAuthorizationException.class),
                // consume in a group: group READ and topic READ
                Arguments.of("alice", "consume-group", "alice-orders/orders", allowed),
                Arguments.of("bob", "consume-group", "bob-g/pub-news", allowed),
                Arguments.of("alice", "consume-group", "bob-g/orders", GroupAuthorizationException.class),
                Arguments.of("bob", "consume-group", "bob-g/secret", TopicAuthorizationException.class),
                // commit: group READ and topic READ
                Arguments.of("alice", "commit", "alice-c/orders", allowed),
                Arguments.of("alice", "commit", "bob-g/orders", GroupAuthorizationException.class),
                Arguments.of("bob", "commit", "alice-c2/pub-news", GroupAuthorizationException.class),
                Arguments.of("alice", "commit", "alice-c3/secret", TopicAuthorizationException.class),
                // describe topics: DESCRIBE (implied by READ, WRITE, ALL)
                Arguments.of("alice", "describe-topic", "orders", allowed),
                Arguments.of("bob", "describe-topic", "pub-locked", allowed),
                Arguments.of("bob", "describe-topic", "secret", TopicAuthorizationException.class),
                Arguments.of("carol", "describe-topic", "orders", TopicAuthorizationException.class),
                // create topics: CREATE on the cluster or the topic (bob's ALL on pub-*)
                Arguments.of("ops", "create-topic", "tmp-ops", allowed),
                Arguments.of("bob", "create-topic", "pub-bobs", allowed),
                Arguments.of("bob", "create-topic", "bobs", TopicAuthorizationException.class),
                Arguments.of("alice", "create-topic", "tmp-alice", TopicAuthorizationException.class),
                // delete topics: DELETE
                Arguments.of("alice", "delete-topic", "orders", TopicAuthorizationException.class),
                Arguments.of("carol", "delete-topic", "tmp-scratch", TopicAuthorizationException.class),
                Arguments.of("ops", "delete-topic", "tmp-scratch", allowed),
                // configs: DESCRIBE_CONFIGS (implied by ALTER_CONFIGS, ALL), ALTER_CONFIGS
                Arguments.of("ops", "describe-configs", "orders", allowed),
                Arguments.of("bob", "describe-configs", "pub-news", allowed),
                Arguments.of("alice", "describe-configs", "orders", TopicAuthorizationException.class),
                Arguments.of("ops", "alter-configs", "orders", allowed),
                Arguments.of("alice", "alter-configs", "orders", TopicAuthorizationException.class),
                Arguments.of("bob", "alter-configs", "secret", TopicAuthorizationException.class),
                // describe groups: group DESCRIBE (implied by READ)
                Arguments.of("bob", "describe-group", "bob-g", allowed),
                Arguments.of("alice", "describe-group", "bob-g", GroupAuthorizationException.class),
                Arguments.of("carol", "describe-group", "alice-x", GroupAuthorizationException.class),
                // ACL and SCRAM APIs: cluster DESCRIBE / ALTER
                Arguments.of("ops", "describe-acls", "kafka-cluster", allowed),
                Arguments.of("admin", "create-acls", "kafka-cluster", allowed),
                Arguments.of("ops", "create-acls", "kafka-cluster", allowed),
                Arguments.of("alice", "describe-acls", "kafka-cluster", ClusterAuthorizationException.class),
                Arguments.of("bob", "create-acls", "kafka-cluster", ClusterAuthorizationException.class),
                Arguments.of("carol", "alter-users", "kafka-cluster", ClusterAuthorizationException.class));
    }

    @ParameterizedTest(name = "{0} {1} {2}: {3}")
    @MethodSource("matrix")
    void usersTimesOperationsTimesResources(String user, String operation, String resource, Class<?> refusal)
            throws Exception {
        Operation op = OPERATIONS.get(operation);
        Object before = op.state(resource);
        Throwable failure = failure(() -> op.run(user, resource));
        if (refusal == null) {
            assertThat(failure).as(user + " " + operation + " " + resource).isNull();
            return;
        }
        assertThat(failure).as(user + " " + operation + " " + resource).isInstanceOf(refusal);
        // Nothing moved: end offsets, committed offsets, topics, configs, ACLs and users as before.
        assertThat(op.state(resource)).isEqualTo(before);
    }

    @Test
    void metadataHidesTopicsTheUserMayNotDescribe() throws Exception {
        Map<String, Set<String>> expected = Map.of(
                "admin", Set.of("orders", "pub-news", "pub-locked", "secret"),
                "alice", Set.of("orders"),
                "bob", Set.of("pub-news", "pub-locked"),
                "carol", Set.of(),
                "ops", Set.of());
        for (var entry : expected.entrySet()) {
            try (Admin admin = Admin.create(client(entry.getKey()))) {
                Set<String> seen = admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                        .filter(t -> List.of("orders", "pub-news", "pub-locked", "secret")
                                .contains(t))
                        .collect(Collectors.toSet());
                assertThat(seen).as(entry.getKey()).isEqualTo(entry.getValue());
            }
        }
    }

    @Test
    void anAclRevokedWhileAProducerIsConnectedRefusesItsNextProduce() throws Exception {
        String topic = "pub-revoked";
        AclBinding write = allow("alice", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
        try (Admin admin = Admin.create(client("admin"))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 2))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(List.of(write)).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> config = client("alice");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> producer.send(new ProducerRecord<>(topic, 0, "k", "before"))
                                    .get(30, TimeUnit.SECONDS)
                                    .offset()
                            >= 0);
            long written = endOffset(topic);
            try (Admin admin = Admin.create(client("admin"))) {
                admin.deleteAcls(List.of(write.toFilter())).all().get(30, TimeUnit.SECONDS);
            }
            // The leader's own change is visible to it at once; the other broker's within its watch,
            // and records produced before that are accepted. No refused record is appended.
            java.util.concurrent.atomic.AtomicInteger acceptedMeanwhile =
                    new java.util.concurrent.atomic.AtomicInteger();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Throwable refused = failure(() -> producer.send(new ProducerRecord<>(topic, 0, "k", "after"))
                        .get(30, TimeUnit.SECONDS));
                if (refused == null) {
                    acceptedMeanwhile.incrementAndGet();
                }
                return refused instanceof TopicAuthorizationException;
            });
            assertThat(failure(() -> producer.send(new ProducerRecord<>(topic, 0, "k", "after"))
                            .get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(TopicAuthorizationException.class);
            assertThat(endOffset(topic)).isEqualTo(written + acceptedMeanwhile.get());
        }
    }

    /** The same ACLs over TLS: the SASL_SSL listener's principal is the SASL user's. */
    @Test
    void overSaslSslTheSameUsersHaveTheSameRights() throws Exception {
        long orders = endOffset("orders");
        produce(tlsClient("alice"), "alice", "orders", 2, false);
        assertThat(endOffset("orders")).isEqualTo(orders + 2);
        long news = endOffset("pub-news");
        assertThat(failure(() -> produce(tlsClient("alice"), "alice", "pub-news", 1, false)))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(failure(() -> produce(tlsClient("bob"), "bob", "pub-locked", 1, false)))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(endOffset("pub-news")).isEqualTo(news);
        try (Admin bob = Admin.create(tlsClient("bob"))) {
            assertThat(bob.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .extracting(org.apache.kafka.common.Node::port)
                    .containsExactlyInAnyOrder(cluster.broker(1).port2, cluster.broker(2).port2);
            assertThat(failure(() ->
                            bob.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS)))
                    .isInstanceOf(ClusterAuthorizationException.class);
        }
    }

    static List<String> kcat(String user, String mechanism) {
        return new ArrayList<>(List.of(
                "kcat",
                "-b",
                cluster.broker(1).bootstrap(),
                "-X",
                "security.protocol=SASL_PLAINTEXT",
                "-X",
                "sasl.mechanisms=" + mechanism,
                "-X",
                "sasl.username=" + user,
                "-X",
                "sasl.password=" + password(user)));
    }

    /** Runs kcat; its exit code, a newline, then its output (stdout and stderr). */
    static String run(List<String> command, String input) throws Exception {
        Path out = Files.createTempFile(tmp, "kcat", ".out");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        try (var in = process.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kcat did not finish: " + Files.readString(out));
        }
        return process.exitValue() + "\n" + Files.readString(out);
    }

    /** kcat (librdkafka) over SASL: SCRAM-SHA-256 as bob, PLAIN as alice. */
    @Test
    void kcatOverSaslIsAllowedAndDeniedByTheSameAcls() throws Exception {
        // bob (SCRAM-SHA-256) may not write pub-locked (DENY over his prefixed ALL): nothing lands.
        long locked = endOffset("pub-locked");
        String refused = run(append(kcat("bob", "SCRAM-SHA-256"), "-t", "pub-locked", "-p", "0", "-P"), "x1\nx2\n");
        assertThat(refused).containsIgnoringCase("Topic authorization failed");
        assertThat(endOffset("pub-locked")).isEqualTo(locked);
        assertThat(audit.list.stream().map(ILoggingEvent::getFormattedMessage))
                .anyMatch(line -> line.contains("principal=User:bob")
                        && line.contains("operation=WRITE")
                        && line.contains("resource=TOPIC:pub-locked")
                        && line.contains("api=PRODUCE"))
                .noneMatch(line -> PASSWORDS.values().stream().anyMatch(line::contains));
        // ... but reads it: the records the admin wrote.
        String read = run(
                append(
                        kcat("bob", "SCRAM-SHA-256"),
                        "-t",
                        "pub-locked",
                        "-C",
                        "-q",
                        "-e",
                        "-o",
                        "beginning",
                        "-f",
                        "%s\\n"),
                null);
        assertThat(read).startsWith("0\n").contains("admin-0\nadmin-1\nadmin-2\n");
        // alice (PLAIN) writes orders and reads it back; she may not read secret.
        long orders = endOffset("orders");
        String written = run(append(kcat("alice", "PLAIN"), "-t", "orders", "-p", "0", "-P"), "kcat-1\nkcat-2\n");
        assertThat(written).startsWith("0\n");
        assertThat(endOffset("orders")).isEqualTo(orders + 2);
        String readBack = run(
                append(
                        kcat("alice", "PLAIN"),
                        "-t",
                        "orders",
                        "-C",
                        "-q",
                        "-e",
                        "-o",
                        Long.toString(orders),
                        "-f",
                        "%s\\n"),
                null);
        assertThat(readBack).contains("kcat-1\nkcat-2\n");
        String secret = run(
                append(kcat("alice", "PLAIN"), "-t", "secret", "-C", "-q", "-e", "-o", "beginning", "-f", "%s\\n"),
                null);
        assertThat(secret).containsIgnoringCase("authorization failed").doesNotContain("admin-0");
    }

    static List<String> append(Collection<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }
}
