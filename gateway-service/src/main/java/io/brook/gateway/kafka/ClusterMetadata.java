package io.brook.gateway.kafka;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import reactor.core.publisher.Mono;

/**
 * What the gateway knows of the cluster to validate requests before touching data: the cluster id
 * the {@code /v3/clusters/{cluster_id}} paths must name, and which topics exist with how many
 * partitions.
 *
 * <p>Why a cache: produce and read requests check that their topic exists (an unknown topic is a
 * 404, never auto-created, whatever the brokers' auto-create setting: the check uses the Admin
 * client, whose metadata requests do not create topics) and that their partition is in range.
 * Asking the brokers on every request would double the requests; entries are trusted for {@code
 * brook.gateway.metadata-max-age} and dropped when this gateway changes the topic. Unknown topics
 * are not cached, so a topic created elsewhere is found on the next request.
 *
 * <p>The cluster id is taken from {@code brook.gateway.cluster-id}, or else discovered with
 * DescribeCluster and kept once known (a cluster's id never changes).
 *
 * <p>Threading: thread-safe; every method returns without blocking.
 */
public class ClusterMetadata {

    /** A topic as requests see it. */
    public record TopicInfo(String name, int partitions, boolean internal) {}

    private record Cached(TopicInfo info, Instant fetched) {}

    private final KafkaClients clients;
    private final Duration maxAge;
    private final Clock clock;
    private final Map<String, Cached> topics = new ConcurrentHashMap<>();
    private volatile String clusterId;

    public ClusterMetadata(KafkaClients clients, GatewayProperties properties, Clock clock) {
        this.clients = clients;
        this.maxAge = properties.getMetadataMaxAge();
        this.clock = clock;
        this.clusterId = properties.getClusterId().isBlank() ? null : properties.getClusterId();
    }

    /** The cluster's id: configured, cached, or asked of the brokers. */
    public Mono<String> clusterId() {
        String known = clusterId;
        if (known != null) {
            return Mono.just(known);
        }
        return KafkaFutures.mono(clients.admin().describeCluster().clusterId()).map(id -> {
            if (id == null || id.isEmpty()) {
                throw new GatewayException(ErrorCode.SERVICE_UNAVAILABLE, "The cluster has no id yet.");
            }
            clusterId = id;
            return id;
        });
    }

    /** Completes empty if {@code id} is this cluster's id; fails with 404 otherwise. */
    public Mono<String> requireCluster(String id) {
        return clusterId().map(actual -> {
            if (!actual.equals(id)) {
                throw new GatewayException(ErrorCode.CLUSTER_NOT_FOUND, "Cluster " + id + " not found.");
            }
            return actual;
        });
    }

    /** The topic, or a 404 {@link GatewayException} if it does not exist. */
    public Mono<TopicInfo> topic(String name) {
        Cached cached = topics.get(name);
        if (cached != null && cached.fetched().plus(maxAge).isAfter(clock.instant())) {
            return Mono.just(cached.info());
        }
        return KafkaFutures.mono(clients.admin()
                        .describeTopics(List.of(name))
                        .topicNameValues()
                        .get(name))
                .map(this::remember)
                .onErrorMap(
                        UnknownTopicOrPartitionException.class,
                        e -> new GatewayException(ErrorCode.TOPIC_NOT_FOUND, "Topic " + name + " not found."));
    }

    /** The topic with {@code partition} checked: 404 for an unknown topic or partition. */
    public Mono<TopicInfo> partition(String name, int partition) {
        return topic(name).map(info -> {
            if (partition < 0 || partition >= info.partitions()) {
                throw partitionNotFound(name, partition, info.partitions());
            }
            return info;
        });
    }

    /** The 404 of a partition a topic of {@code partitions} partitions does not have. */
    public static GatewayException partitionNotFound(String topic, int partition, int partitions) {
        return new GatewayException(
                ErrorCode.PARTITION_NOT_FOUND,
                "Partition " + partition + " of topic " + topic + " not found (it has " + partitions + ").");
    }

    /** Records what a DescribeTopics answered, for the requests that follow. */
    public TopicInfo remember(TopicDescription description) {
        TopicInfo info =
                new TopicInfo(description.name(), description.partitions().size(), description.isInternal());
        topics.put(info.name(), new Cached(info, clock.instant()));
        return info;
    }

    /** Forgets a topic this gateway deleted or changed. */
    public void forget(String name) {
        topics.remove(name);
    }
}
