package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.system.ReplicationChecker.LoggedRecord;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The end of every replication test, once the faults are over: heal, read back, stop, compare.
 *
 * <ol>
 *   <li>Wait until every partition has a leader and a full ISR (the cluster has healed).
 *   <li>Read every partition from its leader with a consumer, from the start to the high
 *       watermark: the content the checker compares with the acknowledgements.
 *   <li>Give the followers time to fetch the last batches: wait (bounded) until each partition's
 *       segments have the same size on every replica. Not an assertion: the byte comparison below
 *       is, and says what differs.
 *   <li>Stop every broker cleanly (SIGTERM), so that no file changes while it is read and each
 *       log is closed as a restart would find it.
 *   <li>Read each replica's segment files from its broker's data folder and run the {@link
 *       ReplicationChecker}.
 * </ol>
 *
 * <p>Replicas are compared by their files rather than by fetching from each: a Kafka consumer
 * only fetches from leaders (fetching from a follower needs KIP-392's rack-aware replica selector
 * on the broker), while the files are what every replica would serve and recover from, with the
 * batches' offsets, leader epochs and CRCs in them; equal files are the strongest form of
 * "identical", and the folders are at hand because every broker runs on this machine.
 */
final class NoLossCheck {

    private NoLossCheck() {}

    /** Runs the check on {@code topic} after {@code workload} has stopped. */
    static void assertNothingAcknowledgedLost(BrokerProcessCluster cluster, String topic, ProducerWorkload workload)
            throws Exception {
        System.out.println("[system-tests] " + workload);
        assertThat(workload.ackCount())
                .as("the workload got acknowledgements to check")
                .isPositive();
        cluster.awaitFullIsr(topic, Duration.ofSeconds(90));
        Map<Integer, List<Integer>> assignment = cluster.assignment(topic);
        Map<Integer, List<LoggedRecord>> logs =
                ProducerWorkload.readAll(cluster.bootstrap(), topic, Duration.ofSeconds(90));
        try {
            await("every replica of " + topic + " as long as its leader")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> cluster.replicaSizes(topic, assignment).values().stream()
                            .allMatch(sizes -> new HashSet<>(sizes.values()).size() == 1));
        } catch (ConditionTimeoutException e) {
            System.out.println("[system-tests] replicas of " + topic + " still differ in size after 30 s: "
                    + cluster.replicaSizes(topic, assignment));
        }
        cluster.stopAllCleanly();
        Map<Integer, Map<Integer, byte[]>> replicaLogs = cluster.replicaLogs(topic, assignment);
        StringBuilder summary = new StringBuilder("[system-tests] " + topic + ":");
        logs.forEach((partition, records) -> summary.append(" partition ")
                .append(partition)
                .append(' ')
                .append(records.size())
                .append(" records on ")
                .append(assignment.get(partition))
                .append(';'));
        System.out.println(summary);
        List<String> violations = ReplicationChecker.check(workload.acks(), logs, replicaLogs);
        assertThat(violations)
                .as("violations of the replication invariants (%s acknowledged records)", workload.ackCount())
                .isEmpty();
    }
}
