package io.brook.cluster.zk;

/**
 * {@code /admin/delete_topics/<topic>}: a request to delete a topic, written by DeleteTopics and
 * removed by the controller together with the topic's znodes. Only its existence matters; it holds
 * {@code {"version":1}} (Kafka leaves it empty, which {@link #decode} also accepts).
 */
public final class DeleteTopicZNode {

    static final int VERSION = 1;

    private DeleteTopicZNode() {}

    public static String path(String topic) {
        return ZkPaths.deleteTopic(topic);
    }

    public static byte[] encode() {
        return ZkJson.bytes(ZkJson.object(VERSION));
    }

    /** Checks the marker's payload; an empty one (as Kafka writes) is valid. */
    public static void decode(byte[] data) {
        if (data != null && data.length > 0) {
            ZkJson.parse(data, "/admin/delete_topics", VERSION);
        }
    }
}
