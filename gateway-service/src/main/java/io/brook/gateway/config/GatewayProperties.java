package io.brook.gateway.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The gateway's settings, under {@code brook.gateway}: plain Spring properties, given as flags
 * ({@code --brook.gateway.bootstrap-servers=host:9092}) or environment variables ({@code
 * BROOK_GATEWAY_BOOTSTRAP_SERVERS=host:9092}). The HTTP port is Spring's {@code server.port}
 * (8080 by default).
 */
@ConfigurationProperties("brook.gateway")
public class GatewayProperties {

    /** Kafka bootstrap servers of the Brook cluster (kafka-clients' bootstrap.servers). */
    private String bootstrapServers = "localhost:9092";

    /**
     * The cluster id the {@code /v3/clusters/{cluster_id}} paths answer to. Empty (the default):
     * discovered from the brokers (DescribeCluster) and cached once known.
     */
    private String clusterId = "";

    /** Client id prefix of the gateway's Kafka clients, as brokers see it in their logs. */
    private String clientId = "brook-gateway";

    /**
     * Timeout of Admin calls (topic and group administration, metadata look-ups, the readiness
     * check); Kafka's default.api.timeout.ms for the Admin client.
     */
    private Duration adminTimeout = Duration.ofSeconds(15);

    /**
     * How long the topic metadata used to validate produce and read requests (does the topic
     * exist, how many partitions) is trusted. A topic created or grown elsewhere is seen after at
     * most this long; one created through this gateway at once.
     */
    private Duration metadataMaxAge = Duration.ofSeconds(5);

    /**
     * The URL under which clients reach this gateway instance, e.g. {@code http://gw-1:8080}: the
     * {@code base_uri} of REST v2 consumer instances names it, so that a client behind a load
     * balancer comes back to the instance that owns its consumer. Empty (the default): the scheme,
     * host and port of the request that created the instance.
     */
    private String advertisedUrl = "";

    /**
     * ZooKeeper connect string of the Brook cluster, from which the gateway reads the users and
     * ACLs the brokers use. Required when {@code security.enabled}; unused otherwise.
     */
    private String zookeeperConnect = "";

    /**
     * Extra configs of every Kafka client of the gateway (Admin, producers, consumers), by their
     * Kafka names: how the gateway itself authenticates to the brokers, e.g. {@code
     * security.protocol=SASL_SSL}, {@code sasl.mechanism=SCRAM-SHA-512}, {@code sasl.jaas.config},
     * {@code ssl.truststore.location}. Kafka logs password-typed configs as {@code [hidden]}.
     */
    private Map<String, String> kafka = new LinkedHashMap<>();

    /** Authentication and authorization of HTTP and WebSocket users (off by default). */
    private final Security security = new Security();

    /** Cross-origin requests from browsers (off unless origins are listed). */
    private final Cors cors = new Cors();

    /** The shared producers. */
    private final Producer producer = new Producer();

    /** REST v2 consumer instances ({@code /consumers/{group}/instances/{name}}). */
    private final Consumers consumers = new Consumers();

    /** Streams of records over WebSocket and Server-Sent Events. */
    private final Streams streams = new Streams();

    /** Stateless reads ({@code GET .../partitions/{p}/records}). */
    private final Consume consume = new Consume();

    /** Size limits of requests. */
    private final Limits limits = new Limits();

    /** What the admin dashboard reads: throughput and lag samples, record search. */
    private final Dashboard dashboard = new Dashboard();

    public String getBootstrapServers() {
        return bootstrapServers;
    }

    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    public String getClusterId() {
        return clusterId;
    }

