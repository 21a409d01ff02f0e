package io.brook.gateway.http.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.brook.gateway.http.metrics.ThroughputSampler.Observation;
import io.brook.gateway.http.metrics.ThroughputSampler.Sample;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** How two observations of offsets and sizes become a throughput sample. */
class ThroughputRatesTest {

    static final TopicPartition T0 = new TopicPartition("t", 0);
    static final TopicPartition T1 = new TopicPartition("t", 1);
    static final TopicPartition U0 = new TopicPartition("u", 0);

    @Test
    void ratesAreTheChangesPerSecondSummedPerTopic() {
        Observation before = new Observation(10_000, Map.of(T0, 100L, T1, 50L), Map.of(T0, 10_000L, T1, 4_000L));
        Observation after = new Observation(12_000, Map.of(T0, 140L, T1, 70L), Map.of(T0, 14_000L, T1, 6_000L));
        Sample sample = ThroughputSampler.rates(before, after);
        assertThat(sample.timestamp()).isEqualTo(12_000);
        assertThat(sample.topics().get("t").messagesPerSec()).isCloseTo(30.0, within(1e-9));
        assertThat(sample.topics().get("t").bytesPerSec()).isCloseTo(3_000.0, within(1e-9));
        assertThat(sample.messagesPerSec()).isCloseTo(30.0, within(1e-9));
        assertThat(sample.bytesPerSec()).isCloseTo(3_000.0, within(1e-9));
    }

    @Test
    void shrinkingAndNewPartitionsCountZero() {
        // Retention removed segments of t-0 while records came in; u-0 appeared between the two.
        Observation before = new Observation(0, Map.of(T0, 100L), Map.of(T0, 50_000L));
        Observation after = new Observation(5_000, Map.of(T0, 110L, U0, 30L), Map.of(T0, 1_000L, U0, 3_000L));
        Sample sample = ThroughputSampler.rates(before, after);
        assertThat(sample.topics().get("t").messagesPerSec()).isCloseTo(2.0, within(1e-9));
        assertThat(sample.topics().get("t").bytesPerSec()).isZero();
        assertThat(sample.topics().get("u").messagesPerSec()).isZero();
        assertThat(sample.topics().get("u").bytesPerSec()).isZero();
        assertThat(sample.messagesPerSec()).isCloseTo(2.0, within(1e-9));
    }
}
