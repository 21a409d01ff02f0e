package io.brook.gateway.http.produce;

import static io.brook.gateway.http.produce.ProduceService.TIMEOUT_MS;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.error.KafkaErrors;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.kafka.ClusterMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * REST v2 produce, for scripts written against the Confluent REST Proxy or the Strimzi bridge:
 * {@code POST /topics/{topic}} and {@code POST /topics/{topic}/partitions/{partition}} with {@code
 * {"records": [{"key": ..., "value": ..., "partition": ...}]}}.
 *
 * <p>The embedded format comes from the content type: {@code application/vnd.kafka.json.v2+json}
 * writes keys and values as JSON; {@code application/vnd.kafka.binary.v2+json} takes them as
 * base64 text. The bare {@code application/vnd.kafka.v2+json}, and {@code application/json}, mean
 * JSON. Other formats (avro, protobuf, jsonschema need a schema registry) are 415. Records may also
 * carry {@code headers} ({@code [{"key": name, "value": base64}]}, as the Strimzi bridge has them)
 * and a {@code timestamp} (epoch ms).
 *
 * <p>The answer comes once every record is acknowledged: {@code {"offsets": [{"partition",
 * "offset", "error_code", "error"}], "key_schema_id": null, "value_schema_id": null}}, one entry
 * per record in order, a failed record with its {@code error_code} and {@code error} (and null
 * partition and offset). An unknown topic or partition fails the whole request (404).
 *
 * <p>Optional parameters: {@code acks} and {@code timeout_ms}, as in REST v3 produce; a record not
 * acknowledged within the timeout has error_code 50401 in its entry and may still be written.
 */
@RestController
class ProduceV2Controller {

    static final String V2 = "application/vnd.kafka.v2+json";
    static final String JSON_V2 = "application/vnd.kafka.json.v2+json";
    static final String BINARY_V2 = "application/vnd.kafka.binary.v2+json";

    record V2Header(String key, String value) {}

    record V2Record(JsonNode key, JsonNode value, Integer partition, List<V2Header> headers, Long timestamp) {}

    record V2ProduceRequest(List<V2Record> records) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record V2Offset(Integer partition, Long offset, Integer errorCode, String error) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record V2ProduceResponse(List<V2Offset> offsets, Integer keySchemaId, Integer valueSchemaId) {}

    private final ProduceService produce;
    private final ClusterMetadata metadata;
    private final RecordFormat format;
    private final int maxRecords;

    ProduceV2Controller(
            ProduceService produce, ClusterMetadata metadata, RecordFormat format, GatewayProperties properties) {
        this.produce = produce;
        this.metadata = metadata;
        this.format = format;
        this.maxRecords = properties.getLimits().getMaxRecordsPerRequest();
    }

