package io.brook.broker.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The broker's settings, under {@code brook.broker}: each is a plain Spring property, so it can be
 * given as a flag ({@code --brook.broker.port=9093}) or an environment variable ({@code
 * BROOK_BROKER_PORT=9093}).
 */
@ConfigurationProperties("brook.broker")
public class BrokerProperties {

    /** This broker's id in the cluster; unique among live brokers. */
    private int id = 0;

    /** Address the Kafka listener binds to. */
    private String host = "0.0.0.0";

    /** Port of the Kafka listener; 0 picks a free one (tests). */
    private int port = 9092;

    /** Host name clients are told to connect to (Metadata); defaults to localhost. */
    private String advertisedHost = "localhost";

    /** Directory holding the partition logs. */
    private String dataDir = "data/broker-0";

    /** Largest request a client may send (Kafka's socket.request.max.bytes). */
    private int maxRequestBytes = 100 * 1024 * 1024;

    /** Connections idle for this long are closed (Kafka's connections.max.idle.ms). */
    private Duration connectionsMaxIdle = Duration.ofMinutes(10);

    /**
     * SO_SNDBUF of client connections (Kafka's socket.send.buffer.bytes, same default); -1 leaves
     * it to the operating system.
     */
    private int socketSendBufferBytes = 102400;

    /**
     * SO_RCVBUF of client connections (Kafka's socket.receive.buffer.bytes); -1, the default,
     * leaves it to the operating system's autotuning (Kafka fixes 102400).
     */
    private int socketReceiveBufferBytes = -1;

    /** Threads that run request handlers (Kafka's num.io.threads). */
    private int ioThreads = 8;

    /** Threads of the network layer (Kafka's num.network.threads). */
    private int networkThreads = 3;

    /** How long shutdown waits for requests in flight to finish. */
    private Duration shutdownTimeout = Duration.ofSeconds(10);

    /** Rack of this broker, for rack-aware replica placement; empty for none. */
    private String rack = "";

    /** Create a topic when a client produces to or asks metadata for an unknown one. */
    private boolean autoCreateTopics = true;

    /** Partitions of automatically created topics (Kafka's num.partitions). */
    private int numPartitions = 1;

    /** Replication factor of automatically created topics. */
    private short defaultReplicationFactor = 1;

    /**
     * How long a new group waits for more members before its first rebalance (Kafka's
     * group.initial.rebalance.delay.ms).
     */
    private Duration groupInitialRebalanceDelay = Duration.ofSeconds(3);

    /**
     * Replication factor of __consumer_offsets (Kafka's offsets.topic.replication.factor, default
     * 3). Where fewer brokers are live when the topic is created, it gets one replica per live
     * broker and a warning is logged (Kafka refuses to create it instead).
     */
    private short offsetsTopicReplicationFactor = 3;

    /** Partitions of the __consumer_offsets topic (Kafka's offsets.topic.num.partitions). */
    private int offsetsTopicPartitions = 50;

    /**
     * Incremental fetch sessions kept (Kafka's max.incremental.fetch.session.cache.slots); 0
     * answers every fetch without a session.
     */
    private int maxIncrementalFetchSessionCacheSlots = 1000;

    /**
     * Whether a partition whose in-sync replicas are all gone may be led by another replica,
     * losing what only they had (Kafka's unclean.leader.election.enable); topics override it with
     * the topic config of that name.
     */
    private boolean uncleanLeaderElectionEnable = false;

    /**
     * Whether a broker that stops cleanly first has the controller move its leaderships away
     * (Kafka's controlled.shutdown.enable).
     */
    private boolean controlledShutdownEnable = true;

    /**
     * How long a stopping broker waits for its leaderships to move before it stops anyway (in
     * place of Kafka's controlled.shutdown.max.retries and controlled.shutdown.retry.backoff.ms).
     */
    private Duration controlledShutdownTimeout = Duration.ofSeconds(30);

    /**
     * Whether the controller moves leadership back to preferred replicas by itself (Kafka's
     * auto.leader.rebalance.enable).
     */
    private boolean autoLeaderRebalanceEnable = true;

    /**
     * How often the controller checks the leader imbalance (Kafka's
     * leader.imbalance.check.interval.seconds).
     */
    private Duration leaderImbalanceCheckInterval = Duration.ofSeconds(300);

    /**
     * The share of a broker's preferred partitions led elsewhere above which the controller moves
     * them back (Kafka's leader.imbalance.per.broker.percentage).
     */
    private int leaderImbalancePerBrokerPercentage = 10;

    /**
     * How long a follower may go without catching up to the leader's log end before the leader
     * removes it from the in-sync replicas (Kafka's replica.lag.time.max.ms).
     */
    private long replicaLagTimeMaxMs = 30_000;

    /** Threads fetching from each leader (Kafka's num.replica.fetchers). */
    private int numReplicaFetchers = 1;

