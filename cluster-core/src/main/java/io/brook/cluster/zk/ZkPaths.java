package io.brook.cluster.zk;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.utils.internals.Sanitizer;
import org.apache.kafka.common.utils.internals.SecurityUtils;

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
 * /config/users/&lt;user&gt;                           persistent  {@link UserScramCredentialsZNode}
 * /kafka-acl/&lt;ResourceType&gt;/&lt;name&gt;                persistent  {@link AclZNode} (literal patterns)
 * /kafka-acl-extended/prefixed/&lt;ResourceType&gt;/&lt;name&gt;  persistent  {@link AclZNode} (prefixed patterns)
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
 * Topic.validate} allows only {@code [a-zA-Z0-9._-]} and refuses "." and "..". User names and ACL
 * resource names (a group or transactional id may hold any character, "/" included) are
 * URL-encoded as Kafka's {@code Sanitizer} does for {@code /config/users}, except that the
 * wildcard {@code *} stays readable and the names "." and ".." have their dots encoded; for topic
 * names, {@code kafka-cluster} and ordinary user names the encoding is the identity. {@code
 * <ResourceType>} is Kafka's spelling ({@code Topic}, {@code Group}, {@code Cluster}, {@code
 * TransactionalId}).
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
    public static final String USER_CONFIGS = CONFIG + "/users";
    /** Kafka's store of literal ACL patterns. */
    public static final String LITERAL_ACLS = "/kafka-acl";
    /** Kafka's store of prefixed ACL patterns (KIP-290's extended ACL store). */
    public static final String PREFIXED_ACLS = "/kafka-acl-extended/prefixed";

    /** The persistent parents created once per cluster (Kafka's {@code createTopLevelPaths}). */
    public static final String[] PERSISTENT_PATHS = {
        CLUSTER,
        BROKER_IDS,
        TOPICS,
        TOPIC_CONFIGS,
        DELETE_TOPICS,
        CONTROLLED_SHUTDOWN,
        USER_CONFIGS,
        LITERAL_ACLS,
        PREFIXED_ACLS
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

    /** A user's config znode: their SCRAM credentials. */
    public static String user(String user) {
        return USER_CONFIGS + "/" + encodeName(user);
    }

    /**
     * The znode of a literal or prefixed ACL pattern.
     *
     * @throws IllegalArgumentException for pattern types other than LITERAL and PREFIXED
     */
    public static String acl(ResourcePattern pattern) {
        String root = switch (pattern.patternType()) {
            case LITERAL -> LITERAL_ACLS;
            case PREFIXED -> PREFIXED_ACLS;
            default -> throw new IllegalArgumentException("no ACL store for " + pattern.patternType());
        };
        return root + "/" + SecurityUtils.resourceTypeName(pattern.resourceType()) + "/" + encodeName(pattern.name());
    }

    /**
     * The pattern an ACL znode stands for, or empty if the path is not {@code
     * <store>/<ResourceType>/<name>} (a store root or a resource-type parent).
     */
    public static java.util.Optional<ResourcePattern> aclPattern(String path) {
        PatternType type;
        String rest;
        if (path.startsWith(PREFIXED_ACLS + "/")) {
            type = PatternType.PREFIXED;
            rest = path.substring(PREFIXED_ACLS.length() + 1);
        } else if (path.startsWith(LITERAL_ACLS + "/")) {
            type = PatternType.LITERAL;
            rest = path.substring(LITERAL_ACLS.length() + 1);
        } else {
            return java.util.Optional.empty();
        }
        int slash = rest.indexOf('/');
        if (slash < 0 || rest.indexOf('/', slash + 1) >= 0) {
            return java.util.Optional.empty();
        }
        org.apache.kafka.common.resource.ResourceType resourceType =
                SecurityUtils.resourceType(rest.substring(0, slash));
        if (resourceType == org.apache.kafka.common.resource.ResourceType.UNKNOWN) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new ResourcePattern(resourceType, decodeName(rest.substring(slash + 1)), type));
    }

    /** A user or resource name as a znode name: see the class comment. */
    public static String encodeName(String name) {
        String encoded = Sanitizer.sanitize(name).replace("%2A", "*");
        if (encoded.equals(".") || encoded.equals("..")) {
            encoded = encoded.replace(".", "%2E");
        }
        return encoded;
    }

    /** The inverse of {@link #encodeName}. */
    public static String decodeName(String znodeName) {
        return Sanitizer.desanitize(znodeName);
    }

    /** The last segment of a path: the broker id, topic or partition it names. */
    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
