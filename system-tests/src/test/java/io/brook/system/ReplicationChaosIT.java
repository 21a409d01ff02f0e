package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 4's chaos test: three brokers, a topic of replication factor 3 with {@code
 * min.insync.replicas=2}, an acks=all idempotent producer writing all along, and the leader of
 * each partition in turn killed with {@code kill -9} (every fourth kill the controller instead),
 * then restarted on its folder. After each kill the partitions it led must get a new leader and
 * take acks=all writes with two replicas; after each restart it must rejoin the ISR before the
 * next kill. At the end, every acknowledged record must be in place, in order, once, and every
 * replica byte-identical ({@link NoLossCheck}).
 *
 * <p>Sized by system properties: {@code brook.chaos.kills} (10 in CI, 60 with {@code -Pchaos}),
 * {@code brook.chaos.acks-between-kills} (acknowledgements awaited after each failover and each
 * restart, 300), {@code brook.chaos.rate} (records per second, 1000).
 */
class ReplicationChaosIT {

    static final String TOPIC = "chaos";
    static final int PARTITIONS = 3;
    static final int KILLS = Integer.getInteger("brook.chaos.kills", 10);
    static final int ACKS_BETWEEN_KILLS = Integer.getInteger("brook.chaos.acks-between-kills", 300);
    static final int RATE = Integer.getInteger("brook.chaos.rate", 1000);

    /** Every this many kills, the controller is the victim. */
    static final int CONTROLLER_EVERY = 4;

    static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    final BrokerProcessCluster cluster =
            BrokerProcessCluster.brokers(3).property("brook.broker.replica-lag-time-max-ms", "5000");

    @Test
    void noAcknowledgedRecordIsLostWhileTheLeadersAndTheControllerAreKilledInTurn() throws Exception {
        assertThat(KILLS).as("at least one controller kill").isGreaterThanOrEqualTo(CONTROLLER_EVERY);
        cluster.createTopic(TOPIC, PARTITIONS, 3, Map.of("min.insync.replicas", "2"));
        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));

        int controllerKills = 0;
        try (ProducerWorkload workload = new ProducerWorkload(cluster.bootstrap(), TOPIC, 30, RATE)) {
            workload.start();
            workload.awaitMoreAcks(ACKS_BETWEEN_KILLS, FAILOVER_TIMEOUT);
            for (int kill = 1; kill <= KILLS; kill++) {
                int controller = cluster.awaitController();
                boolean killController = kill % CONTROLLER_EVERY == 0;
                int partition = kill % PARTITIONS;
                int victim = killController ? controller : cluster.leader(TOPIC, partition);
                List<Integer> led = ledBy(victim);
                System.out.printf(
                        "[system-tests] kill %d/%d: kill -9 broker %d (%s; leads %s; controller %d); %s%n",
                        kill,
                        KILLS,
                        victim,
                        killController ? "the controller" : "leader of partition " + partition,
                        led,
                        controller,
                        workload);
                cluster.kill(victim);

                await("partitions " + led + " led by another broker than " + victim)
                        .atMost(FAILOVER_TIMEOUT)
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .until(() -> {
                            List<TopicPartitionInfo> now = cluster.partitions(TOPIC);
                            return led.stream().allMatch(p -> {
                                var leader = now.get(p).leader();
                                return leader != null && !leader.isEmpty() && leader.id() != victim;
                            });
                        });
                if (victim == controller) {
                    controllerKills++;
                    await("a controller other than " + victim)
                            .atMost(FAILOVER_TIMEOUT)
                            .ignoreExceptions()
                            .until(() -> {
                                int now = cluster.controller();
                                return now != victim && now != -1;
                            });
                }
                // acks=all keeps working with two of three replicas
                workload.awaitMoreAcks(ACKS_BETWEEN_KILLS, FAILOVER_TIMEOUT);

                cluster.restart(victim);
                cluster.awaitFullIsr(TOPIC, FAILOVER_TIMEOUT);
                workload.awaitMoreAcks(ACKS_BETWEEN_KILLS, FAILOVER_TIMEOUT);
            }
            workload.stop();
            assertThat(controllerKills).as("controller kills").isPositive();
            NoLossCheck.assertNothingAcknowledgedLost(cluster, TOPIC, workload);
        }
    }

    /** The partitions of the topic that {@code broker} leads now. */
    private List<Integer> ledBy(int broker) throws Exception {
        List<Integer> led = new ArrayList<>();
        for (TopicPartitionInfo p : cluster.partitions(TOPIC)) {
            if (p.leader() != null && p.leader().id() == broker) {
                led.add(p.partition());
            }
        }
        return led;
    }
}
