package io.brook.gateway.http.consumers;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.consumers.ConsumersV2Json.CreateRequest;
import io.brook.gateway.http.consumers.ConsumersV2Json.CreateResponse;
import io.brook.gateway.http.consumers.ConsumersV2Json.OffsetData;
import io.brook.gateway.http.consumers.ConsumersV2Json.Offsets;
import io.brook.gateway.http.consumers.ConsumersV2Json.PartitionRef;
import io.brook.gateway.http.consumers.ConsumersV2Json.Partitions;
import io.brook.gateway.http.consumers.ConsumersV2Json.Subscription;
import io.brook.gateway.http.consumers.ConsumersV2Json.V2Record;
import io.brook.gateway.kafka.ConsumerInstance;
import io.brook.gateway.kafka.ConsumerInstanceRegistry;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.security.GatewayAuthorization;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * Confluent REST v2 consumer instances, for curl workflows: create an instance in a group,
 * subscribe (or assign), poll records, commit, seek, delete.
 *
 * <table>
 *   <caption>Endpoints, under {@code /consumers/{group}/instances/{name}} unless absolute</caption>
 *   <tr><th>request</th><th>what</th><th>answer</th></tr>
 *   <tr><td>{@code POST /consumers/{group}}</td><td>create: {@code name}, {@code format} (json, binary),
 *       {@code auto.offset.reset}, {@code auto.commit.enable}</td><td>{@code {instance_id, base_uri}}</td></tr>
 *   <tr><td>{@code POST/GET/DELETE .../subscription}</td><td>{@code {topics}} or {@code {topic_pattern}}</td>
 *       <td>204 / {@code {topics}} / 204</td></tr>
 *   <tr><td>{@code POST/GET .../assignments}</td><td>{@code {partitions: [{topic, partition}]}}</td><td>204 / same</td></tr>
 *   <tr><td>{@code GET .../records?timeout=&max_bytes=}</td><td>poll</td>
 *       <td>{@code [{topic, key, value, partition, offset}]}</td></tr>
 *   <tr><td>{@code POST .../offsets}</td><td>commit {@code {offsets: [{topic, partition, offset}]}}, the offset
 *       of the last record processed (Kafka commits offset + 1, as Confluent does); no body: every record
 *       returned so far</td><td>204</td></tr>
 *   <tr><td>{@code GET .../offsets}</td><td>committed offsets of {@code {partitions}} (no body: the assigned
 *       ones); the offset is the next to read</td><td>{@code {offsets}}</td></tr>
 *   <tr><td>{@code POST .../positions}</td><td>seek to {@code {offsets}}</td><td>204</td></tr>
 *   <tr><td>{@code POST .../positions/beginning}, {@code .../end}</td><td>seek {@code {partitions}} to the log
 *       start or end as of the request (resolved before answering, unlike Kafka's lazy seek)</td><td>204</td></tr>
 *   <tr><td>{@code DELETE /consumers/{group}/instances/{name}}</td><td>close, leaving the group</td><td>204</td></tr>
 * </table>
 *
 * <p>Records come as {@code application/vnd.kafka.json.v2+json} (keys and values as JSON; bytes
 * that are not JSON come as a JSON string of their UTF-8 text) or {@code
 * application/vnd.kafka.binary.v2+json} (base64), by the instance's format; an {@code Accept} that
 * names the other format is 406. A poll returns what the first fetch brings within {@code timeout}
 * (ms), at most {@code max_bytes} of keys and values, the first record always; records beyond
 * that are returned by the next poll. Unknown instance: 404 with error_code 40403.
 *
 * <p>Instances live in this gateway ({@code base_uri} names it: {@code brook.gateway.advertised-url}
 * or the request's own address) and expire after {@code
 * brook.gateway.consumers.instance-timeout} unused. See {@link ConsumerInstance} for threading.
 */
@RestController
class ConsumersV2Controller {

    static final String V2 = "application/vnd.kafka.v2+json";
    static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";

    private static final String INSTANCE = "/consumers/{group}/instances/{name}";

    private final ConsumerInstanceRegistry registry;
    private final RecordMetrics metrics;
    private final JsonMapper json;
    private final GatewayProperties properties;
    private final GatewayAuthorization authorization;

    ConsumersV2Controller(
            ConsumerInstanceRegistry registry,
            RecordMetrics metrics,
            JsonMapper json,
            GatewayProperties properties,
            GatewayAuthorization authorization) {
        this.registry = registry;
        this.metrics = metrics;
        this.json = json;
        this.properties = properties;
        this.authorization = authorization;
    }

    @Operation(operationId = "createConsumerV2", summary = "REST v2: create a consumer instance in a group")
    @PostMapping(
            path = "/consumers/{group}",
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<CreateResponse> create(
            @PathVariable("group") String group,
            @RequestBody(required = false) CreateRequest request,
            ServerHttpRequest http) {
        CreateRequest body = request == null ? new CreateRequest(null, null, null, null) : request;
        ConsumerInstance.Format format = format(body.format());
        boolean autoCommit = autoCommit(body.autoCommitEnable());
        return Mono.fromCallable(() -> registry.create(group, body.name(), format, body.autoOffsetReset(), autoCommit))
                .map(instance -> new CreateResponse(
                        instance.name(), baseUrl(http) + "/consumers/" + group + "/instances/" + instance.name()));
    }

    private String baseUrl(ServerHttpRequest request) {
        String advertised = properties.getAdvertisedUrl();
        if (advertised != null && !advertised.isBlank()) {
            return advertised.endsWith("/") ? advertised.substring(0, advertised.length() - 1) : advertised;
        }
        return UriComponentsBuilder.fromUri(request.getURI())
                .replacePath(null)
                .replaceQuery(null)
                .build()
                .toUriString();
    }

    static ConsumerInstance.Format format(String format) {
        if (format == null || format.isBlank()) {
            return ConsumerInstance.Format.BINARY;
        }
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> ConsumerInstance.Format.JSON;
            case "binary" -> ConsumerInstance.Format.BINARY;
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST,
                        "format must be json or binary (avro, jsonschema and protobuf need a schema registry), not '"
                                + format + "'.");
        };
    }

    private static boolean autoCommit(JsonNode value) {
        if (value == null || value.isNull()) {
            // Confluent's default: enable.auto.commit as Kafka has it.
            return true;
        }
        String text = value.isBoolean() ? String.valueOf(value.asBoolean()) : value.asString();
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "auto.commit.enable must be true or false, not '" + text + "'.");
        };
    }

    @Operation(operationId = "deleteConsumerV2", summary = "REST v2: delete a consumer instance (it leaves the group)")
    @DeleteMapping(INSTANCE)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable("group") String group, @PathVariable("name") String name) {
        return Mono.fromRunnable(() -> registry.delete(group, name));
    }

    @Operation(operationId = "subscribeV2", summary = "REST v2: subscribe to topics or a topic pattern")
    @PostMapping(INSTANCE + "/subscription")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> subscribe(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody Subscription subscription,
            ServerWebExchange exchange) {
        boolean hasTopics =
                subscription.topics() != null && !subscription.topics().isEmpty();
        boolean hasPattern = subscription.topicPattern() != null
                && !subscription.topicPattern().isBlank();
        if (hasTopics == hasPattern) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "Give either topics or topic_pattern.");
        }
        Pattern pattern = hasPattern ? pattern(subscription.topicPattern()) : null;
        if (pattern != null && authorization.enabled()) {
            // A pattern could match topics the user may not read, and the consumer would fetch them
            // before the gateway saw their names; with security on, topics are named.
            throw new GatewayException(
                    ErrorCode.FORBIDDEN,
                    "topic_pattern subscriptions are not available with security on; name the topics.");
        }
        // Kafka checks READ of each topic when it is fetched; here before the consumer subscribes.
        return authorization
                .requireAll(
                        exchange, AclOperation.READ, ResourceType.TOPIC, hasTopics ? subscription.topics() : List.of())
                .then(Mono.defer(() -> registry.get(group, name)
                        .call(consumer -> {
                            if (pattern != null) {
                                consumer.subscribe(pattern);
                            } else {
                                consumer.subscribe(subscription.topics());
                            }
                            return true;
                        })
                        .then()));
    }

    private static Pattern pattern(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, "topic_pattern is not a valid regex: " + e.getMessage());
        }
    }

    @Operation(operationId = "getSubscriptionV2", summary = "REST v2: the topics subscribed to")
    @GetMapping(
            path = INSTANCE + "/subscription",
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<Subscription> subscription(@PathVariable("group") String group, @PathVariable("name") String name) {
        return registry.get(group, name).call(consumer -> new Subscription(List.copyOf(consumer.subscription()), null));
    }

    @Operation(operationId = "unsubscribeV2", summary = "REST v2: unsubscribe from all topics")
    @DeleteMapping(INSTANCE + "/subscription")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> unsubscribe(@PathVariable("group") String group, @PathVariable("name") String name) {
        return registry.get(group, name)
                .call(consumer -> {
                    consumer.unsubscribe();
                    return true;
                })
                .then();
    }

    @Operation(operationId = "assignV2", summary = "REST v2: assign partitions by hand (no group rebalancing)")
    @PostMapping(INSTANCE + "/assignments")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> assign(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody Partitions partitions,
            ServerWebExchange exchange) {
        List<TopicPartition> assigned = topicPartitions(partitions);
        List<String> topics =
                assigned.stream().map(TopicPartition::topic).distinct().toList();
        return authorization
                .requireAll(exchange, AclOperation.READ, ResourceType.TOPIC, topics)
                .then(Mono.defer(() -> registry.get(group, name)
                        .call(consumer -> {
                            consumer.assign(assigned);
                            return true;
                        })
                        .then()));
    }

    @Operation(operationId = "getAssignmentsV2", summary = "REST v2: the partitions assigned")
    @GetMapping(
            path = INSTANCE + "/assignments",
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<Partitions> assignments(@PathVariable("group") String group, @PathVariable("name") String name) {
        return registry.get(group, name)
                .call(consumer -> new Partitions(consumer.assignment().stream()
                        .map(tp -> new PartitionRef(tp.topic(), tp.partition()))
                        .toList()));
    }

    @Operation(operationId = "pollV2", summary = "REST v2: poll records")
    @GetMapping(INSTANCE + "/records")
    Mono<ResponseEntity<List<V2Record>>> records(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestParam(name = "timeout", required = false) Long timeoutMs,
            @RequestParam(name = "max_bytes", required = false) Long maxBytes,
            @RequestHeader(name = HttpHeaders.ACCEPT, required = false) String accept,
            ServerWebExchange exchange) {
        GatewayProperties.Consumers limits = properties.getConsumers();
        Duration timeout = timeoutMs == null ? limits.getDefaultPollTimeout() : Duration.ofMillis(timeoutMs);
        if (timeout.isNegative() || timeout.compareTo(limits.getMaxPollTimeout()) > 0) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "timeout must be between 0 and "
                            + limits.getMaxPollTimeout().toMillis() + ".");
        }
        long bytes = maxBytes == null ? limits.getDefaultMaxBytes().toBytes() : maxBytes;
        if (bytes < 1) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "max_bytes must be positive.");
        }
        ConsumerInstance instance = registry.get(group, name);
        MediaType type = responseType(instance.format(), accept);
        // With security on, the caller must be allowed to READ every topic the instance reads,
        // whoever subscribed it (the instance is shared by name within the group).
        Mono<Void> allowed = authorization.enabled()
                ? instance.call(ConsumersV2Controller::topicsRead)
                        .flatMap(topics ->
                                authorization.requireAll(exchange, AclOperation.READ, ResourceType.TOPIC, topics))
                : Mono.empty();
        return allowed.then(instance.call(consumer -> poll(consumer, timeout, bytes)))
                .map(records -> ResponseEntity.ok()
                        .contentType(type)
                        .body(records.stream()
                                .map(r -> toJson(r, instance.format()))
                                .toList()));
    }

    private static java.util.Set<String> topicsRead(
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer) {
        java.util.Set<String> topics = new java.util.TreeSet<>(consumer.subscription());
        consumer.assignment().forEach(tp -> topics.add(tp.topic()));
        return topics;
    }

    private static MediaType responseType(ConsumerInstance.Format format, String accept) {
        String other = format == ConsumerInstance.Format.JSON ? BINARY_V2 : JSON_V2;
        if (accept != null && accept.contains(other)) {
            throw new GatewayException(
                    ErrorCode.NOT_ACCEPTABLE,
                    "The consumer instance's format is " + format.name().toLowerCase(Locale.ROOT) + ", not the one "
                            + "asked for in Accept.");
        }
        return MediaType.parseMediaType(format == ConsumerInstance.Format.JSON ? JSON_V2 : BINARY_V2);
    }

    /**
     * One poll, trimmed to {@code maxBytes}; the partitions of records not returned are sought
     * back to the first of them, so that the next poll returns them (and "all consumed" commits
     * only what was returned).
     */
    private List<ConsumerRecord<byte[], byte[]>> poll(
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, Duration timeout, long maxBytes) {
        ConsumerRecords<byte[], byte[]> polled;
        try {
            polled = consumer.poll(timeout);
        } catch (IllegalStateException e) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "The consumer instance is not subscribed to topics or assigned partitions.");
        }
        List<ConsumerRecord<byte[], byte[]>> returned = new ArrayList<>();
        Map<TopicPartition, Long> rewind = new LinkedHashMap<>();
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : polled) {
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            long size = Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
            if (rewind.containsKey(tp) || !returned.isEmpty() && bytes + size > maxBytes) {
                rewind.putIfAbsent(tp, record.offset());
                continue;
            }
            returned.add(record);
            bytes += size;
        }
        rewind.forEach(consumer::seek);
        Map<String, long[]> perTopic = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : returned) {
            long[] counts = perTopic.computeIfAbsent(r.topic(), t -> new long[2]);
            counts[0]++;
            counts[1] += Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        }
        perTopic.forEach((topic, counts) -> metrics.consumed(topic, counts[0], counts[1]));
        return returned;
    }

    private V2Record toJson(ConsumerRecord<byte[], byte[]> record, ConsumerInstance.Format format) {
        return new V2Record(
                record.topic(),
                embedded(record.key(), format),
                embedded(record.value(), format),
                record.partition(),
                record.offset());
    }

    private JsonNode embedded(byte[] bytes, ConsumerInstance.Format format) {
        if (bytes == null) {
            return null;
        }
        if (format == ConsumerInstance.Format.BINARY) {
            return StringNode.valueOf(Base64.getEncoder().encodeToString(bytes));
        }
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            return StringNode.valueOf(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Operation(operationId = "commitOffsetsV2", summary = "REST v2: commit offsets (no body: all records returned)")
    @PostMapping(INSTANCE + "/offsets")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> commit(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody(required = false) Offsets offsets) {
        Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        if (offsets != null && offsets.offsets() != null) {
            for (OffsetData o : offsets.offsets()) {
                if (o.topic() == null || o.partition() == null || o.offset() == null || o.offset() < 0) {
                    throw new GatewayException(
                            ErrorCode.INVALID_REQUEST, "Each offset needs a topic, a partition and an offset >= 0.");
                }
                // The offset of the last record processed; the group resumes after it.
                commits.put(
                        new TopicPartition(o.topic(), o.partition()),
                        new OffsetAndMetadata(o.offset() + 1, o.metadata()));
            }
        }
        return registry.get(group, name)
                .call(consumer -> {
                    if (commits.isEmpty()) {
                        consumer.commitSync();
                    } else {
                        consumer.commitSync(commits);
                    }
                    return true;
                })
                .then();
    }

    @Operation(operationId = "committedOffsetsV2", summary = "REST v2: committed offsets of partitions")
    @GetMapping(
            path = INSTANCE + "/offsets",
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<Offsets> committed(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody(required = false) Partitions partitions) {
        List<TopicPartition> asked =
                partitions == null || partitions.partitions() == null ? null : topicPartitions(partitions);
        return registry.get(group, name).call(consumer -> {
            Set<TopicPartition> which = asked == null ? consumer.assignment() : Set.copyOf(asked);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(which);
            List<OffsetData> result = new ArrayList<>();
            for (TopicPartition tp : which) {
                OffsetAndMetadata c = committed.get(tp);
                if (c != null) {
                    result.add(new OffsetData(tp.topic(), tp.partition(), c.offset(), c.metadata()));
                }
            }
            return new Offsets(result);
        });
    }

    @Operation(operationId = "seekV2", summary = "REST v2: seek partitions to offsets")
    @PostMapping(INSTANCE + "/positions")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> seek(
            @PathVariable("group") String group, @PathVariable("name") String name, @RequestBody Offsets offsets) {
        Map<TopicPartition, Long> seeks = new LinkedHashMap<>();
        for (OffsetData o : offsets.offsets() == null ? List.<OffsetData>of() : offsets.offsets()) {
            if (o.topic() == null || o.partition() == null || o.offset() == null || o.offset() < 0) {
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "Each offset needs a topic, a partition and an offset >= 0.");
            }
            seeks.put(new TopicPartition(o.topic(), o.partition()), o.offset());
        }
        return registry.get(group, name)
                .call(consumer -> {
                    seeks.forEach((tp, offset) -> seekAssigned(consumer, tp, () -> consumer.seek(tp, offset)));
                    return true;
                })
                .then();
    }

    @Operation(operationId = "seekToBeginningV2", summary = "REST v2: seek partitions to their first offset")
    @PostMapping(INSTANCE + "/positions/beginning")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> seekToBeginning(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody Partitions partitions) {
        List<TopicPartition> tps = topicPartitions(partitions);
        return registry.get(group, name)
                .call(consumer -> {
                    tps.forEach(tp -> seekAssigned(consumer, tp, () -> consumer.seekToBeginning(List.of(tp))));
                    // Kafka seeks lazily; resolve now, so the position is the log start of this moment.
                    tps.forEach(consumer::position);
                    return true;
                })
                .then();
    }

    @Operation(operationId = "seekToEndV2", summary = "REST v2: seek partitions past their last offset")
    @PostMapping(INSTANCE + "/positions/end")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> seekToEnd(
            @PathVariable("group") String group,
            @PathVariable("name") String name,
            @RequestBody Partitions partitions) {
        List<TopicPartition> tps = topicPartitions(partitions);
        return registry.get(group, name)
                .call(consumer -> {
                    tps.forEach(tp -> seekAssigned(consumer, tp, () -> consumer.seekToEnd(List.of(tp))));
                    // Kafka seeks lazily; resolve now, so that records produced after this request are read.
                    tps.forEach(consumer::position);
                    return true;
                })
                .then();
    }

    /** A seek needs the partition assigned (Kafka throws IllegalStateException otherwise): 400. */
    private static void seekAssigned(
            org.apache.kafka.clients.consumer.Consumer<byte[], byte[]> consumer, TopicPartition tp, Runnable seek) {
        if (!consumer.assignment().contains(tp)) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "Partition " + tp + " is not assigned to this consumer instance (poll after subscribing first).");
        }
        seek.run();
    }

    private static List<TopicPartition> topicPartitions(Partitions partitions) {
        if (partitions == null || partitions.partitions() == null) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "partitions is required.");
        }
        List<TopicPartition> result = new ArrayList<>();
        for (PartitionRef p : partitions.partitions()) {
            if (p == null || p.topic() == null || p.partition() == null || p.partition() < 0) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Each partition needs a topic and a partition.");
            }
            result.add(new TopicPartition(p.topic(), p.partition()));
        }
        return result;
    }
}
