package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brook.cluster.metadata.TopicAssignment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * {@code /brokers/topics/<topic>}: a topic's id and replica assignment, written by the admin path
 * when the topic is created or grows, read by the controller (which creates the partition states)
 * and by every broker's metadata cache.
 *
 * <pre>
 * {"version":1,"topic_id":"&lt;Kafka Uuid, base64&gt;","partitions":{"0":[1,2],"1":[2,3]},
 *  "adding_replicas":{"1":[3]},"removing_replicas":{"1":[2]}}
 * </pre>
 *
 * {@code adding_replicas} and {@code removing_replicas} (Kafka's names, KIP-455) hold the
 * partitions being reassigned and are left out when none is: a partition listed there is moving
 * from {@code partitions} minus adding to {@code partitions} minus removing. They are optional
 * fields of version 1, so a topic never reassigned reads the same as before; a build that does
 * not know them reads the union of old and new replicas, which is where the partition is
 * replicated during the move.
 */
public final class TopicZNode {

    static final int VERSION = 1;

    private TopicZNode() {}

    public static String path(String topic) {
        return ZkPaths.topic(topic);
    }

    public static byte[] encode(TopicAssignment topic) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("topic_id", topic.topicId().toString());
        ObjectNode partitions = node.putObject("partitions");
        topic.replicas().forEach((p, replicas) -> {
            ArrayNode list = partitions.putArray(Integer.toString(p));
            replicas.forEach(list::add);
        });
        if (topic.isReassigning()) {
            putLists(node.putObject("adding_replicas"), topic.addingReplicas());
            putLists(node.putObject("removing_replicas"), topic.removingReplicas());
        }
        return ZkJson.bytes(node);
    }

    /** The topic's name is the znode's, so it is given rather than stored. */
    public static TopicAssignment decode(String topic, byte[] data) {
        JsonNode node = ZkJson.parse(data, "/brokers/topics", VERSION);
        Uuid id = Uuid.fromString(
                ZkJson.required(node, "topic_id", "/brokers/topics").asText());
        Map<Integer, List<Integer>> replicas = lists(ZkJson.required(node, "partitions", "/brokers/topics"));
        Map<Integer, List<Integer>> adding = lists(node.path("adding_replicas"));
        Map<Integer, List<Integer>> removing = lists(node.path("removing_replicas"));
        return new TopicAssignment(topic, id, replicas, adding, removing);
    }

    private static void putLists(ObjectNode target, Map<Integer, List<Integer>> lists) {
        lists.forEach((p, replicas) -> {
            ArrayNode list = target.putArray(Integer.toString(p));
            replicas.forEach(list::add);
        });
    }

    /** partition → broker ids; empty for a missing node. */
    private static Map<Integer, List<Integer>> lists(JsonNode node) {
        Map<Integer, List<Integer>> result = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Integer> list = new ArrayList<>();
            e.getValue().forEach(b -> list.add(b.asInt()));
            result.put(Integer.parseInt(e.getKey()), list);
        }
        return result;
    }
}
