package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasAfterAppendException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Below {@code min.insync.replicas}: with both followers of a replication-factor-3 partition down
 * (one killed with {@code kill -9}, one stopped with SIGTERM), the leader alone is the ISR, and an
 * acks=all produce is refused with {@code NOT_ENOUGH_REPLICAS} rather than acknowledged on one
 * copy; the workload gets no acknowledgement meanwhile. When the followers return and rejoin, the
 * writes go on, and nothing acknowledged before, during or after is lost.
 */
class MinIsrIT {

    static final String TOPIC = "min-isr";

    @RegisterExtension
    final BrokerProcessCluster cluster =
            BrokerProcessCluster.brokers(3).property("brook.broker.replica-lag-time-max-ms", "3000");

    @Test
    void belowMinIsrAcksAllIsRefusedAndNothingAcknowledgedIsLostWhenTheBrokersReturn() throws Exception {
        cluster.createTopic(TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));

        try (ProducerWorkload workload = new ProducerWorkload(cluster.bootstrap(), TOPIC, 10, 1000);
                KafkaProducer<String, String> probe = probeProducer()) {
            workload.start();
            workload.awaitMoreAcks(300, Duration.ofSeconds(60));

            int leader = cluster.leader(TOPIC, 0);
            List<Integer> followers = cluster.assignment(TOPIC).get(0).stream()
                    .filter(id -> id != leader)
                    .toList();
            System.out.printf("[system-tests] stopping followers %s of leader %d; %s%n", followers, leader, workload);
            cluster.kill(followers.get(0));
            cluster.broker(followers.get(1)).terminate();

            // refused, not acknowledged on the leader alone: a producer without retries sees the error
            await("acks=all refused with NOT_ENOUGH_REPLICAS")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> assertThat(probe(probe))
                            .as("acks=all produce with both followers down (null: it was acknowledged)")
                            .isInstanceOfAny(
                                    NotEnoughReplicasException.class, NotEnoughReplicasAfterAppendException.class));
            assertThat(probe(probe))
                    .as("a second acks=all produce")
                    .isInstanceOfAny(NotEnoughReplicasException.class, NotEnoughReplicasAfterAppendException.class);
            assertThat(BrokerProcessCluster.ids(cluster.partitions(TOPIC).get(0).isr()))
                    .as("ISR below min.insync.replicas")
                    .containsExactly(leader);
            long acked = workload.ackCount();
            await("no acknowledgement below min.insync.replicas")
                    .during(Duration.ofSeconds(3))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> workload.ackCount() == acked);

            for (int follower : followers) {
                cluster.restart(follower);
            }
            cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
            workload.awaitMoreAcks(300, Duration.ofSeconds(60));
            assertThat(probe(probe)).as("acks=all produce with the ISR full").isNull();
            workload.stop();
            NoLossCheck.assertNothingAcknowledgedLost(cluster, TOPIC, workload);
        }
    }

    /** acks=all, no retries (so no idempotence): the first answer is the outcome. */
    private KafkaProducer<String, String> probeProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                        ProducerConfig.RETRIES_CONFIG, 0,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3000,
                        ProducerConfig.LINGER_MS_CONFIG, 0,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5000),
                new StringSerializer(),
                new StringSerializer());
    }

    /**
     * Sends one record with the key {@code probe} and returns the send's error, or null if it was
     * acknowledged. The workload never acknowledged that key, so the checker lets it be.
     */
    private static Throwable probe(KafkaProducer<String, String> probe) {
        Throwable thrown = catchThrowable(() ->
                probe.send(new ProducerRecord<>(TOPIC, 0, "probe", "probe:0")).get(10, TimeUnit.SECONDS));
        return thrown instanceof ExecutionException e ? e.getCause() : thrown;
    }
}
