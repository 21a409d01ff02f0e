package io.brook.cluster.zk;

import org.apache.kafka.common.TopicPartition;

/**
 * The ZooKeeper layout, after Kafka's {@code ZkData.scala} (the same paths, so a person who knows
 * Kafka's ZooKeeper tree finds their way; the payloads are Brook's own, each with a {@code
 * "version"} field):
 *
 * <pre>
 * /cluster/id                                    persistent  {@link ClusterIdZNode}
 * /controller                                    ephemeral   {@link ControllerZNode}
 * /controller_epoch                              persistent  {@link ControllerEpochZNode}
 * /controller_election/...                       ephemeral   Curator LeaderLatch (Brook only)
 * /brokers/ids/&lt;id&gt;                              ephemeral   {@link BrokerIdZNode}
 * /brokers/topics/&lt;topic&gt;                        persistent  {@link TopicZNode}
 * /brokers/topics/&lt;topic&gt;/partitions              persistent  (no data)
 * /brokers/topics/&lt;topic&gt;/partitions/&lt;p&gt;          persistent  (no data)
 * /brokers/topics/&lt;topic&gt;/partitions/&lt;p&gt;/state    persistent  {@link TopicPartitionStateZNode}
 * /config/topics/&lt;topic&gt;                         persistent  {@link TopicConfigZNode}
 * /admin/delete_topics/&lt;topic&gt;                   persistent  {@link DeleteTopicZNode}
 * /admin/controlled_shutdown/&lt;id&gt;                 ephemeral   {@link ControlledShutdownZNode} (Brook only)
 * </pre>
 *
 * <p>{@code /admin/controlled_shutdown/<id>} replaces Kafka's ControlledShutdown request (API key
 * 7, which brokers sent the controller in ZooKeeper mode): a broker stopping cleanly creates it in
 * its own session, the controller moves leadership off that broker and drops it from every ISR,
 * and the broker waits for its metadata cache to show that before it deregisters. Being
 * ephemeral, a marker never outlives the broker that wrote it.
 *
 * <p>Every path is built here and nowhere else. Topic names are legal znode names because {@code
 * Topic.validate} allows only {@code [a-zA-Z0-9._-]} and refuses "." and "..".
 */
public final class ZkPaths {

    public static final String CLUSTER = "/cluster";
    public static final String CLUSTER_ID = CLUSTER + "/id";
    public static final String CONTROLLER = "/controller";
    public static final String CONTROLLER_EPOCH = "/controller_epoch";
    /**
     * The Curator {@code LeaderLatch} that orders the controller candidates; Kafka raced on
     * creating {@code /controller} instead, Brook elects with the latch and then claims {@code
     * /controller}.
     */
    public static final String CONTROLLER_ELECTION = "/controller_election";

    public static final String BROKERS = "/brokers";
    public static final String BROKER_IDS = BROKERS + "/ids";
    public static final String TOPICS = BROKERS + "/topics";
    public static final String CONFIG = "/config";
    public static final String TOPIC_CONFIGS = CONFIG + "/topics";
    public static final String ADMIN = "/admin";
    public static final String DELETE_TOPICS = ADMIN + "/delete_topics";
    public static final String CONTROLLED_SHUTDOWN = ADMIN + "/controlled_shutdown";

    /** The persistent parents created once per cluster (Kafka's {@code createTopLevelPaths}). */
    public static final String[] PERSISTENT_PATHS = {
        CLUSTER, BROKER_IDS, TOPICS, TOPIC_CONFIGS, DELETE_TOPICS, CONTROLLED_SHUTDOWN
    };

    private ZkPaths() {}

    public static String broker(int id) {
        return BROKER_IDS + "/" + id;
    }

    public static String topic(String topic) {
        return TOPICS + "/" + topic;
    }

    public static String partitions(String topic) {
        return topic(topic) + "/partitions";
    }

    public static String partition(TopicPartition tp) {
        return partitions(tp.topic()) + "/" + tp.partition();
    }

    public static String partitionState(TopicPartition tp) {
        return partition(tp) + "/state";
    }

    public static String topicConfig(String topic) {
        return TOPIC_CONFIGS + "/" + topic;
    }

    public static String deleteTopic(String topic) {
        return DELETE_TOPICS + "/" + topic;
    }

    public static String controlledShutdown(int brokerId) {
        return CONTROLLED_SHUTDOWN + "/" + brokerId;
    }

    /** The last segment of a path: the broker id, topic or partition it names. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
