package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
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
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.authorizer.Authorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Kafka's ACL checks on the broker's APIs, through the official Java clients, on a broker with
 * the authorizer on and no super user. Until SASL arrives every client is {@code User:ANONYMOUS},
 * so each test gives or denies that principal what it needs, through the broker's own authorizer.
 */
class AuthorizationIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String ANONYMOUS = "User:ANONYMOUS";

    @TempDir
    static Path dir;

    static EmbeddedZooKeeper zookeeper;
    static TestBroker broker;
    static Admin admin;
    static ListAppender<ILoggingEvent> audit;

    @BeforeAll
    static void start() throws Exception {
        zookeeper = EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk"));
        broker = new TestBroker(
                        1,
                        dir.resolve("broker"),
                        zookeeper.connectString(),
                        "--brook.security.authorizer-enabled=true",
                        "--brook.broker.offsets-topic-replication-factor=1")
                .start();
        Logger auditLogger = (Logger) LoggerFactory.getLogger(RequestAuthorization.AUDIT_LOGGER);
        auditLogger.setLevel(Level.INFO);
        audit = new ListAppender<>();
        audit.start();
        auditLogger.addAppender(audit);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        admin = Admin.create(props);
        // the topics of the tests, made while ANONYMOUS may create, then that right is taken back
        allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE);
        admin.createTopics(List.of(
                        new NewTopic("secret", 1, (short) 1),
                        new NewTopic("open", 1, (short) 1),
                        new NewTopic("visible", 1, (short) 1),
                        new NewTopic("hidden", 1, (short) 1),
                        new NewTopic("guarded", 1, (short) 1)))
                .all()
                .get();
        revoke(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE);
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    static Authorizer authorizer() {
        return broker.bean(RequestAuthorization.class).authorizer().orElseThrow();
    }

    static AclBinding binding(ResourceType type, String name, AclOperation op, AclPermissionType permission) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry(ANONYMOUS, "*", op, permission));
    }

    static void allow(ResourceType type, String name, AclOperation... ops) {
        for (AclOperation op : ops) {
            authorizer()
                    .createAcls(null, List.of(binding(type, name, op, AclPermissionType.ALLOW)))
                    .forEach(r -> assertThat(r.toCompletableFuture().join().exception())
                            .isEmpty());
        }
    }

    static void deny(ResourceType type, String name, AclOperation op) {
        authorizer().createAcls(null, List.of(binding(type, name, op, AclPermissionType.DENY)));
    }

    static void revoke(ResourceType type, String name, AclOperation op) {
        authorizer()
                .deleteAcls(
                        null,
                        List.of(binding(type, name, op, AclPermissionType.ALLOW).toFilter()))
                .forEach(r -> r.toCompletableFuture().join());
    }

    static KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000),
                new StringSerializer(),
                new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    static long logEnd(String topic) {
        return broker.bean(ReplicaManager.class)
                .leaderPartition(new TopicPartition(topic, 0))
                .log()
                .logEndOffset();
    }

    static List<Throwable> causes(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    static boolean audited(String operation, String resource, String api) {
        return audit.list.stream()
                .map(ILoggingEvent::getFormattedMessage)
                .anyMatch(line -> line.contains("principal=" + ANONYMOUS)
                        && line.contains("operation=" + operation)
                        && line.contains("resource=" + resource)
                        && line.contains("api=" + api));
    }

    @Test
    void produceWithoutWriteIsRefusedAndNothingIsAppended() throws Exception {
        allow(ResourceType.TOPIC, "open", AclOperation.WRITE);
        // DESCRIBE lets the producer find the leader; the Produce request itself is then refused
        allow(ResourceType.TOPIC, "secret", AclOperation.DESCRIBE);
        try (KafkaProducer<String, String> producer = producer()) {
            // WRITE on some topic lets the idempotent producer have its id (KIP-679)
            producer.send(new ProducerRecord<>("open", "k", "allowed")).get();
            ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("secret", "k", "refused"))
                            .get());
            assertThat(refused).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThat(((TopicAuthorizationException) refused.getCause()).unauthorizedTopics())
                    .contains("secret");
        }
        assertThat(logEnd("secret")).isZero();
        assertThat(logEnd("open")).isEqualTo(1);
        assertThat(audited("WRITE", "TOPIC:secret", "PRODUCE")).isTrue();
    }

    @Test
    void anIdempotentProducerWithoutAnyWriteRightGetsNoProducerId() {
        // other tests may have given WRITE on some topic: a DENY on every topic takes it away
        deny(ResourceType.TOPIC, "*", AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer()) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("open", "k", "v"))
                            .get())
                    .satisfies(
                            e -> assertThat(causes(e)).hasAtLeastOneElementOfType(ClusterAuthorizationException.class));
        } finally {
            authorizer()
                    .deleteAcls(
                            null,
                            List.of(binding(ResourceType.TOPIC, "*", AclOperation.WRITE, AclPermissionType.DENY)
                                    .toFilter()));
        }
        assertThat(audited("IDEMPOTENT_WRITE", "CLUSTER:kafka-cluster", "INIT_PRODUCER_ID"))
                .isTrue();
    }

    @Test
    void fetchWithoutReadIsRefusedAndWithReadDelivers() throws Exception {
        allow(ResourceType.TOPIC, "guarded", AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("guarded", "k", "payload")).get();
        }
        TopicPartition tp = new TopicPartition("guarded", 0);
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            // WRITE implies DESCRIBE, not READ
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            consumer.poll(Duration.ofMillis(200));
                        }
                    })
                    .isInstanceOf(TopicAuthorizationException.class);
        }
        assertThat(audited("READ", "TOPIC:guarded", "FETCH")).isTrue();

        allow(ResourceType.TOPIC, "guarded", AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            });
            assertThat(seen.get(0).value()).isEqualTo("payload");
        }
    }

    @Test
    void aGroupWithoutReadIsRefusedAndWithReadConsumesAndCommits() throws Exception {
        allow(ResourceType.TOPIC, "visible", AclOperation.READ, AclOperation.WRITE);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("visible", "k", "for-the-group")).get();
        }
        try (KafkaConsumer<String, String> consumer = consumer("denied-group")) {
            consumer.subscribe(List.of("visible"));
            assertThatThrownBy(() -> {
                        for (int i = 0; i < 50; i++) {
                            consumer.poll(Duration.ofMillis(200));
                        }
                    })
                    .isInstanceOf(GroupAuthorizationException.class);
        }
        assertThat(audited("DESCRIBE", "GROUP:denied-group", "FIND_COORDINATOR"))
                .isTrue();

        allow(ResourceType.GROUP, "readers", AclOperation.READ);
        try (KafkaConsumer<String, String> consumer = consumer("readers")) {
            consumer.subscribe(List.of("visible"));
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return !seen.isEmpty();
            });
            consumer.commitSync();
        }
        assertThat(admin.listConsumerGroupOffsets("readers")
                        .partitionsToOffsetAndMetadata()
                        .get()
                        .get(new TopicPartition("visible", 0))
                        .offset())
                .isEqualTo(1);
    }

    @Test
    void metadataHidesTopicsTheUserMayNotDescribe() throws Exception {
        allow(ResourceType.TOPIC, "visible", AclOperation.DESCRIBE);
        Set<String> listed = admin.listTopics().names().get();
        assertThat(listed).contains("visible").doesNotContain("hidden");
        assertThatThrownBy(() ->
                        admin.describeTopics(List.of("hidden")).allTopicNames().get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThat(audited("DESCRIBE", "TOPIC:hidden", "METADATA")).isTrue();
    }

    @Test
    void authorizedOperationsAreReportedForTopicsAndTheCluster() throws Exception {
        allow(ResourceType.TOPIC, "guarded", AclOperation.WRITE);
        var described = admin.describeTopics(
                        List.of("guarded"),
                        new org.apache.kafka.clients.admin.DescribeTopicsOptions().includeAuthorizedOperations(true))
                .allTopicNames()
                .get()
                .get("guarded");
        assertThat(described.authorizedOperations())
                .contains(AclOperation.WRITE, AclOperation.DESCRIBE)
                .doesNotContain(AclOperation.DELETE, AclOperation.ALTER);
        var options = new org.apache.kafka.clients.admin.DescribeClusterOptions().includeAuthorizedOperations(true);
        assertThat(admin.describeCluster(options).authorizedOperations().get()).isEmpty();
        allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
        try {
            assertThat(admin.describeCluster(options).authorizedOperations().get())
                    .containsExactly(AclOperation.DESCRIBE);
        } finally {
            revoke(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
        }
    }

    @Test
    void adminOperationsNeedTheirOwnRights() throws Exception {
        assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("not-mine", 1, (short) 1)))
                        .all()
                        .get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.deleteTopics(List.of("hidden")).all().get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.createPartitions(Map.of("hidden", NewPartitions.increaseTo(2)))
                        .all()
                        .get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "hidden")))
                        .all()
                        .get())
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1")))
                        .all()
                        .get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(
                        () -> admin.describeAcls(AclBindingFilter.ANY).values().get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(
                        () -> admin.listPartitionReassignments().reassignments().get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        assertThatThrownBy(() ->
                        admin.describeLogDirs(List.of(1)).allDescriptions().get())
                .hasCauseInstanceOf(ClusterAuthorizationException.class);
        allow(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
        try {
            assertThat(admin.describeLogDirs(List.of(1)).allDescriptions().get().get(1))
                    .hasSize(1);
        } finally {
            revoke(ResourceType.CLUSTER, "kafka-cluster", AclOperation.DESCRIBE);
        }
        // nothing happened to the topic
        assertThat(broker.bean(io.brook.cluster.metadata.MetadataCache.class)
                        .image()
                        .topic("hidden")
                        .orElseThrow()
                        .numPartitions())
                .isEqualTo(1);
    }
}
