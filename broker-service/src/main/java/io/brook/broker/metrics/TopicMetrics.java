package io.brook.broker.metrics;

import io.brook.broker.replication.TopicStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kafka's {@code BrokerTopicMetrics} per topic: {@code brook_broker_topic_messages_in_total},
 * {@code brook_broker_topic_bytes_in_total} (records and bytes appended as leader) and {@code
 * brook_broker_topic_bytes_out_total} (bytes fetched by consumers and followers), each with the
 * label {@code topic}.
 *
 * <p>A topic's counters are registered on its first record and then kept in a map, so that
 * counting is a map lookup and an add. {@link #retainTopics} drops the counters of deleted topics.
 *
 * <p>Threading: thread-safe.
 */
public final class TopicMetrics implements TopicStats {

    private record Meters(Counter messagesIn, Counter bytesIn, Counter bytesOut) {}

    private final MeterRegistry registry;
    private final Map<String, Meters> byTopic = new ConcurrentHashMap<>();

    public TopicMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void appended(String topic, long records, long bytes) {
        Meters meters = meters(topic);
        meters.messagesIn().increment(records);
        meters.bytesIn().increment(bytes);
    }

    @Override
    public void fetched(String topic, long bytes) {
        meters(topic).bytesOut().increment(bytes);
    }

    private Meters meters(String topic) {
        Meters meters = byTopic.get(topic);
        return meters != null ? meters : byTopic.computeIfAbsent(topic, this::register);
    }

    private Meters register(String topic) {
        return new Meters(
                Counter.builder("brook.broker.topic.messages.in")
                        .description("Records appended as leader (Kafka's MessagesInPerSec)")
                        .tag("topic", topic)
                        .register(registry),
                Counter.builder("brook.broker.topic.bytes.in")
                        .description("Bytes produced to this broker as leader (Kafka's BytesInPerSec)")
                        .tag("topic", topic)
                        .register(registry),
                Counter.builder("brook.broker.topic.bytes.out")
                        .description("Bytes fetched from this broker by consumers and followers (BytesOutPerSec)")
                        .tag("topic", topic)
                        .register(registry));
    }

    /** Removes the counters of topics not in {@code topics} (deleted topics). */
    public void retainTopics(Set<String> topics) {
        byTopic.keySet().removeIf(topic -> {
            if (topics.contains(topic)) {
                return false;
            }
            Meters meters = byTopic.get(topic);
            if (meters != null) {
                registry.remove(meters.messagesIn());
                registry.remove(meters.bytesIn());
                registry.remove(meters.bytesOut());
            }
            return true;
        });
    }
}
