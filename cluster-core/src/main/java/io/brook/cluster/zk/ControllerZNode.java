package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /controller}: ephemeral, held by the active controller's session, naming it so that
 * brokers can answer Metadata's {@code controller_id}.
 *
 * <pre>
 * {"version":1,"brokerid":1,"timestamp":"1700000000000"}
 * </pre>
 */
public final class ControllerZNode {

    static final int VERSION = 1;

    private ControllerZNode() {}

    public static String path() {
        return ZkPaths.CONTROLLER;
    }

    public static byte[] encode(int brokerId, long timestampMs) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("brokerid", brokerId);
        node.put("timestamp", Long.toString(timestampMs));
        return ZkJson.bytes(node);
    }

    /** The controller's broker id. */
    public static int decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "/controller", VERSION);
        return ZkJson.required(node, "brokerid", "/controller").asInt();
    }
}
