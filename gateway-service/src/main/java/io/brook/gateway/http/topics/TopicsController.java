package io.brook.gateway.http.topics;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.Resources.Links;
import io.brook.gateway.http.Resources.ResourceList;
import io.brook.gateway.http.topics.TopicsJson.AlterConfig;
import io.brook.gateway.http.topics.TopicsJson.AlterConfigsRequest;
import io.brook.gateway.http.topics.TopicsJson.ConfigSynonym;
import io.brook.gateway.http.topics.TopicsJson.ConfigValue;
import io.brook.gateway.http.topics.TopicsJson.CreateTopicRequest;
import io.brook.gateway.http.topics.TopicsJson.KafkaPartition;
import io.brook.gateway.http.topics.TopicsJson.KafkaReplica;
import io.brook.gateway.http.topics.TopicsJson.KafkaTopic;
import io.brook.gateway.http.topics.TopicsJson.KafkaTopicConfig;
import io.brook.gateway.http.topics.TopicsJson.UpdateConfigRequest;
import io.brook.gateway.http.topics.TopicsJson.UpdatePartitionCountRequest;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.kafka.LogDirSizes;
import io.brook.gateway.security.GatewayAuthorization;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Confluent REST v3 topics, topic configs and partitions, under {@code
 * /v3/clusters/{cluster_id}/topics}: list, create (partitions, replication factor, configs),
 * get, delete, add partitions ({@code PATCH} with {@code partitions_count}), configs (list, one,
 * set, reset, {@code configs:alter} in bulk), partitions (leader, replicas, ISR, earliest and
 * latest offsets) and replicas. Topics and partitions carry {@code size_bytes} from the brokers'
 * DescribeLogDirs ({@link LogDirSizes}). Every call is a few Admin requests; nothing is cached but
 * what {@link ClusterMetadata} keeps for produce, which is refreshed by the changes made here.
 */
@RestController
@RequestMapping("/v3/clusters/{cluster_id}/topics")
class TopicsController {

    private final KafkaClients clients;
    private final ClusterMetadata metadata;
    private final GatewayAuthorization authorization;
    private final LogDirSizes sizes;

    TopicsController(
            KafkaClients clients, ClusterMetadata metadata, GatewayAuthorization authorization, LogDirSizes sizes) {
        this.clients = clients;
        this.metadata = metadata;
        this.authorization = authorization;
        this.sizes = sizes;
    }

    @Operation(operationId = "listTopics", summary = "Topics, internal ones included")
    @GetMapping
    Mono<ResourceList<KafkaTopic>> list(
            @PathVariable("cluster_id") String clusterId, ServerHttpRequest request, ServerWebExchange exchange) {
        Links links = new Links(request, clusterId);
        // With security on, only the topics the user may DESCRIBE, as Kafka's Metadata shows them.
        return metadata.requireCluster(clusterId)
                .then(authorization.visible(exchange, AclOperation.DESCRIBE, ResourceType.TOPIC))
                .flatMap(visible -> KafkaFutures.mono(clients.admin()
                                .listTopics(new ListTopicsOptions().listInternal(true))
                                .names())
                        .map(names -> names.stream().filter(visible).toList()))
                .flatMap(names ->
                        KafkaFutures.mono(clients.admin().describeTopics(names).allTopicNames()))
                .zipWith(sizes.sizes())
                .map(found -> links.list(
                        "KafkaTopicList",
                        "/topics",
                        found.getT1().values().stream()
                                .sorted(Comparator.comparing(TopicDescription::name))
                                .map(t -> topic(links, t, found.getT2()))
                                .toList()));
    }

