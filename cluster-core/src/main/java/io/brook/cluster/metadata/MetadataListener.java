package io.brook.cluster.metadata;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Told by the {@link MetadataCache} what changed between two of its images; the broker creates and
 * deletes local logs and becomes leader or follower from these. Calls come one at a time, in
 * image order, on the cache's single notification thread; an implementation must not block for
 * long (hand work to its own threads), and an exception it throws is logged and otherwise
 * ignored. Within one image change the order is: brokers, deleted topics, partition states,
 * configs, and last {@link #onImage} with the whole new image.
 */
public interface MetadataListener {

    /** The set of registered (live) brokers changed; {@code live} is the whole new set. */
    default void onBrokersChanged(Set<Integer> live) {}

    /**
     * A topic is gone (its znodes were removed by the controller, or it was re-created with a new
     * topic id, in which case the new topic's partitions follow as state changes).
     */
    default void onTopicDeleted(String topic) {}

    /**
     * A partition appeared or its leader, leader epoch or ISR changed (a change of the znode
     * version or controller epoch alone is not reported).
     */
    default void onPartitionStateChanged(TopicPartition partition, PartitionState state) {}

    /** A topic's config overrides changed; {@code config} is the whole new set of overrides. */
    default void onTopicConfigChanged(String topic, Map<String, String> config) {}

    /**
     * A new image was published (after the specific calls above, which may have been none: a
     * topic without partition states yet, or a deletion marker, changes only the image).
     */
    default void onImage(MetadataImage image) {}
}
