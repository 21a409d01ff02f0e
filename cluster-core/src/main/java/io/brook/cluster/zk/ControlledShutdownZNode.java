package io.brook.cluster.zk;

/**
 * {@code /admin/controlled_shutdown/<id>}: ephemeral, created by a broker that is stopping cleanly
 * to ask the controller to move its leaderships away first (Kafka's {@code
 * controlled.shutdown.enable}); see {@link ZkPaths}. Only its existence matters; it holds {@code
 * {"version":1}}. The broker id is the znode's name.
 */
public final class ControlledShutdownZNode {

    static final int VERSION = 1;

    private ControlledShutdownZNode() {}

    public static String path(int brokerId) {
        return ZkPaths.controlledShutdown(brokerId);
    }

    public static byte[] encode() {
        return ZkJson.bytes(ZkJson.object(VERSION));
    }

    /** Checks the marker's payload; an empty one is valid too. */
    public static void decode(byte[] data) {
        if (data != null && data.length > 0) {
            ZkJson.parse(data, "/admin/controlled_shutdown", VERSION);
        }
    }
}