    public void setClusterId(String clusterId) {
        this.clusterId = clusterId;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public Duration getAdminTimeout() {
        return adminTimeout;
    }

    public void setAdminTimeout(Duration adminTimeout) {
        this.adminTimeout = adminTimeout;
    }

    public Duration getMetadataMaxAge() {
        return metadataMaxAge;
    }

    public void setMetadataMaxAge(Duration metadataMaxAge) {
        this.metadataMaxAge = metadataMaxAge;
    }

    public String getAdvertisedUrl() {
        return advertisedUrl;
    }

    public void setAdvertisedUrl(String advertisedUrl) {
        this.advertisedUrl = advertisedUrl;
    }

    public String getZookeeperConnect() {
        return zookeeperConnect;
    }

    public void setZookeeperConnect(String zookeeperConnect) {
        this.zookeeperConnect = zookeeperConnect;
    }

    public Map<String, String> getKafka() {
        return kafka;
    }

    public void setKafka(Map<String, String> kafka) {
        this.kafka = kafka;
    }

    public Security getSecurity() {
        return security;
    }

    public Cors getCors() {
        return cors;
    }

    public Producer getProducer() {
        return producer;
    }

    public Consumers getConsumers() {
        return consumers;
    }

    public Streams getStreams() {
        return streams;
    }

    public Consume getConsume() {
        return consume;
    }

    public Limits getLimits() {
        return limits;
    }

    public Dashboard getDashboard() {
        return dashboard;
    }

    /**
     * The dashboard's endpoints: throughput and consumer-lag samples kept in memory, and the
     * bounded record search ({@code records:search}).
     */
    public static class Dashboard {

        /** Time between two samples of throughput (and of each watched group's lag). */
        private Duration sampleInterval = Duration.ofSeconds(5);

        /** How long samples are kept; older ones are dropped (15 min at 5 s: 180 samples). */
        private Duration sampleRetention = Duration.ofMinutes(15);

        /**
         * Sampling runs only while someone asked for samples within this long: an idle cluster
         * gets no sampling requests from the gateway.
         */
        private Duration sampleWhileAskedWithin = Duration.ofMinutes(10);

        /** Most consumer groups whose lag is sampled at once (the most recently asked for). */
        private int maxLagGroups = 50;

        /** {@code max_scanned} of a search that does not give one. */
        private long searchDefaultMaxScanned = 100_000;

        /** Largest {@code max_scanned} a search may ask for. */
        private long searchMaxMaxScanned = 10_000_000;

        /** {@code max_matches} of a search that does not give one. */
        private int searchDefaultMaxMatches = 100;

        /** Largest {@code max_matches} a search may ask for. */
        private int searchMaxMaxMatches = 10_000;

        /** Searches running at once (each holds a consumer and a thread); more are answered 429. */
        private int searchMaxConcurrent = 4;

        public Duration getSampleInterval() {
            return sampleInterval;
        }

        public void setSampleInterval(Duration sampleInterval) {
            this.sampleInterval = sampleInterval;
        }

        public Duration getSampleRetention() {
            return sampleRetention;
        }

        public void setSampleRetention(Duration sampleRetention) {
            this.sampleRetention = sampleRetention;
        }

        public Duration getSampleWhileAskedWithin() {
            return sampleWhileAskedWithin;
        }

        public void setSampleWhileAskedWithin(Duration sampleWhileAskedWithin) {
            this.sampleWhileAskedWithin = sampleWhileAskedWithin;
        }

        public int getMaxLagGroups() {
            return maxLagGroups;
        }

        public void setMaxLagGroups(int maxLagGroups) {
            this.maxLagGroups = maxLagGroups;
        }

        public long getSearchDefaultMaxScanned() {
            return searchDefaultMaxScanned;
        }

        public void setSearchDefaultMaxScanned(long searchDefaultMaxScanned) {
            this.searchDefaultMaxScanned = searchDefaultMaxScanned;
        }

        public long getSearchMaxMaxScanned() {
            return searchMaxMaxScanned;
        }

        public void setSearchMaxMaxScanned(long searchMaxMaxScanned) {
            this.searchMaxMaxScanned = searchMaxMaxScanned;
        }

        public int getSearchDefaultMaxMatches() {
            return searchDefaultMaxMatches;
        }

        public void setSearchDefaultMaxMatches(int searchDefaultMaxMatches) {
            this.searchDefaultMaxMatches = searchDefaultMaxMatches;
        }

        public int getSearchMaxMaxMatches() {
            return searchMaxMaxMatches;
        }

        public void setSearchMaxMaxMatches(int searchMaxMaxMatches) {
            this.searchMaxMaxMatches = searchMaxMaxMatches;
        }

        public int getSearchMaxConcurrent() {
            return searchMaxConcurrent;
        }

        public void setSearchMaxConcurrent(int searchMaxConcurrent) {
            this.searchMaxConcurrent = searchMaxConcurrent;
        }
    }

    /**
     * Settings of the gateway's producers: one per acks value ({@code all}, {@code 1}, {@code 0}),
     * created on first use and shared by every request with that acks.
     */
    public static class Producer {

        /** Acks of requests that do not choose ({@code all}, {@code 1} or {@code 0}). */
        private String acks = "all";

        /**
         * Kafka's linger.ms: how long the producer waits to fill a batch. A few milliseconds let
         * concurrent HTTP requests share batches at little latency cost.
         */
        private Duration linger = Duration.ofMillis(5);

        /** Kafka's batch.size, per partition. */
        private DataSize batchSize = DataSize.ofKilobytes(64);

        /** Kafka's compression.type: none, gzip, snappy, lz4 or zstd. */
        private String compressionType = "lz4";

        /**
         * Kafka's max.request.size: the largest record (with its batch overhead) the gateway sends;
         * larger ones are refused with 413 before reaching a broker. Kafka's default, matching
         * the brokers' default max.message.bytes.
         */
        private DataSize maxRequestSize = DataSize.ofBytes(1048576);

        /**
         * Kafka's delivery.timeout.ms: the longest a produce request waits for the broker's
         * acknowledgement, retries included; past it the request fails with 504. Also the default
         * and the maximum of a request's {@code timeout_ms}.
         */
        private Duration deliveryTimeout = Duration.ofSeconds(30);

        /** Any other producer config, by its Kafka name; applied last. */
        private Map<String, String> properties = new LinkedHashMap<>();

        public String getAcks() {
            return acks;
        }

        public void setAcks(String acks) {
            this.acks = acks;
        }

        public Duration getLinger() {
            return linger;
        }

        public void setLinger(Duration linger) {
            this.linger = linger;
        }

        public DataSize getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(DataSize batchSize) {
            this.batchSize = batchSize;
        }

        public String getCompressionType() {
            return compressionType;
        }

        public void setCompressionType(String compressionType) {
            this.compressionType = compressionType;
        }

        public DataSize getMaxRequestSize() {
            return maxRequestSize;
        }

        public void setMaxRequestSize(DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }

        public Duration getDeliveryTimeout() {
            return deliveryTimeout;
        }

        public void setDeliveryTimeout(Duration deliveryTimeout) {
            this.deliveryTimeout = deliveryTimeout;
        }

        public Map<String, String> getProperties() {
            return properties;
        }

        public void setProperties(Map<String, String> properties) {
            this.properties = properties;
        }
    }

    /** Settings of stateless reads. */
    public static class Consume {

        /**
         * Consumers kept for stateless reads. Each read borrows one for its duration on a
         * bounded-elastic thread, so this also caps concurrent reads; more wait for a free one.
         */
        private int poolSize = 8;

        /** {@code max_bytes} of a read that does not give one. */
        private DataSize defaultMaxBytes = DataSize.ofMegabytes(1);

        /** Largest {@code max_bytes} a read may ask for (Kafka's fetch.max.bytes of the pool). */
        private DataSize maxMaxBytes = DataSize.ofMegabytes(16);

        /** {@code max_records} of a read that does not give one. */
        private int defaultMaxRecords = 500;

        /** Largest {@code max_records} a read may ask for (Kafka's max.poll.records of the pool). */
        private int maxMaxRecords = 10_000;

        /** {@code timeout_ms} of a read that does not give one: how long to wait for records. */
        private Duration defaultTimeout = Duration.ofSeconds(1);

        /** Longest {@code timeout_ms} a read may ask for. */
        private Duration maxTimeout = Duration.ofSeconds(30);

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public DataSize getDefaultMaxBytes() {
            return defaultMaxBytes;
        }

        public void setDefaultMaxBytes(DataSize defaultMaxBytes) {
            this.defaultMaxBytes = defaultMaxBytes;
        }

        public DataSize getMaxMaxBytes() {
            return maxMaxBytes;
        }

        public void setMaxMaxBytes(DataSize maxMaxBytes) {
            this.maxMaxBytes = maxMaxBytes;
        }

        public int getDefaultMaxRecords() {
            return defaultMaxRecords;
        }

        public void setDefaultMaxRecords(int defaultMaxRecords) {
            this.defaultMaxRecords = defaultMaxRecords;
        }

        public int getMaxMaxRecords() {
            return maxMaxRecords;
        }

        public void setMaxMaxRecords(int maxMaxRecords) {
            this.maxMaxRecords = maxMaxRecords;
        }

        public Duration getDefaultTimeout() {
            return defaultTimeout;
        }

        public void setDefaultTimeout(Duration defaultTimeout) {
            this.defaultTimeout = defaultTimeout;
        }

        public Duration getMaxTimeout() {
            return maxTimeout;
        }

        public void setMaxTimeout(Duration maxTimeout) {
            this.maxTimeout = maxTimeout;
        }
    }

    /** Settings of REST v2 consumer instances. */
    public static class Consumers {

        /**
         * An instance not used for this long is closed, leaving its group (Confluent's
         * consumer.instance.timeout.ms, 5 minutes there too).
         */
        private Duration instanceTimeout = Duration.ofMinutes(5);

        /** How often idle instances are looked for. */
        private Duration expiryCheckInterval = Duration.ofSeconds(1);

        /** Most instances this gateway holds; creating one more is 503. */
        private int maxInstances = 1000;

        /** {@code timeout} of a records poll that does not give one (Confluent's consumer.request.timeout.ms). */
        private Duration defaultPollTimeout = Duration.ofSeconds(1);

        /** Longest {@code timeout} a records poll may ask for. */
        private Duration maxPollTimeout = Duration.ofSeconds(30);

        /** {@code max_bytes} of a records poll that does not give one (Confluent's consumer.request.max.bytes). */
        private DataSize defaultMaxBytes = DataSize.ofMegabytes(64);

        public Duration getInstanceTimeout() {
            return instanceTimeout;
        }

        public void setInstanceTimeout(Duration instanceTimeout) {
            this.instanceTimeout = instanceTimeout;
        }

        public Duration getExpiryCheckInterval() {
            return expiryCheckInterval;
        }

        public void setExpiryCheckInterval(Duration expiryCheckInterval) {
            this.expiryCheckInterval = expiryCheckInterval;
        }

        public int getMaxInstances() {
            return maxInstances;
        }

        public void setMaxInstances(int maxInstances) {
            this.maxInstances = maxInstances;
        }

        public Duration getDefaultPollTimeout() {
            return defaultPollTimeout;
        }

        public void setDefaultPollTimeout(Duration defaultPollTimeout) {
            this.defaultPollTimeout = defaultPollTimeout;
        }

        public Duration getMaxPollTimeout() {
            return maxPollTimeout;
        }

        public void setMaxPollTimeout(Duration maxPollTimeout) {
            this.maxPollTimeout = maxPollTimeout;
        }

        public DataSize getDefaultMaxBytes() {
            return defaultMaxBytes;
        }

        public void setDefaultMaxBytes(DataSize defaultMaxBytes) {
            this.defaultMaxBytes = defaultMaxBytes;
        }
    }

    /**
     * Settings of record streams: the WebSocket produce and consume sockets and Server-Sent
     * Events. Each consuming stream owns one KafkaConsumer on its own thread.
     */
    public static class Streams {

        /**
         * Records a consuming stream fetches ahead of what its client granted, at most (Kafka's
         * max.poll.records of its consumer): the only records the gateway holds per stream.
         */
        private int maxBufferedRecords = 500;

        /**
         * Records a consume socket sent in group mode and the client has not acknowledged, at
         * most: past it, no more are sent until acks come, whatever the credits.
         */
        private int maxUnackedRecords = 1000;

        /**
         * Frames handed to a socket that the connection has not taken yet, at most. A client that
         * grants credits and does not read fills it; the socket is then closed with 1013.
         */
        private int maxQueuedFrames = 1000;

        /**
         * A socket whose queued frames have not moved for this long is closed with 1008 (the
         * client stopped reading); other sockets are not affected.
         */
        private Duration stallTimeout = Duration.ofSeconds(30);

        /**
         * Produce-socket records sent and not yet acknowledged, at most; at the bound the socket
         * stops reading frames (TCP pushes back on the client).
         */
        private int maxInFlightProduce = 256;

        /** A Server-Sent Events stream with nothing to send writes a comment this often. */
        private Duration heartbeatInterval = Duration.ofSeconds(15);

        /**
         * How long a stream's consumer waits in one poll when it may fetch; new records end the
         * wait at once, so this bounds only how often an idle stream checks for a close or acks.
         */
        private Duration pollTimeout = Duration.ofMillis(500);

        public int getMaxBufferedRecords() {
            return maxBufferedRecords;
        }

        public void setMaxBufferedRecords(int maxBufferedRecords) {
            this.maxBufferedRecords = maxBufferedRecords;
        }

        public int getMaxUnackedRecords() {
            return maxUnackedRecords;
        }

        public void setMaxUnackedRecords(int maxUnackedRecords) {
            this.maxUnackedRecords = maxUnackedRecords;
        }

        public int getMaxQueuedFrames() {
            return maxQueuedFrames;
        }

        public void setMaxQueuedFrames(int maxQueuedFrames) {
            this.maxQueuedFrames = maxQueuedFrames;
        }

        public Duration getStallTimeout() {
            return stallTimeout;
        }

        public void setStallTimeout(Duration stallTimeout) {
            this.stallTimeout = stallTimeout;
        }

        public int getMaxInFlightProduce() {
            return maxInFlightProduce;
        }

        public void setMaxInFlightProduce(int maxInFlightProduce) {
            this.maxInFlightProduce = maxInFlightProduce;
        }

        public Duration getHeartbeatInterval() {
            return heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
        }

        public Duration getPollTimeout() {
            return pollTimeout;
        }

        public void setPollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
        }
    }

