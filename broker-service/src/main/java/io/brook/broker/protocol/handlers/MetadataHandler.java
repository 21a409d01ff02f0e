package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.security.RequestAuthorization;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.MetadataImage;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Metadata: live brokers (their endpoint on the listener the request came in on), the controller,
 * and for each topic asked (or all) its partitions' leader, epoch, replicas and ISR. Answered from
 * the local {@link MetadataCache} image: ZooKeeper is never read on this path.
 *
 * <p>An unknown topic is created when the request allows it and the broker's {@code
 * auto-create-topics} is on; the answer then says {@code LEADER_NOT_AVAILABLE} for it, and the
 * client asks again, as it does with Kafka.
 *
 * <p>Authorization, as Kafka's: a request for all topics sees only those it may DESCRIBE (the
 * others are left out, unlogged); a topic named without DESCRIBE is answered
 * TOPIC_AUTHORIZATION_FAILED, as is one that would be auto-created without CREATE on the cluster
 * or on the topic. Authorized operations are reported when asked for and an authorizer is on.
 */
public final class MetadataHandler implements ApiHandler {

    private final MetadataCache cache;
    private final boolean autoCreateTopics;
    private final Consumer<String> createTopic;
    private final RequestAuthorization authorization;

    /**
     * @param createTopic creates a topic with the broker's defaults; may throw Kafka's API
     *     exceptions (the topic exists, bad name)
     */
    public MetadataHandler(
            MetadataCache cache,
            boolean autoCreateTopics,
            RequestAuthorization authorization,
            Consumer<String> createTopic) {
        this.authorization = authorization;
        this.cache = cache;
        this.autoCreateTopics = autoCreateTopics;
        this.createTopic = createTopic;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.METADATA;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        MetadataRequest metadata = request.body(MetadataRequest.class);
        MetadataRequestData data = metadata.data();
        MetadataImage image = cache.image();
        String listener = request.context().listenerName.value();
        MetadataResponseData response = new MetadataResponseData()
                .setClusterId(image.clusterId().orElse(null))
                .setControllerId(image.controllerId().orElse(-1));
        for (BrokerRegistration broker : image.brokers().values()) {
            Optional<Endpoint> endpoint = broker.endpoint(listener);
            endpoint.ifPresent(e -> response.brokers()
                    .add(new MetadataResponseBroker()
                            .setNodeId(broker.id())
                            .setHost(e.host())
                            .setPort(e.port())
                            .setRack(broker.rack().orElse(null))));
        }
        // Kafka's rule: a broker without this listener is out of the answer, so a client of this
        // listener is never sent to it (its replicas show as offline, its leaderships as
        // LEADER_NOT_AVAILABLE).
        Set<Integer> live = image.brokers().values().stream()
                .filter(b -> b.endpoint(listener).isPresent())
                .map(BrokerRegistration::id)
                .collect(Collectors.toSet());
        boolean allowCreate = autoCreateTopics && data.allowAutoTopicCreation();
        if (metadata.isAllTopics()) {
            Set<String> visible = authorization.filter(
                    request.context(),
                    AclOperation.DESCRIBE,
                    ResourceType.TOPIC,
                    image.topics().keySet(),
                    false);
            for (TopicAssignment topic : image.topics().values()) {
                if (!image.isMarkedForDeletion(topic.name()) && visible.contains(topic.name())) {
                    response.topics().add(describe(image, topic, live));
                }
            }
        } else {
            Set<String> named = new LinkedHashSet<>();
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                if (wanted.name() != null) {
                    named.add(wanted.name());
                } else if (wanted.topicId() != null) {
                    image.topicName(wanted.topicId()).ifPresent(named::add);
                }
            }
            Set<String> describable =
                    authorization.filter(request.context(), AclOperation.DESCRIBE, ResourceType.TOPIC, named, true);
            for (MetadataRequestData.MetadataRequestTopic wanted : data.topics()) {
                String name = wanted.name();
                if (name == null && wanted.topicId() != null && !Uuid.ZERO_UUID.equals(wanted.topicId())) {
                    Optional<String> byId = image.topicName(wanted.topicId());
                    if (byId.isEmpty()) {
                        response.topics()
                                .add(new MetadataResponseTopic()
                                        .setTopicId(wanted.topicId())
                                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
                        continue;
                    }
                    name = byId.get();
                }
                if (name != null && !describable.contains(name)) {
                    response.topics().add(denied(wanted, name));
                    continue;
                }
                Optional<TopicAssignment> topic = image.topic(name);
                if (topic.isPresent() && !image.isMarkedForDeletion(name)) {
                    response.topics().add(describe(image, topic.get(), live));
                } else if (allowCreate && !mayCreate(request, name)) {
                    response.topics().add(denied(wanted, name));
                } else {
                    response.topics().add(unknown(name, allowCreate));
                }
            }
        }
        if (authorization.enabled() && data.includeTopicAuthorizedOperations()) {
            for (MetadataResponseTopic topic : response.topics()) {
                if (topic.errorCode() == Errors.NONE.code()) {
                    topic.setTopicAuthorizedOperations(
                            authorization.authorizedOperations(request.context(), ResourceType.TOPIC, topic.name()));
                }
            }
        }
        if (authorization.enabled()
                && request.version() >= 8
                && request.version() <= 10
                && data.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(authorization.authorizedOperations(
                    request.context(), ResourceType.CLUSTER, RequestAuthorization.CLUSTER_NAME));
        }
        return CompletableFuture.completedFuture(new MetadataResponse(response, request.version()));
    }