    /** Bytes a follower asks for per partition in one fetch (Kafka's replica.fetch.max.bytes). */
    private int replicaFetchMaxBytes = 1024 * 1024;

    /** Bytes a follower asks for in one fetch (Kafka's replica.fetch.response.max.bytes). */
    private int replicaFetchResponseMaxBytes = 10 * 1024 * 1024;

    /** How long a follower's fetch waits on the leader for data (Kafka's replica.fetch.wait.max.ms). */
    private int replicaFetchWaitMaxMs = 500;

    /** Bytes a follower's fetch waits for (Kafka's replica.fetch.min.bytes). */
    private int replicaFetchMinBytes = 1;

    /** Pause of a follower's partition after a fetch error (Kafka's replica.fetch.backoff.ms). */
    private long replicaFetchBackoffMs = 1_000;

    /** Timeout of a follower's requests to its leader (Kafka's replica.socket.timeout.ms). */
    private int replicaSocketTimeoutMs = 30_000;

    /**
     * How often the metrics that list partitions and groups (log size per partition, consumer lag)
     * are brought up to date; the values of the other meters are read at each scrape.
     */
    private Duration metricsRefreshInterval = Duration.ofSeconds(5);

    /**
     * Longest wait, after registering, for the followed partitions to catch up before the broker
     * reports ready anyway (with a warning): a broker whose leader never lets it catch up must
     * not block a rolling update forever. See {@code BrokerReadinessIndicator}.
     */
    private Duration readinessCatchUpTimeout = Duration.ofMinutes(10);

    /**
     * Defaults for topic configs, by Kafka name ({@code retention.ms}, {@code segment.bytes},
     * ...): e.g. {@code --brook.broker.topic-defaults[retention.ms]=3600000}.
     */
    private Map<String, String> topicDefaults = new LinkedHashMap<>();

    public int getId() {
        return id;
    }

