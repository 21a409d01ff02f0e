package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.controller.Controller;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.PartitionState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.NotControllerException;
import org.apache.kafka.common.message.ElectLeadersRequestData;
import org.apache.kafka.common.message.ElectLeadersResponseData;
import org.apache.kafka.common.message.ElectLeadersResponseData.PartitionResult;
import org.apache.kafka.common.message.ElectLeadersResponseData.ReplicaElectionResult;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.ElectLeadersRequest;
import org.apache.kafka.common.requests.ElectLeadersResponse;

/**
 * ElectLeaders (KIP-183, KIP-460): a PREFERRED or UNCLEAN election for the given partitions, or
 * for all of them (null), made by this broker's in-process {@link Controller} on its thread. Only
 * the active controller answers; another broker answers {@code NOT_CONTROLLER} and the client
 * looks the controller up again in Metadata. v0 knows only preferred elections.
 *
 * <p>As Kafka's ZooKeeper-mode {@code DelayedElectLeader} did, the answer waits, up to {@code
 * timeoutMs} and without holding the request thread, until this broker's metadata cache shows a
 * leader elected for every partition that got one (the preferred replica for a preferred
 * election), so that a client describing the topic next sees it; a partition not visible in time
 * is answered {@code REQUEST_TIMED_OUT}. Per-partition errors are Kafka's: {@code
 * ELECTION_NOT_NEEDED}, {@code PREFERRED_LEADER_NOT_AVAILABLE}, {@code
 * ELIGIBLE_LEADERS_NOT_AVAILABLE}, {@code UNKNOWN_TOPIC_OR_PARTITION}.
 *
 * <p>Authorization, as Kafka's: ALTER on the cluster, else CLUSTER_AUTHORIZATION_FAILED for every
 * partition.
 */
public final class ElectLeadersHandler implements ApiHandler {

    private final Controller controller;
    private final MetadataCache cache;
    private final RequestAuthorization authorization;

    public ElectLeadersHandler(Controller controller, MetadataCache cache, RequestAuthorization authorization) {
        this.authorization = authorization;
        this.controller = controller;
        this.cache = cache;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.ELECT_LEADERS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        authorization.requireCluster(request.context(), AclOperation.ALTER);
        if (!controller.isActive()) {
            throw new NotControllerException("Broker " + controller.brokerId() + " is not the controller.");
        }
        ElectLeadersRequest body = request.body(ElectLeadersRequest.class);
        ElectLeadersRequestData data = body.data();
        ElectionType type = request.version() == 0 ? ElectionType.PREFERRED : body.electionType();
        Optional<Set<TopicPartition>> partitions = Optional.empty();
        if (data.topicPartitions() != null) {
            Set<TopicPartition> asked = new LinkedHashSet<>();
            data.topicPartitions()
                    .forEach(t -> t.partitions().forEach(p -> asked.add(new TopicPartition(t.topic(), p))));
            partitions = Optional.of(asked);
        }
        Duration timeout = Duration.ofMillis(Math.max(0, data.timeoutMs()));
        return controller.electLeaders(type, partitions).thenCompose(results -> {
            Map<TopicPartition, ApiError> answers = new LinkedHashMap<>(results);
            List<TopicPartition> elected = answers.entrySet().stream()
                    .filter(e -> e.getValue().error() == Errors.NONE)
                    .map(Map.Entry::getKey)
                    .toList();
            if (elected.isEmpty()) {
                return CompletableFuture.completedFuture(response(answers));
            }
            return cache.awaitAsync(image -> elected.stream().allMatch(tp -> visible(image, tp, type)), timeout)
                    .thenApply(seen -> {
                        if (seen.isEmpty()) {
                            MetadataImage image = cache.image();
                            for (TopicPartition tp : elected) {
                                if (!visible(image, tp, type)) {
                                    answers.put(
                                            tp,
                                            new ApiError(
                                                    Errors.REQUEST_TIMED_OUT,
                                                    "The election was made but not seen within " + timeout.toMillis()
                                                            + " ms."));
                                }
                            }
                        }
                        return response(answers);
                    });
        });
    }

    private static boolean visible(MetadataImage image, TopicPartition tp, ElectionType type) {
        Optional<PartitionState> state = image.partitionState(tp);
        if (state.isEmpty() || !state.get().hasLeader()) {
            return false;
        }
        if (type == ElectionType.UNCLEAN) {
            return true;
        }
        List<Integer> replicas =
                image.topic(tp.topic()).map(t -> t.replicas(tp.partition())).orElse(List.of());
        return !replicas.isEmpty() && state.get().leader() == replicas.get(0);
    }

    private static ElectLeadersResponse response(Map<TopicPartition, ApiError> results) {
        Map<String, ReplicaElectionResult> byTopic = new LinkedHashMap<>();
        results.forEach((tp, error) -> byTopic.computeIfAbsent(
                        tp.topic(), t -> new ReplicaElectionResult().setTopic(t).setPartitionResult(new ArrayList<>()))
                .partitionResult()
                .add(new PartitionResult()
                        .setPartitionId(tp.partition())
                        .setErrorCode(error.error().code())
                        .setErrorMessage(error.error() == Errors.NONE ? null : error.message())));
        return new ElectLeadersResponse(new ElectLeadersResponseData()
                .setErrorCode(Errors.NONE.code())
                .setReplicaElectionResults(new ArrayList<>(byTopic.values())));
    }
}
