package io.brook.broker.replication;

/**
 * Per-topic traffic as the {@link ReplicaManager} sees it, for Kafka's {@code BrokerTopicMetrics}
 * (the broker's {@code metrics} package keeps them as Micrometer counters). Called on the produce
 * and fetch paths: implementations must be cheap, thread-safe and never block.
 */
public interface TopicStats {

    /** Keeps nothing. */
    TopicStats NONE = new TopicStats() {};

    /**
     * Records appended as leader: {@code records} records in {@code bytes} bytes of batches
     * (Kafka's {@code MessagesInPerSec} and {@code BytesInPerSec}). A retried batch that an
     * idempotent producer had already written counts nothing.
     */
    default void appended(String topic, long records, long bytes) {}

    /**
     * Bytes of records a fetch returned to a consumer or a follower (Kafka's {@code
     * BytesOutPerSec}).
     */
    default void fetched(String topic, long bytes) {}
}
