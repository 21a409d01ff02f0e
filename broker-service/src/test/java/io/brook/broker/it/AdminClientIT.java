package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.zk.EmbeddedZooKeeper;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin APIs as the official {@link Admin} client uses them, against two real brokers on one
 * embedded ZooKeeper. AlterConfigs, gone from {@code Admin} in Kafka 4, is sent as a raw request.
 */
class AdminClientIT {

    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static EmbeddedZooKeeper zookeeper;
    static TestBroker broker1;
    static TestBroker broker2;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        zookeeper = EmbeddedZooKeeper.startOnFreePort(dir.resolve("zk"));
        broker1 = broker(1).start();
        broker2 = broker(2).start();
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker1.bootstrap());
        admin = Admin.create(props);
        await().atMost(WAIT).until(() -> admin.describeCluster().nodes().get().size() == 2);
    }

    static TestBroker broker(int id) throws Exception {
        return new TestBroker(
                id,
                dir.resolve("broker-" + id),
                zookeeper.connectString(),
                "--brook.broker.topic-defaults[retention.bytes]=1073741824");
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        for (TestBroker broker : new TestBroker[] {broker2, broker1}) {
            if (broker != null) {
                broker.close();
            }
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    @Test
    void createsTopicsThatAreReadyWhenTheAnswerComes() throws Exception {
        CreateTopicsResult result = admin.createTopics(List.of(
                new NewTopic("orders", 3, (short) 1).configs(Map.of("retention.ms", "3600000")),
                new NewTopic("placed", Map.of(0, List.of(2), 1, List.of(1)))));
        result.all().get();

        assertThat(result.numPartitions("orders").get()).isEqualTo(3);
        assertThat(result.replicationFactor("orders").get()).isEqualTo(1);
        assertThat(result.topicId("orders").get()).isNotEqualTo(Uuid.ZERO_UUID);
        Config created = result.config("orders").get();
        assertThat(created.get("retention.ms").value()).isEqualTo("3600000");
        assertThat(created.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(created.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        // Ready when answered, as in Kafka: the answering broker knows every leader and a producer can
        // write. The Admin client may ask another broker for Metadata, whose cache can lag a moment.
        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, TopicDescription> described = admin.describeTopics(List.of("orders", "placed"))
                    .allTopicNames()
                    .get();
            assertThat(described.get("orders").partitions())
                    .hasSize(3)
                    .allSatisfy(p -> assertThat(p.leader()).isNotNull());
            assertThat(described.get("placed").partitions())
                    .extracting(p -> p.leader().id())
                    .containsExactly(2, 1);
        });
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("orders", 2, "k", "v")).get(30, TimeUnit.SECONDS);
        }
        await().atMost(WAIT).until(() -> admin.listTopics().names().get().containsAll(List.of("orders", "placed")));
    }

    @Test
    void refusesBadTopicsAndWritesNothingOnValidateOnly() throws Exception {
        admin.createTopics(List.of(new NewTopic("dry-run", 2, (short) 1)), new CreateTopicsOptions().validateOnly(true))
                .all()
                .get();
        assertThat(admin.listTopics().names().get()).doesNotContain("dry-run");

        assertFails(
                admin.createTopics(List.of(new NewTopic("bad/name", 1, (short) 1)))
                        .all(),
                InvalidTopicException.class);
        admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all().get();
        assertFails(
                admin.createTopics(List.of(new NewTopic("twice", 1, (short) 1))).all(), TopicExistsException.class);
        assertFails(
                admin.createTopics(List.of(
                                new NewTopic("bad-value", 1, (short) 1).configs(Map.of("retention.ms", "forever"))))
                        .all(),
                InvalidConfigurationException.class);
        assertFails(
                admin.createTopics(List.of(new NewTopic("bad-key", 1, (short) 1).configs(Map.of("no.such", "1"))))
                        .all(),
                InvalidConfigurationException.class);
        assertFails(
                admin.createTopics(List.of(new NewTopic("too-many-replicas", 1, (short) 3)))
                        .all(),
                InvalidReplicationFactorException.class);
        assertThat(admin.listTopics().names().get()).doesNotContain("bad-value", "bad-key", "too-many-replicas");
    }

    @Test
    void addsPartitions() throws Exception {
        admin.createTopics(List.of(new NewTopic("growing", 2, (short) 1))).all().get();

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(4)))
                .all()
                .get();
        // As in Kafka, CreatePartitions answers once the assignment is written; the new
        // partitions' leaders reach the metadata a moment later.
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(partitions("growing"))
                        .hasSize(4)
                        .allSatisfy(p -> assertThat(p.leader()).isNotNull()));

        admin.createPartitions(
                        Map.of("growing", NewPartitions.increaseTo(5, List.of(List.of(2)))),
                        new org.apache.kafka.clients.admin.CreatePartitionsOptions().validateOnly(true))
                .all()
                .get();
        assertThat(partitions("growing")).hasSize(4);

        admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(5, List.of(List.of(2)))))
                .all()
                .get();
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(partitions("growing"))
                        .hasSize(5)
                        .last()
                        .satisfies(p -> assertThat(p.leader()).isNotNull())
                        .satisfies(p -> assertThat(p.leader().id()).isEqualTo(2)));

        assertFails(
                admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(3)))
                        .all(),
                InvalidPartitionsException.class);
        assertFails(
                admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(3)))
                        .all(),
                UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesTopicConfigsWithTheirSources() throws Exception {
        admin.createTopics(List.of(new NewTopic("described", 1, (short) 1).configs(Map.of("retention.ms", "1000"))))
                .all()
                .get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "described");
        Config config = admin.describeConfigs(List.of(topic), new DescribeConfigsOptions().includeSynonyms(true))
                .all()
                .get()
                .get(topic);

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.isReadOnly()).isFalse();
        assertThat(retention.isSensitive()).isFalse();
        assertThat(retention.synonyms())
                .extracting(ConfigEntry.ConfigSynonym::name, ConfigEntry.ConfigSynonym::source)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "retention.ms", ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG),
                        org.assertj.core.groups.Tuple.tuple(
                                "log.retention.ms", ConfigEntry.ConfigSource.DEFAULT_CONFIG));

        ConfigEntry bytes = config.get("retention.bytes");
        assertThat(bytes.value()).isEqualTo("1073741824");
        assertThat(bytes.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);

        ConfigEntry policy = config.get("cleanup.policy");
        assertThat(policy.value()).isEqualTo("delete");
        assertThat(policy.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(policy.type()).isEqualTo(ConfigEntry.ConfigType.LIST);
        assertThat(config.get("segment.bytes").value()).isEqualTo(Integer.toString(1024 * 1024 * 1024));

        ConfigResource missing = new ConfigResource(ConfigResource.Type.TOPIC, "no-such-topic");
        assertFails(admin.describeConfigs(List.of(missing)).all(), UnknownTopicOrPartitionException.class);

        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "2");
        Config brokerConfig = admin.describeConfigs(List.of(broker)).all().get().get(broker);
        assertThat(brokerConfig.get("broker.id").value()).isEqualTo("2");
        assertThat(brokerConfig.get("num.partitions").value()).isEqualTo("1");
        assertThat(brokerConfig.get("log.retention.bytes").value()).isEqualTo("1073741824");
        assertThat(brokerConfig.get("log.retention.bytes").source())
                .isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void describeConfigsFiltersByNameAndDocumentsOnRequest() throws Exception {
        admin.createTopics(List.of(new NewTopic("filtered", 1, (short) 1)))
                .all()
                .get();
        DescribeConfigsRequestData data = new DescribeConfigsRequestData()
                .setIncludeDocumentation(true)
                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                        .setResourceType(ConfigResource.Type.TOPIC.id())
                        .setResourceName("filtered")
                        .setConfigurationKeys(List.of("retention.ms", "no.such.config"))));
        DescribeConfigsResponse response = (DescribeConfigsResponse)
                send(broker1, new DescribeConfigsRequest.Builder(data).build(ApiKeys.DESCRIBE_CONFIGS.latestVersion()));
        DescribeConfigsResult result = response.data().results().get(0);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(result.configs())
                .extracting(DescribeConfigsResourceResult::name)
                .containsExactly("retention.ms");
        assertThat(result.configs().get(0).documentation()).isNotBlank();
        assertThat(result.configs().get(0).synonyms()).isEmpty();
    }

    @Test
    void altersConfigsIncrementally() throws Exception {
        admin.createTopics(List.of(new NewTopic("tuned", 1, (short) 1))).all().get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "tuned");

        alter(
                topic,
                op("retention.ms", "5000", AlterConfigOp.OpType.SET),
                op("cleanup.policy", "compact", AlterConfigOp.OpType.APPEND));
        Config config = describe(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("5000");
        assertThat(config.get("cleanup.policy").value()).isEqualTo("delete,compact");

        alter(
                topic,
                op("retention.ms", null, AlterConfigOp.OpType.DELETE),
                op("cleanup.policy", "delete", AlterConfigOp.OpType.SUBTRACT));
        config = describe(topic);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("cleanup.policy").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);

        assertFails(
                admin.incrementalAlterConfigs(
                                Map.of(topic, List.of(op("retention.ms", "soon", AlterConfigOp.OpType.SET))))
                        .all(),
                InvalidConfigurationException.class);
        assertThat(describe(topic).get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        assertFails(
                admin.incrementalAlterConfigs(
                                Map.of(broker, List.of(op("num.partitions", "3", AlterConfigOp.OpType.SET))))
                        .all(),
                InvalidRequestException.class);
    }

    @Test
    void alterConfigsReplacesAllOverrides() throws Exception {
        admin.createTopics(List.of(new NewTopic("replaced", 1, (short) 1)
                        .configs(Map.of("retention.ms", "1000", "segment.ms", "60000"))))
                .all()
                .get();
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "replaced");

        AlterConfigsResponse response = (AlterConfigsResponse) send(
                broker2,
                new AlterConfigsRequest.Builder(
                                Map.of(
                                        topic,
                                        new AlterConfigsRequest.Config(
                                                List.of(new AlterConfigsRequest.ConfigEntry("retention.ms", "2000")))),
                                false)
                        .build(ApiKeys.ALTER_CONFIGS.latestVersion()));
        assertThat(response.errors().get(topic).error()).isEqualTo(Errors.NONE);
        Config config = describe(topic);
        assertThat(config.get("retention.ms").value()).isEqualTo("2000");
        assertThat(config.get("segment.ms").source())
                .as("not named: back to the default")
                .isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "2");
        AlterConfigsResponse refused = (AlterConfigsResponse) send(
                broker2,
                new AlterConfigsRequest.Builder(
                                Map.of(
                                        broker,
                                        new AlterConfigsRequest.Config(
                                                List.of(new AlterConfigsRequest.ConfigEntry("num.partitions", "3")))),
                                false)
                        .build(ApiKeys.ALTER_CONFIGS.latestVersion()));
        assertThat(refused.errors().get(broker).error()).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(refused.errors().get(broker).message()).contains("dynamic broker configs");
    }

    @Test
    void deletesTopicsAndTheirLogs() throws Exception {
        admin.createTopics(List.of(new NewTopic("doomed", 4, (short) 1))).all().get();
        try (KafkaProducer<String, String> producer = producer()) {
            for (int p = 0; p < 4; p++) {
                producer.send(new ProducerRecord<>("doomed", p, "k", "v")).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(logDirs("doomed")).isNotEmpty();

        admin.deleteTopics(List.of("doomed")).all().get();

        // (the broker that answers Metadata may be another than the one that deleted)
        await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains("doomed"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(logDirs("doomed")).isEmpty());
        assertFails(admin.deleteTopics(List.of("doomed")).all(), UnknownTopicOrPartitionException.class);
    }

    @Test
    void deletesTopicsById() throws Exception {
        Uuid id = admin.createTopics(List.of(new NewTopic("doomed-by-id", 1, (short) 1)))
                .topicId("doomed-by-id")
                .get();
        admin.deleteTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(id)))
                .all()
                .get();
        await().atMost(WAIT).until(() -> !admin.listTopics().names().get().contains("doomed-by-id"));
        assertFails(
                admin.deleteTopics(org.apache.kafka.common.TopicCollection.ofTopicIds(List.of(id)))
                        .all(),
                org.apache.kafka.common.errors.UnknownTopicIdException.class);
    }

    @Test
    void describesTheCluster() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(cluster.nodes().get()).extracting(Node::id).containsExactlyInAnyOrder(1, 2);
        assertThat(cluster.nodes().get())
                .filteredOn(n -> n.id() == 2)
                .singleElement()
                .satisfies(n -> assertThat(n.port()).isEqualTo(broker2.port));
        assertThat(cluster.controller().get().id()).isIn(1, 2);
        assertThat(cluster.clusterId().get()).isNotBlank();
        assertThat(cluster.authorizedOperations().get()).isNull();
    }

    @Test
    void deletesRecordsAndConsumersStartAtTheNewLowWatermark() throws Exception {
        admin.createTopics(List.of(new NewTopic("trimmed", 1, (short) 1))).all().get();
        TopicPartition tp = new TopicPartition("trimmed", 0);
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("trimmed", 0, "k" + i, "v" + i))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        long low = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6)))
                .lowWatermarks()
                .get(tp)
                .get()
                .lowWatermark();
        assertThat(low).isEqualTo(6);
        assertFails(
                admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(11)))
                        .all(),
                OffsetOutOfRangeException.class);

        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker1.bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(tp));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= 4;
            });
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(6L, 7L, 8L, 9L);
            assertThat(records.get(0).value()).isEqualTo("v6");
        }

        // -1 deletes up to the high watermark
        long all = admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1)))
                .lowWatermarks()
                .get(tp)
                .get()
                .lowWatermark();
        assertThat(all).isEqualTo(10);
    }

    @Test
    void oldestVersionsAreAnswered() throws Exception {
        org.apache.kafka.common.message.CreateTopicsRequestData create =
                new org.apache.kafka.common.message.CreateTopicsRequestData().setTimeoutMs(30_000);
        create.topics()
                .add(new org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic()
                        .setName("old-client")
                        .setNumPartitions(2)
                        .setReplicationFactor((short) 1));
        org.apache.kafka.common.requests.CreateTopicsResponse created =
                (org.apache.kafka.common.requests.CreateTopicsResponse) send(
                        broker1,
                        new org.apache.kafka.common.requests.CreateTopicsRequest.Builder(create)
                                .build(ApiKeys.CREATE_TOPICS.oldestVersion()));
        assertThat(created.data().topics().find("old-client").errorCode()).isEqualTo(Errors.NONE.code());

        DescribeConfigsResponse configs = (DescribeConfigsResponse) send(
                broker1,
                new DescribeConfigsRequest.Builder(new DescribeConfigsRequestData()
                                .setResources(List.of(new DescribeConfigsRequestData.DescribeConfigsResource()
                                        .setResourceType(ConfigResource.Type.TOPIC.id())
                                        .setResourceName("old-client")
                                        .setConfigurationKeys(null))))
                        .build(ApiKeys.DESCRIBE_CONFIGS.oldestVersion()));
        assertThat(configs.data().results().get(0).configs())
                .extracting(DescribeConfigsResourceResult::name)
                .contains("retention.ms", "cleanup.policy");

        org.apache.kafka.common.requests.DescribeClusterResponse cluster =
                (org.apache.kafka.common.requests.DescribeClusterResponse) send(
                        broker2,
                        new org.apache.kafka.common.requests.DescribeClusterRequest.Builder(
                                        new org.apache.kafka.common.message.DescribeClusterRequestData())
                                .build(ApiKeys.DESCRIBE_CLUSTER.oldestVersion()));
        assertThat(cluster.nodes()).containsOnlyKeys(1, 2);

        org.apache.kafka.common.requests.DeleteTopicsResponse deleted =
                (org.apache.kafka.common.requests.DeleteTopicsResponse) send(
                        broker2,
                        new org.apache.kafka.common.requests.DeleteTopicsRequest.Builder(
                                        new org.apache.kafka.common.message.DeleteTopicsRequestData()
                                                .setTopicNames(List.of("old-client", "never-was"))
                                                .setTimeoutMs(30_000))
                                .build(ApiKeys.DELETE_TOPICS.oldestVersion()));
        assertThat(deleted.data().responses())
                .extracting(r -> r.name(), r -> Errors.forCode(r.errorCode()))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("old-client", Errors.NONE),
                        org.assertj.core.groups.Tuple.tuple("never-was", Errors.UNKNOWN_TOPIC_OR_PARTITION));
    }

    // ---- helpers ------------------------------------------------------------------------------

    static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker1.bootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static List<TopicPartitionInfo> partitions(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get()
                .get(topic)
                .partitions();
    }

    static AlterConfigOp op(String name, String value, AlterConfigOp.OpType type) {
        return new AlterConfigOp(new ConfigEntry(name, value), type);
    }

    static void alter(ConfigResource resource, AlterConfigOp... ops) throws Exception {
        Map<ConfigResource, Collection<AlterConfigOp>> change = Map.of(resource, List.of(ops));
        admin.incrementalAlterConfigs(change).all().get();
    }

    static Config describe(ConfigResource resource) throws Exception {
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }

    /** The directories (live or being deleted) of the topic's partition logs on both brokers. */
    static Set<String> logDirs(String topic) {
        return java.util.stream.Stream.of(broker1.dataDir, broker2.dataDir)
                .map(Path::toFile)
                .map(File::listFiles)
                .filter(java.util.Objects::nonNull)
                .flatMap(java.util.Arrays::stream)
                .map(File::getName)
                .filter(name -> name.matches(java.util.regex.Pattern.quote(topic) + "-\\d+.*"))
                .collect(Collectors.toSet());
    }

    static void assertFails(org.apache.kafka.common.KafkaFuture<?> future, Class<? extends Throwable> cause) {
        assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(cause);
    }

    /** Sends one request on a plain socket and reads its response (for APIs Admin no longer has). */
    static AbstractResponse send(TestBroker broker, AbstractRequest request) throws Exception {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "admin-it", 1);
        ByteBuffer bytes = request.serializeWithHeader(header);
        try (Socket socket = new Socket("127.0.0.1", broker.port)) {
            socket.setSoTimeout((int) WAIT.toMillis());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(bytes.remaining());
            out.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
        }
    }
}
