package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.controller.Controller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.message.ListPartitionReassignmentsRequestData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingPartitionReassignment;
import org.apache.kafka.common.message.ListPartitionReassignmentsResponseData.OngoingTopicReassignment;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ListPartitionReassignmentsRequest;
import org.apache.kafka.common.requests.ListPartitionReassignmentsResponse;

/**
 * ListPartitionReassignments (KIP-455): the reassignments in progress, of the given partitions or
 * of all (null topics), as the active controller reads them from the topic znodes: each with its
 * full replica list (target first), and the replicas being added and removed. Partitions not being
 * reassigned, and unknown ones, are left out, as in Kafka. A broker that is not the active
 * controller answers {@code NOT_CONTROLLER}.
 *
 * <p>Authorization, as Kafka's: DESCRIBE on the cluster, else CLUSTER_AUTHORIZATION_FAILED.
 */
public final class ListPartitionReassignmentsHandler implements ApiHandler {

    private final Controller controller;
    private final RequestAuthorization authorization;

    public ListPartitionReassignmentsHandler(Controller controller, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.LIST_PARTITION_REASSIGNMENTS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        authorization.requireCluster(request.context(), AclOperation.DESCRIBE);
        if (!controller.isActive()) {
            throw new NotControllerException("Broker " + controller.brokerId() + " is not the controller.");
        }
        ListPartitionReassignmentsRequestData data =
                request.body(ListPartitionReassignmentsRequest.class).data();
        Optional<Set<TopicPartition>> partitions = Optional.empty();
        if (data.topics() != null) {
            Set<TopicPartition> asked = new LinkedHashSet<>();
            data.topics().forEach(t -> t.partitionIndexes().forEach(p -> asked.add(new TopicPartition(t.name(), p))));
            partitions = Optional.of(asked);
        }
        return controller.listPartitionReassignments(partitions).thenApply(reassignments -> {
            Map<String, OngoingTopicReassignment> topics = new LinkedHashMap<>();
            reassignments.forEach((tp, r) -> topics.computeIfAbsent(
                            tp.topic(),
                            t -> new OngoingTopicReassignment().setName(t).setPartitions(new ArrayList<>()))
                    .partitions()
                    .add(new OngoingPartitionReassignment()
                            .setPartitionIndex(tp.partition())
                            .setReplicas(new ArrayList<>(r.replicas()))
                            .setAddingReplicas(new ArrayList<>(r.addingReplicas()))
                            .setRemovingReplicas(new ArrayList<>(r.removingReplicas()))));
            return new ListPartitionReassignmentsResponse(new ListPartitionReassignmentsResponseData()
                    .setErrorCode(Errors.NONE.code())
                    .setTopics(new ArrayList<>(topics.values())));
        });
    }
}
