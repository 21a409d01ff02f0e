package io.brook.cluster.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.brook.cluster.admin.ClusterAdmin;
import io.brook.cluster.admin.ReplicaAssignor;
import io.brook.cluster.admin.TopicConfigValidator;
import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.MetadataCache;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.registration.BrokerRegistrar;
import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import io.brook.cluster.zk.ZkClusterClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class ControllerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    <T extends AutoCloseable> T track(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    BrokerRegistrar broker(ZooKeeperCluster zk, int id) {
        BrokerRegistrar registrar = track(new BrokerRegistrar(
                zk.newClient(),
                new BrokerRegistration(
                        id,
                        List.of(new Endpoint("PLAINTEXT", "h", 9000 + id, SecurityProtocol.PLAINTEXT)),
                        Optional.empty()),
                CLOCK,
                e -> {}));
        registrar.start();
        return registrar;
    }

    MetadataCache cache(CuratorFramework curator) {
        MetadataCache cache = track(new MetadataCache(curator));
        cache.start(TIMEOUT);
        return cache;
    }

    Controller controller(ZooKeeperCluster zk, int id) {
        return controller(zk, id, Controller.Settings.DEFAULT);
    }

    /** Each controller's own metadata cache: what it decides on. */
    final Map<Controller, MetadataCache> controllerCaches = new java.util.IdentityHashMap<>();

    Controller controller(ZooKeeperCluster zk, int id, Controller.Settings settings) {
        CuratorFramework curator = zk.newClient();
        MetadataCache cache = cache(curator);
        Controller controller = track(new Controller(curator, cache, id, CLOCK, settings));
        controllerCaches.put(controller, cache);
        controller.start();
        return controller;
    }

    /** Waits until a controller's own cache sees broker {@code id} live and not shutting down. */
    void awaitControllerSeesBroker(Controller controller, int id) {
        MetadataCache cache = controllerCaches.get(controller);
        await().atMost(TIMEOUT)
                .until(() -> cache.image().brokers().containsKey(id)
                        && !cache.image().shuttingDownBrokers().contains(id));
    }

    static ClusterAdmin admin(ZooKeeperCluster zk) {
        return new ClusterAdmin(
                new ZkClusterClient(zk.newClient()),
                new ReplicaAssignor(new Random(3)),
                TopicConfigValidator.KNOWN_NAMES,
                ClusterAdmin.Defaults.KAFKA);
    }

    @Test
    void onlyOneOfTwoControllersActsAndTheOtherTakesOverWithAHigherEpoch(ZooKeeperCluster zk) {
        broker(zk, 1);
        Controller first = controller(zk, 1);
        await().atMost(TIMEOUT).until(first::isActive);
        Controller second = controller(zk, 2);
        ZkClusterClient observer = new ZkClusterClient(zk.newClient());
        int firstEpoch = first.epoch().orElseThrow();

        await().during(Duration.ofMillis(500)).atMost(TIMEOUT).until(() -> !second.isActive());
        assertThat(observer.controllerId()).hasValue(1);
        assertThat(observer.controllerEpoch().orElseThrow().value()).isEqualTo(firstEpoch);

        first.close();

        await().atMost(TIMEOUT).until(second::isActive);
        assertThat(second.epoch().orElseThrow()).isGreaterThan(firstEpoch);
        assertThat(observer.controllerId()).hasValue(2);
        assertThat(first.state()).isEqualTo(Controller.State.CLOSED);
    }

    @Test
    void createsStatesForNewTopicsAndPartitions(ZooKeeperCluster zk) {
        broker(zk, 1);
        broker(zk, 2);
        Controller controller = controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);

        admin.createTopic("orders", 3, 2, Optional.empty(), Map.of());

        assertThat(cache.awaitTopic("orders", TIMEOUT)).isTrue();
        for (int p = 0; p < 3; p++) {
            PartitionState state =
                    cache.partitionState(new TopicPartition("orders", p)).orElseThrow();
            List<Integer> replicas = cache.topic("orders").orElseThrow().replicas(p);
            assertThat(state.leader()).isEqualTo(replicas.get(0));
            assertThat(state.isr()).isEqualTo(replicas);
            assertThat(state.leaderEpoch()).isZero();
            assertThat(state.controllerEpoch()).isEqualTo(controller.epoch().orElseThrow());
        }

        admin.createPartitions("orders", 5, Optional.empty(), false);

        await().atMost(TIMEOUT).until(() -> cache.image().partitionStates().size() == 5);
        assertThat(cache.awaitTopic("orders", TIMEOUT)).isTrue();
    }

    @Test
    void movesLeadershipOffADeadBrokerAndBringsAnOfflinePartitionBackWhenItReturns(ZooKeeperCluster zk) {
        broker(zk, 1);
        BrokerRegistrar two = broker(zk, 2);
        Controller controller = controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("replicated", -1, -1, Optional.of(Map.of(0, List.of(2, 1))), Map.of());
        admin.createTopic("single", -1, -1, Optional.of(Map.of(0, List.of(2))), Map.of());
        TopicPartition replicated = new TopicPartition("replicated", 0);
        TopicPartition single = new TopicPartition("single", 0);
        assertThat(cache.awaitTopic("replicated", TIMEOUT)).isTrue();
        assertThat(cache.awaitTopic("single", TIMEOUT)).isTrue();
        assertThat(cache.partitionState(replicated).orElseThrow().leader()).isEqualTo(2);
        // The metrics' getters: two first leaders, nothing offline. The controller counts after its
        // write to ZooKeeper, which another observer may see first: the counts are awaited.
        await().atMost(TIMEOUT).until(() -> controller.leaderElections() == 2);
        await().atMost(TIMEOUT).until(() -> controller.offlinePartitionCount() == 0);

        two.close(); // broker 2 goes away

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cache.partitionState(replicated).orElseThrow())
                    .extracting(PartitionState::leader, PartitionState::leaderEpoch, PartitionState::isr)
                    .containsExactly(1, 1, List.of(1));
            assertThat(cache.partitionState(single).orElseThrow())
                    .extracting(PartitionState::leader, PartitionState::leaderEpoch, PartitionState::isr)
                    .containsExactly(PartitionState.NO_LEADER, 1, List.of(2));
        });
        // "replicated" failed over (an election); "single" went offline (none).
        await().atMost(TIMEOUT).until(() -> controller.offlinePartitionCount() == 1);
        await().atMost(TIMEOUT).until(() -> controller.leaderElections() == 3);

        broker(zk, 2); // and comes back

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(cache.partitionState(single).orElseThrow())
                        .extracting(PartitionState::leader, PartitionState::leaderEpoch)
                        .containsExactly(2, 2));
        // broker 2 is not in sync for "replicated" until its leader says so: leader 1 stays
        assertThat(cache.partitionState(replicated).orElseThrow().leader()).isEqualTo(1);
        await().atMost(TIMEOUT).until(() -> controller.offlinePartitionCount() == 0);
        await().atMost(TIMEOUT).until(() -> controller.leaderElections() == 4);
        assertThat(controller.uncleanLeaderElections()).isZero();
    }

    @Test
    void completesTopicDeletion(ZooKeeperCluster zk) {
        broker(zk, 1);
        controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("doomed", 2, 1, Optional.empty(), Map.of("retention.ms", "5"));
        assertThat(cache.awaitTopic("doomed", TIMEOUT)).isTrue();

        admin.deleteTopic("doomed");

        assertThat(cache.awaitTopicDeleted("doomed", TIMEOUT)).isTrue();
        ZkClusterClient observer = new ZkClusterClient(zk.newClient());
        await().atMost(TIMEOUT).until(() -> observer.topicsMarkedForDeletion().isEmpty());
        assertThat(observer.topicNames()).isEmpty();
        assertThat(observer.topicConfig("doomed")).isEmpty();
        // the name can be used again
        admin.createTopic("doomed", 1, 1, Optional.empty(), Map.of());
        assertThat(cache.awaitTopic("doomed", TIMEOUT)).isTrue();
    }

    @Test
    void aControllerWhoseConnectionIsSuspendedStopsActing(ZooKeeperCluster zk) throws Exception {
        broker(zk, 1);
        CuratorFramework curator = zk.newClient();
        Controller controller = track(new Controller(curator, cache(curator), 1, CLOCK));
        controller.start();
        await().atMost(TIMEOUT).until(controller::isActive);
        int epoch = controller.epoch().orElseThrow();

        ZooKeeperCluster.expireSession(curator);

        // it stands down, then (sole candidate) wins again with a new epoch and new session
        await().atMost(TIMEOUT)
                .until(() -> controller.isActive() && controller.epoch().orElse(0) > epoch);
        ZkClusterClient observer = new ZkClusterClient(zk.newClient());
        await().atMost(TIMEOUT).until(() -> observer.controllerId().orElse(-1) == 1);
    }

    /** What a partition leader does when a follower catches up: writes the bigger ISR itself. */
    static void expandIsr(ZooKeeperCluster zk, TopicPartition tp, List<Integer> isr) {
        ZkClusterClient leader = new ZkClusterClient(zk.newClient());
        PartitionState state = leader.partitionState(tp).orElseThrow();
        leader.updatePartitionState(
                tp,
                new PartitionState(
                        state.leader(), state.leaderEpoch(), isr, state.controllerEpoch(), state.zkVersion()));
    }

    static void awaitState(MetadataCache cache, TopicPartition tp, int leader, int epoch, List<Integer> isr) {
        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(cache.partitionState(tp).orElseThrow())
                        .extracting(PartitionState::leader, PartitionState::leaderEpoch, PartitionState::isr)
                        .containsExactly(leader, epoch, isr));
    }

    @Test
    void uncleanElectionElectsTheFirstLiveReplicaOnlyWhereTheTopicAllowsIt(ZooKeeperCluster zk) {
        broker(zk, 1);
        BrokerRegistrar two = broker(zk, 2);
        Controller controller = controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic(
                "unclean",
                -1,
                -1,
                Optional.of(Map.of(0, List.of(2, 1))),
                Map.of("unclean.leader.election.enable", "true"));
        admin.createTopic("clean", -1, -1, Optional.of(Map.of(0, List.of(2, 1))), Map.of());
        TopicPartition unclean = new TopicPartition("unclean", 0);
        TopicPartition clean = new TopicPartition("clean", 0);
        assertThat(cache.awaitTopic("unclean", TIMEOUT)).isTrue();
        assertThat(cache.awaitTopic("clean", TIMEOUT)).isTrue();
        // broker 1 fell behind: the leader took it out of both ISRs
        for (TopicPartition tp : List.of(unclean, clean)) {
            expandIsr(zk, tp, List.of(2));
            awaitState(cache, tp, 2, 0, List.of(2));
        }

        two.close();

        awaitState(cache, unclean, 1, 1, List.of(1));
        awaitState(cache, clean, PartitionState.NO_LEADER, 1, List.of(2));
        await().atMost(TIMEOUT).until(() -> controller.uncleanLeaderElections() == 1);
    }

    @Test
    void aBrokerInControlledShutdownLosesItsLeadershipsAndIsrMemberships(ZooKeeperCluster zk) {
        broker(zk, 1);
        broker(zk, 2);
        broker(zk, 3);
        controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("t", -1, -1, Optional.of(Map.of(0, List.of(2, 1), 1, List.of(3, 2))), Map.of());
        admin.createTopic("single", -1, -1, Optional.of(Map.of(0, List.of(2))), Map.of());
        assertThat(cache.awaitTopic("t", TIMEOUT)).isTrue();
        assertThat(cache.awaitTopic("single", TIMEOUT)).isTrue();
        ZkClusterClient two = new ZkClusterClient(zk.newClient());

        two.requestControlledShutdown(2);

        awaitState(cache, new TopicPartition("t", 0), 1, 1, List.of(1));
        awaitState(cache, new TopicPartition("t", 1), 3, 0, List.of(3));
        // no other replica: it leads until it stops
        awaitState(cache, new TopicPartition("single", 0), 2, 0, List.of(2));
        assertThat(cache.image().brokers()).containsKey(2);

        two.clearControlledShutdown(2);
        await().atMost(TIMEOUT).until(() -> cache.image().shuttingDownBrokers().isEmpty());
    }

    @Test
    void electsPreferredLeadersOnDemandWithKafkasErrors(ZooKeeperCluster zk) throws Exception {
        broker(zk, 1);
        BrokerRegistrar two = broker(zk, 2);
        Controller controller = controller(zk, 1, new Controller.Settings(false, false, Duration.ofDays(1), 10));
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("p", -1, -1, Optional.of(Map.of(0, List.of(2, 1), 1, List.of(1, 2))), Map.of());
        TopicPartition p0 = new TopicPartition("p", 0);
        TopicPartition p1 = new TopicPartition("p", 1);
        assertThat(cache.awaitTopic("p", TIMEOUT)).isTrue();
        await().atMost(TIMEOUT).until(controller::isActive);
        two.close();
        awaitState(cache, p0, 1, 1, List.of(1));

        Map<TopicPartition, ApiError> notAvailable = controller
                .electLeaders(ElectionType.PREFERRED, Optional.of(Set.of(p0, p1, new TopicPartition("p", 7))))
                .get();
        assertThat(notAvailable.get(p0).error()).isEqualTo(Errors.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(notAvailable.get(p1).error()).isEqualTo(Errors.ELECTION_NOT_NEEDED);
        assertThat(notAvailable.get(new TopicPartition("p", 7)).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);

        broker(zk, 2);
        expandIsr(zk, p0, List.of(1, 2)); // broker 2 caught up
        awaitState(cache, p0, 1, 1, List.of(1, 2));
        awaitControllerSeesBroker(controller, 2);

        Map<TopicPartition, ApiError> all = controller
                .electLeaders(ElectionType.PREFERRED, Optional.empty())
                .get();

        assertThat(all).containsOnlyKeys(p0); // "all partitions" answers only where it elected
        assertThat(all.get(p0).error()).isEqualTo(Errors.NONE);
        awaitState(cache, p0, 2, 2, List.of(1, 2));
    }

    @Test
    void movesLeadershipBackToPreferredReplicasPeriodically(ZooKeeperCluster zk) {
        broker(zk, 1);
        BrokerRegistrar two = broker(zk, 2);
        controller(zk, 1, new Controller.Settings(false, true, Duration.ofMillis(200), 10));
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("r", -1, -1, Optional.of(Map.of(0, List.of(2, 1))), Map.of());
        TopicPartition tp = new TopicPartition("r", 0);
        assertThat(cache.awaitTopic("r", TIMEOUT)).isTrue();
        two.close();
        awaitState(cache, tp, 1, 1, List.of(1));
        broker(zk, 2);
        expandIsr(zk, tp, List.of(1, 2));

        awaitState(cache, tp, 2, 2, List.of(1, 2));
    }

    @Test
    void drivesAReassignmentToItsEndAndCancelsOne(ZooKeeperCluster zk) throws Exception {
        broker(zk, 1);
        broker(zk, 2);
        broker(zk, 3);
        Controller controller = controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("m", -1, -1, Optional.of(Map.of(0, List.of(1, 2), 1, List.of(1, 2))), Map.of());
        TopicPartition p0 = new TopicPartition("m", 0);
        TopicPartition p1 = new TopicPartition("m", 1);
        assertThat(cache.awaitTopic("m", TIMEOUT)).isTrue();
        await().atMost(TIMEOUT).until(controller::isActive);

        Map<TopicPartition, ApiError> started = controller
                .alterPartitionReassignments(
                        Map.of(p0, Optional.of(List.of(3, 2)), p1, Optional.of(List.of(2, 3))), true)
                .get();

        assertThat(started.values()).allMatch(e -> e.error() == Errors.NONE);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            var topic = cache.topic("m").orElseThrow();
            assertThat(topic.replicas(0)).containsExactly(3, 2, 1);
            assertThat(topic.addingReplicas(0)).containsExactly(3);
            assertThat(topic.removingReplicas(0)).containsExactly(1);
        });
        assertThat(controller.listPartitionReassignments(Optional.empty()).get())
                .containsOnlyKeys(p0, p1)
                .containsEntry(p0, new Controller.Reassignment(List.of(3, 2, 1), List.of(3), List.of(1)));

        expandIsr(zk, p0, List.of(1, 2, 3)); // broker 3 caught up on partition 0

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cache.topic("m").orElseThrow().replicas(0)).containsExactly(3, 2);
            assertThat(cache.topic("m").orElseThrow().isReassigning(0)).isFalse();
        });
        awaitState(cache, p0, 3, 1, List.of(2, 3));
        assertThat(cache.topic("m").orElseThrow().isReassigning(1)).isTrue();

        Map<TopicPartition, ApiError> cancelled = controller
                .alterPartitionReassignments(Map.of(p1, Optional.empty(), p0, Optional.empty()), true)
                .get();

        assertThat(cancelled.get(p1).error()).isEqualTo(Errors.NONE);
        assertThat(cancelled.get(p0).error()).isEqualTo(Errors.NO_REASSIGNMENT_IN_PROGRESS);
        await().atMost(TIMEOUT).untilAsserted(() -> {
            // as in Kafka, the original replicas come back in the order of the union (target first)
            assertThat(cache.topic("m").orElseThrow().replicas(1)).containsExactly(2, 1);
            assertThat(cache.topic("m").orElseThrow().isReassigning()).isFalse();
        });
    }

    @Test
    void refusesInvalidReassignmentsAsKafkaDoes(ZooKeeperCluster zk) throws Exception {
        broker(zk, 1);
        broker(zk, 2);
        Controller controller = controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        admin(zk).createTopic("v", -1, -1, Optional.of(Map.of(0, List.of(1))), Map.of());
        assertThat(cache.awaitTopic("v", TIMEOUT)).isTrue();
        await().atMost(TIMEOUT).until(controller::isActive);
        TopicPartition tp = new TopicPartition("v", 0);

        Map<TopicPartition, Errors> errors = new java.util.HashMap<>();
        for (var entry : Map.of(
                        new TopicPartition("v", 5), Optional.of(List.of(1)),
                        new TopicPartition("nope", 0), Optional.of(List.of(1)))
                .entrySet()) {
            controller
                    .alterPartitionReassignments(Map.of(entry.getKey(), entry.getValue()), true)
                    .get()
                    .forEach((k, v) -> errors.put(k, v.error()));
        }
        assertThat(errors)
                .containsOnly(
                        Map.entry(new TopicPartition("v", 5), Errors.UNKNOWN_TOPIC_OR_PARTITION),
                        Map.entry(new TopicPartition("nope", 0), Errors.UNKNOWN_TOPIC_OR_PARTITION));
        for (List<Integer> bad : List.of(List.<Integer>of(), List.of(1, 1), List.of(1, 9))) {
            assertThat(controller
                            .alterPartitionReassignments(Map.of(tp, Optional.of(bad)), true)
                            .get()
                            .get(tp)
                            .error())
                    .as("%s", bad)
                    .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        }
        assertThat(controller
                        .alterPartitionReassignments(Map.of(tp, Optional.of(List.of(1, 2))), false)
                        .get()
                        .get(tp)
                        .error())
                .isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(controller
                        .alterPartitionReassignments(Map.of(tp, Optional.of(List.of(1))), false)
                        .get()
                        .get(tp)
                        .error())
                .as("no change")
                .isEqualTo(Errors.NONE);
    }

    @Test
    void aStandbyControllerRefusesAdminOperations(ZooKeeperCluster zk) {
        broker(zk, 1);
        Controller first = controller(zk, 1);
        await().atMost(TIMEOUT).until(first::isActive);
        Controller second = controller(zk, 2);

        assertThat(second.electLeaders(ElectionType.PREFERRED, Optional.empty()))
                .failsWithin(TIMEOUT)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(org.apache.kafka.common.errors.NotControllerException.class);
    }

    @Test
    void aNewControllerResumesAReassignmentAndTakesOverElections(ZooKeeperCluster zk) throws Exception {
        broker(zk, 1);
        broker(zk, 2);
        BrokerRegistrar three = broker(zk, 3);
        Controller first = controller(zk, 1, new Controller.Settings(false, false, Duration.ofDays(1), 10));
        await().atMost(TIMEOUT).until(first::isActive);
        Controller second = controller(zk, 2, new Controller.Settings(false, false, Duration.ofDays(1), 10));
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("moving", -1, -1, Optional.of(Map.of(0, List.of(1, 2))), Map.of());
        admin.createTopic(
                "unclean",
                -1,
                -1,
                Optional.of(Map.of(0, List.of(3, 1))),
                Map.of("unclean.leader.election.enable", "true"));
        admin.createTopic("preferred", -1, -1, Optional.of(Map.of(0, List.of(2, 1))), Map.of());
        TopicPartition moving = new TopicPartition("moving", 0);
        TopicPartition unclean = new TopicPartition("unclean", 0);
        TopicPartition preferred = new TopicPartition("preferred", 0);
        for (String t : List.of("moving", "unclean", "preferred")) {
            assertThat(cache.awaitTopic(t, TIMEOUT)).isTrue();
        }
        assertThat(first.alterPartitionReassignments(Map.of(moving, Optional.of(List.of(3, 2))), true)
                        .get()
                        .get(moving))
                .isEqualTo(ApiError.NONE);
        await().atMost(TIMEOUT).until(() -> cache.topic("moving").orElseThrow().isReassigning(0));

        first.close();
        await().atMost(TIMEOUT).until(second::isActive);

        // reassignment: the new controller completes what the old one started
        expandIsr(zk, moving, List.of(1, 2, 3));
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> assertThat(cache.topic("moving").orElseThrow().replicas(0))
                                .containsExactly(3, 2));
        awaitState(cache, moving, 3, 1, List.of(2, 3));
        assertThat(second.listPartitionReassignments(Optional.empty()).get()).isEmpty();
        // controlled shutdown
        ZkClusterClient twoSession = new ZkClusterClient(zk.newClient());
        twoSession.requestControlledShutdown(2);
        awaitState(cache, preferred, 1, 1, List.of(1));
        twoSession.clearControlledShutdown(2);
        // preferred election (after broker 2 is back in sync)
        expandIsr(zk, preferred, List.of(1, 2));
        awaitControllerSeesBroker(second, 2);
        assertThat(second.electLeaders(ElectionType.PREFERRED, Optional.of(Set.of(preferred)))
                        .get()
                        .get(preferred))
                .isEqualTo(ApiError.NONE);
        awaitState(cache, preferred, 2, 2, List.of(1, 2));
        // unclean election
        expandIsr(zk, unclean, List.of(3));
        awaitState(cache, unclean, 3, 0, List.of(3));
        three.close();
        awaitState(cache, unclean, 1, 1, List.of(1));
        await().atMost(TIMEOUT).until(() -> second.uncleanLeaderElections() == 1);
    }
}
