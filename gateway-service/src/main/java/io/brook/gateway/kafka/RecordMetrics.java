package io.brook.gateway.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per-topic counters of what passes through the gateway, on {@code /actuator/prometheus} as
 * {@code brook_gateway_produced_records_total{topic}}, {@code brook_gateway_produced_bytes_total},
 * {@code brook_gateway_consumed_records_total} and {@code brook_gateway_consumed_bytes_total}.
 * Bytes are key plus value, as Kafka's record size without overhead. Only acknowledged records
 * count as produced.
 *
 * <p>Threading: thread-safe (Micrometer caches the counters by name and tags).
 */
public class RecordMetrics {

    private final MeterRegistry registry;

    public RecordMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void produced(String topic, long records, long bytes) {
        count("brook.gateway.produced.records", topic, "records", records);
        count("brook.gateway.produced.bytes", topic, "bytes", bytes);
    }

    public void consumed(String topic, long records, long bytes) {
        count("brook.gateway.consumed.records", topic, "records", records);
        count("brook.gateway.consumed.bytes", topic, "bytes", bytes);
    }

    private void count(String name, String topic, String unit, long amount) {
        Counter.builder(name)
                .baseUnit(unit)
                .tag("topic", topic)
                .register(registry)
                .increment(amount);
    }
}