    /** Size limits of requests. */
    public static class Limits {

        /**
         * Largest request body decoded in memory: a whole non-streaming request (v2 records, a
         * batch), or one record of a streaming produce. Larger ones are refused with 413.
         */
        private DataSize maxBodySize = DataSize.ofMegabytes(8);

        /**
         * Most entries of one {@code records:batch} request (Confluent's
         * api.v3.produce.batch.maximum.entries, default 10 there; higher here so that batches of
         * 100 records make one request).
         */
        private int maxBatchEntries = 100;

        /** Most records of one REST v2 produce request ({@code {"records": [...]}}). */
        private int maxRecordsPerRequest = 1000;

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public int getMaxBatchEntries() {
            return maxBatchEntries;
        }

        public void setMaxBatchEntries(int maxBatchEntries) {
            this.maxBatchEntries = maxBatchEntries;
        }

        public int getMaxRecordsPerRequest() {
            return maxRecordsPerRequest;
        }

        public void setMaxRecordsPerRequest(int maxRecordsPerRequest) {
            this.maxRecordsPerRequest = maxRecordsPerRequest;
        }
    }

    /**
     * Security of the HTTP API. Off (the default): every request is served, as an anonymous user.
     * On: every request but the open paths needs a user (HTTP Basic checked against the SCRAM
     * credentials in ZooKeeper, or a bearer token from {@code POST /v3/auth/token}), and each
     * operation is authorized with the brokers' ACLs.
     */
    public static class Security {

