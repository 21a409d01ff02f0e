package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.controller.Controller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignablePartition;
import org.apache.kafka.common.message.AlterPartitionReassignmentsRequestData.ReassignableTopic;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignablePartitionResponse;
import org.apache.kafka.common.message.AlterPartitionReassignmentsResponseData.ReassignableTopicResponse;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.AlterPartitionReassignmentsResponse;
import org.apache.kafka.common.requests.ApiError;

/**
 * AlterPartitionReassignments (KIP-455; v1 adds KIP-860's {@code allowReplicationFactorChange}):
 * starts, changes or cancels (null replicas) partition reassignments through this broker's
 * in-process {@link Controller}, which validates them as Kafka does and writes them to the topic
 * znodes; the controller's passes then drive them. It answers once they are written, as Kafka
 * does, not when they complete: ListPartitionReassignments shows the progress. A broker that is
 * not the active controller answers {@code NOT_CONTROLLER}; a partition named twice is refused
 * with {@code INVALID_REQUEST}.
 *
 * <p>Authorization, as Kafka's: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED.
 */
public final class AlterPartitionReassignmentsHandler implements ApiHandler {

    private final Controller controller;
    private final RequestAuthorization authorization;

    public AlterPartitionReassignmentsHandler(Controller controller, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ALTER_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        authorization.requireCluster(request.context(), AclOperation.ALTER);
        if (!controller.isActive()) {
            throw new NotControllerException("Broker " + controller.brokerId() + " is not the controller.");
        }
        AlterPartitionReassignmentsRequestData data =
                request.body(AlterPartitionReassignmentsRequest.class).data();
        // v0 has no such field; its default (true) is Kafka's behaviour before KIP-860
        boolean allowRfChange = data.allowReplicationFactorChange();
        Map<TopicPartition, Optional<List<Integer>>> targets = new LinkedHashMap<>();
        Map<TopicPartition, ApiError> refused = new LinkedHashMap<>();
        for (ReassignableTopic topic : data.topics()) {
            for (ReassignablePartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                if (targets.containsKey(tp) || refused.containsKey(tp)) {
                    targets.remove(tp);
                    refused.put(tp, new ApiError(Errors.INVALID_REQUEST, "Duplicate partition in request."));
                    continue;
                }
                targets.put(tp, Optional.ofNullable(partition.replicas()).map(List::copyOf));
            }
        }
        return controller.alterPartitionReassignments(targets, allowRfChange).thenApply(results -> {
            Map<TopicPartition, ApiError> all = new LinkedHashMap<>(results);
            all.putAll(refused);
            return response(data, all, allowRfChange);
        });
    }

    private static AlterPartitionReassignmentsResponse response(
            AlterPartitionReassignmentsRequestData request,
            Map<TopicPartition, ApiError> results,
            boolean allowRfChange) {
        List<ReassignableTopicResponse> topics = new ArrayList<>();
        for (ReassignableTopic topic : request.topics()) {
            ReassignableTopicResponse answer = new ReassignableTopicResponse().setName(topic.name());
            for (ReassignablePartition partition : topic.partitions()) {
                ApiError error = results.getOrDefault(
                        new TopicPartition(topic.name(), partition.partitionIndex()), ApiError.NONE);
                if (answer.partitions().stream().anyMatch(p -> p.partitionIndex() == partition.partitionIndex())) {
                    continue; // a duplicate, answered once
                }
                answer.partitions()
                        .add(new ReassignablePartitionResponse()
                                .setPartitionIndex(partition.partitionIndex())
                                .setErrorCode(error.error().code())
                                .setErrorMessage(error.error() == Errors.NONE ? null : error.message()));
            }
            topics.add(answer);
        }
        return new AlterPartitionReassignmentsResponse(new AlterPartitionReassignmentsResponseData()
                .setErrorCode(Errors.NONE.code())
                .setAllowReplicationFactorChange(allowRfChange)
                .setResponses(topics));
    }
}
