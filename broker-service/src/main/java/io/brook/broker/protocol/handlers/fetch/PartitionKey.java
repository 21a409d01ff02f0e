package io.brook.broker.protocol.handlers.fetch;

import java.util.Objects;
import org.apache.kafka.common.Uuid;

/**
 * How a fetch request names a partition: by topic id from Fetch v13 on, by topic name before. A
 * session keeps the form its first request used (Kafka refuses to mix them in one session).
 *
 * @param topicId the topic's id, or {@link Uuid#ZERO_UUID} when named
 * @param topic the topic's name, or null when identified by id
 */
public record PartitionKey(Uuid topicId, String topic, int partition) {

    public PartitionKey {
        Objects.requireNonNull(topicId);
        if ((topic == null) == topicId.equals(Uuid.ZERO_UUID)) {
            throw new IllegalArgumentException("a partition is named by topic id or by topic name, not both");
        }
    }

    public static PartitionKey byId(Uuid topicId, int partition) {
        return new PartitionKey(topicId, null, partition);
    }

    public static PartitionKey byName(String topic, int partition) {
        return new PartitionKey(Uuid.ZERO_UUID, topic, partition);
    }

    public boolean usesTopicId() {
        return topic == null;
    }

    /** Whether {@code other} belongs to the same topic (for grouping a response by topic). */
    public boolean sameTopic(PartitionKey other) {
        return topicId.equals(other.topicId) && Objects.equals(topic, other.topic);
    }

    @Override
    public String toString() {
        return (topic == null ? topicId.toString() : topic) + "-" + partition;
    }
}