        /** Whether HTTP and WebSocket users must authenticate and are authorized by ACLs. */
        private boolean enabled = false;

        /**
         * HMAC-SHA256 key of the bearer tokens, at least 32 bytes; every gateway of a cluster needs
         * the same one for tokens to work across them. Empty: a random key per start (tokens do not
         * survive a restart; a warning says so).
         */
        private String tokenSecret = "";

        /** How long an issued bearer token is valid. */
        private Duration tokenTtl = Duration.ofMinutes(15);

        /** Paths served without authentication (Ant-style patterns, Spring's PathPattern syntax). */
        private List<String> openPaths = new ArrayList<>(List.of(
                "/actuator/health",
                "/actuator/health/**",
                "/actuator/info",
                "/actuator/prometheus",
                "/v3/api-docs",
                "/v3/api-docs/**",
                "/swagger-ui",
                "/swagger-ui/**",
                "/swagger-ui.html",
                "/webjars/**",
                // The dashboard's static files; the API calls it makes need a login.
                "/ui",
                "/ui/**"));

        /**
         * How long a successful HTTP Basic check is remembered (by a salted hash of the password,
         * never the password), so that a client sending Basic on every request does not pay
         * SCRAM's iterated hashing each time. A changed credential ends it at once. {@code 0}: none.
         */
        private Duration authCacheTtl = Duration.ofSeconds(60);

