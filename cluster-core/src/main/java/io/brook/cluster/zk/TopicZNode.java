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
 * {"version":1,"topic_id":"&lt;Kafka Uuid, base64&gt;","partitions":{"0":[1,2],"1":[2,3]}}
 * </pre>
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
        return ZkJson.bytes(node);
    }

    /** The topic's name is the znode's, so it is given rather than stored. */
    public static TopicAssignment decode(String topic, byte[] data) {
        JsonNode node = ZkJson.parse(data, "/brokers/topics", VERSION);
        Uuid id = Uuid.fromString(
                ZkJson.required(node, "topic_id", "/brokers/topics").asText());
        Map<Integer, List<Integer>> replicas = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it =
                ZkJson.required(node, "partitions", "/brokers/topics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Integer> list = new ArrayList<>();
            e.getValue().forEach(b -> list.add(b.asInt()));
            replicas.put(Integer.parseInt(e.getKey()), list);
        }
        return new TopicAssignment(topic, id, replicas);
    }
}
