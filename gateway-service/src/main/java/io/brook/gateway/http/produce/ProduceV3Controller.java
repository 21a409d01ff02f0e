package io.brook.gateway.http.produce;

import static io.brook.gateway.http.produce.ProduceService.TIMEOUT_MS;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.error.KafkaErrors;
import io.brook.gateway.http.RecordData;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.produce.ProduceV3Json.BatchEntry;
import io.brook.gateway.http.produce.ProduceV3Json.BatchRequest;
import io.brook.gateway.http.produce.ProduceV3Json.BatchResponse;
import io.brook.gateway.http.produce.ProduceV3Json.HeaderData;
import io.brook.gateway.http.produce.ProduceV3Json.ProduceRequest;
import io.brook.gateway.http.produce.ProduceV3Json.ProduceResponse;
import io.brook.gateway.http.produce.ProduceV3Json.SizeData;
import io.brook.gateway.kafka.ClusterMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Confluent REST v3 produce: {@code POST /v3/clusters/{cluster_id}/topics/{topic_name}/records}
 * and {@code .../records:batch}.
 *
 * <p>{@code records} takes one JSON record, or several concatenated ({@code {...}{...}} or one per
 * line) in one body, typically sent with chunked transfer encoding: streaming mode. The answer is
 * one delivery report per record, in the order of the records, each a JSON object on its own line,
 * written as soon as that record (and all before it) is acknowledged; records are sent as they
 * arrive, without waiting for earlier acknowledgements, so a stream keeps the producer's batches
 * full. A failure of the first record answers the request with its HTTP error (as a single-record
 * request expects); a failure of a later record, once the 200 is sent, is a report with its {@code
 * error_code} and {@code message}, and the stream goes on. Malformed JSON in the middle of a
 * stream cannot be answered with a status any more: the reports of the records before it are
 * written and the response is aborted.
 *
 * <p>{@code records:batch} takes {@code {"entries": [{"id": ..., ...}]}} (at most {@code
 * brook.gateway.limits.max-batch-entries}, ids unique), hands all its records to the producer at
 * once ({@link ProduceService#sendAll}) and answers 207 with {@code successes} and {@code failures}
 * by id once every record is acknowledged or failed.
 *
 * <p>Both take an optional {@code acks} parameter ({@code all}, {@code 1}, {@code 0}; default
 * {@code brook.gateway.producer.acks}). With acks=0 the offset is -1. And an optional {@code
 * timeout_ms}, the longest wait for each record's acknowledgement (default and maximum {@code
 * brook.gateway.producer.delivery-timeout}): a record not acknowledged in time is answered 504
 * (error_code 50401) when it is the only or first record of a request, else with that error in its
 * report or batch failure; it may still be written (see {@link ProduceService}).
 */
@RestController
class ProduceV3Controller {

    /** Records of one request or stream sent and not yet acknowledged, at most. */
    static final int IN_FLIGHT = 256;

    private final ProduceService produce;
    private final ClusterMetadata metadata;
    private final RecordFormat format;
    private final JsonMapper json;
    private final int maxBatchEntries;

    ProduceV3Controller(
            ProduceService produce,
            ClusterMetadata metadata,
            RecordFormat format,
            JsonMapper json,
            io.brook.gateway.config.GatewayProperties properties) {
        this.produce = produce;
        this.metadata = metadata;
        this.format = format;
        this.json = json;
        this.maxBatchEntries = properties.getLimits().getMaxBatchEntries();
    }