        /**
         * Delay added after the first failed login from an address; it doubles with each further
         * consecutive failure from that address, up to {@code login-failure-max-delay}, and a
         * success resets it.
         */
        private Duration loginFailureDelay = Duration.ofMillis(100);

        /** Longest delay of a failed login. */
        private Duration loginFailureMaxDelay = Duration.ofSeconds(5);

        /** Addresses whose failed logins are remembered, at most (the oldest forgotten first). */
        private int loginFailureTrackedAddresses = 10_000;

        /**
         * Principal type of the gateway's users in ACLs: {@code User:<name>}, as on the brokers.
         * The host of a check is the HTTP client's address.
         */
        private String principalType = "User";

        /**
         * Principals allowed everything ({@code User:admin}), Kafka's {@code super.users}: list the
         * same as on the brokers.
         */
        private List<String> superUsers = new ArrayList<>();

        /**
         * Kafka's {@code allow.everyone.if.no.acl.found}: whether a resource without any ACL is
         * open to every user. Off, as on the brokers by default.
         */
        private boolean allowEveryoneIfNoAclFound = false;

        public List<String> getSuperUsers() {
            return superUsers;
        }

        public void setSuperUsers(List<String> superUsers) {
            this.superUsers = superUsers;
        }

        public boolean isAllowEveryoneIfNoAclFound() {
            return allowEveryoneIfNoAclFound;
        }