    public void setId(int id) {
        this.id = id;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public String getAdvertisedHost() {
        return advertisedHost;
    }

    public void setAdvertisedHost(String advertisedHost) {
        this.advertisedHost = advertisedHost;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public int getMaxRequestBytes() {
        return maxRequestBytes;
    }

    public void setMaxRequestBytes(int maxRequestBytes) {
        this.maxRequestBytes = maxRequestBytes;
    }

    public Duration getConnectionsMaxIdle() {
        return connectionsMaxIdle;
    }

    public void setConnectionsMaxIdle(Duration connectionsMaxIdle) {
        this.connectionsMaxIdle = connectionsMaxIdle;
    }

    public int getSocketSendBufferBytes() {
        return socketSendBufferBytes;
    }

    public void setSocketSendBufferBytes(int socketSendBufferBytes) {
        this.socketSendBufferBytes = socketSendBufferBytes;
    }

    public int getSocketReceiveBufferBytes() {
        return socketReceiveBufferBytes;
    }

    public void setSocketReceiveBufferBytes(int socketReceiveBufferBytes) {
        this.socketReceiveBufferBytes = socketReceiveBufferBytes;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public int getNetworkThreads() {
        return networkThreads;
    }

    public void setNetworkThreads(int networkThreads) {
        this.networkThreads = networkThreads;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    public String getRack() {
        return rack;
    }

    public void setRack(String rack) {
        this.rack = rack;
    }

    public boolean isAutoCreateTopics() {
        return autoCreateTopics;
    }

    public void setAutoCreateTopics(boolean autoCreateTopics) {
        this.autoCreateTopics = autoCreateTopics;
    }

    public int getNumPartitions() {
        return numPartitions;
    }

    public void setNumPartitions(int numPartitions) {
        this.numPartitions = numPartitions;
    }

    public short getDefaultReplicationFactor() {
        return defaultReplicationFactor;
    }

    public void setDefaultReplicationFactor(short defaultReplicationFactor) {
        this.defaultReplicationFactor = defaultReplicationFactor;
    }

    public Duration getGroupInitialRebalanceDelay() {
        return groupInitialRebalanceDelay;
    }

    public void setGroupInitialRebalanceDelay(Duration groupInitialRebalanceDelay) {
        this.groupInitialRebalanceDelay = groupInitialRebalanceDelay;
    }

    public short getOffsetsTopicReplicationFactor() {
        return offsetsTopicReplicationFactor;
    }

    public void setOffsetsTopicReplicationFactor(short offsetsTopicReplicationFactor) {
        this.offsetsTopicReplicationFactor = offsetsTopicReplicationFactor;
    }

    public int getOffsetsTopicPartitions() {
        return offsetsTopicPartitions;
    }

    public void setOffsetsTopicPartitions(int offsetsTopicPartitions) {
        this.offsetsTopicPartitions = offsetsTopicPartitions;
    }

    public int getMaxIncrementalFetchSessionCacheSlots() {
        return maxIncrementalFetchSessionCacheSlots;
    }

    public void setMaxIncrementalFetchSessionCacheSlots(int maxIncrementalFetchSessionCacheSlots) {
        this.maxIncrementalFetchSessionCacheSlots = maxIncrementalFetchSessionCacheSlots;
    }

    public Map<String, String> getTopicDefaults() {
        return topicDefaults;
    }

    public void setTopicDefaults(Map<String, String> topicDefaults) {
        this.topicDefaults = topicDefaults;
    }

    public boolean isUncleanLeaderElectionEnable() {
        return uncleanLeaderElectionEnable;
    }

    public void setUncleanLeaderElectionEnable(boolean uncleanLeaderElectionEnable) {
        this.uncleanLeaderElectionEnable = uncleanLeaderElectionEnable;
    }

    public boolean isControlledShutdownEnable() {
        return controlledShutdownEnable;
    }

    public void setControlledShutdownEnable(boolean controlledShutdownEnable) {
        this.controlledShutdownEnable = controlledShutdownEnable;
    }

    public Duration getControlledShutdownTimeout() {
        return controlledShutdownTimeout;
    }

    public void setControlledShutdownTimeout(Duration controlledShutdownTimeout) {
        this.controlledShutdownTimeout = controlledShutdownTimeout;
    }

    public boolean isAutoLeaderRebalanceEnable() {
        return autoLeaderRebalanceEnable;
    }

    public void setAutoLeaderRebalanceEnable(boolean autoLeaderRebalanceEnable) {
        this.autoLeaderRebalanceEnable = autoLeaderRebalanceEnable;
    }

    public Duration getLeaderImbalanceCheckInterval() {
        return leaderImbalanceCheckInterval;
    }

    public void setLeaderImbalanceCheckInterval(Duration leaderImbalanceCheckInterval) {
        this.leaderImbalanceCheckInterval = leaderImbalanceCheckInterval;
    }

    public int getLeaderImbalancePerBrokerPercentage() {
        return leaderImbalancePerBrokerPercentage;
    }

    public void setLeaderImbalancePerBrokerPercentage(int leaderImbalancePerBrokerPercentage) {
        this.leaderImbalancePerBrokerPercentage = leaderImbalancePerBrokerPercentage;
    }

    public long getReplicaLagTimeMaxMs() {
        return replicaLagTimeMaxMs;
    }

    public void setReplicaLagTimeMaxMs(long replicaLagTimeMaxMs) {
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
    }

    public int getNumReplicaFetchers() {
        return numReplicaFetchers;
    }

    public void setNumReplicaFetchers(int numReplicaFetchers) {
        this.numReplicaFetchers = numReplicaFetchers;
    }

    public int getReplicaFetchMaxBytes() {
        return replicaFetchMaxBytes;
    }

    public void setReplicaFetchMaxBytes(int replicaFetchMaxBytes) {
        this.replicaFetchMaxBytes = replicaFetchMaxBytes;
    }

    public int getReplicaFetchResponseMaxBytes() {
        return replicaFetchResponseMaxBytes;
    }

    public void setReplicaFetchResponseMaxBytes(int replicaFetchResponseMaxBytes) {
        this.replicaFetchResponseMaxBytes = replicaFetchResponseMaxBytes;
    }

    public int getReplicaFetchWaitMaxMs() {
        return replicaFetchWaitMaxMs;
    }

    public void setReplicaFetchWaitMaxMs(int replicaFetchWaitMaxMs) {
        this.replicaFetchWaitMaxMs = replicaFetchWaitMaxMs;
    }

    public int getReplicaFetchMinBytes() {
        return replicaFetchMinBytes;
    }

    public void setReplicaFetchMinBytes(int replicaFetchMinBytes) {
        this.replicaFetchMinBytes = replicaFetchMinBytes;
    }

    public long getReplicaFetchBackoffMs() {
        return replicaFetchBackoffMs;
    }

    public void setReplicaFetchBackoffMs(long replicaFetchBackoffMs) {
        this.replicaFetchBackoffMs = replicaFetchBackoffMs;
    }

    public int getReplicaSocketTimeoutMs() {
        return replicaSocketTimeoutMs;
    }

    public void setReplicaSocketTimeoutMs(int replicaSocketTimeoutMs) {
        this.replicaSocketTimeoutMs = replicaSocketTimeoutMs;
    }

    public Duration getMetricsRefreshInterval() {
        return metricsRefreshInterval;
    }

    public void setMetricsRefreshInterval(Duration metricsRefreshInterval) {
        this.metricsRefreshInterval = metricsRefreshInterval;
    }

    public Duration getReadinessCatchUpTimeout() {
        return readinessCatchUpTimeout;
    }

    public void setReadinessCatchUpTimeout(Duration readinessCatchUpTimeout) {
        this.readinessCatchUpTimeout = readinessCatchUpTimeout;
    }
}
