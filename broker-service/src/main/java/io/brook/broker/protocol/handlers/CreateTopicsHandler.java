package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.admin.ClusterAdmin;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.TopicAssignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.CreateTopicsResponse;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CreateTopics: validates and writes each topic through {@link ClusterAdmin} (partition count and
 * replication factor, -1 for the broker's defaults, or a manual assignment; configs; {@code
 * validateOnly}), then waits, up to the request's {@code timeoutMs} and without holding the
 * request thread, until this broker's metadata cache shows every created topic with a state for
 * each partition, so that a client creating then producing finds the leaders.
 *
 * <p>A topic that was written but is not visible in time is answered {@code REQUEST_TIMED_OUT},
 * as Kafka's ZooKeeper-mode broker does when its delayed create expires: the topic exists and
 * will come up, the client was just not told so in time. {@code timeoutMs <= 0} and {@code
 * validateOnly} answer at once, as in Kafka.
 *
 * <p>From v5 the answer carries the partition count, replication factor and every config of the
 * topic (as DescribeConfigs would describe it, without synonyms); from v7 its id. A name given
 * twice in one request is refused for every occurrence ({@code INVALID_REQUEST}).
 *
 * <p>Authorization, as Kafka's: CREATE on the cluster, or else on each topic
 * (TOPIC_AUTHORIZATION_FAILED); the configs of a created topic are answered only with
 * DESCRIBE_CONFIGS on it (else its {@code topicConfigErrorCode} says TOPIC_AUTHORIZATION_FAILED).
 */
public final class CreateTopicsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(CreateTopicsHandler.class);

    private final ClusterAdmin admin;
    private final MetadataCache cache;
    private final TopicConfigs topicConfigs;
    private final RequestAuthorization authorization;

    /** @param brokerTopicDefaults {@code brook.broker.topic-defaults}, for describing the new topics' configs */
    public CreateTopicsHandler(
            ClusterAdmin admin,
            MetadataCache cache,
            Map<String, String> brokerTopicDefaults,
            RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
        this.cache = cache;
        this.topicConfigs = new TopicConfigs(brokerTopicDefaults);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        CreateTopicsRequestData data = request.body(CreateTopicsRequest.class).data();
        short version = request.version();
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new HashSet<>();
        for (CreatableTopic topic : data.topics()) {
            if (!seen.add(topic.name())) {
                duplicates.add(topic.name());
            }
        }
        boolean clusterCreate = authorization.allowedQuietly(
                request.context(), AclOperation.CREATE, ResourceType.CLUSTER, RequestAuthorization.CLUSTER_NAME);
        Set<String> creatable = clusterCreate
                ? seen
                : authorization.filter(request.context(), AclOperation.CREATE, ResourceType.TOPIC, seen, true);
        List<CreatableTopicResult> results = new ArrayList<>();
        Map<String, CreatableTopicResult> written = new LinkedHashMap<>();
        for (CreatableTopic topic : data.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            results.add(result);
            if (duplicates.contains(topic.name())) {
                fail(result, Errors.INVALID_REQUEST, "Duplicate topic name '" + topic.name() + "' in the request.");
                continue;
            }
            if (!creatable.contains(topic.name())) {
                fail(result, Errors.TOPIC_AUTHORIZATION_FAILED, "Authorization failed.");
                continue;
            }
            try {
                Map<String, String> configs = configsOf(topic);
                TopicAssignment created = create(topic, configs, data.validateOnly());
                succeed(result, created, configs, version);
                if (version >= 5
                        && !authorization.allowedQuietly(
                                request.context(), AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, topic.name())) {
                    result.setConfigs(new ArrayList<>())
                            .setTopicConfigErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
                }
                if (!data.validateOnly()) {
                    written.put(topic.name(), result);
                }
            } catch (ApiException e) {
                fail(result, Errors.forException(e), e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Creating topic {} failed", topic.name(), e);
                fail(result, Errors.forException(e), e.getMessage());
            }
        }
        if (written.isEmpty() || data.timeoutMs() <= 0) {
            return CompletableFuture.completedFuture(response(results));
        }
        return cache.awaitAsync(
                        image -> written.keySet().stream().allMatch(image::isTopicReady),
                        Duration.ofMillis(data.timeoutMs()))
                .thenApply(ready -> {
                    if (ready.isEmpty()) {
                        MetadataImage image = cache.image();
                        written.forEach((name, result) -> {
                            if (!image.isTopicReady(name)) {
                                fail(
                                        result,
                                        Errors.REQUEST_TIMED_OUT,
                                        "Topic '" + name + "' was created, but its "
                                                + "partitions did not come up within " + data.timeoutMs() + " ms.");
                            }
                        });
                    }
                    return response(results);
                });
    }

    private TopicAssignment create(CreatableTopic topic, Map<String, String> configs, boolean validateOnly) {
        Optional<Map<Integer, List<Integer>>> manual = Optional.empty();
        if (!topic.assignments().isEmpty()) {
            Map<Integer, List<Integer>> assignment = new TreeMap<>();
            for (CreatableReplicaAssignment a : topic.assignments()) {
                assignment.put(a.partitionIndex(), List.copyOf(a.brokerIds()));
            }
            manual = Optional.of(assignment);
        }
        return admin.createTopic(
                topic.name(), topic.numPartitions(), topic.replicationFactor(), manual, configs, validateOnly);
    }

    private static Map<String, String> configsOf(CreatableTopic topic) {
        Map<String, String> configs = new HashMap<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                throw new InvalidConfigurationException("Null value not supported for topic configs: " + config.name());
            }
            configs.put(config.name(), config.value());
        }
        return configs;
    }

    private void succeed(
            CreatableTopicResult result, TopicAssignment topic, Map<String, String> overrides, short version) {
        result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
        if (version >= 5) {
            List<CreatableTopicConfigs> configs = new ArrayList<>();
            for (TopicConfigs.Described d : topicConfigs.describe(overrides)) {
                configs.add(new CreatableTopicConfigs()
                        .setName(d.name())
                        .setValue(d.value())
                        .setReadOnly(d.readOnly())
                        .setConfigSource(d.source().id())
                        .setIsSensitive(false));
            }
            result.setNumPartitions(topic.numPartitions())
                    .setReplicationFactor(
                            (short) topic.replicas(topic.partitions().get(0)).size())
                    .setConfigs(configs);
        }
        if (version >= 7) {
            result.setTopicId(topic.topicId());
        }
    }

    private static void fail(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code())
                .setErrorMessage(message)
                .setNumPartitions(-1)
                .setReplicationFactor((short) -1)
                .setConfigs(new ArrayList<>());
    }

    private static CreateTopicsResponse response(List<CreatableTopicResult> results) {
        CreateTopicsResponseData data = new CreateTopicsResponseData();
        results.forEach(data.topics()::add); // a multi-collection: duplicates keep one answer each
        return new CreateTopicsResponse(data);
    }
}
