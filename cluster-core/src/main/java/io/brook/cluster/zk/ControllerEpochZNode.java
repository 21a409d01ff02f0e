package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /controller_epoch}: persistent, the number of controller elections so far. Each new
 * controller increments it by a conditional write, and then fences every write it makes with the
 * version it left this znode at (see {@link ControllerEpoch}); Kafka stores a bare integer here,
 * Brook a versioned object like its other znodes:
 *
 * <pre>
 * {"version":1,"epoch":4}
 * </pre>
 */
public final class ControllerEpochZNode {

    static final int VERSION = 1;

    private ControllerEpochZNode() {}

    public static String path() {
        return ZkPaths.CONTROLLER_EPOCH;
    }

    public static byte[] encode(int epoch) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("epoch", epoch);
        return ZkJson.bytes(node);
    }

    public static int decode(byte[] data) {
        JsonNode node = ZkJson.parse(data, "/controller_epoch", VERSION);
        return ZkJson.required(node, "epoch", "/controller_epoch").asInt();
    }
}