    /** Auto-creation needs CREATE on the cluster or on the topic, as in Kafka. */
    private boolean mayCreate(KafkaRequest request, String name) {
        return authorization.allowedQuietly(
                        request.context(), AclOperation.CREATE, ResourceType.CLUSTER, RequestAuthorization.CLUSTER_NAME)
                || authorization.authorize(request.context(), AclOperation.CREATE, ResourceType.TOPIC, name);
    }

    /** A topic the request may not see or create: named back as asked, by name or by id. */
    private static MetadataResponseTopic denied(MetadataRequestData.MetadataRequestTopic wanted, String name) {
        boolean byId = wanted.name() == null;
        return new MetadataResponseTopic()
                .setName(byId ? null : name)
                .setTopicId(byId ? wanted.topicId() : Uuid.ZERO_UUID)
                .setErrorCode(Errors.TOPIC_AUTHORIZATION_FAILED.code());
    }

    private MetadataResponseTopic unknown(String name, boolean allowCreate) {
        MetadataResponseTopic topic = new MetadataResponseTopic().setName(name).setTopicId(Uuid.ZERO_UUID);
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return topic.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        if (!allowCreate) {
            return topic.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        try {
            createTopic.accept(name);
            return topic.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
        } catch (org.apache.kafka.common.errors.TopicExistsException e) {
            return topic.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code());
        } catch (org.apache.kafka.common.errors.ApiException e) {
            return topic.setErrorCode(Errors.forException(e).code());
        }
    }

    static MetadataResponseTopic describe(MetadataImage image, TopicAssignment topic, Set<Integer> live) {
        MetadataResponseTopic answer = new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId())
                .setIsInternal(Topic.isInternal(topic.name()))
                .setErrorCode(Errors.NONE.code());
        for (Map.Entry<Integer, List<Integer>> entry : topic.replicas().entrySet()) {
            TopicPartition tp = new TopicPartition(topic.name(), entry.getKey());
            List<Integer> replicas = entry.getValue();
            Optional<PartitionState> state = image.partitionState(tp);
            List<Integer> offline = new ArrayList<>();
            for (int replica : replicas) {
                if (!live.contains(replica)) {
                    offline.add(replica);
                }
            }
            MetadataResponsePartition partition = new MetadataResponsePartition()
                    .setPartitionIndex(tp.partition())
                    .setReplicaNodes(replicas)
                    .setOfflineReplicas(offline);
            if (state.isPresent()
                    && state.get().hasLeader()
                    && live.contains(state.get().leader())) {
                partition
                        .setErrorCode(Errors.NONE.code())
                        .setLeaderId(state.get().leader())
                        .setLeaderEpoch(state.get().leaderEpoch())
                        .setIsrNodes(List.copyOf(new LinkedHashSet<>(state.get().isr())));
            } else {
                partition
                        .setErrorCode(Errors.LEADER_NOT_AVAILABLE.code())
                        .setLeaderId(-1)
                        .setLeaderEpoch(state.map(PartitionState::leaderEpoch).orElse(-1))
                        .setIsrNodes(state.map(PartitionState::isr).orElse(List.of()));
            }
            answer.partitions().add(partition);
        }
        return answer;
    }
}
