package io.brook.broker.config;

import io.brook.broker.BrokerServer;
import io.brook.broker.group.GroupConfig;
import io.brook.broker.group.GroupCoordinator;
import io.brook.broker.group.GroupCoordinatorService;
import io.brook.broker.group.ReplicatedPartitionWriter;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.LogManager;
import io.brook.broker.metrics.ReplicationMetrics;
import io.brook.broker.metrics.RequestMetrics;
import io.brook.broker.metrics.TopicMetrics;
import io.brook.broker.network.KafkaListeners;
import io.brook.broker.network.KafkaServer;
import io.brook.broker.network.ListenerSecurity;
import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.HandlerRegistry;
import io.brook.broker.protocol.TopicIds;
import io.brook.broker.protocol.handlers.AlterConfigsHandler;
import io.brook.broker.protocol.handlers.AlterPartitionReassignmentsHandler;
import io.brook.broker.protocol.handlers.ApiVersionsHandler;
import io.brook.broker.protocol.handlers.CreatePartitionsHandler;
import io.brook.broker.protocol.handlers.CreateTopicsHandler;
import io.brook.broker.protocol.handlers.DeleteRecordsHandler;
import io.brook.broker.protocol.handlers.DeleteTopicsHandler;
import io.brook.broker.protocol.handlers.DescribeClusterHandler;
import io.brook.broker.protocol.handlers.DescribeConfigsHandler;
import io.brook.broker.protocol.handlers.DescribeLogDirsHandler;
import io.brook.broker.protocol.handlers.ElectLeadersHandler;
import io.brook.broker.protocol.handlers.FetchHandler;
import io.brook.broker.protocol.handlers.FindCoordinatorHandler;
import io.brook.broker.protocol.handlers.GroupApiHandler;
import io.brook.broker.protocol.handlers.GroupAuthorization;
import io.brook.broker.protocol.handlers.IncrementalAlterConfigsHandler;
import io.brook.broker.protocol.handlers.InitProducerIdHandler;
import io.brook.broker.protocol.handlers.ListOffsetsHandler;
import io.brook.broker.protocol.handlers.ListPartitionReassignmentsHandler;
import io.brook.broker.protocol.handlers.MetadataHandler;
import io.brook.broker.protocol.handlers.OffsetForLeaderEpochHandler;
import io.brook.broker.protocol.handlers.ProduceHandler;
import io.brook.broker.protocol.handlers.SaslAuthenticateHandler;
import io.brook.broker.protocol.handlers.SaslHandshakeHandler;
import io.brook.broker.protocol.handlers.fetch.FetchSessionCache;
import io.brook.broker.replication.LeadershipSync;
import io.brook.broker.replication.Partition;
import io.brook.broker.replication.ProducerIdManager;
import io.brook.broker.replication.ProducerStateManager;
import io.brook.broker.replication.ReplicaFetcherManager;
import io.brook.broker.replication.ReplicaManager;
import io.brook.broker.replication.ZkIsrWriter;
import io.brook.broker.security.InterBrokerChannels;
import io.brook.broker.security.RequestAuthorization;
import io.brook.broker.security.SaslMechanisms;
import io.brook.broker.security.TlsContexts;
import io.brook.cluster.admin.ClusterAdmin;
import io.brook.cluster.admin.ReplicaAssignor;
import io.brook.cluster.admin.TopicConfigValidator;
import io.brook.cluster.controller.Controller;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataListener;
import io.brook.cluster.security.ScramPasswords;
import io.brook.cluster.zk.ProducerIdBlocks;
import io.brook.cluster.zk.ZkClusterClient;
import java.io.File;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DeleteGroupsResponse;
import org.apache.kafka.common.requests.DescribeGroupsResponse;
import org.apache.kafka.common.requests.HeartbeatResponse;
import org.apache.kafka.common.requests.JoinGroupResponse;
import org.apache.kafka.common.requests.LeaveGroupResponse;
import org.apache.kafka.common.requests.ListGroupsResponse;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.apache.kafka.common.requests.OffsetDeleteResponse;
import org.apache.kafka.common.requests.OffsetFetchResponse;
import org.apache.kafka.common.requests.SyncGroupResponse;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The broker's parts and how they connect. */
@Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfiguration.class);

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean(destroyMethod = "close")
    ZooKeeperConnection zooKeeperConnection(ZooKeeperProperties properties) throws IOException, InterruptedException {
        return new ZooKeeperConnection(properties);
    }

    @Bean
    ZkClusterClient zkClusterClient(ZooKeeperConnection zk) {
        return new ZkClusterClient(zk.curator());
    }

    /**
     * The SCRAM credentials of the cluster's users, one map per mechanism, as kafka-clients' SCRAM
     * SASL server reads them; kept up to date from ZooKeeper.
     */
    @Bean
    CredentialCache credentialCache() {
        return ScramPasswords.newCache();
    }

    @Bean
    MetadataCache metadataCache(ZooKeeperConnection zk) {
        return new MetadataCache(zk.curator());
    }

    @Bean
    Controller controller(ZooKeeperConnection zk, MetadataCache cache, BrokerProperties properties, Clock clock) {
        return new Controller(
                zk.curator(),
                cache,
                properties.getId(),
                clock,
                new Controller.Settings(
                        properties.isUncleanLeaderElectionEnable(),
                        properties.isAutoLeaderRebalanceEnable(),
                        properties.getLeaderImbalanceCheckInterval(),
                        properties.getLeaderImbalancePerBrokerPercentage()));
    }

    /** A topic's log settings: the broker's defaults under the topic's overrides from ZooKeeper. */
    static LogConfig logConfig(BrokerProperties properties, Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(properties.getTopicDefaults());
        merged.putAll(overrides);
        return LogConfig.of(merged);
    }

    @Bean
    ClusterAdmin clusterAdmin(ZkClusterClient zk, BrokerProperties properties) {
        TopicConfigValidator values = (topic, config) -> {
            try {
                logConfig(properties, config);
            } catch (ConfigException e) {
                throw new InvalidConfigurationException(e.getMessage());
            }
        };
        return new ClusterAdmin(
                zk,
                new ReplicaAssignor(new SecureRandom()),
                TopicConfigValidator.KNOWN_NAMES.andThen(values),
                new ClusterAdmin.Defaults(properties.getNumPartitions(), properties.getDefaultReplicationFactor()));
    }

    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService brokerTimer() {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "brook-broker-timer");
            t.setDaemon(true);
            return t;
        });
    }

    @Bean
    LogManager logManager(
            BrokerProperties properties, MetadataCache cache, Clock clock, ReplicationMetrics replicationMetrics) {
        LogManager logManager = new LogManager(
                List.of(new File(properties.getDataDir())),
                topic -> logConfig(properties, cache.topicConfig(topic)),
                clock,
                LogManager.Settings.DEFAULT,
                new LogDirFailureHandler());
        logManager.setFlushTimer(replicationMetrics);
        return logManager;
    }

    /** Leader and follower replicas; ISR changes go to ZooKeeper on a thread of their own. */
    @Bean
    ReplicaManager replicaManager(
            LogManager logManager,
            ScheduledExecutorService brokerTimer,
            MetadataCache cache,
            Clock clock,
            BrokerProperties properties,
            ZkClusterClient zk,
            BrokerListeners listeners,
            ListenerProperties listenerProperties,
            TopicMetrics topicMetrics,
            ReplicationMetrics replicationMetrics) {
        ReplicaFetcherManager.Settings fetcherSettings = new ReplicaFetcherManager.Settings(
                properties.getId(),
                properties.getNumReplicaFetchers(),
                properties.getReplicaFetchMaxBytes(),
                properties.getReplicaFetchResponseMaxBytes(),
                properties.getReplicaFetchWaitMaxMs(),
                properties.getReplicaFetchMinBytes(),
                properties.getReplicaFetchBackoffMs(),
                properties.getReplicaSocketTimeoutMs());
        // Followers connect to leaders on the inter-broker listener, with its security.
        ReplicaFetcherManager fetchers = listeners.interBrokerProtocol() == SecurityProtocol.PLAINTEXT
                ? new ReplicaFetcherManager(fetcherSettings)
                : new ReplicaFetcherManager(
                        fetcherSettings,
                        new InterBrokerChannels(
                                listeners.interBrokerProtocol(), listeners.interBroker(), listenerProperties));
        ReplicaManager replicaManager = new ReplicaManager(
                logManager,
                brokerTimer,
                tp -> cache.image().partitionState(tp).isPresent(),
                clock,
                ProducerStateManager.DEFAULT_PRODUCER_ID_EXPIRATION_MS,
                new Partition.Settings(
                        properties.getId(),
                        properties.getReplicaLagTimeMaxMs(),
                        new ZkIsrWriter(zk, replicationMetrics)),
                fetchers);
        replicaManager.setTopicStats(topicMetrics);
        return replicaManager;
    }

    @Bean(destroyMethod = "close")
    GroupCoordinatorService groupCoordinator(BrokerProperties properties, Clock clock) {
        GroupConfig config = GroupConfig.defaults()
                .withOffsetsTopicPartitions(properties.getOffsetsTopicPartitions())
                .withInitialRebalanceDelayMs(
                        (int) properties.getGroupInitialRebalanceDelay().toMillis());
        return GroupCoordinatorService.create(config, clock);
    }

    /**
     * Leadership from ZooKeeper applied to this broker; leading a {@code __consumer_offsets}
     * partition also makes this broker the coordinator of its groups.
     */
    @Bean
    LeadershipSync leadershipSync(
            BrokerProperties properties,
            ReplicaManager replicaManager,
            GroupCoordinatorService groups,
            BrokerListeners listeners) {
        return new LeadershipSync(
                properties.getId(),
                listeners.interBroker(),
                replicaManager,
                List.of((tp, partition) -> {
                    if (tp.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                        groups.onElection(
                                tp.partition(),
                                partition.leaderEpoch(),
                                partition.log(),
                                new ReplicatedPartitionWriter(replicaManager, tp, partition.leaderEpoch()));
                    }
                }),
                List.of(tp -> {
                    if (tp.topic().equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                        groups.onResignation(tp.partition());
                    }
                }));
    }

    /** Topic config changes reach the open logs (retention, segment size, cleanup policy...). */
    @Bean
    MetadataListener topicConfigFollower(MetadataCache cache, LogManager logManager) {
        MetadataListener listener = new MetadataListener() {
            @Override
            public void onTopicConfigChanged(String topic, Map<String, String> config) {
                logManager.reloadConfigs();
            }
        };
        cache.addListener(listener);
        return listener;
    }

    @Bean
    TopicIds topicIds(MetadataCache cache) {
        return new TopicIds() {
            @Override
            public Optional<Uuid> idOf(String topic) {
                return cache.image().topicId(topic);
            }

            @Override
            public Optional<String> nameOf(Uuid topicId) {
                return cache.image().topicName(topicId);
            }
        };
    }

    @Bean
    ProducerIdManager producerIdManager(ZooKeeperConnection zk) {
        return new ProducerIdManager(new ProducerIdBlocks(zk.curator())::reserveBlock);
    }

    // ---- handlers: one per Kafka API ----------------------------------------------------------

    @Bean
    ApiVersionsHandler apiVersionsHandler(ObjectProvider<HandlerRegistry> registry) {
        return new ApiVersionsHandler(registry::getObject);
    }

    @Bean
    MetadataHandler metadataHandler(
            MetadataCache cache, BrokerProperties properties, ClusterAdmin admin, RequestAuthorization authorization) {
        return new MetadataHandler(cache, properties.isAutoCreateTopics(), authorization, topic -> {
            if (topic.equals(Topic.GROUP_METADATA_TOPIC_NAME)) {
                // Named by a client before any FindCoordinator: created as the coordinator would.
                createOffsetsTopic(cache, admin, properties);
            } else {
                admin.createTopic(topic, -1, -1, Optional.empty(), Map.of());
            }
        });
    }

    @Bean
    ProduceHandler produceHandler(
            ReplicaManager replicaManager, TopicIds topicIds, RequestAuthorization authorization) {
        return new ProduceHandler(replicaManager, topicIds, authorization);
    }

    @Bean
    FetchSessionCache fetchSessionCache(BrokerProperties properties, Clock clock) {
        return new FetchSessionCache(
                properties.getMaxIncrementalFetchSessionCacheSlots(),
                FetchSessionCache.DEFAULT_EVICTION_MS,
                clock,
                new SecureRandom());
    }

    @Bean
    FetchHandler fetchHandler(
            ReplicaManager replicaManager,
            TopicIds topicIds,
            FetchSessionCache sessions,
            RequestAuthorization authorization) {
        return new FetchHandler(replicaManager, topicIds, sessions, authorization);
    }

    @Bean
    ListOffsetsHandler listOffsetsHandler(ReplicaManager replicaManager, RequestAuthorization authorization) {
        return new ListOffsetsHandler(replicaManager, authorization);
    }

    @Bean
    OffsetForLeaderEpochHandler offsetForLeaderEpochHandler(
            ReplicaManager replicaManager, RequestAuthorization authorization) {
        return new OffsetForLeaderEpochHandler(replicaManager, authorization);
    }

    @Bean
    InitProducerIdHandler initProducerIdHandler(ProducerIdManager producerIds, RequestAuthorization authorization) {
        return new InitProducerIdHandler(producerIds, authorization);
    }

    // admin APIs: topics, configs, cluster, records

    @Bean
    CreateTopicsHandler createTopicsHandler(
            ClusterAdmin admin, MetadataCache cache, BrokerProperties properties, RequestAuthorization authorization) {
        return new CreateTopicsHandler(admin, cache, properties.getTopicDefaults(), authorization);
    }

    @Bean
    DeleteTopicsHandler deleteTopicsHandler(
            ClusterAdmin admin, MetadataCache cache, RequestAuthorization authorization) {
        return new DeleteTopicsHandler(admin, cache, authorization);
    }

    @Bean
    CreatePartitionsHandler createPartitionsHandler(
            ClusterAdmin admin, MetadataCache cache, RequestAuthorization authorization) {
        return new CreatePartitionsHandler(admin, cache, authorization);
    }

    /** The BROKER resource shows these settings under Kafka's names, besides the topic defaults. */
    @Bean
    DescribeConfigsHandler describeConfigsHandler(
            ClusterAdmin admin,
            BrokerProperties properties,
            BrokerListeners listeners,
            RequestAuthorization authorization) {
        Map<String, String> brokerConfigs = new HashMap<>();
        brokerConfigs.put("broker.id", Integer.toString(properties.getId()));
        brokerConfigs.put("listeners", listeners.describe());
        brokerConfigs.put(
                "advertised.listeners",
                String.join(
                        ",",
                        listeners.listeners().stream()
                                .map(l -> l.name().value() + "://" + l.advertisedHost() + ":"
                                        + (l.advertisedPort() != 0 ? l.advertisedPort() : l.port()))
                                .toList()));
        brokerConfigs.put("inter.broker.listener.name", listeners.interBroker().value());
        brokerConfigs.put("log.dirs", properties.getDataDir());
        brokerConfigs.put("num.partitions", Integer.toString(properties.getNumPartitions()));
        brokerConfigs.put("default.replication.factor", Short.toString(properties.getDefaultReplicationFactor()));
        brokerConfigs.put("auto.create.topics.enable", Boolean.toString(properties.isAutoCreateTopics()));
        brokerConfigs.put("offsets.topic.num.partitions", Integer.toString(properties.getOffsetsTopicPartitions()));
        brokerConfigs.put(
                "offsets.topic.replication.factor", Short.toString(properties.getOffsetsTopicReplicationFactor()));
        brokerConfigs.put("socket.request.max.bytes", Integer.toString(properties.getMaxRequestBytes()));
        brokerConfigs.put(
                "connections.max.idle.ms",
                Long.toString(properties.getConnectionsMaxIdle().toMillis()));
        brokerConfigs.put("num.io.threads", Integer.toString(properties.getIoThreads()));
        brokerConfigs.put("num.network.threads", Integer.toString(properties.getNetworkThreads()));
        brokerConfigs.put("delete.topic.enable", "true");
        brokerConfigs.put("replica.lag.time.max.ms", Long.toString(properties.getReplicaLagTimeMaxMs()));
        brokerConfigs.put("num.replica.fetchers", Integer.toString(properties.getNumReplicaFetchers()));
        brokerConfigs.put("replica.fetch.max.bytes", Integer.toString(properties.getReplicaFetchMaxBytes()));
        brokerConfigs.put("replica.fetch.wait.max.ms", Integer.toString(properties.getReplicaFetchWaitMaxMs()));
        brokerConfigs.put("replica.fetch.min.bytes", Integer.toString(properties.getReplicaFetchMinBytes()));
        brokerConfigs.put("replica.fetch.backoff.ms", Long.toString(properties.getReplicaFetchBackoffMs()));
        brokerConfigs.put("replica.socket.timeout.ms", Integer.toString(properties.getReplicaSocketTimeoutMs()));
        brokerConfigs.put(
                "max.incremental.fetch.session.cache.slots",
                Integer.toString(properties.getMaxIncrementalFetchSessionCacheSlots()));
        brokerConfigs.put(
                "unclean.leader.election.enable", Boolean.toString(properties.isUncleanLeaderElectionEnable()));
        brokerConfigs.put("controlled.shutdown.enable", Boolean.toString(properties.isControlledShutdownEnable()));
        brokerConfigs.put("auto.leader.rebalance.enable", Boolean.toString(properties.isAutoLeaderRebalanceEnable()));
        brokerConfigs.put(
                "leader.imbalance.check.interval.seconds",
                Long.toString(properties.getLeaderImbalanceCheckInterval().toSeconds()));
        brokerConfigs.put(
                "leader.imbalance.per.broker.percentage",
                Integer.toString(properties.getLeaderImbalancePerBrokerPercentage()));
        if (!properties.getRack().isEmpty()) {
            brokerConfigs.put("broker.rack", properties.getRack());
        }
        return new DescribeConfigsHandler(
                admin, properties.getTopicDefaults(), properties.getId(), brokerConfigs, authorization);
    }

    @Bean
    AlterConfigsHandler alterConfigsHandler(ClusterAdmin admin, RequestAuthorization authorization) {
        return new AlterConfigsHandler(admin, authorization);
    }

    @Bean
    IncrementalAlterConfigsHandler incrementalAlterConfigsHandler(
            ClusterAdmin admin, BrokerProperties properties, RequestAuthorization authorization) {
        return new IncrementalAlterConfigsHandler(admin, properties.getTopicDefaults(), authorization);
    }

    @Bean
    DescribeClusterHandler describeClusterHandler(MetadataCache cache, RequestAuthorization authorization) {
        return new DescribeClusterHandler(cache, authorization);
    }

    // controller APIs: served by the active controller's in-process Controller

    @Bean
    ElectLeadersHandler electLeadersHandler(
            Controller controller, MetadataCache cache, RequestAuthorization authorization) {
        return new ElectLeadersHandler(controller, cache, authorization);
    }

    @Bean
    AlterPartitionReassignmentsHandler alterPartitionReassignmentsHandler(
            Controller controller, RequestAuthorization authorization) {
        return new AlterPartitionReassignmentsHandler(controller, authorization);
    }

    @Bean
    ListPartitionReassignmentsHandler listPartitionReassignmentsHandler(
            Controller controller, RequestAuthorization authorization) {
        return new ListPartitionReassignmentsHandler(controller, authorization);
    }

    @Bean
    DescribeLogDirsHandler describeLogDirsHandler(LogManager logManager, RequestAuthorization authorization) {
        return new DescribeLogDirsHandler(logManager, authorization);
    }

    @Bean
    DeleteRecordsHandler deleteRecordsHandler(ReplicaManager replicaManager, RequestAuthorization authorization) {
        return new DeleteRecordsHandler(replicaManager, authorization);
    }

    // ---- consumer groups ----------------------------------------------------------------------

    @Bean
    FindCoordinatorHandler findCoordinatorHandler(
            MetadataCache cache,
            GroupCoordinatorService groups,
            ClusterAdmin admin,
            BrokerProperties properties,
            RequestAuthorization authorization) {
        return new FindCoordinatorHandler(
                cache, groups::partitionFor, () -> createOffsetsTopic(cache, admin, properties), authorization);
    }

    /**
     * Creates {@code __consumer_offsets} with {@code offsets.topic.num.partitions} compacted
     * partitions and {@code offsets.topic.replication.factor} replicas, or as many as there are
     * live brokers if fewer, with a warning. Kafka refuses instead (COORDINATOR_NOT_AVAILABLE until
     * enough brokers are up); Brook lets a dev cluster of fewer brokers have consumer groups.
     */
    private static void createOffsetsTopic(MetadataCache cache, ClusterAdmin admin, BrokerProperties properties) {
        int live = Math.max(1, cache.image().brokers().size());
        short configured = properties.getOffsetsTopicReplicationFactor();
        short replicationFactor = (short) Math.min(configured, live);
        admin.createTopic(
                Topic.GROUP_METADATA_TOPIC_NAME,
                properties.getOffsetsTopicPartitions(),
                replicationFactor,
                Optional.empty(),
                // Kafka's offsets.topic.segment.bytes: 100 MiB segments, compacted.
                Map.of(LogConfig.CLEANUP_POLICY, LogConfig.COMPACT, LogConfig.SEGMENT_BYTES, "104857600"));
        // Only the request that created it gets here (the others get TopicExistsException).
        if (replicationFactor < configured) {
            LOG.warn(
                    "Created {} with replication factor {} instead of offsets.topic.replication.factor {}: only {}"
                            + " live brokers (Kafka would refuse). Committed offsets survive fewer broker failures;"
                            + " reassign the topic's partitions once more brokers run.",
                    Topic.GROUP_METADATA_TOPIC_NAME,
                    replicationFactor,
                    configured,
                    live);
        }
    }

    private static <Q extends ApiMessage, S extends ApiMessage> GroupApiHandler<Q, S> group(
            ApiKeys key,
            Class<Q> type,
            GroupApiHandler.Call<Q, S> call,
            java.util.function.BiFunction<S, Short, AbstractResponse> wrap,
            RequestAuthorization authorization,
            GroupAuthorization.Guard<Q, S> guard) {
        GroupCoordinator.VersionRange range = GroupCoordinator.SUPPORTED_VERSIONS.get(key);
        return new GroupApiHandler<>(
                key,
                range.oldest(),
                range.latest(),
                type,
                call,
                wrap,
                authorization.enabled() ? guard : GroupAuthorization.none());
    }

    @Bean
    GroupApiHandler<JoinGroupRequestData, JoinGroupResponseData> joinGroupHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.JOIN_GROUP,
                JoinGroupRequestData.class,
                groups::joinGroup,
                JoinGroupResponse::new,
                authorization,
                GroupAuthorization.joinGroup(authorization));
    }

    @Bean
    GroupApiHandler<SyncGroupRequestData, SyncGroupResponseData> syncGroupHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.SYNC_GROUP,
                SyncGroupRequestData.class,
                groups::syncGroup,
                (d, v) -> new SyncGroupResponse(d),
                authorization,
                GroupAuthorization.syncGroup(authorization));
    }

    @Bean
    GroupApiHandler<HeartbeatRequestData, HeartbeatResponseData> heartbeatHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.HEARTBEAT,
                HeartbeatRequestData.class,
                groups::heartbeat,
                (d, v) -> new HeartbeatResponse(d),
                authorization,
                GroupAuthorization.heartbeat(authorization));
    }

    @Bean
    GroupApiHandler<LeaveGroupRequestData, LeaveGroupResponseData> leaveGroupHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.LEAVE_GROUP,
                LeaveGroupRequestData.class,
                groups::leaveGroup,
                LeaveGroupResponse::new,
                authorization,
                GroupAuthorization.leaveGroup(authorization));
    }

    @Bean
    GroupApiHandler<OffsetCommitRequestData, OffsetCommitResponseData> offsetCommitHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.OFFSET_COMMIT,
                OffsetCommitRequestData.class,
                groups::commitOffsets,
                (d, v) -> new OffsetCommitResponse(d),
                authorization,
                GroupAuthorization.offsetCommit(authorization));
    }

    @Bean
    GroupApiHandler<OffsetFetchRequestData, OffsetFetchResponseData> offsetFetchHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.OFFSET_FETCH,
                OffsetFetchRequestData.class,
                groups::fetchOffsets,
                OffsetFetchResponse::new,
                authorization,
                GroupAuthorization.offsetFetch(authorization));
    }

    @Bean
    GroupApiHandler<ListGroupsRequestData, ListGroupsResponseData> listGroupsHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.LIST_GROUPS,
                ListGroupsRequestData.class,
                groups::listGroups,
                (d, v) -> new ListGroupsResponse(d),
                authorization,
                GroupAuthorization.listGroups(authorization));
    }

    @Bean
    GroupApiHandler<DescribeGroupsRequestData, DescribeGroupsResponseData> describeGroupsHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.DESCRIBE_GROUPS,
                DescribeGroupsRequestData.class,
                groups::describeGroups,
                (d, v) -> new DescribeGroupsResponse(d),
                authorization,
                GroupAuthorization.describeGroups(authorization));
    }

    @Bean
    GroupApiHandler<DeleteGroupsRequestData, DeleteGroupsResponseData> deleteGroupsHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.DELETE_GROUPS,
                DeleteGroupsRequestData.class,
                groups::deleteGroups,
                (d, v) -> new DeleteGroupsResponse(d),
                authorization,
                GroupAuthorization.deleteGroups(authorization));
    }

    @Bean
    GroupApiHandler<OffsetDeleteRequestData, OffsetDeleteResponseData> offsetDeleteHandler(
            GroupCoordinatorService groups, RequestAuthorization authorization) {
        return group(
                ApiKeys.OFFSET_DELETE,
                OffsetDeleteRequestData.class,
                groups::deleteOffsets,
                (d, v) -> new OffsetDeleteResponse(d),
                authorization,
                GroupAuthorization.offsetDelete(authorization));
    }

    @Bean
    HandlerRegistry handlerRegistry(List<ApiHandler> handlers) {
        return new HandlerRegistry(handlers);
    }

    // ---- the server ---------------------------------------------------------------------------

    /** The listeners as configured ({@code listeners}, or {@code host}/{@code port} alone). */
    @Bean
    BrokerListeners brokerListeners(BrokerProperties properties, ListenerProperties listenerProperties) {
        return BrokerListeners.resolve(properties, listenerProperties);
    }

    /** One Kafka server per listener, with its TLS and SASL. */
    @Bean
    KafkaListeners kafkaListeners(
            BrokerProperties properties,
            BrokerListeners listeners,
            ListenerProperties listenerProperties,
            HandlerRegistry registry,
            CredentialCache credentialCache,
            RequestMetrics requestMetrics) {
        List<KafkaServer> servers = new ArrayList<>();
        for (BrokerListeners.Listener listener : listeners.listeners()) {
            SecurityProtocol protocol = listener.protocol();
            boolean tls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
            boolean sasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
            ListenerSecurity security = new ListenerSecurity(
                    listener.name(),
                    protocol,
                    tls ? Optional.of(TlsContexts.server(listenerProperties.getSsl())) : Optional.empty(),
                    sasl
                            ? Optional.of(
                                    new SaslMechanisms(listenerProperties.getSaslEnabledMechanisms(), credentialCache))
                            : Optional.empty());
            servers.add(new KafkaServer(
                    new KafkaServer.Settings(
                            listener.bindHost(),
                            listener.port(),
                            properties.getMaxRequestBytes(),
                            properties.getConnectionsMaxIdle(),
                            properties.getNetworkThreads(),
                            properties.getIoThreads(),
                            properties.getShutdownTimeout(),
                            properties.getSocketSendBufferBytes(),
                            properties.getSocketReceiveBufferBytes()),
                    registry,
                    security,
                    requestMetrics));
        }
        for (KafkaServer server : servers) {
            requestMetrics.bindConnections(server.security().listenerName().value(), server::connectionCount);
        }
        return new KafkaListeners(servers);
    }

    // SaslHandshake and SaslAuthenticate outside a SASL exchange (the exchange itself is the
    // connection's): ILLEGAL_SASL_STATE.

    @Bean
    SaslHandshakeHandler saslHandshakeHandler() {
        return new SaslHandshakeHandler();
    }

    @Bean
    SaslAuthenticateHandler saslAuthenticateHandler() {
        return new SaslAuthenticateHandler();
    }

    @Bean
    BrokerServer brokerServer(
            BrokerProperties properties,
            ZooKeeperConnection zk,
            MetadataCache cache,
            LogManager logManager,
            LeadershipSync leadershipSync,
            BrokerListeners listeners,
            KafkaListeners kafkaListeners,
            Controller controller,
            Clock clock,
            ZooKeeperProperties zkProperties) {
        return new BrokerServer(
                properties,
                zk.curator(),
                cache,
                logManager,
                leadershipSync,
                listeners,
                kafkaListeners,
                controller,
                clock,
                zkProperties.getConnectionTimeout());
    }
}
