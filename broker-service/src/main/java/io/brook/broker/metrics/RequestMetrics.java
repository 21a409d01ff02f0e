package io.brook.broker.metrics;

import io.brook.broker.network.NetworkObserver;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * Kafka's {@code RequestMetrics} and the network's thread and connection gauges, from what the
 * network layer reports ({@link NetworkObserver}):
 *
 * <ul>
 *   <li>{@code brook_request_total_time_ms}, {@code brook_request_queue_time_ms}, {@code
 *       brook_request_local_time_ms}, {@code brook_request_remote_time_ms}: summaries in
 *       milliseconds with the label {@code request} (Kafka's API name, {@code Produce}, {@code
 *       Fetch}, ...) and the quantiles 0.5, 0.95 and 0.99 (over Micrometer's sliding window, two
 *       minutes by default); their {@code _count} is the request rate;
 *   <li>{@code brook_request_handler_avg_idle_percent} and {@code
 *       brook_network_processor_avg_idle_percent}: the share of time, 0 to 1, that the
 *       request-handler threads and the network threads were idle (see {@link IdleRatio});
 *   <li>{@code brook_socket_server_connections{listener}}: open client connections.
 * </ul>
 *
 * <p>The four summaries of an API are registered on its first request and kept in an array
 * indexed by the API key's ordinal: a request costs four array reads and four records.
 *
 * <p>Threading: thread-safe.
 */
public final class RequestMetrics implements NetworkObserver {

    private static final double NANOS_PER_MS = 1_000_000.0;

    private record Summaries(
            DistributionSummary total,
            DistributionSummary queue,
            DistributionSummary local,
            DistributionSummary remote) {}

    private final MeterRegistry registry;
    private final AtomicReferenceArray<Summaries> byApi = new AtomicReferenceArray<>(ApiKeys.values().length);
    private final IdleRatio handlerIdle;
    private final IdleRatio networkIdle;

    /**
     * @param handlerThreads the request-handler threads ({@code num.io.threads})
     * @param networkThreads the network threads ({@code num.network.threads})
     */
    public RequestMetrics(MeterRegistry registry, int handlerThreads, int networkThreads) {
        this.registry = registry;
        this.handlerIdle = new IdleRatio(handlerThreads, System::nanoTime);
        this.networkIdle = new IdleRatio(networkThreads, System::nanoTime);
        Gauge.builder("brook.request.handler.avg.idle.percent", handlerIdle, IdleRatio::idleRatio)
                .description(
                        "Share of time the request handler threads were idle, 0 to 1 (RequestHandlerAvgIdlePercent)")
                .register(registry);
        Gauge.builder("brook.network.processor.avg.idle.percent", networkIdle, IdleRatio::idleRatio)
                .description("Share of time the network threads were idle, 0 to 1 (NetworkProcessorAvgIdlePercent)")
                .register(registry);
    }

    /** {@code brook_socket_server_connections{listener}}, read from {@code count} at each scrape. */
    public void bindConnections(String listener, Supplier<Number> count) {
        Gauge.builder("brook.socket.server.connections", count)
                .description("Open client connections")
                .tag("listener", listener)
                .register(registry);
    }

    @Override
    public void requestCompleted(
            ApiKeys api, long receivedNanos, long handlerStartNanos, long handlerEndNanos, long completedNanos) {
        Summaries s = summaries(api);
        s.queue().record((handlerStartNanos - receivedNanos) / NANOS_PER_MS);
        s.local().record((handlerEndNanos - handlerStartNanos) / NANOS_PER_MS);
        s.remote().record(Math.max(0, completedNanos - handlerEndNanos) / NANOS_PER_MS);
        s.total().record((completedNanos - receivedNanos) / NANOS_PER_MS);
    }

    @Override
    public void requestHandlerBusy(long nanos) {
        handlerIdle.busy(nanos);
    }

    @Override
    public void networkBusy(long nanos) {
        networkIdle.busy(nanos);
    }

    private Summaries summaries(ApiKeys api) {
        Summaries s = byApi.get(api.ordinal());
        if (s == null) {
            // Registering twice returns the same meters: a race here only repeats the lookup.
            s = new Summaries(
                    summary("brook.request.total.time.ms", api, "received to answered"),
                    summary("brook.request.queue.time.ms", api, "waiting for a request handler thread"),
                    summary("brook.request.local.time.ms", api, "in the request handler"),
                    summary("brook.request.remote.time.ms", api, "waiting for followers or fetch.min.bytes"));
            byApi.set(api.ordinal(), s);
        }
        return s;
    }

    private DistributionSummary summary(String name, ApiKeys api, String what) {
        return DistributionSummary.builder(name)
                .description("Request time in milliseconds, " + what)
                .tag("request", api.name)
                .publishPercentiles(0.5, 0.95, 0.99)
                .register(registry);
    }
}
