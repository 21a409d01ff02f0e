package io.brook.cluster.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.metadata.BrokerRegistration;
import io.brook.cluster.metadata.Endpoint;
import io.brook.cluster.metadata.PartitionState;
import io.brook.cluster.metadata.TopicAssignment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;

class ZNodeCodecTest {

    @Test
    void brokerRegistrationRoundTripsWithAndWithoutRack() {
        BrokerRegistration racked = new BrokerRegistration(
                7,
                List.of(
                        new Endpoint("PLAINTEXT", "host-a", 9092, SecurityProtocol.PLAINTEXT),
                        new Endpoint("SECURE", "host-a", 9093, SecurityProtocol.SASL_SSL)),
                Optional.of("r1"));
        BrokerRegistration plain = new BrokerRegistration(
                0, List.of(new Endpoint("PLAINTEXT", "h", 1, SecurityProtocol.PLAINTEXT)), Optional.empty());

        assertThat(BrokerIdZNode.decode(BrokerIdZNode.encode(racked, 1234L))).isEqualTo(racked);
        assertThat(BrokerIdZNode.decode(BrokerIdZNode.encode(plain, 1234L))).isEqualTo(plain);
        assertThat(BrokerIdZNode.decodeTimestamp(BrokerIdZNode.encode(plain, 1234L)))
                .isEqualTo(1234L);
        assertThat(BrokerIdZNode.path(7)).isEqualTo("/brokers/ids/7");
    }

    @Test
    void topicAssignmentRoundTripsWithItsUuid() {
        TopicAssignment topic = new TopicAssignment(
                "orders", Uuid.randomUuid(), Map.of(0, List.of(1, 2), 1, List.of(2, 3), 10, List.of(3, 1)));

        byte[] bytes = TopicZNode.encode(topic);

        assertThat(TopicZNode.decode("orders", bytes)).isEqualTo(topic);
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"version\":1")
                .contains("\"topic_id\":\"" + topic.topicId() + "\"");
        assertThat(TopicZNode.decode("orders", bytes).partitions()).containsExactly(0, 1, 10);
    }

    @Test
    void aReassignmentRoundTripsInKafkasAddingAndRemovingReplicasFields() {
        TopicAssignment topic = new TopicAssignment(
                        "orders", Uuid.randomUuid(), Map.of(0, List.of(1, 2), 1, List.of(2, 3)))
                .withPartition(1, List.of(4, 3, 2), List.of(4), List.of(2));

        byte[] bytes = TopicZNode.encode(topic);

        TopicAssignment decoded = TopicZNode.decode("orders", bytes);
        assertThat(decoded).isEqualTo(topic);
        assertThat(decoded.targetReplicas(1)).containsExactly(4, 3);
        assertThat(decoded.originalReplicas(1)).containsExactly(3, 2);
        assertThat(decoded.isReassigning(0)).isFalse();
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .contains("\"adding_replicas\":{\"1\":[4]}")
                .contains("\"removing_replicas\":{\"1\":[2]}");
        assertThat(new String(
                        TopicZNode.encode(topic.withPartition(1, List.of(4, 3), List.of(), List.of())),
                        StandardCharsets.UTF_8))
                .doesNotContain("adding_replicas");
    }

    @Test
    void partitionStateRoundTripsInKafkasFormatAndTakesTheZkVersionFromTheStat() {
        PartitionState state = new PartitionState(2, 5, List.of(2, 3), 9, PartitionState.NEW);

        byte[] bytes = TopicPartitionStateZNode.encode(state);

        assertThat(TopicPartitionStateZNode.decode(bytes, 4)).isEqualTo(state.withZkVersion(4));
        assertThat(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo("{\"version\":1,\"leader\":2,\"leader_epoch\":5,\"isr\":[2,3],\"controller_epoch\":9}");
        assertThat(TopicPartitionStateZNode.path(new TopicPartition("t", 3)))
                .isEqualTo("/brokers/topics/t/partitions/3/state");
    }

    @Test
    void theOtherZNodesRoundTrip() {
        Map<String, String> config = Map.of("retention.ms", "1000", "cleanup.policy", "compact");
        assertThat(TopicConfigZNode.decode(TopicConfigZNode.encode(config))).isEqualTo(config);
        assertThat(ControllerZNode.decode(ControllerZNode.encode(3, 99L))).isEqualTo(3);
        assertThat(ControllerEpochZNode.decode(ControllerEpochZNode.encode(12))).isEqualTo(12);
        String clusterId = Uuid.randomUuid().toString();
        assertThat(ClusterIdZNode.decode(ClusterIdZNode.encode(clusterId))).isEqualTo(clusterId);
        DeleteTopicZNode.decode(DeleteTopicZNode.encode());
        DeleteTopicZNode.decode(new byte[0]);
        assertThat(TopicConfigZNode.path("t")).isEqualTo("/config/topics/t");
        assertThat(DeleteTopicZNode.path("t")).isEqualTo("/admin/delete_topics/t");
    }

    @Test
    void aPayloadOfAnotherVersionOrNotJsonIsRefused() {
        assertThatThrownBy(() -> ControllerEpochZNode.decode("{\"version\":2,\"epoch\":1}".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported version 2");
        assertThatThrownBy(() -> ControllerZNode.decode("7".getBytes())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClusterIdZNode.decode("{oops".getBytes()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
    }
}
