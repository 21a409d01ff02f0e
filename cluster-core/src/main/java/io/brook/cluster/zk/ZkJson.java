package io.brook.cluster.zk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The JSON of the znode payloads: UTF-8, one object with an integer {@code "version"} field, so
 * that a later Brook can change a format and an older one refuses what it cannot read instead of
 * misreading it. Thread-safe (Jackson's mapper is, once configured).
 */
final class ZkJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ZkJson() {}

    static ObjectNode object(int version) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("version", version);
        return node;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e); // a tree always serialises
        }
    }

    /**
     * Parses a payload and checks its version.
     *
     * @throws IllegalArgumentException if the bytes are not a JSON object, or carry a version
     *     this build does not read
     */
    static JsonNode parse(byte[] data, String znode, int supportedVersion) {
        JsonNode node;
        try {
            node = MAPPER.readTree(data == null ? new byte[0] : data);
        } catch (IOException e) {
            throw new IllegalArgumentException("malformed JSON in " + znode + " znode", e);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("the " + znode + " znode does not hold a JSON object");
        }
        int version = node.path("version").asInt(-1);
        if (version != supportedVersion) {
            throw new IllegalArgumentException("unsupported version " + version + " of the " + znode
                    + " znode; this build reads version " + supportedVersion);
        }
        return node;
    }

    static JsonNode required(JsonNode node, String field, String znode) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the " + znode + " znode lacks \"" + field + "\"");
        }
        return value;
    }
}
