package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The process fixtures themselves, on what works without replication: ZooKeeper (Debian's server
 * where installed) and three broker processes registered with it, a topic of replication factor
 * 1 spread over them, and every fault the replication tests use (kill -9, SIGSTOP/SIGCONT,
 * SIGTERM, restart on the same folder), checked with the same workload and checker. With one
 * replica per partition, a killed broker's records survive in the page cache and its own log
 * recovery, so nothing acknowledged may be lost here either.
 */
class ProcessClusterIT {

    static final String TOPIC = "fixture";

    @RegisterExtension
    final BrokerProcessCluster cluster = BrokerProcessCluster.brokers(3);

    @Test
    void brokerProcessesOnZooKeeperSurviveKillPauseAndTerminateWithoutLosingAcknowledgedRecords() throws Exception {
        if (Files.isRegularFile(TestZooKeeper.DEBIAN_JAR)) {
            assertThat(cluster.zookeeper().isExternalProcess())
                    .as("Debian's ZooKeeper server runs as a process of its own")
                    .isTrue();
        }
        assertThat(cluster.registeredBrokers()).containsExactlyInAnyOrder(1, 2, 3);
        cluster.createTopic(TOPIC, 3, 1, Map.of());
        assertThat(cluster.assignment(TOPIC).values().stream().map(r -> r.get(0)))
                .as("one partition on each broker")
                .containsExactlyInAnyOrder(1, 2, 3);

        try (ProducerWorkload workload = new ProducerWorkload(cluster.bootstrap(), TOPIC, 12, 500)) {
            workload.start();
            workload.awaitMoreAcks(200, Duration.ofSeconds(60));

            // kill -9 the controller: its session expires, another broker takes over, and the
            // restarted process (same id, port and folder) registers again
            int controller = cluster.controller();
            cluster.kill(controller);
            assertThat(cluster.broker(controller).isAlive()).isFalse();
            cluster.awaitDeregistered(controller);
            await("another controller")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> cluster.controller() != controller && cluster.controller() != -1);
            cluster.restart(controller);
            workload.awaitMoreAcks(200, Duration.ofSeconds(60));

            // SIGSTOP for longer than the ZooKeeper session: alive but silent, so the cluster drops
            // it; SIGCONT and it registers again
            int paused = controller % 3 + 1;
            cluster.broker(paused).pause();
            assertThat(cluster.broker(paused).isAlive()).isTrue();
            cluster.awaitDeregistered(paused);
            cluster.broker(paused).resume();
            cluster.awaitRegistered(paused);
            workload.awaitMoreAcks(200, Duration.ofSeconds(60));

            // SIGTERM: a controlled shutdown closes the logs cleanly
            int terminated = paused % 3 + 1;
            cluster.broker(terminated).terminate();
            assertThat(cluster.broker(terminated).exitCode()).isNotNull();
            assertThat(cluster.broker(terminated).logTail(20)).contains("Broker " + terminated + " stopped");
            int partition = partitionLedBy(terminated);
            assertThat(cluster.broker(terminated).dataDir().resolve(TOPIC + "-" + partition + "/.clean-shutdown"))
                    .exists();
            cluster.restart(terminated);
            workload.awaitMoreAcks(200, Duration.ofSeconds(60));
            workload.stop();

            assertThat(cluster.registeredBrokers()).containsExactlyInAnyOrder(1, 2, 3);
            NoLossCheck.assertNothingAcknowledgedLost(cluster, TOPIC, workload);
        }
    }

    private int partitionLedBy(int broker) throws Exception {
        Map<Integer, List<Integer>> assignment = cluster.assignment(TOPIC);
        return assignment.entrySet().stream()
                .filter(e -> e.getValue().get(0) == broker)
                .findFirst()
                .orElseThrow()
                .getKey();
    }
}
