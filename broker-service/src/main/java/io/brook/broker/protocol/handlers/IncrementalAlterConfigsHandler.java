package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.admin.ClusterAdmin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.IncrementalAlterConfigsRequest;
import org.apache.kafka.common.requests.IncrementalAlterConfigsResponse;

/**
 * IncrementalAlterConfigs: SET, DELETE (back to the default), APPEND and SUBTRACT (list configs
 * only; on a config without an override they start from the broker's value, as in Kafka) on a
 * topic's overrides, applied together or not at all per resource. Answers once
 * ZooKeeper has the new overrides. A config named twice in one resource is {@code
 * INVALID_REQUEST}, as in Kafka; so are BROKER resources (no dynamic broker configs in Brook) and
 * other resource types.
 *
 * <p>Authorization, as Kafka's: ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or, for
 * a broker, on the cluster (CLUSTER_AUTHORIZATION_FAILED), per resource.
 */
public final class IncrementalAlterConfigsHandler implements ApiHandler {

    private final ClusterAdmin admin;
    private final Map<String, String> brokerValues;
    private final RequestAuthorization authorization;

    /** @param brokerTopicDefaults {@code brook.broker.topic-defaults}: what APPEND and SUBTRACT start from */
    public IncrementalAlterConfigsHandler(
            ClusterAdmin admin, Map<String, String> brokerTopicDefaults, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.admin = admin;
        this.brokerValues = Map.copyOf(new TopicConfigs(brokerTopicDefaults).brokerValues());
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        IncrementalAlterConfigsRequestData data =
                request.body(IncrementalAlterConfigsRequest.class).data();
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
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
        return CompletableFuture.completedFuture(new IncrementalAlterConfigsResponse(response));
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        switch (type) {
            case TOPIC -> {
                Topic.validate(resource.resourceName());
                admin.incrementalAlterTopicConfigs(resource.resourceName(), ops(resource), validateOnly, brokerValues);
            }
            case BROKER -> throw new InvalidRequestException(AlterConfigsHandler.NO_DYNAMIC_BROKER_CONFIGS);
            default -> throw new InvalidRequestException("Unsupported resource type: " + type);
        }
    }

    private static List<AlterConfigOp> ops(AlterConfigsResource resource) {
        List<AlterConfigOp> ops = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (AlterableConfig config : resource.configs()) {
            if (!names.add(config.name())) {
                throw new InvalidRequestException("Error due to duplicate config keys: " + config.name());
            }
            AlterConfigOp.OpType op;
            try {
                op = AlterConfigOp.OpType.forId(config.configOperation());
            } catch (IllegalArgumentException e) {
                op = null;
            }
            if (op == null) {
                throw new InvalidRequestException(
                        "Unknown config operation " + config.configOperation() + " for config " + config.name());
            }
            if (op != AlterConfigOp.OpType.DELETE && config.value() == null) {
                throw new InvalidRequestException("Null value not supported for: " + config.name());
            }
            ops.add(new AlterConfigOp(new ConfigEntry(config.name(), config.value()), op));
        }
        return ops;
    }
}
