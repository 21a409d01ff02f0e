package io.brook.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicMetricsTest {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final TopicMetrics metrics = new TopicMetrics(registry);

    double count(String name, String topic) {
        var counter = registry.find(name).tag("topic", topic).counter();
        return counter == null ? -1 : counter.count();
    }

    @Test
    void countsPerTopicAndDropsTheCountersOfDeletedTopics() {
        metrics.appended("a", 3, 300);
        metrics.appended("a", 2, 200);
        metrics.appended("b", 1, 10);
        metrics.fetched("a", 1000);

        assertThat(count("brook.broker.topic.messages.in", "a")).isEqualTo(5);
        assertThat(count("brook.broker.topic.bytes.in", "a")).isEqualTo(500);
        assertThat(count("brook.broker.topic.bytes.out", "a")).isEqualTo(1000);
        assertThat(count("brook.broker.topic.messages.in", "b")).isEqualTo(1);

        metrics.retainTopics(Set.of("b"));
        assertThat(count("brook.broker.topic.messages.in", "a")).isEqualTo(-1);
        assertThat(count("brook.broker.topic.bytes.out", "a")).isEqualTo(-1);
        assertThat(count("brook.broker.topic.messages.in", "b")).isEqualTo(1);
        // A topic created again under the same name starts from zero.
        metrics.appended("a", 1, 1);
        assertThat(count("brook.broker.topic.messages.in", "a")).isEqualTo(1);
    }
}
