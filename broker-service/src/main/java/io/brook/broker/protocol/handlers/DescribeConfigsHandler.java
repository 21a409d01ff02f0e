package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.admin.ClusterAdmin;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.DescribeConfigsRequest;
import org.apache.kafka.common.requests.DescribeConfigsResponse;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeConfigs for topics and for this broker.
 *
 * <ul>
 *   <li>TOPIC: every topic config with its effective value and source (see {@link TopicConfigs}).
 *       The overrides are read from ZooKeeper, as Kafka's ZooKeeper-mode broker reads them, so a
 *       describe right after an alter sees the change on every broker.
 *   <li>BROKER: with this broker's id, its static settings under Kafka's names ({@code broker.id},
 *       {@code num.partitions}, {@code log.retention.ms}, ...), all read-only; with the empty name
 *       (the cluster-wide dynamic defaults) nothing, since Brook has no dynamic broker configs;
 *       another broker's id is {@code INVALID_REQUEST}, as in Kafka (clients send it to that broker).
 *   <li>BROKER_LOGGER and other types: {@code INVALID_REQUEST}.
 * </ul>
 *
 * <p>{@code configurationKeys} filters (unknown names are left out); synonyms and documentation
 * are included when asked (v1+, v3+).
 *
 * <p>Authorization, as Kafka's: DESCRIBE_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or,
 * for a broker, on the cluster (CLUSTER_AUTHORIZATION_FAILED), per resource.
 */
public final class DescribeConfigsHandler implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DescribeConfigsHandler.class);

    private final ClusterAdmin admin;
    private final TopicConfigs topicConfigs;
    private final int brokerId;
    private final Map<String, String> brokerConfigs;
    private final RequestAuthorization authorization;

    /**
     * @param brokerTopicDefaults {@code brook.broker.topic-defaults}, by topic-config name
     * @param brokerConfigs this broker's settings by Kafka broker-config name, as DescribeConfigs
     *     reports them for the BROKER resource (besides the topic defaults)
     */
    public DescribeConfigsHandler(
            ClusterAdmin admin,
            Map<String, String> brokerTopicDefaults,
            int brokerId,
            Map<String, String> brokerConfigs,
            RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
        this.topicConfigs = new TopicConfigs(brokerTopicDefaults);
        this.brokerId = brokerId;
        this.brokerConfigs = Map.copyOf(brokerConfigs);
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        DescribeConfigsRequestData data =
                request.body(DescribeConfigsRequest.class).data();
        short version = request.version();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : data.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            Optional<Errors> denied = authorization.checkConfigs(
                    request.context(), resource.resourceType(), resource.resourceName(), AclOperation.DESCRIBE_CONFIGS);
            if (denied.isPresent()) {
                response.results()
                        .add(result.setErrorCode(denied.get().code())
                                .setErrorMessage(denied.get().message()));
                continue;
            }
            try {
                List<TopicConfigs.Described> configs =
                        TopicConfigs.filter(describe(resource), resource.configurationKeys());
                for (TopicConfigs.Described d : configs) {
                    result.configs().add(toMessage(d, data.includeSynonyms(), data.includeDocumentation(), version));
                }
                result.setErrorCode(Errors.NONE.code()).setErrorMessage(null);
            } catch (ApiException e) {
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("Describing the configs of {} failed", resource.resourceName(), e);
                result.setErrorCode(Errors.forException(e).code()).setErrorMessage(e.getMessage());
            }
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse(response));
    }

    private List<TopicConfigs.Described> describe(DescribeConfigsResource resource) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        String name = resource.resourceName();
        switch (type) {
            case TOPIC -> {
                Topic.validate(name);
                return topicConfigs.describe(admin.describeTopicConfigs(name));
            }
            case BROKER -> {
                if (name == null || name.isEmpty()) {
                    return List.of();
                }
                int id;
                try {
                    id = Integer.parseInt(name);
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("Broker id must be an integer, but it is: " + name);
                }
                if (id != brokerId) {
                    throw new InvalidRequestException(
                            "Unexpected broker id, expected " + brokerId + " or empty string, but received " + name);
                }
                return describeBroker();
            }
            case BROKER_LOGGER -> throw new InvalidRequestException("Broker loggers are not supported by Brook.");
            default -> throw new InvalidRequestException("Unsupported resource type: " + type);
        }
    }

    private List<TopicConfigs.Described> describeBroker() {
        Map<String, TopicConfigs.Described> all = new TreeMap<>();
        brokerConfigs.forEach((name, value) -> all.put(
                name,
                new TopicConfigs.Described(
                        name,
                        value,
                        true,
                        ConfigSource.STATIC_BROKER_CONFIG,
                        List.of(new TopicConfigs.Synonym(name, value, ConfigSource.STATIC_BROKER_CONFIG)),
                        ConfigType.UNKNOWN,
                        null)));
        for (TopicConfigs.Described d : topicConfigs.describeBrokerDefaults()) {
            all.putIfAbsent(d.name(), d);
        }
        return new ArrayList<>(all.values());
    }

    private static DescribeConfigsResourceResult toMessage(
            TopicConfigs.Described d, boolean includeSynonyms, boolean includeDocumentation, short version) {
        DescribeConfigsResourceResult config = new DescribeConfigsResourceResult()
                .setName(d.name())
                .setValue(d.value())
                .setReadOnly(d.readOnly())
                .setConfigSource(d.source().id())
                .setIsSensitive(false);
        if (includeSynonyms) {
            for (TopicConfigs.Synonym s : d.synonyms()) {
                config.synonyms()
                        .add(new DescribeConfigsSynonym()
                                .setName(s.name())
                                .setValue(s.value())
                                .setSource(s.source().id()));
            }
        }
        if (version >= 3) {
            config.setConfigType(d.type().id());
            if (includeDocumentation) {
                config.setDocumentation(d.documentation());
            }
        }
        return config;
    }
}
