package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code /brokers/topics/<topic>/partitions/<p>/state}: leader, leader epoch and ISR of one
 * partition, in Kafka's own format (Kafka's {@code TopicPartitionStateZNode}, version 1):
 *
 * <pre>
 * {"version":1,"leader":1,"leader_epoch":0,"isr":[1,2],"controller_epoch":3}
 * </pre>
 *
 * The znode version is not in the payload: {@link #decode} takes it from the {@code Stat} so that
 * the model can carry it into the next conditional write.
 */
public final class TopicPartitionStateZNode {

    static final int VERSION = 1;

    private TopicPartitionStateZNode() {}

    public static String path(TopicPartition tp) {
        return ZkPaths.partitionState(tp);
    }

    public static byte[] encode(PartitionState state) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("leader", state.leader());
        node.put("leader_epoch", state.leaderEpoch());
        state.isr().forEach(node.putArray("isr")::add);
        node.put("controller_epoch", state.controllerEpoch());
        return ZkJson.bytes(node);
    }

    public static PartitionState decode(byte[] data, int zkVersion) {
        JsonNode node = ZkJson.parse(data, "partition state", VERSION);
        List<Integer> isr = new ArrayList<>();
        ZkJson.required(node, "isr", "partition state").forEach(b -> isr.add(b.asInt()));
        return new PartitionState(
                ZkJson.required(node, "leader", "partition state").asInt(),
                ZkJson.required(node, "leader_epoch", "partition state").asInt(),
                isr,
                ZkJson.required(node, "controller_epoch", "partition state").asInt(),
                zkVersion);
    }
}
