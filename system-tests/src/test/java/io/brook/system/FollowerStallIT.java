package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A follower cut off with SIGSTOP: it stops fetching, so the leader drops it from the ISR once it
 * is {@code replica.lag.time.max.ms} behind, and acks=all writes go on with the two replicas
 * left ({@code min.insync.replicas=2}). Resumed with SIGCONT, it catches up and rejoins the ISR;
 * nothing acknowledged is lost and the three replicas end identical.
 *
 * <p>The ZooKeeper session (20 s) is far longer than the lag time (2 s), so the follower leaves
 * the ISR for lagging, not because its session expired: the test checks that it is still
 * registered when the ISR has shrunk. (That needs Debian's server, configured for sessions up to
 * 30 s; the embedded fallback caps sessions at 10 s.)
 */
class FollowerStallIT {

    static final String TOPIC = "stall";
    static final long LAG_TIME_MS = 2000;

    /**
     * The lag time, the leader's check period (half of it, in Kafka), an Admin request that went to
     * the stopped broker and timed out (5 s), and a loaded machine's slack; well within the session.
     */
    static final Duration SHRINK_TIMEOUT = Duration.ofSeconds(15);

    @RegisterExtension
    final BrokerProcessCluster cluster = BrokerProcessCluster.brokers(3)
            .property("brook.broker.replica-lag-time-max-ms", Long.toString(LAG_TIME_MS))
            .property("brook.zookeeper.session-timeout", "20s");

    @Test
    void aStoppedFollowerLeavesTheIsrAcksAllGoesOnWithTwoAndItRejoinsWhenResumed() throws Exception {
        cluster.createTopic(TOPIC, 1, 3, Map.of("min.insync.replicas", "2"));
        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));

        try (ProducerWorkload workload = new ProducerWorkload(cluster.bootstrap(), TOPIC, 10, 1000)) {
            workload.start();
            workload.awaitMoreAcks(300, Duration.ofSeconds(60));

            TopicPartitionInfo before = cluster.partitions(TOPIC).get(0);
            int leader = before.leader().id();
            int controller = cluster.awaitController();
            // a follower that is not the controller either, so that only replication is stalled
            int follower = before.replicas().stream()
                    .map(n -> n.id())
                    .filter(id -> id != leader && id != controller)
                    .findFirst()
                    .orElseThrow();
            System.out.printf(
                    "[system-tests] SIGSTOP to follower %d (leader %d, controller %d); %s%n",
                    follower, leader, controller, workload);
            cluster.broker(follower).pause();

            await("follower " + follower + " out of the ISR")
                    .atMost(SHRINK_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> !BrokerProcessCluster.ids(
                                    cluster.partitions(TOPIC).get(0).isr())
                            .contains(follower));
            assertThat(cluster.registeredBrokers())
                    .as("the stopped follower's session is alive: it left the ISR for lagging")
                    .contains(follower);
            TopicPartitionInfo shrunk = cluster.partitions(TOPIC).get(0);
            assertThat(BrokerProcessCluster.ids(shrunk.isr()))
                    .as("ISR with the follower stopped")
                    .hasSize(2)
                    .doesNotContain(follower);

            // acks=all goes on with two of three
            workload.awaitMoreAcks(500, Duration.ofSeconds(15));

            cluster.broker(follower).resume();
            await("follower " + follower + " back in the ISR")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> BrokerProcessCluster.ids(
                                    cluster.partitions(TOPIC).get(0).isr())
                            .contains(follower));
            assertThat(cluster.partitions(TOPIC).get(0).replicas())
                    .extracting(n -> n.id())
                    .containsExactlyInAnyOrderElementsOf(List.of(1, 2, 3));
            workload.awaitMoreAcks(300, Duration.ofSeconds(60));
            workload.stop();
            NoLossCheck.assertNothingAcknowledgedLost(cluster, TOPIC, workload);
        }
    }
}
