package io.brook.gateway.websocket;

import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.error.KafkaErrors;
import io.brook.gateway.http.RecordFormat;
import io.brook.gateway.http.RecordJson;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStream;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import io.brook.gateway.websocket.SocketFrames.ControlFrame;
import io.brook.gateway.websocket.SocketFrames.ErrorFrame;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The consume socket, {@code /v3/clusters/{cluster_id}/topics/{topic_name}/consume-socket}: the
 * server pushes records as JSON text frames ({@link RecordJson} with {@code "type": "record"}) as
 * the client grants credits.
 *
 * <p>Query parameters: {@code group=g} joins consumer group g (acks required, see below); without
 * a group, {@code partition} (repeatable or comma-separated; default all), {@code offset} (each
 * partition's start) or {@code from=beginning|end} (default end) choose a position. {@code
 * credits=N} grants N records at once (default 0: nothing comes until a credit frame); {@code
 * format=auto|string|binary} as for reads.
 *
 * <p>Client frames ({@link ControlFrame}): {@code {"type":"credit","n":N}} grants N more records
 * (Pulsar's permits); the server sends at most the records granted. {@code
 * {"type":"ack","partition":p,"offset":o}} acknowledges the records of partition p up to o and, in
 * a group, commits o + 1 (at-least-once: what is not acked is delivered again after a restart or a
 * rebalance). In a group, at most {@code brook.gateway.streams.max-unacked-records} records are
 * unacknowledged: past that nothing is sent, whatever the credits. Without a group acks are not
 * needed and are ignored.
 *
 * <p>Slow clients are never buffered without bound: when no credit is left the stream's consumer
 * pauses its partitions; frames the connection cannot take wait in a queue ({@link SocketFlow}),
 * and a socket whose queue passes {@code max-queued-frames} is closed with 1013 (try again later),
 * one whose queued frames have not moved for {@code stall-timeout} with 1008, each with a reason.
 * Each socket has its own consumer and thread, so one stalled client slows no other.
 *
 * <p>Closing the socket (either side) closes the consumer: acknowledged offsets are committed and
 * the member leaves its group at once. An unknown cluster, topic or partition, a bad parameter or
 * a malformed client frame closes the socket with 1008 and the reason.
 */
class StreamSocketHandler implements WebSocketHandler {

    private static final Logger LOG = LoggerFactory.getLogger(StreamSocketHandler.class);

    private final OpenSockets open;
    private final ClusterMetadata metadata;
    private final RecordStreams streams;
    private final RecordFormat format;
    private final RecordMetrics recordMetrics;
    private final StreamMetrics metrics;
    private final JsonMapper json;
    private final GatewayProperties.Streams settings;

    StreamSocketHandler(
            OpenSockets open,
            ClusterMetadata metadata,
            RecordStreams streams,
            RecordFormat format,
            RecordMetrics recordMetrics,
            StreamMetrics metrics,
            JsonMapper json,
            GatewayProperties properties) {
        this.open = open;
        this.metadata = metadata;
        this.streams = streams;
        this.format = format;
        this.recordMetrics = recordMetrics;
        this.metrics = metrics;
        this.json = json;
        this.settings = properties.getStreams();
    }

    /** See {@link Sockets#SUBPROTOCOLS}. */
    @Override
    public java.util.List<String> getSubProtocols() {
        return Sockets.SUBPROTOCOLS;
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        metrics.consumeSockets().incrementAndGet();
        open.add(session);
        return Mono.defer(() -> {
                    SocketRequest request = SocketRequest.of(session);
                    RecordFormat.Format how = RecordFormat.Format.of(request.param("format"));
                    RecordStream.Start start = start(request);
                    Long credits = request.longParam("credits");
                    if (credits != null && credits < 0) {
                        throw new GatewayException(ErrorCode.INVALID_REQUEST, "credits must not be negative.");
                    }
                    return metadata.requireCluster(request.clusterId())
                            .then(metadata.topic(request.topic()))
                            .doOnNext(info -> {
                                for (int p : start.partitions()) {
                                    if (p < 0 || p >= info.partitions()) {
                                        throw new GatewayException(
                                                ErrorCode.PARTITION_NOT_FOUND,
                                                "Partition " + p + " of topic " + request.topic() + " not found.");
                                    }
                                }
                            })
                            .then(Mono.defer(() -> run(session, start, how, credits == null ? 0 : credits)));
                })
                .onErrorResume(e -> {
                    metrics.closed("protocol");
                    return session.close(
                            Sockets.policyViolation(KafkaErrors.classify(e).message()));
                })
                .doFinally(signal -> {
                    open.remove(session);
                    metrics.consumeSockets().decrementAndGet();
                });
    }

