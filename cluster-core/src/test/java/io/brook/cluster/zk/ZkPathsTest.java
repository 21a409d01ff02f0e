package io.brook.cluster.zk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class ZkPathsTest {

    @Test
    void aclPathsAreKafkasAndReadBackToTheirPattern() {
        assertThat(ZkPaths.acl(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL)))
                .isEqualTo("/kafka-acl/Topic/orders");
        assertThat(ZkPaths.acl(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, "tx-", PatternType.PREFIXED)))
                .isEqualTo("/kafka-acl-extended/prefixed/TransactionalId/tx-");
        assertThat(ZkPaths.acl(new ResourcePattern(ResourceType.TOPIC, "*", PatternType.LITERAL)))
                .isEqualTo("/kafka-acl/Topic/*");
        assertThat(ZkPaths.acl(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL)))
                .isEqualTo("/kafka-acl/Cluster/kafka-cluster");
        for (String name : List.of("orders", "*", "a/b", ".", "..", "100% sure", "x*", "%2A", "ünï")) {
            for (PatternType type : List.of(PatternType.LITERAL, PatternType.PREFIXED)) {
                ResourcePattern pattern = new ResourcePattern(ResourceType.GROUP, name, type);
                String path = ZkPaths.acl(pattern);
                assertThat(ZkPaths.name(path)).doesNotContain("/").isNotIn(".", "..");
                assertThat(ZkPaths.aclPattern(path)).as(name).contains(pattern);
            }
        }
    }

    @Test
    void storeRootsAndTypeParentsAreNoPattern() {
        assertThat(ZkPaths.aclPattern("/kafka-acl")).isEmpty();
        assertThat(ZkPaths.aclPattern("/kafka-acl/Topic")).isEmpty();
        assertThat(ZkPaths.aclPattern("/kafka-acl-extended/prefixed/Group")).isEmpty();
        assertThat(ZkPaths.aclPattern("/kafka-acl/NoSuchType/x")).isEmpty();
        assertThat(ZkPaths.aclPattern("/config/users/alice")).isEmpty();
        assertThatThrownBy(() -> ZkPaths.acl(new ResourcePattern(ResourceType.TOPIC, "t", PatternType.MATCH)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void userNamesAreEncodedLikeKafkasSanitizer() {
        assertThat(ZkPaths.user("alice")).isEqualTo("/config/users/alice");
        assertThat(ZkPaths.user("CN=a b,O=c")).isEqualTo("/config/users/CN%3Da%20b%2CO%3Dc");
        assertThat(ZkPaths.decodeName(ZkPaths.name(ZkPaths.user("CN=a b,O=c")))).isEqualTo("CN=a b,O=c");
    }
}
