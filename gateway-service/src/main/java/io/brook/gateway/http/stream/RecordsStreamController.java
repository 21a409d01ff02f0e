package io.brook.gateway.http.stream;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.RecordJson;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStream;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Server-Sent Events: {@code GET /v3/clusters/{cluster_id}/topics/{topic_name}/records:stream} as
 * {@code text/event-stream}, one event per record: {@code id} is {@code partition:offset}, {@code
 * data} the record as JSON in the produce shape ({@link RecordJson}); the event name is the
 * default ({@code message}), so a browser's {@code EventSource.onmessage} gets them.
 *
 * <p>Where it starts:
 *
 * <ul>
 *   <li>{@code group=g}: joins group g (one member per stream; several streams of one group share
 *       the partitions); the group's committed offsets decide, else {@code from}. The group's
 *       offsets follow the events written to the connection (committed as they are handed to
 *       it), so a new stream in the group goes on where the last one stopped.
 *   <li>no group: the partitions of {@code partition} (repeatable; default all), each from {@code
 *       offset} if given, else from {@code from}: {@code end} (default: only new records) or
 *       {@code beginning}.
 * </ul>
 *
 * <p>Resuming: a browser's EventSource reconnects with {@code Last-Event-ID: p:o}; the stream then
 * starts partition p after offset o (with a group: if this member gets partition p and the group's
 * offset is not already past o). Other partitions start as above, so a resume is exact for one
 * partition, or with a group.
 *
 * <p>Backpressure: the stream fetches only as many records as the response has asked for (Reactor
 * demand, which follows the connection's writability): a client that does not read stops the
 * consumer, and the gateway holds at most one poll of records for it. A comment line ({@code
 * :heartbeat}) is written after {@code brook.gateway.streams.heartbeat-interval} without events,
 * so that proxies keep the connection open.
 */
@RestController
class RecordsStreamController {

    private final ClusterMetadata metadata;
    private final RecordStreams streams;
    private final RecordFormat format;
    private final RecordMetrics recordMetrics;
    private final StreamMetrics streamMetrics;
    private final JsonMapper json;
    private final Duration heartbeat;

    RecordsStreamController(
            ClusterMetadata metadata,
            RecordStreams streams,
            RecordFormat format,
            RecordMetrics recordMetrics,
            StreamMetrics streamMetrics,
            JsonMapper json,
            GatewayProperties properties) {
        this.metadata = metadata;
        this.streams = streams;
        this.format = format;
        this.recordMetrics = recordMetrics;
        this.streamMetrics = streamMetrics;
        this.json = json;
        this.heartbeat = properties.getStreams().getHeartbeatInterval();
    }

    @Operation(
            operationId = "streamRecords",
            summary = "Stream records as Server-Sent Events (id partition:offset), in a group or from a position")
    @GetMapping(
            path = "/v3/clusters/{cluster_id}/topics/{topic_name}/records:stream",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<String>> stream(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("topic_name") String topic,
            @Parameter(description = "consumer group to join; none: read from a position")
                    @RequestParam(name = "group", required = false)
                    String group,
            @Parameter(description = "partitions to read without a group (repeatable); default all")
                    @RequestParam(name = "partition", required = false)
                    List<Integer> partitions,
            @Parameter(description = "offset to start each partition at, without a group")
                    @RequestParam(name = "offset", required = false)
                    Long offset,
            @Parameter(description = "beginning or end (default): where to start without an offset")
                    @RequestParam(name = "from", required = false)
                    String from,
            @Parameter(description = "auto (default), string or binary: how keys and values are encoded")
                    @RequestParam(name = "format", required = false)
                    String formatName,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        RecordFormat.Format how = RecordFormat.Format.of(formatName);
        String start = from(from);
        if (offset != null && offset < 0) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "offset must not be negative.");
        }
        if (group != null && (offset != null || partitions != null && !partitions.isEmpty())) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, "offset and partition select a position without a group, not with one.");
        }
        Map<Integer, Long> resume = lastEventId(lastEventId);
        RecordStream.Start what = new RecordStream.Start(topic, group, partitions, offset, start, resume, false);
        return metadata.requireCluster(clusterId)
                .then(metadata.topic(topic))
                .doOnNext(info -> {
                    if (partitions != null) {
                        for (int p : partitions) {
                            if (p < 0 || p >= info.partitions()) {
                                throw new GatewayException(
                                        ErrorCode.PARTITION_NOT_FOUND,
                                        "Partition " + p + " of topic " + topic + " not found.");
                            }
                        }
                    }
                })
                .thenMany(Flux.defer(() -> events(what, how)));
    }

    static String from(String from) {
        if (from == null || from.isBlank() || from.equals("end")) {
            return "end";
        }
        if (from.equals("beginning")) {
            return "beginning";
        }
        throw new GatewayException(ErrorCode.INVALID_REQUEST, "from must be beginning or end, not '" + from + "'.");
    }

    /** {@code p:o} as {p: o}; empty if absent; 400 if malformed. */
    static Map<Integer, Long> lastEventId(String id) {
        if (id == null || id.isBlank()) {
            return Map.of();
        }
        String[] parts = id.trim().split(":");
        try {
            if (parts.length == 2) {
                return Map.of(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
        } catch (NumberFormatException e) {
            // Fall through to the error below.
        }
        throw new GatewayException(
                ErrorCode.INVALID_REQUEST, "Last-Event-ID must be partition:offset, not '" + id + "'.");
    }

    private Flux<ServerSentEvent<String>> events(RecordStream.Start what, RecordFormat.Format how) {
        AtomicLong lastEvent = new AtomicLong(System.nanoTime());
        Flux<ServerSentEvent<String>> records = Flux.create(sink -> {
            RecordStream stream = streams.open(what, new RecordStream.Sink() {
                @Override
                public void records(List<ConsumerRecord<byte[], byte[]>> batch) {
                    long bytes = 0;
                    for (ConsumerRecord<byte[], byte[]> record : batch) {
                        bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                        sink.next(ServerSentEvent.<String>builder()
                                .id(RecordJson.eventId(record))
                                .data(json.writeValueAsString(RecordJson.of(null, record, format, how)))
                                .build());
                    }
                    lastEvent.set(System.nanoTime());
                    recordMetrics.consumed(what.topic(), batch.size(), bytes);
                }

                @Override
                public void failed(Throwable error) {
                    sink.error(error);
                }

                @Override
                public void ended() {
                    sink.complete();
                }
            });
            sink.onRequest(stream::grant);
            sink.onDispose(stream::close);
        });
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(heartbeat, heartbeat)
                .onBackpressureDrop()
                .filter(tick -> System.nanoTime() - lastEvent.get() >= heartbeat.toNanos())
                .map(tick ->
                        ServerSentEvent.<String>builder().comment("heartbeat").build());
        // merge asks each source for a small prefetch, so the stream fetches at most that much ahead.
        return Flux.merge(records, heartbeats)
                .doOnSubscribe(s -> streamMetrics.sseStreams().incrementAndGet())
                .doFinally(signal -> streamMetrics.sseStreams().decrementAndGet());
    }
}
