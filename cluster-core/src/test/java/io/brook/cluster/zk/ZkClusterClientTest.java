package io.brook.cluster.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ControllerMovedException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class ZkClusterClientTest {

    static final TopicPartition TP = new TopicPartition("orders", 0);

    static ZkClusterClient client(ZooKeeperCluster zk) {
        ZkClusterClient client = new ZkClusterClient(zk.newClient());
        client.ensurePersistentPaths();
        return client;
    }

    static BrokerRegistration broker(int id) {
        return new BrokerRegistration(
                id,
                List.of(new Endpoint("PLAINTEXT", "localhost", 9000 + id, SecurityProtocol.PLAINTEXT)),
                Optional.empty());
    }

    static TopicAssignment orders() {
        return new TopicAssignment("orders", Uuid.randomUuid(), Map.of(0, List.of(1), 1, List.of(1)));
    }

    @Test
    void theClusterIdIsCreatedOnceAndThenRead(ZooKeeperCluster zk) {
        ZkClusterClient a = client(zk);
        ZkClusterClient b = client(zk);

        String id = a.getOrCreateClusterId();

        assertThat(b.getOrCreateClusterId()).isEqualTo(id);
        assertThat(Uuid.fromString(id)).isNotNull();
    }

    @Test
    void aBrokerIdHeldByAnotherSessionIsRefusedWithTheHoldersAddress(ZooKeeperCluster zk) {
        ZkClusterClient first = client(zk);
        ZkClusterClient second = client(zk);
        first.registerBroker(broker(1), 0L);

        assertThatThrownBy(() -> second.registerBroker(broker(1), 0L))
                .isInstanceOf(BrokerIdInUseException.class)
                .hasMessage("broker id 1 is already registered by a live broker at localhost:9001");
        // registering again from the owning session is harmless
        first.registerBroker(broker(1), 5L);
        assertThat(first.isRegisteredBySelf(1)).isTrue();
        assertThat(second.isRegisteredBySelf(1)).isFalse();
        assertThat(second.brokers()).containsExactly(broker(1));
    }

    @Test
    void creatingATopicTwiceGivesTopicExists(ZooKeeperCluster zk) {
        ZkClusterClient client = client(zk);
        TopicAssignment topic = orders();
        client.createTopic(topic, Map.of("retention.ms", "1000"));

        assertThatThrownBy(() -> client.createTopic(orders(), Map.of()))
                .isInstanceOf(TopicExistsException.class)
                .hasMessage("Topic 'orders' already exists.");
        assertThat(client.topic("orders").orElseThrow().value()).isEqualTo(topic);
        assertThat(client.topicConfig("orders").orElseThrow().value()).containsEntry("retention.ms", "1000");
        assertThat(client.topicNames()).containsExactly("orders");

        client.markTopicForDeletion("orders");
        assertThatThrownBy(() -> client.createTopic(orders(), Map.of()))
                .isInstanceOf(TopicExistsException.class)
                .hasMessage("Topic 'orders' is marked for deletion.");
        assertThatThrownBy(() -> client.markTopicForDeletion("nope"))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void ofTwoConcurrentWritesFromTheSameVersionOnlyOneWins(ZooKeeperCluster zk) {
        ZkClusterClient a = client(zk);
        ZkClusterClient b = client(zk);
        a.createTopic(orders(), Map.of());
        ControllerEpoch fence = a.claimController(1, 0L);
        PartitionState created = a.createPartitionState(
                TP, new PartitionState(1, 0, List.of(1), fence.epoch(), PartitionState.NEW), fence);
        PartitionState readByA = a.partitionState(TP).orElseThrow();
        PartitionState readByB = b.partitionState(TP).orElseThrow();
        assertThat(readByA).isEqualTo(created);

        PartitionState written =
                a.updatePartitionState(TP, new PartitionState(1, 0, List.of(1, 2), fence.epoch(), readByA.zkVersion()));

        assertThatThrownBy(() -> b.updatePartitionState(
                        TP, new PartitionState(1, 0, List.of(1, 3), fence.epoch(), readByB.zkVersion())))
                .isInstanceOf(ZkVersionMismatchException.class);
        assertThat(b.partitionState(TP).orElseThrow()).isEqualTo(written);
        assertThat(written.zkVersion()).isEqualTo(1);
    }

    @Test
    void aReplacedControllerCanNoLongerWrite(ZooKeeperCluster zk) {
        ZkClusterClient old = client(zk);
        ZkClusterClient next = client(zk);
        old.createTopic(orders(), Map.of());
        ControllerEpoch stale = old.claimController(1, 0L);
        assertThatThrownBy(() -> next.claimController(2, 0L)).isInstanceOf(ControllerMovedException.class);
        assertThat(next.controllerId()).hasValue(1);

        old.resignController();
        ControllerEpoch current = next.claimController(2, 0L);

        assertThat(current.epoch()).isEqualTo(stale.epoch() + 1);
        assertThatThrownBy(() -> old.createPartitionState(
                        TP, new PartitionState(1, 0, List.of(1), stale.epoch(), PartitionState.NEW), stale))
                .isInstanceOf(ControllerMovedException.class);
        assertThatThrownBy(() -> old.deleteTopicZNodes("orders", stale)).isInstanceOf(ControllerMovedException.class);
        assertThat(next.partitionState(TP)).isEmpty();
        next.deleteTopicZNodes("orders", current);
        assertThat(next.topicNames()).isEmpty();
        assertThat(next.topicConfig("orders")).isEmpty();
    }
}