    @Operation(operationId = "produceV2", summary = "REST v2: produce records to a topic")
    @PostMapping(
            path = "/topics/{topic}",
            consumes = {JSON_V2, BINARY_V2, V2, MediaType.APPLICATION_JSON_VALUE},
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<V2ProduceResponse> produceToTopic(
            @PathVariable("topic") String topic,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
            @RequestParam(name = "acks", required = false) String acks,
            @Parameter(description = TIMEOUT_MS, schema = @Schema(type = "integer"))
                    @RequestParam(name = "timeout_ms", required = false)
                    String timeoutMs,
            @RequestBody V2ProduceRequest request) {
        return produceAll(topic, null, contentType, acks, produce.timeout(timeoutMs), request);
    }

    @Operation(operationId = "produceV2ToPartition", summary = "REST v2: produce records to a partition")
    @PostMapping(
            path = "/topics/{topic}/partitions/{partition}",
            consumes = {JSON_V2, BINARY_V2, V2, MediaType.APPLICATION_JSON_VALUE},
            produces = {V2, MediaType.APPLICATION_JSON_VALUE})
    Mono<V2ProduceResponse> produceToPartition(
            @PathVariable("topic") String topic,
            @PathVariable("partition") int partition,
            @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
            @RequestParam(name = "acks", required = false) String acks,
            @Parameter(description = TIMEOUT_MS, schema = @Schema(type = "integer"))
                    @RequestParam(name = "timeout_ms", required = false)
                    String timeoutMs,
            @RequestBody V2ProduceRequest request) {
        return produceAll(topic, partition, contentType, acks, produce.timeout(timeoutMs), request);
    }

    private Mono<V2ProduceResponse> produceAll(
            String topic,
            Integer partition,
            MediaType contentType,
            String acks,
            Duration timeout,
            V2ProduceRequest request) {
        List<V2Record> records = request.records();
        if (records == null || records.isEmpty()) {
            return Mono.error(
                    new GatewayException(ErrorCode.INVALID_REQUEST, "records must hold at least one record."));
        }
        if (records.size() > maxRecords) {
            return Mono.error(new GatewayException(
                    ErrorCode.REQUEST_TOO_LARGE,
                    "A request holds at most " + maxRecords + " records, not " + records.size() + "."));
        }
        boolean binary = contentType.isCompatibleWith(MediaType.parseMediaType(BINARY_V2));
        // A partition in the path concerns the whole request: an unknown one is a 404 before anything is sent.
        Mono<?> checked = partition == null ? produce.topic(topic) : metadata.partition(topic, partition);
        return checked.then(Mono.defer(() -> {
            // Each record is encoded first; one that cannot be is a failure of its own and is not sent.
            RuntimeException[] refused = new RuntimeException[records.size()];
            List<ProduceService.Outgoing> toSend = new ArrayList<>(records.size());
            for (int i = 0; i < records.size(); i++) {
                try {
                    toSend.add(outgoing(partition, binary, records.get(i)));
                } catch (RuntimeException e) {
                    refused[i] = e;
                }
            }
            return produce.sendAll(topic, toSend, acks, timeout).map(sent -> {
                List<V2Offset> offsets = new ArrayList<>(records.size());
                int next = 0;
                for (int i = 0; i < records.size(); i++) {
                    Throwable error = refused[i];
                    RecordMetadata acked = null;
                    if (error == null) {
                        ProduceService.Sent outcome = sent.get(next++);
                        error = outcome.error();
                        acked = outcome.metadata();
                    }
                    if (error != null) {
                        KafkaErrors.Failure f = KafkaErrors.classify(error);
                        offsets.add(new V2Offset(null, null, f.code().code(), f.message()));
                    } else {
                        offsets.add(
                                new V2Offset(acked.partition(), acked.hasOffset() ? acked.offset() : -1L, null, null));
                    }
                }
                return new V2ProduceResponse(offsets, null, null);
            });
        }));
    }

    /** The record's bytes; a {@link GatewayException} (400) if its key, value or headers are malformed. */
    private ProduceService.Outgoing outgoing(Integer pathPartition, boolean binary, V2Record record) {
        return new ProduceService.Outgoing(
                pathPartition != null ? pathPartition : record.partition(),
                bytes(record.key(), binary, "key"),
                bytes(record.value(), binary, "value"),
                headers(record.headers()),
                record.timestamp());
    }

    private byte[] bytes(JsonNode node, boolean binary, String what) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!binary) {
            return format.jsonBytes(node);
        }
        if (!node.isString()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, what + " must be base64 text in the binary format.");
        }
        return RecordFormat.base64(node.asString(), what);
    }

    private static List<Header> headers(List<V2Header> headers) {
        if (headers == null) {
            return List.of();
        }
        List<Header> result = new ArrayList<>();
        for (V2Header header : headers) {
            if (header == null || header.key() == null) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Each header needs a key.");
            }
            result.add(new RecordHeader(
                    header.key(),
                    header.value() == null ? null : RecordFormat.base64(header.value(), "header " + header.key())));
        }
        return result;
    }
}