    @Operation(operationId = "createTopic", summary = "Create a topic; 201 with the topic")
    @PostMapping
    Mono<ResponseEntity<KafkaTopic>> create(
            @PathVariable("cluster_id") String clusterId,
            @RequestBody CreateTopicRequest body,
            ServerHttpRequest request,
            ServerWebExchange exchange) {
        if (body.topicName() == null || body.topicName().isBlank()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "topic_name is required.");
        }
        Map<String, String> configs = new HashMap<>();
        if (body.configs() != null) {
            for (ConfigValue config : body.configs()) {
                configs.put(config.name(), config.value());
            }
        }
        NewTopic topic = new NewTopic(
                        body.topicName(),
                        Optional.ofNullable(body.partitionsCount()),
                        Optional.ofNullable(body.replicationFactor()))
                .configs(configs);
        return metadata.requireCluster(clusterId)
                .then(authorization.requireCreateTopic(exchange, body.topicName()))
                .then(KafkaFutures.mono(
                        clients.admin().createTopics(List.of(topic)).all()))
                .then(describe(body.topicName()))
                .zipWith(sizes.sizes())
                .map(created -> ResponseEntity.status(HttpStatus.CREATED)
                        .body(topic(new Links(request, clusterId), created.getT1(), created.getT2())));
    }

    @Operation(operationId = "getTopic", summary = "A topic")
    @GetMapping("/{topic_name}")
    Mono<KafkaTopic> get(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String name,
            ServerHttpRequest request) {
        return metadata.requireCluster(clusterId)
                .then(describe(name))
                .zipWith(sizes.sizes())
                .map(t -> topic(new Links(request, clusterId), t.getT1(), t.getT2()));
    }

    @Operation(operationId = "deleteTopic", summary = "Delete a topic; 204")
    @DeleteMapping("/{topic_name}")
    Mono<ResponseEntity<Void>> delete(
            @PathVariable("cluster_id") String clusterId, @PathVariable("topic_name") String name) {
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(
                        clients.admin().deleteTopics(List.of(name)).all()))
                .then(Mono.fromRunnable(() -> metadata.forget(name)))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(operationId = "updatePartitionCount", summary = "Add partitions: grow the topic to partitions_count")
    @PatchMapping("/{topic_name}")
    Mono<KafkaTopic> addPartitions(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String name,
            @RequestBody UpdatePartitionCountRequest body,
            ServerHttpRequest request) {
        if (body.partitionsCount() == null) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "partitions_count is required.");
        }
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(clients.admin()
                        .createPartitions(Map.of(name, NewPartitions.increaseTo(body.partitionsCount())))
                        .all()))
                .then(describe(name))
                .zipWith(sizes.sizes())
                .map(t -> topic(new Links(request, clusterId), t.getT1(), t.getT2()));
    }

    @Operation(operationId = "listTopicConfigs", summary = "A topic's configs")
    @GetMapping("/{topic_name}/configs")
    Mono<ResourceList<KafkaTopicConfig>> configs(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String name,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(describeConfigs(name))
                .map(config -> links.list(
                        "KafkaTopicConfigList",
                        "/topics/" + name + "/configs",
                        config.entries().stream()
                                .sorted(Comparator.comparing(ConfigEntry::name))
                                .map(e -> config(links, name, e))
                                .toList()));
    }

    @Operation(operationId = "getTopicConfig", summary = "One config of a topic")
    @GetMapping("/{topic_name}/configs/{name}")
    Mono<KafkaTopicConfig> config(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("name") String name,
            ServerHttpRequest request) {
        return metadata.requireCluster(clusterId).then(describeConfigs(topic)).map(config -> {
            ConfigEntry entry = config.get(name);
            if (entry == null) {
                throw new GatewayException(ErrorCode.CONFIG_NOT_FOUND, "Config " + name + " not found.");
            }
            return config(new Links(request, clusterId), topic, entry);
        });
    }

    @Operation(operationId = "updateTopicConfig", summary = "Set one config of a topic; 204")
    @PutMapping("/{topic_name}/configs/{name}")
    Mono<ResponseEntity<Void>> setConfig(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("name") String name,
            @RequestBody UpdateConfigRequest body) {
        return alter(clusterId, topic, List.of(new AlterConfig(name, body.value(), "SET")));
    }

    @Operation(operationId = "resetTopicConfig", summary = "Reset one config of a topic to its default; 204")
    @DeleteMapping("/{topic_name}/configs/{name}")
    Mono<ResponseEntity<Void>> resetConfig(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("name") String name) {
        return alter(clusterId, topic, List.of(new AlterConfig(name, null, "DELETE")));
    }

    @Operation(operationId = "alterTopicConfigs", summary = "Set or reset several configs of a topic at once; 204")
    @PostMapping("/{topic_name}/configs:alter")
    Mono<ResponseEntity<Void>> alterConfigs(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @RequestBody AlterConfigsRequest body) {
        if (body.data() == null || body.data().isEmpty()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "data must list at least one config.");
        }
        return alter(clusterId, topic, body.data());
    }

    @Operation(operationId = "listPartitions", summary = "A topic's partitions with leader, replicas, ISR and offsets")
    @GetMapping("/{topic_name}/partitions")
    Mono<ResourceList<KafkaPartition>> partitions(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(describe(topic))
                .flatMap(description -> partitions(links, description, description.partitions()))
                .map(list -> links.list("KafkaPartitionList", "/topics/" + topic + "/partitions", list));
    }

    @Operation(operationId = "getPartition", summary = "A partition with leader, replicas, ISR and offsets")
    @GetMapping("/{topic_name}/partitions/{partition_id}")
    Mono<KafkaPartition> partition(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("partition_id") int partition,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(describe(topic))
                .flatMap(description -> partitions(links, description, List.of(partitionInfo(description, partition))))
                .map(list -> list.get(0));
    }

    @Operation(operationId = "listReplicas", summary = "A partition's replicas, leader and in-sync flags")
    @GetMapping("/{topic_name}/partitions/{partition_id}/replicas")
    Mono<ResourceList<KafkaReplica>> replicas(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @PathVariable("partition_id") int partition,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        String path = "/topics/" + topic + "/partitions/" + partition + "/replicas";
        return metadata.requireCluster(clusterId).then(describe(topic)).map(description -> {
            TopicPartitionInfo info = partitionInfo(description, partition);
            List<KafkaReplica> replicas = new ArrayList<>();
            for (Node replica : info.replicas()) {
                replicas.add(new KafkaReplica(
                        "KafkaReplica",
                        links.metadata(
                                path + "/" + replica.id(),
                                "topic=" + topic + "/partition=" + partition + "/replica=" + replica.id()),
                        clusterId,
                        topic,
                        partition,
                        replica.id(),
                        info.leader() != null && info.leader().id() == replica.id(),
                        info.isr().stream().anyMatch(n -> n.id() == replica.id()),
                        links.related("/brokers/" + replica.id())));
            }
            return links.list("KafkaReplicaList", path, replicas);
        });
    }

    private Mono<ResponseEntity<Void>> alter(String clusterId, String topic, List<AlterConfig> changes) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        List<AlterConfigOp> ops = new ArrayList<>();
        for (AlterConfig change : changes) {
            if (change.name() == null || change.name().isBlank()) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Each config needs a name.");
            }
            String operation =
                    change.operation() == null ? "SET" : change.operation().toUpperCase(Locale.ROOT);
            AlterConfigOp.OpType type = switch (operation) {
                case "SET" -> AlterConfigOp.OpType.SET;
                case "DELETE" -> AlterConfigOp.OpType.DELETE;
                default ->
                    throw new GatewayException(
                            ErrorCode.INVALID_REQUEST, "operation must be SET or DELETE, not " + operation + ".");
            };
            ops.add(new AlterConfigOp(new ConfigEntry(change.name(), change.value()), type));
        }
        return metadata.requireCluster(clusterId)
                .then(describe(topic))
                .then(KafkaFutures.mono(clients.admin()
                        .incrementalAlterConfigs(Map.of(resource, ops))
                        .all()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<TopicDescription> describe(String name) {
        return KafkaFutures.mono(clients.admin()
                        .describeTopics(List.of(name))
                        .topicNameValues()
                        .get(name))
                .doOnNext(metadata::remember);
    }

    private Mono<Config> describeConfigs(String topic) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return describe(topic)
                .then(KafkaFutures.mono(clients.admin()
                        .describeConfigs(List.of(resource))
                        .values()
                        .get(resource)));
    }

    private static TopicPartitionInfo partitionInfo(TopicDescription description, int partition) {
        return description.partitions().stream()
                .filter(p -> p.partition() == partition)
                .findFirst()
                .orElseThrow(() -> new GatewayException(
                        ErrorCode.PARTITION_NOT_FOUND,
                        "Partition " + partition + " of topic " + description.name() + " not found."));
    }

    private Mono<List<KafkaPartition>> partitions(
            Links links, TopicDescription description, List<TopicPartitionInfo> infos) {
        Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (TopicPartitionInfo info : infos) {
            TopicPartition tp = new TopicPartition(description.name(), info.partition());
            earliest.put(tp, OffsetSpec.earliest());
            latest.put(tp, OffsetSpec.latest());
        }
        Mono<Map<TopicPartition, ListOffsetsResultInfo>> starts =
                KafkaFutures.mono(clients.admin().listOffsets(earliest).all());
        Mono<Map<TopicPartition, ListOffsetsResultInfo>> ends =
                KafkaFutures.mono(clients.admin().listOffsets(latest).all());
        return Mono.zip(starts, ends, sizes.sizes())
                .map(offsets -> infos.stream()
                        .map(info -> {
                            TopicPartition tp = new TopicPartition(description.name(), info.partition());
                            String path = "/topics/" + description.name() + "/partitions/" + info.partition();
                            Node leader = info.leader();
                            return new KafkaPartition(
                                    "KafkaPartition",
                                    links.metadata(
                                            path, "topic=" + description.name() + "/partition=" + info.partition()),
                                    links.clusterId(),
                                    description.name(),
                                    info.partition(),
                                    leader == null || leader.isEmpty()
                                            ? null
                                            : links.related(path + "/replicas/" + leader.id()),
                                    links.related(path + "/replicas"),
                                    leader == null || leader.isEmpty() ? null : leader.id(),
                                    info.replicas().stream().map(Node::id).toList(),
                                    info.isr().stream().map(Node::id).toList(),
                                    offsets.getT1().get(tp).offset(),
                                    offsets.getT2().get(tp).offset(),
                                    offsets.getT3()
                                            .map(found -> found.partitionBytes().get(tp))
                                            .orElse(null));
                        })
                        .toList());
    }

    private static KafkaTopic topic(Links links, TopicDescription description, Optional<LogDirSizes.Sizes> sizes) {
        String path = "/topics/" + description.name();
        return new KafkaTopic(
                "KafkaTopic",
                links.metadata(path, "topic=" + description.name()),
                links.clusterId(),
                description.name(),
                description.isInternal(),
                description.partitions().isEmpty()
                        ? 0
                        : description.partitions().get(0).replicas().size(),
                description.partitions().size(),
                links.related(path + "/partitions"),
                links.related(path + "/configs"),
                sizes.map(found -> found.topicBytes(description.name())).orElse(null));
    }

    private static KafkaTopicConfig config(Links links, String topic, ConfigEntry e) {
        String path = "/topics/" + topic + "/configs/" + e.name();
        return new KafkaTopicConfig(
                "KafkaTopicConfig",
                links.metadata(path, "topic=" + topic + "/config=" + e.name()),
                links.clusterId(),
                topic,
                e.name(),
                e.isSensitive() ? null : e.value(),
                e.isDefault(),
                e.isReadOnly(),
                e.isSensitive(),
                e.source().name(),
                e.synonyms().stream()
                        .map(s -> new ConfigSynonym(
                                s.name(), s.value(), s.source().name()))
                        .toList());
    }
}
