package io.brook.gateway.websocket;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.error.KafkaErrors;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.produce.ProduceService;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.StreamMetrics;
import io.brook.gateway.websocket.SocketFrames.HeaderData;
import io.brook.gateway.websocket.SocketFrames.ProduceFrame;
import io.brook.gateway.websocket.SocketFrames.ProduceReply;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The produce socket, {@code
 * /v3/clusters/{cluster_id}/topics/{topic_name}/produce-socket[?acks=][&timeout_ms=]}:
 * each text frame is one record ({@link ProduceFrame}), answered by one frame ({@link ProduceReply})
 * with the frame's {@code context} and the record's partition, offset and timestamp once the broker
 * acknowledged it, or an {@code error_code} and {@code message}. Replies come in the order of the
 * frames. A frame that is not valid JSON is answered with 40001 and the socket goes on. {@code
 * timeout_ms} (default and maximum {@code brook.gateway.producer.delivery-timeout}) bounds the
 * wait for each frame's acknowledgement: past it the frame's reply is error_code 50401, and its
 * record may still be written.
 *
 * <p>Backpressure: at most {@code brook.gateway.streams.max-in-flight-produce} records of a socket
 * are sent and not yet acknowledged; at the bound the socket reads no more frames, so TCP pushes
 * back on the client.
 *
 * <p>An unknown cluster or topic, or a bad {@code timeout_ms}, closes the socket at once with 1008
 * and the reason.
 */
class ProduceSocketHandler implements WebSocketHandler {

    private final OpenSockets open;
    private final ProduceService produce;
    private final ClusterMetadata metadata;
    private final RecordFormat format;
    private final JsonMapper json;
    private final StreamMetrics metrics;
    private final int maxInFlight;

    ProduceSocketHandler(
            OpenSockets open,
            ProduceService produce,
            ClusterMetadata metadata,
            RecordFormat format,
            JsonMapper json,
            StreamMetrics metrics,
            GatewayProperties properties) {
        this.open = open;
        this.produce = produce;
        this.metadata = metadata;
        this.format = format;
        this.json = json;
        this.metrics = metrics;
        this.maxInFlight = properties.getStreams().getMaxInFlightProduce();
    }

    /** See {@link Sockets#SUBPROTOCOLS}. */
    @Override
    public java.util.List<String> getSubProtocols() {
        return Sockets.SUBPROTOCOLS;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        SocketRequest request = SocketRequest.of(session);
        String acks = request.param("acks");
        metrics.produceSockets().incrementAndGet();
        open.add(session);
        return Mono.fromCallable(() -> produce.timeout(request.param("timeout_ms")))
                .flatMap(timeout -> metadata.requireCluster(request.clusterId())
                        .then(produce.topic(request.topic()))
                        .then(session.send(session.receive()
                                .map(WebSocketMessage::getPayloadAsText)
                                // One frame at a time to the producer, so that records keep their order...
                                .concatMap(text -> dispatch(request.topic(), text, acks, timeout), 1)
                                // ...and at most maxInFlight awaiting their acknowledgement.
                                .flatMapSequential(reply -> reply, maxInFlight, 1)
                                .map(reply -> session.textMessage(json.writeValueAsString(reply))))))
                .onErrorResume(e -> {
                    metrics.closed("protocol");
                    return session.close(
                            Sockets.policyViolation(KafkaErrors.classify(e).message()));
                })
                .doFinally(signal -> {
                    open.remove(session);
                    metrics.produceSockets().decrementAndGet();
                });
    }

    private Mono<Mono<ProduceReply>> dispatch(String topic, String text, String acks, Duration timeout) {
        ProduceFrame frame;
        try {
            frame = json.readValue(text, ProduceFrame.class);
        } catch (JacksonException e) {
            return Mono.just(Mono.just(failure(
                    null,
                    new GatewayException(ErrorCode.MALFORMED_JSON, "Malformed JSON: " + e.getOriginalMessage()))));
        }
        JsonNode context = frame.context();
        ProduceService.Outgoing outgoing;
        try {
            outgoing = new ProduceService.Outgoing(
                    frame.partition(),
                    format.encode(frame.key(), "key"),
                    format.encode(frame.value(), "value"),
                    headers(frame.headers()),
                    frame.timestamp());
        } catch (RuntimeException e) {
            return Mono.just(Mono.just(failure(context, e)));
        }
        return produce.dispatch(topic, outgoing, acks, timeout)
                .map(acked -> acked.map(sent -> new ProduceReply(
                                context,
                                sent.partition(),
                                sent.hasOffset() ? sent.offset() : -1L,
                                sent.hasTimestamp()
                                        ? Instant.ofEpochMilli(sent.timestamp()).toString()
                                        : null,
                                null,
                                null))
                        .onErrorResume(e -> Mono.just(failure(context, e))));
    }

    private static ProduceReply failure(JsonNode context, Throwable error) {
        KafkaErrors.Failure f = KafkaErrors.classify(error);
        return new ProduceReply(context, null, null, null, f.code().code(), f.message());
    }

    private static List<Header> headers(List<HeaderData> headers) {
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
}
