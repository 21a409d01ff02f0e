package io.brook.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.broker.replication.ReplicaManager;
import io.brook.cluster.zk.ZkClusterClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.NoReassignmentInProgressException;
import org.apache.kafka.common.errors.PreferredLeaderNotAvailableException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's admin APIs through the official Admin client against three brokers: ElectLeaders
 * (what {@code kafka-leader-election.sh} sends), AlterPartitionReassignments and
 * ListPartitionReassignments (what {@code kafka-reassign-partitions.sh} sends), and CreatePartitions
 * on a replicated topic. The Admin client finds the controller through Metadata. Followers replicate
 * and their leaders add them to the ISR by themselves; where a test needs a replica to stay behind, it
 * stops that broker's replica fetchers and restarts the broker afterwards.
 */
class ControllerApisIT {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    static Path tmp;

    static TestCluster cluster;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = TestCluster.start(tmp, 3, "--brook.broker.auto-leader-rebalance-enable=false");
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.broker(1).bootstrap()));
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        cluster.close();
    }

    static void create(String name, Map<Integer, List<Integer>> assignment) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, assignment))).all().get(30, TimeUnit.SECONDS);
    }

    static TopicPartitionInfo describe(TopicPartition tp) throws Exception {
        TopicDescription description =
                admin.describeTopics(List.of(tp.topic())).allTopicNames().get().get(tp.topic());
        return description.partitions().get(tp.partition());
    }

    static Throwable cause(Runnable call) {
        try {
            call.run();
            throw new AssertionError("expected a failure");
        } catch (RuntimeException e) {
            return e.getCause() instanceof ExecutionException ? e.getCause().getCause() : e.getCause();
        }
    }

    /** Brokers whose replica fetchers a test stopped: they fetch again only after a restart. */
    final Set<Integer> stalled = new HashSet<>();

    /** Stops a broker's replica fetchers: it stays registered, keeps its roles, and falls behind. */
    void stall(int id) {
        stalled.add(id);
        cluster.broker(id).bean(ReplicaManager.class).shutdownFetchers();
    }

    /** Restarts a stalled broker: it fetches again and catches up. */
    void restart(int id) {
        stalled.remove(id);
        cluster.broker(id).stop();
        cluster.broker(id).start();
        awaitAllRegistered();
    }

    /** Every broker fetching and registered again before the next test (the tests share them). */
    @AfterEach
    void restartStalled() {
        for (int id : Set.copyOf(stalled)) {
            restart(id);
        }
    }

    static void awaitAllRegistered() {
        await().atMost(TIMEOUT)
                .until(() -> admin.describeCluster().nodes().get().size() == cluster.size());
    }

    static void awaitIsr(TopicPartition tp, Integer... isr) {
        await().atMost(TIMEOUT)
                .untilAsserted(() ->
                        assertThat(describe(tp).isr()).extracting(n -> n.id()).containsExactlyInAnyOrder(isr));
    }

    static void awaitLeader(TopicPartition tp, int leader) {
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(describe(tp).leader().id()).isEqualTo(leader));
    }

    @Test
    void electsThePreferredLeaderOnDemandWithKafkasPerPartitionErrors() throws Exception {
        create("elect", Map.of(0, List.of(2, 3), 1, List.of(3, 2)));
        TopicPartition p0 = new TopicPartition("elect", 0);
        TopicPartition p1 = new TopicPartition("elect", 1);
        TopicPartition unknown = new TopicPartition("no-such-topic", 0);

        var notNeeded = admin.electLeaders(ElectionType.PREFERRED, Set.of(p0, p1, unknown))
                .partitions()
                .get(30, TimeUnit.SECONDS);
        assertThat(notNeeded.get(p0)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(notNeeded.get(p1)).containsInstanceOf(ElectionNotNeededException.class);
        assertThat(notNeeded.get(unknown)).containsInstanceOf(UnknownTopicOrPartitionException.class);

        // broker 2 shuts down in a controlled way and comes back, behind (it does not fetch): broker
        // 3 leads partition 0 and 2 is out of its ISR
        stall(2);
        ZkClusterClient zk = cluster.broker(1).bean(ZkClusterClient.class);
        zk.requestControlledShutdown(2);
        awaitLeader(p0, 3);
        awaitIsr(p0, 3);
        zk.clearControlledShutdown(2);
        assertThat(admin.electLeaders(ElectionType.PREFERRED, Set.of(p0))
                        .partitions()
                        .get(30, TimeUnit.SECONDS)
                        .get(p0))
                .containsInstanceOf(PreferredLeaderNotAvailableException.class);

        restart(2); // broker 2 fetches again, catches up, and leader 3 takes it back into the ISR
        awaitIsr(p0, 3, 2);
        awaitLeader(p0, 3); // no automatic rebalance in this cluster

        var all = admin.electLeaders(ElectionType.PREFERRED, null).partitions().get(30, TimeUnit.SECONDS);
        assertThat(all).containsEntry(p0, Optional.empty()).doesNotContainKey(p1); // p1 needed none
        awaitLeader(p0, 2); // (the broker answering Metadata may be another than the controller)
        assertThat(admin.electLeaders(ElectionType.UNCLEAN, Set.of(p0))
                        .partitions()
                        .get(30, TimeUnit.SECONDS)
                        .get(p0))
                .containsInstanceOf(ElectionNotNeededException.class);
    }

    @Test
    void refusesInvalidReassignmentsAsKafkaDoes() throws Exception {
        create("invalid", Map.of(0, List.of(1, 2)));
        TopicPartition tp = new TopicPartition("invalid", 0);

        // (an empty list the Admin client refuses itself)
        Map<String, List<Integer>> targets = Map.of("duplicate", List.of(1, 1), "unknown broker", List.of(1, 9));
        for (var e : targets.entrySet()) {
            var future = admin.alterPartitionReassignments(
                            Map.of(tp, Optional.of(new NewPartitionReassignment(e.getValue()))))
                    .values()
                    .get(tp);
            assertThat(cause(() -> join(future))).as(e.getKey()).isInstanceOf(InvalidReplicaAssignmentException.class);
        }
        var unknownPartition = new TopicPartition("invalid", 4);
        var unknownFuture = admin.alterPartitionReassignments(
                        Map.of(unknownPartition, Optional.of(new NewPartitionReassignment(List.of(1)))))
                .values()
                .get(unknownPartition);
        assertThat(cause(() -> join(unknownFuture))).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(cause(() -> join(admin.alterPartitionReassignments(Map.of(tp, Optional.empty()))
                        .values()
                        .get(tp))))
                .isInstanceOf(NoReassignmentInProgressException.class);
    }

    @Test
    void startsListsAndCancelsAReassignment() throws Exception {
        create("move", Map.of(0, List.of(1, 2), 1, List.of(2, 1)));
        TopicPartition p0 = new TopicPartition("move", 0);
        stall(3); // else broker 3 catches up on the empty partition and the move completes at once

        admin.alterPartitionReassignments(Map.of(p0, Optional.of(new NewPartitionReassignment(List.of(3, 2)))))
                .all()
                .get(30, TimeUnit.SECONDS);

        Map<TopicPartition, PartitionReassignment> ongoing = ongoing("move");
        assertThat(ongoing).containsOnlyKeys(p0);
        assertThat(ongoing.get(p0).replicas()).containsExactly(3, 2, 1);
        assertThat(ongoing.get(p0).addingReplicas()).containsExactly(3);
        assertThat(ongoing.get(p0).removingReplicas()).containsExactly(1);
        assertThat(admin.listPartitionReassignments(Set.of(new TopicPartition("move", 1)))
                        .reassignments()
                        .get(30, TimeUnit.SECONDS))
                .isEmpty();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(describe(p0).replicas())
                        .extracting(n -> n.id())
                        .containsExactly(3, 2, 1));

        admin.alterPartitionReassignments(Map.of(p0, Optional.empty())).all().get(30, TimeUnit.SECONDS);

        assertThat(ongoing("move")).isEmpty();
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(describe(p0).replicas())
                        .extracting(n -> n.id())
                        .containsExactly(2, 1));
    }

    @Test
    void aReassignmentCompletesOnceTheNewReplicasAreInSync() throws Exception {
        create("complete", Map.of(0, List.of(1, 2)));
        TopicPartition tp = new TopicPartition("complete", 0);
        admin.alterPartitionReassignments(Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(3, 2)))))
                .all()
                .get(30, TimeUnit.SECONDS);

        // broker 3 replicates the partition, its leader takes it into the ISR, the controller
        // completes the move
        await().atMost(TIMEOUT).untilAsserted(() -> {
            TopicPartitionInfo info = describe(tp);
            assertThat(info.replicas()).extracting(n -> n.id()).containsExactly(3, 2);
            assertThat(info.isr()).extracting(n -> n.id()).containsExactlyInAnyOrder(2, 3);
            assertThat(info.leader().id()).isEqualTo(3);
        });
        assertThat(ongoing("complete")).isEmpty();
    }

    @Test
    void newPartitionsOfAReplicatedTopicGetFullReplicaSetsAndLeaders() throws Exception {
        admin.createTopics(List.of(new NewTopic("grow", 2, (short) 3))).all().get(30, TimeUnit.SECONDS);

        admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(6)))
                .all()
                .get(30, TimeUnit.SECONDS);

        // (the broker answering Metadata may be another than the controller, a moment behind)
        TopicDescription description = await().atMost(TIMEOUT)
                .until(
                        () -> admin.describeTopics(List.of("grow"))
                                .allTopicNames()
                                .get()
                                .get("grow"),
                        d -> d.partitions().size() == 6);
        for (TopicPartitionInfo p : description.partitions()) {
            assertThat(p.replicas()).extracting(n -> n.id()).containsExactlyInAnyOrder(1, 2, 3);
            assertThat(p.leader().id()).isEqualTo(p.replicas().get(0).id());
        }
        assertThat(description.partitions().stream().map(p -> p.leader().id()))
                .containsOnly(1, 2, 3)
                .contains(1, 2, 3);
    }

    @Test
    void theReassignCommandSpreadsATopicOverAnAddedBroker() throws Exception {
        // as if broker 3 had just joined a two-broker cluster
        create("spread", Map.of(0, List.of(1, 2), 1, List.of(2, 1), 2, List.of(1, 2), 3, List.of(2, 1)));
        String bootstrap = cluster.broker(2).bootstrap();
        java.io.ByteArrayOutputStream dryRunOut = new java.io.ByteArrayOutputStream();

        int dryRun = io.brook.broker.tools.ReassignTool.run(
                new String[] {"--bootstrap-server", bootstrap, "--topics", "spread", "--dry-run"},
                new java.io.PrintStream(dryRunOut, true),
                System.err);

        assertThat(dryRun).isZero();
        assertThat(dryRunOut.toString())
                .contains("TOPIC", "PROPOSED")
                .contains("2 replica(s) move, over 3 broker(s)"); // 8 replicas: 3, 3 and 2
        assertThat(ongoing("spread")).as("a dry run changes nothing").isEmpty();

        int applied = io.brook.broker.tools.ReassignTool.run(
                new String[] {"--bootstrap-server", bootstrap, "--topics", "spread"},
                new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true),
                System.err);

        assertThat(applied).isZero();
        // Broker 3 replicates the (empty) partitions and joins their ISRs by itself, so some moves
        // may be complete already; those still in progress are adding broker 3 alone.
        assertThat(ongoing("spread").values())
                .allSatisfy(r -> assertThat(r.addingReplicas()).containsExactly(3));
        await().atMost(TIMEOUT).until(() -> ongoing("spread").isEmpty());
        // the controller's list is read from ZooKeeper; the broker answering Metadata may lag it
        await().atMost(TIMEOUT).untilAsserted(() -> {
            Map<Integer, Integer> perBroker = new java.util.TreeMap<>();
            for (TopicPartitionInfo p : admin.describeTopics(List.of("spread"))
                    .allTopicNames()
                    .get()
                    .get("spread")
                    .partitions()) {
                p.replicas().forEach(n -> perBroker.merge(n.id(), 1, Integer::sum));
            }
            assertThat(perBroker).containsOnlyKeys(1, 2, 3);
            assertThat(perBroker.values()).allMatch(c -> c >= 2 && c <= 3);
            assertThat(perBroker.get(3))
                    .as("two replicas moved to the added broker")
                    .isEqualTo(2);
        });
    }

    /** The reassignments in progress of one topic (the tests share the cluster). */
    static Map<TopicPartition, PartitionReassignment> ongoing(String topic) throws Exception {
        Map<TopicPartition, PartitionReassignment> all = new java.util.HashMap<>(
                admin.listPartitionReassignments().reassignments().get(30, TimeUnit.SECONDS));
        all.keySet().removeIf(tp -> !tp.topic().equals(topic));
        return all;
    }

    static <T> T join(org.apache.kafka.common.KafkaFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }
}
