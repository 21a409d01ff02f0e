package io.brook.gateway.http.groups;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.Resources.Links;
import io.brook.gateway.http.Resources.ResourceList;
import io.brook.gateway.http.groups.GroupsJson.KafkaConsumer;
import io.brook.gateway.http.groups.GroupsJson.KafkaConsumerAssignment;
import io.brook.gateway.http.groups.GroupsJson.KafkaConsumerGroup;
import io.brook.gateway.http.groups.GroupsJson.KafkaConsumerGroupLagSummary;
import io.brook.gateway.http.groups.GroupsJson.KafkaConsumerLag;
import io.brook.gateway.http.groups.GroupsJson.LagHistoryResponse;
import io.brook.gateway.http.groups.GroupsJson.LagSample;
import io.brook.gateway.http.groups.GroupsJson.PartitionOffset;
import io.brook.gateway.http.groups.GroupsJson.ResetOffsetsRequest;
import io.brook.gateway.http.groups.GroupsJson.ResetOffsetsResponse;
import io.brook.gateway.http.groups.GroupsJson.ResetPartition;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.brook.gateway.security.GatewayAuthorization;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Consumer groups under {@code /v3/clusters/{cluster_id}/consumer-groups}: Confluent REST v3's
 * list, one group, its consumers (members) and their assignments, lag per partition ({@code
 * lags}) and the lag summary; plus {@code offsets:reset}, which Confluent's v3 lacks (it is what
 * {@code kafka-consumer-groups --reset-offsets} does, {@code dry_run} its preview), and {@code
 * lag-history}, the lag sampled by the gateway ({@link LagHistory}) for the dashboard's charts.
 *
 * <p>Lag is the partition's log end offset (high watermark) minus the group's committed offset,
 * for the partitions the group has committed offsets for. A reset is refused with 409 unless the
 * group is empty: Kafka keeps a live group's offsets for its members, and a member's next commit
 * would overwrite the reset anyway.
 */
@RestController
@RequestMapping("/v3/clusters/{cluster_id}/consumer-groups")
class ConsumerGroupsController {

    private final KafkaClients clients;
    private final ClusterMetadata metadata;
    private final GatewayAuthorization authorization;
    private final LagHistory lagHistory;

    ConsumerGroupsController(
            KafkaClients clients, ClusterMetadata metadata, GatewayAuthorization authorization, LagHistory lagHistory) {
        this.clients = clients;
        this.metadata = metadata;
        this.authorization = authorization;
        this.lagHistory = lagHistory;
    }

    @Operation(operationId = "listConsumerGroups", summary = "Consumer groups")
    @GetMapping
    Mono<ResourceList<KafkaConsumerGroup>> list(
            @PathVariable("cluster_id") String clusterId, ServerHttpRequest request, ServerWebExchange exchange) {
        Links links = new Links(request, clusterId);
        // With security on, only the groups the user may DESCRIBE, as Kafka's ListGroups shows them.
        return metadata.requireCluster(clusterId)
                .then(authorization.visible(exchange, AclOperation.DESCRIBE, ResourceType.GROUP))
                .flatMap(visible -> KafkaFutures.mono(
                                clients.admin().listConsumerGroups().all())
                        .map(listings -> listings.stream()
                                .map(l -> l.groupId())
                                .filter(visible)
                                .sorted()
                                .toList()))
                .flatMap(ids -> {
                    return ids.isEmpty()
                            ? Mono.just(List.<KafkaConsumerGroup>of())
                            : KafkaFutures.mono(clients.admin()
                                            .describeConsumerGroups(ids)
                                            .all())
                                    .map(groups -> ids.stream()
                                            .map(id -> group(links, groups.get(id)))
                                            .toList());
                })
                .map(groups -> links.list("KafkaConsumerGroupList", "/consumer-groups", groups));
    }

    @Operation(operationId = "getConsumerGroup", summary = "A consumer group")
    @GetMapping("/{consumer_group_id}")
    Mono<KafkaConsumerGroup> get(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            ServerHttpRequest request) {
        return metadata.requireCluster(clusterId)
                .then(describe(groupId))
                .map(group -> group(new Links(request, clusterId), group));
    }

