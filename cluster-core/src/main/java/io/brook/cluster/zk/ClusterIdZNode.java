package io.brook.cluster.zk;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code /cluster/id}: the cluster id, a Kafka {@code Uuid} string created once by the first broker
 * to start and never changed, which Metadata responses carry.
 *
 * <pre>
 * {"version":1,"id":"&lt;Kafka Uuid, base64&gt;"}
 * </pre>
 */
public final class ClusterIdZNode {

    static final int VERSION = 1;

    private ClusterIdZNode() {}

    public static String path() {
        return ZkPaths.CLUSTER_ID;
    }

    public static byte[] encode(String clusterId) {
        ObjectNode node = ZkJson.object(VERSION);
        node.put("id", clusterId);
        return ZkJson.bytes(node);
    }

    public static String decode(byte[] data) {
        return ZkJson.required(ZkJson.parse(data, "/cluster/id", VERSION), "id", "/cluster/id")
                .asText();
    }
}
