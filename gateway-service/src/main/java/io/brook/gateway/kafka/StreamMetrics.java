package io.brook.gateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gauges of the gateway's open streams, on {@code /actuator/prometheus}: {@code
 * brook_gateway_websocket_sessions{kind="produce"|"consume"}} and {@code brook_gateway_sse_streams};
 * and the counter {@code brook_gateway_websocket_closed_total{reason}} of sockets the gateway closed
 * on a slow or misbehaving client ({@code stalled}, {@code queue_full}, {@code protocol}). Records
 * and bytes consumed are counted per topic by {@link RecordMetrics}.
 *
 * <p>Threading: thread-safe.
 */
public class StreamMetrics {

    private final MeterRegistry registry;
    private final AtomicInteger produceSockets = new AtomicInteger();
    private final AtomicInteger consumeSockets = new AtomicInteger();
    private final AtomicInteger sseStreams = new AtomicInteger();

    public StreamMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("brook.gateway.websocket.sessions", produceSockets, AtomicInteger::get)
                .description("Open WebSocket sessions")
                .tag("kind", "produce")
                .register(registry);
        Gauge.builder("brook.gateway.websocket.sessions", consumeSockets, AtomicInteger::get)
                .description("Open WebSocket sessions")
                .tag("kind", "consume")
                .register(registry);
        Gauge.builder("brook.gateway.sse.streams", sseStreams, AtomicInteger::get)
                .description("Open Server-Sent Events streams")
                .register(registry);
    }

    public AtomicInteger produceSockets() {
        return produceSockets;
    }

    public AtomicInteger consumeSockets() {
        return consumeSockets;
    }

    public AtomicInteger sseStreams() {
        return sseStreams;
    }

    /** A socket the gateway closed because of its client. */
    public void closed(String reason) {
        Counter.builder("brook.gateway.websocket.closed")
                .description("WebSocket sessions closed by the gateway because of the client")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