    @Operation(operationId = "listConsumers", summary = "The members of a consumer group")
    @GetMapping("/{consumer_group_id}/consumers")
    Mono<ResourceList<KafkaConsumer>> consumers(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(describe(groupId))
                .map(group -> links.list(
                        "KafkaConsumerList",
                        "/consumer-groups/" + groupId + "/consumers",
                        group.members().stream()
                                .sorted(Comparator.comparing(MemberDescription::consumerId))
                                .map(m -> consumer(links, groupId, m))
                                .toList()));
    }

    @Operation(operationId = "getConsumer", summary = "One member of a consumer group")
    @GetMapping("/{consumer_group_id}/consumers/{consumer_id}")
    Mono<KafkaConsumer> consumer(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            @PathVariable("consumer_id") String consumerId,
            ServerHttpRequest request) {
        return metadata.requireCluster(clusterId)
                .then(member(groupId, consumerId))
                .map(m -> consumer(new Links(request, clusterId), groupId, m));
    }

    @Operation(operationId = "listConsumerAssignments", summary = "The partitions assigned to one member")
    @GetMapping("/{consumer_group_id}/consumers/{consumer_id}/assignments")
    Mono<ResourceList<KafkaConsumerAssignment>> assignments(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            @PathVariable("consumer_id") String consumerId,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        String path = "/consumer-groups/" + groupId + "/consumers/" + consumerId + "/assignments";
        return metadata.requireCluster(clusterId)
                .then(member(groupId, consumerId))
                .map(m -> links.list(
                        "KafkaConsumerAssignmentList",
                        path,
                        m.assignment().topicPartitions().stream()
                                .sorted(Comparator.comparing(TopicPartition::topic)
                                        .thenComparingInt(TopicPartition::partition))
                                .map(tp -> new KafkaConsumerAssignment(
                                        "KafkaConsumerAssignment",
                                        links.metadata(
                                                path + "/" + tp.topic() + "/partitions/" + tp.partition(),
                                                "consumer-group=" + groupId + "/consumer=" + consumerId + "/assignment="
                                                        + tp),
                                        clusterId,
                                        groupId,
                                        consumerId,
                                        tp.topic(),
                                        tp.partition(),
                                        links.related("/topics/" + tp.topic() + "/partitions/" + tp.partition()),
                                        links.related("/consumer-groups/" + groupId + "/lags/" + tp.topic()
                                                + "/partitions/" + tp.partition())))
                                .toList()));
    }

    @Operation(operationId = "listConsumerLags", summary = "Lag per partition of a consumer group")
    @GetMapping("/{consumer_group_id}/lags")
    Mono<ResourceList<KafkaConsumerLag>> lags(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(lags(links, groupId))
                .doOnNext(found -> lagHistory.watch(groupId))
                .map(lags -> links.list("KafkaConsumerLagList", "/consumer-groups/" + groupId + "/lags", lags));
    }

