package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.LogManager;
import io.brook.cluster.metadata.PartitionState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeadershipSyncTest {

    @TempDir
    Path tmp;

    ScheduledExecutorService timer;
    LogManager logs;
    ReplicaManager replicas;

    @BeforeEach
    void start() throws Exception {
        timer = Executors.newSingleThreadScheduledExecutor();
        logs = new LogManager(
                List.of(tmp.toFile()),
                topic -> LogConfig.DEFAULT,
                Clock.systemUTC(),
                LogManager.Settings.DEFAULT,
                new LogDirFailureHandler());
        logs.startup();
        replicas = new ReplicaManager(
                logs,
                timer,
                tp -> true,
                Clock.systemUTC(),
                86_400_000L,
                new Partition.Settings(1, 30_000, (partition, proposed) -> {}),
                null);
    }

    @AfterEach
    void stop() throws Exception {
        logs.close();
        timer.shutdownNow();
    }

    @Test
    void listenersHearOfNewLeadershipButNotOfIsrOnlyChanges() throws Exception {
        List<String> events = new ArrayList<>();
        LeadershipSync sync = new LeadershipSync(
                1,
                replicas,
                List.of((tp, partition) -> events.add("lead " + tp + " @" + partition.leaderEpoch())),
                List.of(tp -> events.add("resign " + tp)));
        TopicPartition tp = new TopicPartition("__consumer_offsets", 0);

        Uuid id = Uuid.randomUuid();
        List<Integer> assigned = List.of(1, 2);
        sync.apply(tp, id, new PartitionState(1, 0, List.of(1, 2), 1, 0), assigned, Optional.empty());
        sync.apply(tp, id, new PartitionState(1, 0, List.of(1), 1, 1), assigned, Optional.empty()); // ISR shrank
        sync.apply(tp, id, new PartitionState(2, 1, List.of(2), 1, 2), assigned, Optional.empty()); // moved away
        sync.apply(tp, id, new PartitionState(1, 2, List.of(1), 1, 3), assigned, Optional.empty()); // back

        assertThat(events)
                .containsExactly(
                        "lead __consumer_offsets-0 @0", "resign __consumer_offsets-0", "lead __consumer_offsets-0 @2");
    }

    @Test
    void aBrokerAddedToTheReplicasFollowsAndOneRemovedDeletesItsLog() throws Exception {
        LeadershipSync sync = new LeadershipSync(1, replicas, List.of(), List.of());
        TopicPartition tp = new TopicPartition("moved", 0);
        Uuid id = Uuid.randomUuid();
        PartitionState state = new PartitionState(2, 3, List.of(2, 3), 1, 7);

        sync.apply(tp, id, state, List.of(2, 3), Optional.empty());
        assertThat(replicas.hasLocalReplica(tp)).isFalse();

        // A reassignment adds broker 1; the partition state itself did not change.
        sync.apply(tp, id, state, List.of(2, 3, 1), Optional.empty());
        Partition partition = replicas.partition(tp).orElseThrow();
        assertThat(partition.role()).isEqualTo(Partition.Role.FOLLOWER);
        assertThat(partition.leaderId()).isEqualTo(2);
        assertThat(partition.leaderEpoch()).isEqualTo(3);
        assertThat(logs.getLog(tp)).isPresent();
        java.io.File dir = logs.getLog(tp).orElseThrow().dir();

        // And moves it away again: the replica stops and its log goes.
        sync.apply(tp, id, state, List.of(2, 3), Optional.empty());
        assertThat(replicas.hasLocalReplica(tp)).isFalse();
        assertThat(partition.role()).isEqualTo(Partition.Role.OFFLINE);
        assertThat(dir).doesNotExist();
    }
}
