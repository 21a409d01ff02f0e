package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code /config/topics/<topic>}: a topic's config overrides under Kafka's names ({@code
 * retention.ms}, {@code cleanup.policy}, ...); what is not here takes the broker's default. Kafka's
 * format:
 *
 * <pre>
 * {"version":1,"config":{"retention.ms":"86400000","cleanup.policy":"compact"}}
 * </pre>
 */
public final class TopicConfigZNode {

    static final int VERSION = 1;

    private TopicConfigZNode() {}

    public static String path(String topic) {
        return ZkPaths.topicConfig(topic);
    }

    public static byte[] encode(Map<String, String> config) {
        ObjectNode node = ZkJson.object(VERSION);
        ObjectNode map = node.putObject("config");
        new TreeMap<>(config).forEach(map::put);
        return ZkJson.bytes(node);
    }

    /** The overrides, sorted by name; unmodifiable. */
    public static Map<String, String> decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "/config/topics", VERSION);
        Map<String, String> config = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it =
                ZkJson.required(node, "config", "/config/topics").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            config.put(e.getKey(), e.getValue().asText());
        }
        return java.util.Collections.unmodifiableMap(config);
    }
}
