package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.FindCoordinatorRequest;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;
import org.apache.kafka.common.requests.FindCoordinatorResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * FindCoordinator: a group's coordinator is the leader of its {@code __consumer_offsets}
 * partition. The first request of a cluster creates that compacted topic (the answer is then
 * {@code COORDINATOR_NOT_AVAILABLE} and the client asks again, as with Kafka). Transaction
 * coordinators do not exist yet: such requests get {@code INVALID_REQUEST} with a message saying
 * so, which the Java client reports as it is instead of retrying forever.
 *
 * <p>Authorization, as Kafka's: DESCRIBE on the group (GROUP_AUTHORIZATION_FAILED) or on the
 * transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED), per key.
 */
public final class FindCoordinatorHandler implements ApiHandler {

    private final MetadataCache cache;
    private final ToIntFunction<String> partitionFor;
    private final Runnable createOffsetsTopic;
    private final RequestAuthorization authorization;

    /**
     * @param partitionFor the {@code __consumer_offsets} partition of a group
     * @param createOffsetsTopic creates {@code __consumer_offsets}; may throw {@link
     *     TopicExistsException}
     */
    public FindCoordinatorHandler(
            MetadataCache cache,
            ToIntFunction<String> partitionFor,
            Runnable createOffsetsTopic,
            RequestAuthorization authorization) {
        this.authorization = authorization;
        this.cache = cache;
        this.partitionFor = partitionFor;
        this.createOffsetsTopic = createOffsetsTopic;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        FindCoordinatorRequestData data =
                request.body(FindCoordinatorRequest.class).data();
        String listener = request.context().listenerName.value();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.version() >= FindCoordinatorRequest.MIN_BATCHED_VERSION) {
            List<Coordinator> coordinators = new ArrayList<>();
            for (String key : data.coordinatorKeys()) {
                coordinators.add(findAuthorized(request, key, data.keyType(), listener));
            }
            response.setCoordinators(coordinators);
        } else {
            Coordinator found = findAuthorized(request, data.key(), data.keyType(), listener);
            response.setErrorCode(found.errorCode())
                    .setErrorMessage(found.errorMessage())
                    .setNodeId(found.nodeId())
                    .setHost(found.host())
                    .setPort(found.port());
        }
        return CompletableFuture.completedFuture(new FindCoordinatorResponse(response));
    }

    private Coordinator findAuthorized(KafkaRequest request, String key, byte keyType, String listener) {
        Errors denied = null;
        if (keyType == CoordinatorType.GROUP.id()
                && !authorization.authorize(request.context(), AclOperation.DESCRIBE, ResourceType.GROUP, key)) {
            denied = Errors.GROUP_AUTHORIZATION_FAILED;
        } else if (keyType == CoordinatorType.TRANSACTION.id()
                && !authorization.authorize(
                        request.context(), AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key)) {
            denied = Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
        }
        if (denied != null) {
            return new Coordinator()
                    .setKey(key)
                    .setNodeId(-1)
                    .setHost("")
                    .setPort(-1)
                    .setErrorCode(denied.code())
                    .setErrorMessage(denied.message());
        }
        return find(key, keyType, listener);
    }

    private Coordinator find(String key, byte keyType, String listener) {
        Coordinator answer =
                new Coordinator().setKey(key).setNodeId(-1).setHost("").setPort(-1);
        if (keyType != CoordinatorType.GROUP.id()) {
            return answer.setErrorCode(Errors.INVALID_REQUEST.code())
                    .setErrorMessage("this broker has no transaction or share coordinators yet");
        }
        MetadataImage image = cache.image();
        if (image.topic(Topic.GROUP_METADATA_TOPIC_NAME).isEmpty()) {
            try {
                createOffsetsTopic.run();
            } catch (TopicExistsException e) {
                // Another broker created it first.
            } catch (ApiException e) {
                return answer.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code())
                        .setErrorMessage(e.getMessage());
            }
            return answer.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        TopicPartition tp = new TopicPartition(Topic.GROUP_METADATA_TOPIC_NAME, partitionFor.applyAsInt(key));
        Optional<PartitionState> state = image.partitionState(tp);
        Optional<Endpoint> endpoint = state.filter(PartitionState::hasLeader)
                .flatMap(s -> image.broker(s.leader()))
                .flatMap((BrokerRegistration b) -> b.endpoint(listener));
        if (endpoint.isEmpty()) {
            return answer.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        return answer.setErrorCode(Errors.NONE.code())
                .setNodeId(state.get().leader())
                .setHost(endpoint.get().host())
                .setPort(endpoint.get().port());
    }
}
