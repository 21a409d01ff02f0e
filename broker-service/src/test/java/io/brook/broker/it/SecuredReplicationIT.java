package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.security.RequestAuthorization;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.authorizer.Authorizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Two brokers with the authorizer on: followers fetch as {@code User:ANONYMOUS} (until the
 * inter-broker SASL listener lands), so replication needs CLUSTER_ACTION on the cluster. With it,
 * acks=all with {@code min.insync.replicas=2} is acknowledged and both replicas hold the records;
 * once it is taken away, the follower's fetches are refused and it leaves the ISR.
 */
class SecuredReplicationIT {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String TOPIC = "replicated";

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(
                tmp,
                2,
                "--brook.security.authorizer-enabled=true",
                "--brook.broker.replica-lag-time-max-ms=3000",
                "--brook.broker.replica-fetch-backoff-ms=200");
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        cluster.close();
    }

    static Authorizer authorizer(int broker) {
        return cluster.broker(broker)
                .bean(RequestAuthorization.class)
                .authorizer()
                .orElseThrow();
    }

    static AclBinding anonymous(ResourceType type, String name, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:ANONYMOUS", "*", op, AclPermissionType.ALLOW));
    }

    static long logEnd(int broker) {
        return cluster.broker(broker)
                .bean(ReplicaManager.class)
                .partition(new TopicPartition(TOPIC, 0))
                .orElseThrow()
                .log()
                .logEndOffset();
    }

    static KafkaProducer<String, String> producer(String acks) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        acks,
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        acks.equals("all"),
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        20_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        10_000),
                new StringSerializer(),
                new StringSerializer());
    }

    static int isrSize() throws Exception {
        return admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get()
                .get(TOPIC)
                .partitions()
                .get(0)
                .isr()
                .size();
    }

    @Test
    void followersReplicateWithClusterActionAndLeaveTheIsrWithoutIt() throws Exception {
        AclBinding clusterAction = anonymous(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CLUSTER_ACTION);
        List<AclBinding> rights = List.of(
                clusterAction,
                anonymous(ResourceType.CLUSTER, "kafka-cluster", AclOperation.CREATE),
                anonymous(ResourceType.TOPIC, TOPIC, AclOperation.ALL));
        authorizer(1)
                .createAcls(null, rights)
                .forEach(r -> r.toCompletableFuture().join());
        // broker 2 learns them through its ZooKeeper watch
        await().atMost(WAIT)
                .until(() ->
                        authorizer(2).acls(AclBindingFilter.ANY).spliterator().getExactSizeIfKnown() == rights.size());

        admin.createTopics(List.of(
                        new NewTopic(TOPIC, Map.of(0, List.of(1, 2))).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get();
        try (KafkaProducer<String, String> producer = producer("all")) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)).get();
            }
        }
        await().atMost(WAIT).until(() -> logEnd(1) == 10 && logEnd(2) == 10);
        assertThat(isrSize()).isEqualTo(2);

        authorizer(1)
                .deleteAcls(null, List.of(clusterAction.toFilter()))
                .forEach(r -> r.toCompletableFuture().join());
        // A fetch authorized before may still be waiting for data (long poll) and would bring the
        // next record: wait until the follower's fetches are refused, as the audit log says.
        Logger auditLogger = (Logger) LoggerFactory.getLogger(RequestAuthorization.AUDIT_LOGGER);
        ListAppender<ILoggingEvent> audit = new ListAppender<>();
        audit.start();
        auditLogger.setLevel(Level.INFO);
        auditLogger.addAppender(audit);
        try {
            await().atMost(WAIT)
                    .until(() -> audit.list.stream()
                            .anyMatch(e -> e.getFormattedMessage().contains("operation=CLUSTER_ACTION")
                                    && e.getFormattedMessage().contains("api=FETCH")));
        } finally {
            auditLogger.detachAppender(audit);
        }
        // a record the follower may not fetch: it falls behind and leaves the ISR
        try (KafkaProducer<String, String> producer = producer("1")) {
            producer.send(new ProducerRecord<>(TOPIC, "late", "late")).get();
        }
        await().atMost(WAIT).until(() -> isrSize() == 1);
        assertThat(logEnd(1)).isEqualTo(11);
        assertThat(logEnd(2)).isEqualTo(10);

        authorizer(1)
                .createAcls(null, List.of(clusterAction))
                .forEach(r -> r.toCompletableFuture().join());
        await().atMost(WAIT).until(() -> isrSize() == 2);
        assertThat(logEnd(2)).isEqualTo(11);
    }
}