    private static RecordStream.Start start(SocketRequest request) {
        String group = request.param("group");
        Long offset = request.longParam("offset");
        List<Integer> partitions = request.partitions();
        String from = request.param("from");
        if (from != null && !from.equals("beginning") && !from.equals("end")) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "from must be beginning or end, not '" + from + "'.");
        }
        if (offset != null && offset < 0) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "offset must not be negative.");
        }
        if (group != null && (offset != null || !partitions.isEmpty())) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, "offset and partition select a position without a group, not with one.");
        }
        return new RecordStream.Start(
                request.topic(), group, partitions, offset, from == null ? "end" : from, Map.of(), group != null);
    }

    private Mono<Void> run(WebSocketSession session, RecordStream.Start start, RecordFormat.Format how, long credits) {
        SocketFlow flow = new SocketFlow(settings.getMaxQueuedFrames(), settings.getStallTimeout(), System::nanoTime);
        Sinks.Many<String> out = Sinks.many().unicast().onBackpressureBuffer();
        AtomicBoolean closing = new AtomicBoolean();
        Closer closer = (status, reason) -> {
            if (closing.compareAndSet(false, true)) {
                LOG.info("Closing consume socket {}: {} {}", session.getId(), status.getCode(), status.getReason());
                if (reason != null) {
                    metrics.closed(reason);
                }
                session.close(status).subscribe();
            }
        };
        RecordStream stream = streams.open(start, new RecordStream.Sink() {
            @Override
            public void records(List<ConsumerRecord<byte[], byte[]>> records) {
                long bytes = 0;
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    bytes += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
                    boolean full = flow.enqueued();
                    out.tryEmitNext(json.writeValueAsString(RecordJson.of("record", record, format, how)));
                    if (full) {
                        closer.close(
                                Sockets.tryAgainLater("Outbound queue full (" + settings.getMaxQueuedFrames()
                                        + " frames): the client grants credits but does not read."),
                                "queue_full");
                        return;
                    }
                }
                recordMetrics.consumed(start.topic(), records.size(), bytes);
            }

            @Override
            public void failed(Throwable error) {
                KafkaErrors.Failure f = KafkaErrors.classify(error);
                out.tryEmitNext(
                        json.writeValueAsString(new ErrorFrame("error", f.code().code(), f.message())));
                closer.close(Sockets.status(CloseStatus.SERVER_ERROR.getCode(), f.message()), null);
            }

            @Override
            public void ended() {
                closer.close(Sockets.status(CloseStatus.GOING_AWAY.getCode(), "The gateway is shutting down."), null);
            }
        });
        stream.grant(credits);
        Duration check = settings.getStallTimeout().dividedBy(4);
        Disposable watchdog = Flux.interval(check.isZero() ? Duration.ofMillis(10) : check)
                .subscribe(tick -> {
                    if (flow.stalled()) {
                        closer.close(
                                Sockets.policyViolation("Client stalled: " + flow.queued() + " frames unread for "
                                        + settings.getStallTimeout().toMillis() + " ms."),
                                "stalled");
                    }
                });
        Mono<Void> input = session.receive()
                .map(WebSocketMessage::getPayloadAsText)
                .doOnNext(text -> control(text, start, stream, closer))
                .then()
                .doFinally(signal -> out.tryEmitComplete());
        Mono<Void> output =
                session.send(out.asFlux().doOnNext(frame -> flow.taken()).map(session::textMessage));
        return Mono.when(input, output).onErrorResume(e -> Mono.empty()).doFinally(signal -> {
            watchdog.dispose();
            stream.close();
        });
    }

    private void control(String text, RecordStream.Start start, RecordStream stream, Closer closer) {
        ControlFrame frame;
        try {
            frame = json.readValue(text, ControlFrame.class);
        } catch (JacksonException e) {
            closer.close(Sockets.policyViolation("Malformed frame: " + e.getOriginalMessage()), "protocol");
            return;
        }
        if ("credit".equals(frame.type()) && frame.n() != null && frame.n() > 0) {
            stream.grant(frame.n());
        } else if ("ack".equals(frame.type()) && frame.partition() != null && frame.offset() != null) {
            if (start.acks()) {
                stream.ack(frame.partition(), frame.offset());
            }
        } else {
            closer.close(
                    Sockets.policyViolation("Unknown frame: expected {\"type\":\"credit\",\"n\":N} or "
                            + "{\"type\":\"ack\",\"partition\":p,\"offset\":o}."),
                    "protocol");
        }
    }

    @FunctionalInterface
    private interface Closer {
        void close(CloseStatus status, String metricReason);
    }
}
