package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.admin.ClusterAdmin;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;

/**
 * AlterConfigs (the legacy, non-incremental API): replaces all of a topic's overrides with the
 * ones given; configs not named go back to their defaults. Answers once ZooKeeper has the new
 * overrides (brokers apply them as their metadata caches see them).
 *
 * <p>BROKER resources are refused with {@code INVALID_REQUEST}: Brook has no dynamic broker
 * configs (its settings are Spring properties, read at start). Other resource types likewise.
 *
 * <p>Authorization, as Kafka's: ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or, for
 * a broker, on the cluster (CLUSTER_AUTHORIZATION_FAILED), per resource.
 */
public final class AlterConfigsHandler implements ApiHandler {

    static final String NO_DYNAMIC_BROKER_CONFIGS = "Brook does not support dynamic broker configs: "
            + "set the broker's brook.broker.* properties and restart it.";

    private final ClusterAdmin admin;
    private final RequestAuthorization authorization;

    public AlterConfigsHandler(ClusterAdmin admin, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        AlterConfigsRequestData data = request.body(AlterConfigsRequest.class).data();
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsResource resource : data.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            Optional<Errors> denied = authorization.checkConfigs(
                    request.context(), resource.resourceType(), resource.resourceName(), AclOperation.ALTER_CONFIGS);
            if (denied.isPresent()) {
                result.setErrorCode(denied.get().code())
                        .setErrorMessage(denied.get().message());
                response.responses().add(result);
                continue;
            }
            AlterOutcome outcome = AlterOutcome.of(resource.resourceName(), () -> alter(resource, data.validateOnly()));
            result.setErrorCode(outcome.errorCode()).setErrorMessage(outcome.errorMessage());
            response.responses().add(result);
        }
        return CompletableFuture.completedFuture(new AlterConfigsResponse(response));
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> {
                Topic.validate(resource.resourceName());
                Map<String, String> configs = new HashMap<>();
                for (AlterableConfig config : resource.configs()) {
                    configs.put(config.name(), config.value());
                }
                admin.alterTopicConfigs(resource.resourceName(), configs, validateOnly);
            }
            case BROKER -> throw new InvalidRequestException(NO_DYNAMIC_BROKER_CONFIGS);
            default -> throw new InvalidRequestException("Unsupported resource type: " + type);
        }
    }
}
