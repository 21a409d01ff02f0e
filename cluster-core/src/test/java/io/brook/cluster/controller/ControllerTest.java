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
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.TopicPartition;
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
        CuratorFramework curator = zk.newClient();
        Controller controller = track(new Controller(curator, cache(curator), id, CLOCK));
        controller.start();
        return controller;
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
        controller(zk, 1);
        MetadataCache cache = cache(zk.newClient());
        ClusterAdmin admin = admin(zk);
        admin.createTopic("replicated", -1, -1, Optional.of(Map.of(0, List.of(2, 1))), Map.of());
        admin.createTopic("single", -1, -1, Optional.of(Map.of(0, List.of(2))), Map.of());
        TopicPartition replicated = new TopicPartition("replicated", 0);
        TopicPartition single = new TopicPartition("single", 0);
        assertThat(cache.awaitTopic("replicated", TIMEOUT)).isTrue();
        assertThat(cache.awaitTopic("single", TIMEOUT)).isTrue();
        assertThat(cache.partitionState(replicated).orElseThrow().leader()).isEqualTo(2);

        two.close(); // broker 2 goes away

        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(cache.partitionState(replicated).orElseThrow())
                    .extracting(PartitionState::leader, PartitionState::leaderEpoch, PartitionState::isr)
                    .containsExactly(1, 1, List.of(1));
            assertThat(cache.partitionState(single).orElseThrow())
                    .extracting(PartitionState::leader, PartitionState::leaderEpoch, PartitionState::isr)
                    .containsExactly(PartitionState.NO_LEADER, 1, List.of(2));
        });

        broker(zk, 2); // and comes back

        await().atMost(TIMEOUT)
                .untilAsserted(() -> assertThat(cache.partitionState(single).orElseThrow())
                        .extracting(PartitionState::leader, PartitionState::leaderEpoch)
                        .containsExactly(2, 2));
        // broker 2 is not in sync for "replicated" until its leader says so: leader 1 stays
        assertThat(cache.partitionState(replicated).orElseThrow().leader()).isEqualTo(1);
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
}