    @Operation(operationId = "getConsumerGroupLagSummary", summary = "Total and largest lag of a consumer group")
    @GetMapping("/{consumer_group_id}/lag-summary")
    Mono<KafkaConsumerGroupLagSummary> lagSummary(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId).then(lags(links, groupId)).map(lags -> {
            KafkaConsumerLag max = lags.stream()
                    .max(Comparator.comparingLong(KafkaConsumerLag::lag))
                    .orElse(null);
            long total = lags.stream().mapToLong(KafkaConsumerLag::lag).sum();
            return new KafkaConsumerGroupLagSummary(
                    "KafkaConsumerGroupLagSummary",
                    links.metadata(
                            "/consumer-groups/" + groupId + "/lag-summary",
                            "consumer-group=" + groupId + "/lag-summary"),
                    clusterId,
                    groupId,
                    max == null ? null : max.consumerId(),
                    max == null ? null : max.instanceId(),
                    max == null ? null : max.clientId(),
                    max == null ? null : max.topicName(),
                    max == null ? null : max.partitionId(),
                    max == null ? 0 : max.lag(),
                    total,
                    max == null || max.consumerId() == null
                            ? null
                            : links.related("/consumer-groups/" + groupId + "/consumers/" + max.consumerId()),
                    max == null
                            ? null
                            : links.related("/topics/" + max.topicName() + "/partitions/" + max.partitionId()));
        });
    }

    @Operation(
            operationId = "getConsumerGroupLagHistory",
            summary = "The group's lag sampled by the gateway over the last minutes (total and per partition)")
    @GetMapping("/{consumer_group_id}/lag-history")
    Mono<LagHistoryResponse> lagHistory(
            @PathVariable("cluster_id") String clusterId, @PathVariable("consumer_group_id") String groupId) {
        return metadata.requireCluster(clusterId)
                .then(describe(groupId))
                .then(Mono.fromSupplier(() -> new LagHistoryResponse(
                        lagHistory.intervalMs(),
                        lagHistory.history(groupId).stream()
                                .map(s -> new LagSample(s.timestamp(), s.totalLag(), s.partitions()))
                                .toList())));
    }

    @Operation(
            operationId = "resetConsumerGroupOffsets",
            summary = "Reset an empty group's offsets to earliest, latest, a timestamp or an offset;"
                    + " dry_run: preview only")
    @PostMapping("/{consumer_group_id}/offsets:reset")
    Mono<ResetOffsetsResponse> resetOffsets(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("consumer_group_id") String groupId,
            @RequestBody ResetOffsetsRequest body) {
        OffsetSpec spec = spec(body);
        boolean dryRun = Boolean.TRUE.equals(body.dryRun());
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(clients.admin()
                                .describeConsumerGroups(List.of(groupId))
                                .describedGroups()
                                .get(groupId))
                        .onErrorResume(
                                org.apache.kafka.common.errors.GroupIdNotFoundException.class, e -> Mono.empty()))
                .doOnNext(group -> {
                    if (!dryRun
                            && (!group.members().isEmpty()
                                    || group.groupState() != GroupState.EMPTY
                                            && group.groupState() != GroupState.DEAD)) {
                        throw new GatewayException(
                                ErrorCode.GROUP_NOT_EMPTY,
                                "Group " + groupId + " has active members (state " + group.groupState()
                                        + "); stop its consumers before resetting its offsets.");
                    }
                })
                .then(partitionsToReset(groupId, body))
                .flatMap(partitions -> Mono.zip(targets(partitions, spec, body), committed(groupId)))
                .flatMap(planned -> {
                    Plan plan = planned.getT1();
                    Mono<Void> apply = dryRun
                            ? Mono.empty()
                            : KafkaFutures.mono(clients.admin()
                                    .alterConsumerGroupOffsets(groupId, plan.targets())
                                    .all());
                    return apply.thenReturn(answer(groupId, dryRun, plan, planned.getT2()));
                });
    }

    /** What a reset sets, and each partition's log end offset (for the lag it leaves). */
    private record Plan(Map<TopicPartition, OffsetAndMetadata> targets, Map<TopicPartition, Long> ends) {}

    private static ResetOffsetsResponse answer(
            String groupId, boolean dryRun, Plan plan, Map<TopicPartition, OffsetAndMetadata> before) {
        List<Map.Entry<TopicPartition, OffsetAndMetadata>> sorted = plan.targets().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(
                        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition)))
                .toList();
        return new ResetOffsetsResponse(
                groupId,
                sorted.stream()
                        .map(e -> new PartitionOffset(
                                e.getKey().topic(),
                                e.getKey().partition(),
                                e.getValue().offset()))
                        .toList(),
                dryRun,
                sorted.stream()
                        .map(e -> {
                            OffsetAndMetadata current = before.get(e.getKey());
                            long target = e.getValue().offset();
                            return new ResetPartition(
                                    e.getKey().topic(),
                                    e.getKey().partition(),
                                    current == null ? null : current.offset(),
                                    target,
                                    Math.max(0, plan.ends().get(e.getKey()) - target));
                        })
                        .toList());
    }

    private static OffsetSpec spec(ResetOffsetsRequest body) {
        String to = body.to() == null ? "" : body.to().toLowerCase(Locale.ROOT);
        return switch (to) {
            case "earliest" -> OffsetSpec.earliest();
            case "latest" -> OffsetSpec.latest();
            case "timestamp" -> OffsetSpec.forTimestamp(timestamp(body.timestamp()));
            case "offset" -> {
                if (body.offset() == null || body.offset() < 0) {
                    throw new GatewayException(ErrorCode.INVALID_REQUEST, "to=offset needs a non-negative offset.");
                }
                yield null;
            }
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "to must be earliest, latest, timestamp or offset.");
        };
    }

    private static long timestamp(JsonNode node) {
        if (node != null && node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node != null && node.isString()) {
            try {
                return Instant.parse(node.asString()).toEpochMilli();
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "to=timestamp needs a timestamp, ISO-8601 or epoch ms.");
    }

    private Mono<List<TopicPartition>> partitionsToReset(String groupId, ResetOffsetsRequest body) {
        if (body.topics() != null && !body.topics().isEmpty()) {
            return Flux.fromIterable(body.topics())
                    .concatMap(metadata::topic)
                    .flatMapIterable(info -> {
                        List<TopicPartition> partitions = new ArrayList<>();
                        for (int p = 0; p < info.partitions(); p++) {
                            partitions.add(new TopicPartition(info.name(), p));
                        }
                        return partitions;
                    })
                    .collectList();
        }
        if (body.topicName() != null) {
            Mono<ClusterMetadata.TopicInfo> topic = body.partitionId() == null
                    ? metadata.topic(body.topicName())
                    : metadata.partition(body.topicName(), body.partitionId());
            return topic.map(info -> {
                List<TopicPartition> partitions = new ArrayList<>();
                for (int p = 0; p < info.partitions(); p++) {
                    if (body.partitionId() == null || body.partitionId() == p) {
                        partitions.add(new TopicPartition(info.name(), p));
                    }
                }
                return partitions;
            });
        }
        return committed(groupId).map(offsets -> {
            if (offsets.isEmpty()) {
                throw new GatewayException(
                        ErrorCode.GROUP_NOT_FOUND, "Group " + groupId + " has no offsets; name a topic_name to reset.");
            }
            return List.copyOf(offsets.keySet());
        });
    }

    private Mono<Plan> targets(List<TopicPartition> partitions, OffsetSpec spec, ResetOffsetsRequest body) {
        Map<TopicPartition, OffsetSpec> wanted = new HashMap<>();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        partitions.forEach(tp -> {
            wanted.put(tp, spec == null ? OffsetSpec.latest() : spec);
            ends.put(tp, OffsetSpec.latest());
        });
        return Mono.zip(
                        KafkaFutures.mono(clients.admin().listOffsets(wanted).all()),
                        KafkaFutures.mono(clients.admin().listOffsets(ends).all()))
                .map(found -> {
                    Map<TopicPartition, OffsetAndMetadata> targets = new HashMap<>();
                    Map<TopicPartition, Long> endOffsets = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        long end = found.getT2().get(tp).offset();
                        endOffsets.put(tp, end);
                        if (spec == null) {
                            targets.put(tp, new OffsetAndMetadata(body.offset()));
                            continue;
                        }
                        long offset = found.getT1().get(tp).offset();
                        // No record at or after the timestamp: the log end, as Kafka's tool does.
                        targets.put(tp, new OffsetAndMetadata(offset < 0 ? end : offset));
                    }
                    return new Plan(targets, endOffsets);
                });
    }

    private Mono<ConsumerGroupDescription> describe(String groupId) {
        return KafkaFutures.mono(clients.admin()
                        .describeConsumerGroups(List.of(groupId))
                        .describedGroups()
                        .get(groupId))
                .map(group -> {
                    if (group.groupState() == GroupState.DEAD) {
                        throw new GatewayException(ErrorCode.GROUP_NOT_FOUND, "Group " + groupId + " not found.");
                    }
                    return group;
                });
    }

    private Mono<MemberDescription> member(String groupId, String consumerId) {
        return describe(groupId)
                .map(group -> group.members().stream()
                        .filter(m -> m.consumerId().equals(consumerId))
                        .findFirst()
                        .orElseThrow(() -> new GatewayException(
                                ErrorCode.GROUP_NOT_FOUND,
                                "Consumer " + consumerId + " not in group " + groupId + ".")));
    }

    private Mono<Map<TopicPartition, OffsetAndMetadata>> committed(String groupId) {
        return KafkaFutures.mono(
                        clients.admin().listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata())
                .map(offsets -> {
                    Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
                    offsets.forEach((tp, om) -> {
                        if (om != null) {
                            present.put(tp, om);
                        }
                    });
                    return present;
                });
    }

    private Mono<List<KafkaConsumerLag>> lags(Links links, String groupId) {
        return describe(groupId).zipWith(committed(groupId)).flatMap(both -> {
            ConsumerGroupDescription group = both.getT1();
            Map<TopicPartition, OffsetAndMetadata> committed = both.getT2();
            if (committed.isEmpty()) {
                return Mono.just(List.<KafkaConsumerLag>of());
            }
            Map<TopicPartition, MemberDescription> owners = new HashMap<>();
            for (MemberDescription member : group.members()) {
                member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member));
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            return KafkaFutures.mono(clients.admin().listOffsets(latest).all())
                    .map((Map<TopicPartition, ListOffsetsResultInfo> ends) -> committed.entrySet().stream()
                            .sorted(Map.Entry.comparingByKey(Comparator.comparing(TopicPartition::topic)
                                    .thenComparingInt(TopicPartition::partition)))
                            .map(e -> {
                                TopicPartition tp = e.getKey();
                                long current = e.getValue().offset();
                                long end = ends.get(tp).offset();
                                MemberDescription owner = owners.get(tp);
                                return new KafkaConsumerLag(
                                        "KafkaConsumerLag",
                                        links.metadata(
                                                "/consumer-groups/" + groupId + "/lags/" + tp.topic() + "/partitions/"
                                                        + tp.partition(),
                                                "consumer-group=" + groupId + "/lag=" + tp),
                                        links.clusterId(),
                                        groupId,
                                        tp.topic(),
                                        tp.partition(),
                                        current,
                                        end,
                                        Math.max(0, end - current),
                                        owner == null ? null : owner.consumerId(),
                                        owner == null
                                                ? null
                                                : owner.groupInstanceId().orElse(null),
                                        owner == null ? null : owner.clientId());
                            })
                            .toList());
        });
    }

    private static KafkaConsumerGroup group(Links links, ConsumerGroupDescription group) {
        String path = "/consumer-groups/" + group.groupId();
        return new KafkaConsumerGroup(
                "KafkaConsumerGroup",
                links.metadata(path, "consumer-group=" + group.groupId()),
                links.clusterId(),
                group.groupId(),
                group.isSimpleConsumerGroup(),
                group.partitionAssignor(),
                group.groupState().name(),
                group.coordinator() == null
                        ? null
                        : links.related("/brokers/" + group.coordinator().id()),
                links.related(path + "/consumers"),
                links.related(path + "/lag-summary"));
    }

    private static KafkaConsumer consumer(Links links, String groupId, MemberDescription m) {
        String path = "/consumer-groups/" + groupId + "/consumers/" + m.consumerId();
        return new KafkaConsumer(
                "KafkaConsumer",
                links.metadata(path, "consumer-group=" + groupId + "/consumer=" + m.consumerId()),
                links.clusterId(),
                groupId,
                m.consumerId(),
                m.groupInstanceId().orElse(null),
                m.clientId(),
                m.host(),
                links.related(path + "/assignments"));
    }
}
