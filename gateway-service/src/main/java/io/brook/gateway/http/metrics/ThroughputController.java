package io.brook.gateway.http.metrics;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.kafka.ClusterMetadata;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code GET /v3/clusters/{cluster_id}/metrics/throughput?window=}: the throughput samples the
 * gateway keeps ({@link ThroughputSampler}), oldest first, in total and per topic: {@code
 * {"interval_ms": 5000, "samples": [{"timestamp": ms, "messages_per_sec", "bytes_per_sec",
 * "topics": {"t": {"messages_per_sec", "bytes_per_sec"}}}]}}. Asking starts the sampling if it
 * was idle, so the first answer after a pause may have no samples yet.
 */
@RestController
class ThroughputController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record TopicThroughput(double messagesPerSec, double bytesPerSec) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ThroughputSample(
            long timestamp, double messagesPerSec, double bytesPerSec, Map<String, TopicThroughput> topics) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Throughput(long intervalMs, List<ThroughputSample> samples) {}

    private final ClusterMetadata metadata;
    private final ThroughputSampler sampler;

    ThroughputController(ClusterMetadata metadata, ThroughputSampler sampler) {
        this.metadata = metadata;
        this.sampler = sampler;
    }

    @Operation(
            operationId = "getThroughput",
            summary = "Messages and bytes per second, in total and per topic, sampled by the gateway")
    @GetMapping("/v3/clusters/{cluster_id}/metrics/throughput")
    Mono<Throughput> throughput(
            @PathVariable("cluster_id") String clusterId,
            @Parameter(description = "how far back: 5m, 300s, 300000 (ms); default all samples kept")
                    @RequestParam(name = "window", required = false)
                    String window) {
        Duration span = window(window);
        return metadata.requireCluster(clusterId)
                .then(Mono.fromSupplier(() -> new Throughput(
                        sampler.intervalMs(),
                        sampler.samples(span).stream()
                                .map(s -> new ThroughputSample(
                                        s.timestamp(),
                                        s.messagesPerSec(),
                                        s.bytesPerSec(),
                                        s.topics().entrySet().stream()
                                                .collect(Collectors.toMap(
                                                        Map.Entry::getKey,
                                                        e -> new TopicThroughput(
                                                                e.getValue().messagesPerSec(),
                                                                e.getValue().bytesPerSec()),
                                                        (a, b) -> a,
                                                        TreeMap::new))))
                                .toList())));
    }

    /** A duration in Spring's forms ({@code 5m}, {@code 300s}, ISO-8601) or plain milliseconds. */
    static Duration window(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration duration = DurationStyle.detectAndParse(text.trim());
            if (duration.isNegative()) {
                throw new IllegalArgumentException();
            }
            return duration;
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, "window must be a duration such as 5m, 300s or 300000 (ms).");
        }
    }
}
