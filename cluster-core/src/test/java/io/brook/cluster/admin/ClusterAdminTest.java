package io.brook.cluster.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.TopicAssignment;
import io.brook.cluster.testkit.ZooKeeperCluster;
import io.brook.cluster.testkit.ZooKeeperTest;
import io.brook.cluster.zk.ZkClusterClient;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

@ZooKeeperTest
class ClusterAdminTest {

    static final Optional<Map<Integer, List<Integer>>> AUTO = Optional.empty();

    /** A cluster of {@code brokers} registered brokers and an admin over it. */
    static ClusterAdmin admin(ZooKeeperCluster zk, int brokers) {
        ZkClusterClient client = new ZkClusterClient(zk.newClient());
        client.ensurePersistentPaths();
        for (int id = 1; id <= brokers; id++) {
            client.registerBroker(
                    new BrokerRegistration(
                            id,
                            List.of(new Endpoint("PLAINTEXT", "h", 9000 + id, SecurityProtocol.PLAINTEXT)),
                            Optional.empty()),
                    0L);
        }
        return new ClusterAdmin(
                client,
                new ReplicaAssignor(new Random(1)),
                TopicConfigValidator.KNOWN_NAMES,
                ClusterAdmin.Defaults.KAFKA);
    }

    @Test
    void createsATopicWithKafkasPlacementAndConfigs(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 3);

