package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A partition's replicas moved with {@code Admin.alterPartitionReassignments} while an acks=all
 * producer writes to it: on four brokers, partition 0 of a replication-factor-3 topic moves off
 * its current leader onto the fourth broker (so the new replica must copy the whole log and the
 * leadership must move). The reassignment must finish ({@code listPartitionReassignments} empty,
 * the new replicas in place and in sync), the writes go on, and nothing acknowledged is lost; the
 * new replica set ends byte-identical.
 */
class ReassignmentUnderLoadIT {

    static final String TOPIC = "moving";

    @RegisterExtension
    final BrokerProcessCluster cluster =
            BrokerProcessCluster.brokers(4).property("brook.broker.replica-lag-time-max-ms", "5000");

    @Test
    void movingAPartitionsReplicasWhileProducingLosesNothing() throws Exception {
        cluster.createTopic(TOPIC, 2, 3, Map.of("min.insync.replicas", "2"));
        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
        TopicPartition moved = new TopicPartition(TOPIC, 0);

        try (ProducerWorkload workload = new ProducerWorkload(cluster.bootstrap(), TOPIC, 20, 1000)) {
            workload.start();
            workload.awaitMoreAcks(1000, Duration.ofSeconds(60));

            List<Integer> current = cluster.assignment(TOPIC).get(0);
            List<Integer> other = cluster.assignment(TOPIC).get(1);
            int leader = cluster.leader(TOPIC, 0);
            int spare = List.of(1, 2, 3, 4).stream()
                    .filter(id -> !current.contains(id))
                    .findFirst()
                    .orElseThrow();
            List<Integer> target = new ArrayList<>(List.of(spare));
            current.stream().filter(id -> id != leader).forEach(target::add);
            System.out.printf(
                    "[system-tests] reassigning %s from %s (leader %d) to %s; %s%n",
                    moved, current, leader, target, workload);
            cluster.admin()
                    .alterPartitionReassignments(Map.of(moved, Optional.of(new NewPartitionReassignment(target))))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            await("reassignment of " + moved + " done")
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> cluster.admin()
                                    .listPartitionReassignments()
                                    .reassignments()
                                    .get(10, TimeUnit.SECONDS)
                                    .isEmpty()
                            && cluster.assignment(TOPIC).get(0).equals(target));
            cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
            assertThat(cluster.leader(TOPIC, 0))
                    .as("leader of the moved partition")
                    .isIn(target);
            assertThat(cluster.assignment(TOPIC).get(1))
                    .as("the other partition stays where it was")
                    .isEqualTo(other);

            workload.awaitMoreAcks(1000, Duration.ofSeconds(60));
            workload.stop();
            NoLossCheck.assertNothingAcknowledgedLost(cluster, TOPIC, workload);
        }
    }
}