        public void setAllowEveryoneIfNoAclFound(boolean allowEveryoneIfNoAclFound) {
            this.allowEveryoneIfNoAclFound = allowEveryoneIfNoAclFound;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getTokenSecret() {
            return tokenSecret;
        }

        public void setTokenSecret(String tokenSecret) {
            this.tokenSecret = tokenSecret;
        }

        public Duration getTokenTtl() {
            return tokenTtl;
        }

        public void setTokenTtl(Duration tokenTtl) {
            this.tokenTtl = tokenTtl;
        }

        public List<String> getOpenPaths() {
            return openPaths;
        }

        public void setOpenPaths(List<String> openPaths) {
            this.openPaths = openPaths;
        }

        public Duration getAuthCacheTtl() {
            return authCacheTtl;
        }

        public void setAuthCacheTtl(Duration authCacheTtl) {
            this.authCacheTtl = authCacheTtl;
        }

        public Duration getLoginFailureDelay() {
            return loginFailureDelay;
        }

        public void setLoginFailureDelay(Duration loginFailureDelay) {
            this.loginFailureDelay = loginFailureDelay;
        }

        public Duration getLoginFailureMaxDelay() {
            return loginFailureMaxDelay;
        }

        public void setLoginFailureMaxDelay(Duration loginFailureMaxDelay) {
            this.loginFailureMaxDelay = loginFailureMaxDelay;
        }

        public int getLoginFailureTrackedAddresses() {
            return loginFailureTrackedAddresses;
        }

        public void setLoginFailureTrackedAddresses(int loginFailureTrackedAddresses) {
            this.loginFailureTrackedAddresses = loginFailureTrackedAddresses;
        }

        public String getPrincipalType() {
            return principalType;
        }

        public void setPrincipalType(String principalType) {
            this.principalType = principalType;
        }
    }

    /** CORS: off while {@code allowed-origins} is empty. */
    public static class Cors {

        /** Origins allowed to call the API from a browser, e.g. {@code https://ui.example.com}; {@code *} for any. */
        private List<String> allowedOrigins = new ArrayList<>();

        /** Methods allowed cross-origin. */
        private List<String> allowedMethods = new ArrayList<>(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));

        /** Request headers allowed cross-origin. */
        private List<String> allowedHeaders =
                new ArrayList<>(List.of("Authorization", "Content-Type", "Accept", "Last-Event-ID"));

        /** Whether browsers may send credentials (cookies, Basic) cross-origin. */
        private boolean allowCredentials = false;

        /** How long a browser may cache a preflight answer. */
        private Duration maxAge = Duration.ofMinutes(30);

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public List<String> getAllowedMethods() {
            return allowedMethods;
        }

        public void setAllowedMethods(List<String> allowedMethods) {
            this.allowedMethods = allowedMethods;
        }

        public List<String> getAllowedHeaders() {
            return allowedHeaders;
        }

        public void setAllowedHeaders(List<String> allowedHeaders) {
            this.allowedHeaders = allowedHeaders;
        }

        public boolean isAllowCredentials() {
            return allowCredentials;
        }

        public void setAllowCredentials(boolean allowCredentials) {
            this.allowCredentials = allowCredentials;
        }

        public Duration getMaxAge() {
            return maxAge;
        }

        public void setMaxAge(Duration maxAge) {
            this.maxAge = maxAge;
        }
    }
}