        TopicAssignment topic = admin.createTopic("orders", 6, 2, AUTO, Map.of("retention.ms", "1000"));

        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicas().values())
                .allSatisfy(r -> assertThat(r).hasSize(2).doesNotHaveDuplicates());
        assertThat(admin.describeTopicConfigs("orders")).containsExactly(Map.entry("retention.ms", "1000"));
        TopicAssignment defaults = admin.createTopic("defaults", -1, -1, AUTO, Map.of());
        assertThat(defaults.numPartitions()).isEqualTo(1);
        assertThat(defaults.replicas(0)).hasSize(1);
    }

    @Test
    void refusesWhatKafkaRefusesWithKafkasExceptions(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 2);
        admin.createTopic("orders", 1, 1, AUTO, Map.of());
        admin.createTopic("a.b", 1, 1, AUTO, Map.of());

        assertThatThrownBy(() -> admin.createTopic("orders", 1, 1, AUTO, Map.of()))
                .isInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> admin.createTopic("bad/name", 1, 1, AUTO, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> admin.createTopic("..", 1, 1, AUTO, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> admin.createTopic("x".repeat(250), 1, 1, AUTO, Map.of()))
                .isInstanceOf(InvalidTopicException.class);
        assertThatThrownBy(() -> admin.createTopic("a_b", 1, 1, AUTO, Map.of()))
                .isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("collides");
        assertThatThrownBy(() -> admin.createTopic("t", 0, 1, AUTO, Map.of()))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> admin.createTopic("t", 1, 0, AUTO, Map.of()))
                .isInstanceOf(InvalidReplicationFactorException.class);
        assertThatThrownBy(() -> admin.createTopic("t", 1, 3, AUTO, Map.of()))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessage("Replication factor: 3 larger than available brokers: 2.");
        assertThatThrownBy(() -> admin.createTopic("t", 1, 1, AUTO, Map.of("no.such.config", "1")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Unknown topic config name: no.such.config");
        assertThatThrownBy(() -> admin.createTopic("t", 1, 1, AUTO, Map.of("unclean.leader.election.enable", "maybe")))
                .isInstanceOf(InvalidConfigurationException.class);
        admin.createTopic("t", 1, 1, AUTO, Map.of("unclean.leader.election.enable", "true"), true);
        assertThatThrownBy(() -> admin.createTopic("t", 1, 1, Optional.of(Map.of(0, List.of(1))), Map.of()))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> admin.createTopic("t", -1, -1, Optional.of(Map.of(0, List.of(1, 1))), Map.of()))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> admin.createTopic("t", -1, -1, Optional.of(Map.of(0, List.of(7))), Map.of()))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("broker 7");
        assertThatThrownBy(() -> admin.createTopic("t", -1, -1, Optional.of(Map.of(1, List.of(1))), Map.of()))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThat(admin.createTopic("t", 1, 1, AUTO, Map.of(), true)).isNotNull();
        assertThatThrownBy(() -> admin.deleteTopic("t"))
                .as("validate-only wrote nothing")
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void aManualAssignmentIsWrittenAsGiven(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 3);

        TopicAssignment topic =
                admin.createTopic("m", -1, -1, Optional.of(Map.of(0, List.of(3, 1), 1, List.of(2, 3))), Map.of());

        assertThat(topic.replicas()).containsExactly(Map.entry(0, List.of(3, 1)), Map.entry(1, List.of(2, 3)));
    }

    @Test
    void createPartitionsGrowsATopicAndRefusesToShrinkIt(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 3);
        TopicAssignment before = admin.createTopic("orders", 2, 2, AUTO, Map.of());

        TopicAssignment after = admin.createPartitions("orders", 5, Optional.empty(), false);

        assertThat(after.numPartitions()).isEqualTo(5);
        assertThat(after.replicas()).containsAllEntriesOf(before.replicas());
        assertThat(after.replicas(4)).hasSize(2);
        assertThat(admin.createPartitions("orders", 6, Optional.of(List.of(List.of(3, 2))), false)
                        .replicas(5))
                .containsExactly(3, 2);
        assertThatThrownBy(() -> admin.createPartitions("orders", 3, Optional.empty(), false))
                .isInstanceOf(InvalidPartitionsException.class)
                .hasMessage("Topic currently has 6 partitions, which is higher than the requested 3.");
        assertThatThrownBy(() -> admin.createPartitions("orders", 8, Optional.of(List.of(List.of(1, 2))), false))
                .isInstanceOf(InvalidReplicaAssignmentException.class);
        assertThatThrownBy(() -> admin.createPartitions("nope", 3, Optional.empty(), false))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void alterAndIncrementalAlterConfigs(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 1);
        admin.createTopic("c", 1, 1, AUTO, Map.of("retention.ms", "1000", "cleanup.policy", "delete"));

        admin.incrementalAlterTopicConfigs(
                "c",
                List.of(
                        new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE),
                        new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND),
                        new AlterConfigOp(new ConfigEntry("segment.ms", "60000"), AlterConfigOp.OpType.SET)),
                false);

        assertThat(admin.describeTopicConfigs("c"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("cleanup.policy", "delete,compact", "segment.ms", "60000"));
        assertThatThrownBy(() -> admin.incrementalAlterTopicConfigs(
                        "c",
                        List.of(new AlterConfigOp(new ConfigEntry("segment.ms", "1"), AlterConfigOp.OpType.APPEND)),
                        false))
                .isInstanceOf(InvalidConfigurationException.class);
        admin.alterTopicConfigs("c", Map.of("max.message.bytes", "100"), false);
        assertThat(admin.describeTopicConfigs("c")).containsExactly(Map.entry("max.message.bytes", "100"));
        assertThatThrownBy(() -> admin.alterTopicConfigs("c", Map.of("bogus", "1"), false))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> admin.describeTopicConfigs("nope"))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void appendWithoutAnOverrideStartsFromTheDefault(ZooKeeperCluster zk) {
        ClusterAdmin admin = admin(zk, 1);
        admin.createTopic("d", 1, 1, AUTO, Map.of());

        admin.incrementalAlterTopicConfigs(
                "d",
                List.of(new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND)),
                false,
                Map.of("cleanup.policy", "delete"));

        assertThat(admin.describeTopicConfigs("d")).containsExactly(Map.entry("cleanup.policy", "delete,compact"));
    }
}