    @Operation(
            operationId = "produceRecords",
            summary = "Produce a record, or a stream of records (one delivery report per record, in order)",
            responses =
                    @ApiResponse(
                            responseCode = "200",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = ProduceResponse.class))))
    @PostMapping(
            path = "/v3/clusters/{cluster_id}/topics/{topic_name}/records",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Flux<String> produce(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @RequestParam(name = "acks", required = false) String acks,
            @Parameter(description = TIMEOUT_MS, schema = @Schema(type = "integer"))
                    @RequestParam(name = "timeout_ms", required = false)
                    String timeoutMs,
            @RequestBody Flux<ProduceRequest> records) {
        Duration timeout = produce.timeout(timeoutMs);
        return metadata.requireCluster(clusterId)
                .then(produce.topic(topic))
                .thenMany(records.index())
                .concatMap(indexed -> dispatch(clusterId, topic, indexed.getT2(), acks, timeout)
                        .map(acked -> acked.map(this::line)
                                .onErrorResume(e -> indexed.getT1() > 0, e -> Mono.just(line(failure(e))))))
                // At most this many records are in flight (sent, not yet acknowledged) per stream.
                .flatMapSequential(acked -> acked, IN_FLIGHT);
    }

    @Operation(
            operationId = "produceRecordsBatch",
            summary = "Produce a batch of records; 207 with successes and failures",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            content = @Content(schema = @Schema(implementation = BatchRequest.class))),
            responses =
                    @ApiResponse(
                            responseCode = "207",
                            content =
                                    @Content(
                                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                                            schema = @Schema(implementation = BatchResponse.class))))
    @PostMapping(
            path = "/v3/clusters/{cluster_id}/topics/{topic_name}/records:batch",
            consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<byte[]>> produceBatch(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @RequestParam(name = "acks", required = false) String acks,
            @Parameter(description = TIMEOUT_MS, schema = @Schema(type = "integer"))
                    @RequestParam(name = "timeout_ms", required = false)
                    String timeoutMs,
            @RequestBody byte[] body) {
        // The body is read and the answer written by BatchJson, the cheap way; see there.
        BatchRequest batch = BatchJson.read(body, json);
        Duration timeout = produce.timeout(timeoutMs);
        List<BatchEntry> entries = batch.entries() == null ? List.of() : batch.entries();
        validateBatch(entries);
        return metadata.requireCluster(clusterId).then(Mono.defer(() -> {
            // Each entry is encoded first; one that cannot be is a failure of its own and is not sent.
            ProduceService.Outgoing[] encoded = new ProduceService.Outgoing[entries.size()];
            Throwable[] errors = new Throwable[entries.size()];
            List<ProduceService.Outgoing> toSend = new ArrayList<>(entries.size());
            for (int i = 0; i < entries.size(); i++) {
                try {
                    encoded[i] = outgoing(entries.get(i).record());
                    toSend.add(encoded[i]);
                } catch (RuntimeException e) {
                    errors[i] = e;
                }
            }
            return produce.sendAll(topic, toSend, acks, timeout).map(sent -> {
                RecordMetadata[] acked = new RecordMetadata[entries.size()];
                int next = 0;
                for (int i = 0; i < entries.size(); i++) {
                    if (errors[i] == null) {
                        ProduceService.Sent outcome = sent.get(next++);
                        errors[i] = outcome.error();
                        acked[i] = outcome.metadata();
                    }
                }
                return ResponseEntity.status(HttpStatus.MULTI_STATUS)
                        .contentType(MediaType.APPLICATION_JSON)
                        .body(BatchJson.answer(json, clusterId, entries, encoded, errors, acked));
            });
        }));
    }

    private void validateBatch(List<BatchEntry> entries) {
        if (entries.isEmpty()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "entries must hold at least one record.");
        }
        if (entries.size() > maxBatchEntries) {
            throw new GatewayException(
                    ErrorCode.REQUEST_TOO_LARGE,
                    "A batch holds at most " + maxBatchEntries + " entries, not " + entries.size() + ".");
        }
        Set<String> ids = new HashSet<>();
        for (BatchEntry entry : entries) {
            if (entry.id() == null || entry.id().isEmpty() || entry.id().length() > 80) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Each entry needs an id of 1 to 80 characters.");
            }
            if (!ids.add(entry.id())) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Duplicate entry id '" + entry.id() + "'.");
            }
        }
    }

    private Mono<Mono<ProduceResponse>> dispatch(
            String clusterId, String topic, ProduceRequest request, String acks, Duration timeout) {
        ProduceService.Outgoing outgoing;
        try {
            outgoing = outgoing(request);
        } catch (RuntimeException e) {
            return Mono.just(Mono.error(e));
        }
        return produce.dispatch(topic, outgoing, acks, timeout)
                .map(acked -> acked.map(sent -> success(clusterId, sent, request, outgoing)));
    }

    /** The record's bytes; a {@link GatewayException} (400) if its key, value or headers are malformed. */
    private ProduceService.Outgoing outgoing(ProduceRequest request) {
        return new ProduceService.Outgoing(
                request.partitionId(),
                format.encode(request.key(), "key"),
                format.encode(request.value(), "value"),
                headers(request.headers()),
                timestamp(request.timestamp()));
    }

    private static ProduceResponse success(
            String clusterId, RecordMetadata sent, ProduceRequest request, ProduceService.Outgoing outgoing) {
        return new ProduceResponse(
                200,
                null,
                clusterId,
                sent.topic(),
                sent.partition(),
                sent.hasOffset() ? sent.offset() : -1L,
                sent.hasTimestamp() ? Instant.ofEpochMilli(sent.timestamp()).toString() : null,
                size(request.key(), outgoing.keySize()),
                size(request.value(), outgoing.valueSize()));
    }

    private static SizeData size(RecordData data, int size) {
        if (data == null || data.data() == null || data.data().isNull()) {
            return null;
        }
        return new SizeData(data.type() == null ? "JSON" : data.type().toUpperCase(Locale.ROOT), size);
    }

    private static ProduceResponse failure(Throwable error) {
        KafkaErrors.Failure f = KafkaErrors.classify(error);
        return new ProduceResponse(f.code().code(), f.message(), null, null, null, null, null, null, null);
    }

    private String line(ProduceResponse response) {
        return json.writeValueAsString(response) + "\n";
    }

    static List<Header> headers(List<HeaderData> headers) {
        if (headers == null) {
            return List.of();
        }
        List<Header> result = new ArrayList<>(headers.size());
        for (HeaderData header : headers) {
            if (header == null || header.name() == null || header.name().isEmpty()) {
                throw new GatewayException(ErrorCode.INVALID_REQUEST, "Each header needs a name.");
            }
            byte[] value =
                    header.value() == null ? null : RecordFormat.base64(header.value(), "header " + header.name());
            result.add(new RecordHeader(header.name(), value));
        }
        return result;
    }

    /** Epoch milliseconds or ISO-8601 text; null when absent. */
    static Long timestamp(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isString()) {
            try {
                return Instant.parse(node.asString()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new GatewayException(
                        ErrorCode.INVALID_REQUEST, "timestamp must be ISO-8601 (2024-01-31T12:00:00Z) or epoch ms.");
            }
        }
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "timestamp must be ISO-8601 text or epoch ms.");
    }
}
