package io.brook.gateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-topic counters of what passes through the gateway, on {@code /actuator/prometheus} as
 * {@code brook_gateway_produced_records_total{topic}}, {@code brook_gateway_produced_bytes_total},
 * {@code brook_gateway_consumed_records_total} and {@code brook_gateway_consumed_bytes_total}.
 * Bytes are key plus value, as Kafka's record size without overhead. Only acknowledged records
 * count as produced.
 *
 * <p>The counters of a topic are registered once and kept here: registering looks the meter up by
 * name and tags (building and hashing the tags each time), which at hundreds of thousands of
 * records a second cost more than the count itself.
 *
 * <p>Threading: thread-safe.
 */
public class RecordMetrics {

    private record Counters(Counter records, Counter bytes) {}

    private final MeterRegistry registry;
    private final Map<String, Counters> produced = new ConcurrentHashMap<>();
    private final Map<String, Counters> consumed = new ConcurrentHashMap<>();

    public RecordMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void produced(String topic, long records, long bytes) {
        count(produced.computeIfAbsent(topic, t -> counters("brook.gateway.produced", t)), records, bytes);
    }

    public void consumed(String topic, long records, long bytes) {
        count(consumed.computeIfAbsent(topic, t -> counters("brook.gateway.consumed", t)), records, bytes);
    }

    private static void count(Counters counters, long records, long bytes) {
        counters.records().increment(records);
        counters.bytes().increment(bytes);
    }

    private Counters counters(String prefix, String topic) {
        return new Counters(
                Counter.builder(prefix + ".records")
                        .baseUnit("records")
                        .tag("topic", topic)
                        .register(registry),
                Counter.builder(prefix + ".bytes")
                        .baseUnit("bytes")
                        .tag("topic", topic)
                        .register(registry));
    }
}
