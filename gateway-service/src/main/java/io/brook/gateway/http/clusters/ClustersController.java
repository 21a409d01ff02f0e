package io.brook.gateway.http.clusters;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.Resources.Links;
import io.brook.gateway.http.Resources.ListMetadata;
import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.http.Resources.Related;
import io.brook.gateway.http.Resources.ResourceList;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.LogDirSizes;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Confluent REST v3 clusters and brokers: {@code GET /v3/clusters}, {@code
 * /v3/clusters/{cluster_id}}, {@code .../brokers}, {@code .../brokers/{broker_id}} and {@code
 * .../brokers/{broker_id}/configs}. One gateway serves one cluster, so the list has one entry.
 *
 * <p>Brokers carry, besides Confluent's fields, what a dashboard shows: {@code is_controller},
 * {@code partitions_led} (partitions whose leader it is, internal topics included) and {@code
 * log_size_bytes} (the bytes of every replica it holds, from DescribeLogDirs; null when not
 * reported).
 */
@RestController
class ClustersController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaCluster(
            String kind,
            Metadata metadata,
            String clusterId,
            Related controller,
            Related brokers,
            Related brokerConfigs,
            Related consumerGroups,
            Related topics) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaBroker(
            String kind,
            Metadata metadata,
            String clusterId,
            int brokerId,
            String host,
            int port,
            String rack,
            Related configs,
            Boolean isController,
            Integer partitionsLed,
            Long logSizeBytes) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ConfigSynonym(String name, String value, String source) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaBrokerConfig(
            String kind,
            Metadata metadata,
            String clusterId,
            int brokerId,
            String name,
            String value,
            boolean isDefault,
            boolean isReadOnly,
            boolean isSensitive,
            String source,
            List<ConfigSynonym> synonyms) {}

    /**
     * What the broker answers add to the nodes: the controller's id (-1 if none), partitions led
     * per broker, and each broker's bytes on disk (empty when DescribeLogDirs is not answered).
     */
    private record BrokerStats(
            int controllerId, Map<Integer, Integer> partitionsLed, Optional<LogDirSizes.Sizes> sizes) {}

    private final KafkaClients clients;
    private final ClusterMetadata metadata;
    private final LogDirSizes sizes;

    ClustersController(KafkaClients clients, ClusterMetadata metadata, LogDirSizes sizes) {
        this.clients = clients;
        this.metadata = metadata;
        this.sizes = sizes;
    }

    @Operation(operationId = "listClusters", summary = "The cluster this gateway serves")
    @GetMapping("/v3/clusters")
    Mono<ResourceList<KafkaCluster>> list(ServerHttpRequest request) {
        return metadata.clusterId().flatMap(id -> cluster(request, id)).map(cluster -> {
            Links links = new Links(request, cluster.clusterId());
            return new ResourceList<>(
                    "KafkaClusterList", new ListMetadata(links.clustersUrl(), null), List.of(cluster));
        });
    }

    @Operation(operationId = "getCluster", summary = "A cluster")
    @GetMapping("/v3/clusters/{cluster_id}")
    Mono<KafkaCluster> get(@PathVariable("cluster_id") String clusterId, ServerHttpRequest request) {
        return metadata.requireCluster(clusterId).flatMap(id -> cluster(request, id));
    }

    private Mono<KafkaCluster> cluster(ServerHttpRequest request, String id) {
        Links links = new Links(request, id);
        return KafkaFutures.mono(clients.admin().describeCluster().controller())
                .map(controller -> new KafkaCluster(
                        "KafkaCluster",
                        links.metadata("", ""),
                        id,
                        controller == null || controller.isEmpty()
                                ? null
                                : links.related("/brokers/" + controller.id()),
                        links.related("/brokers"),
                        links.related("/broker-configs"),
                        links.related("/consumer-groups"),
                        links.related("/topics")));
    }

    @Operation(operationId = "listBrokers", summary = "The live brokers")
    @GetMapping("/v3/clusters/{cluster_id}/brokers")
    Mono<ResourceList<KafkaBroker>> brokers(@PathVariable("cluster_id") String clusterId, ServerHttpRequest request) {
        return metadata.requireCluster(clusterId)
                .then(Mono.zip(nodes(), stats()))
                .map(found -> {
                    Links links = new Links(request, clusterId);
                    return links.list(
                            "KafkaBrokerList",
                            "/brokers",
                            found.getT1().stream()
                                    .sorted(Comparator.comparingInt(Node::id))
                                    .map(node -> broker(links, node, found.getT2()))
                                    .toList());
                });
    }

    @Operation(operationId = "getBroker", summary = "A broker")
    @GetMapping("/v3/clusters/{cluster_id}/brokers/{broker_id}")
    Mono<KafkaBroker> broker(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("broker_id") int brokerId,
            ServerHttpRequest request) {
        return metadata.requireCluster(clusterId)
                .then(node(brokerId))
                .zipWith(stats())
                .map(found -> broker(new Links(request, clusterId), found.getT1(), found.getT2()));
    }

    @Operation(operationId = "listBrokerConfigs", summary = "A broker's configs")
    @GetMapping("/v3/clusters/{cluster_id}/brokers/{broker_id}/configs")
    Mono<ResourceList<KafkaBrokerConfig>> brokerConfigs(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("broker_id") int brokerId,
            ServerHttpRequest request) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(brokerId));
        return metadata.requireCluster(clusterId)
                .then(node(brokerId))
                .then(KafkaFutures.mono(clients.admin()
                        .describeConfigs(List.of(resource))
                        .values()
                        .get(resource)))
                .map((Config config) -> {
                    Links links = new Links(request, clusterId);
                    String path = "/brokers/" + brokerId + "/configs";
                    return links.list(
                            "KafkaBrokerConfigList",
                            path,
                            config.entries().stream()
                                    .sorted(Comparator.comparing(ConfigEntry::name))
                                    .map(e -> new KafkaBrokerConfig(
                                            "KafkaBrokerConfig",
                                            links.metadata(
                                                    path + "/" + e.name(),
                                                    "broker=" + brokerId + "/config=" + e.name()),
                                            clusterId,
                                            brokerId,
                                            e.name(),
                                            e.isSensitive() ? null : e.value(),
                                            e.isDefault(),
                                            e.isReadOnly(),
                                            e.isSensitive(),
                                            e.source().name(),
                                            e.synonyms().stream()
                                                    .map(s -> new ConfigSynonym(
                                                            s.name(),
                                                            s.value(),
                                                            s.source().name()))
                                                    .toList()))
                                    .toList());
                });
    }

    private Mono<java.util.Collection<Node>> nodes() {
        DescribeClusterResult cluster = clients.admin().describeCluster();
        return KafkaFutures.mono(cluster.nodes());
    }

    private Mono<Node> node(int brokerId) {
        return nodes().map(nodes -> nodes.stream()
                .filter(n -> n.id() == brokerId)
                .findFirst()
                .orElseThrow(
                        () -> new GatewayException(ErrorCode.BROKER_NOT_FOUND, "Broker " + brokerId + " not found.")));
    }

    private Mono<BrokerStats> stats() {
        Mono<Integer> controller = KafkaFutures.mono(
                        clients.admin().describeCluster().controller())
                .map(node -> node == null || node.isEmpty() ? -1 : node.id())
                .defaultIfEmpty(-1);
        Mono<Map<Integer, Integer>> led = KafkaFutures.mono(clients.admin()
                        .listTopics(new ListTopicsOptions().listInternal(true))
                        .names())
                .flatMap(names ->
                        KafkaFutures.mono(clients.admin().describeTopics(names).allTopicNames()))
                .map(topics -> {
                    Map<Integer, Integer> counts = new HashMap<>();
                    for (TopicDescription topic : topics.values()) {
                        for (TopicPartitionInfo partition : topic.partitions()) {
                            Node leader = partition.leader();
                            if (leader != null && !leader.isEmpty()) {
                                counts.merge(leader.id(), 1, Integer::sum);
                            }
                        }
                    }
                    return counts;
                });
        return Mono.zip(controller, led, sizes.sizes()).map(t -> new BrokerStats(t.getT1(), t.getT2(), t.getT3()));
    }

    private static KafkaBroker broker(Links links, Node node, BrokerStats stats) {
        return new KafkaBroker(
                "KafkaBroker",
                links.metadata("/brokers/" + node.id(), "broker=" + node.id()),
                links.clusterId(),
                node.id(),
                node.host(),
                node.port(),
                node.rack(),
                links.related("/brokers/" + node.id() + "/configs"),
                stats.controllerId() == node.id(),
                stats.partitionsLed().getOrDefault(node.id(), 0),
                stats.sizes().map(found -> found.brokerBytes().get(node.id())).orElse(null));
    }
}
