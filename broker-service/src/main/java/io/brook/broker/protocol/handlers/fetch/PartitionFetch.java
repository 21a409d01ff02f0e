package io.brook.broker.protocol.handlers.fetch;

import java.util.Optional;
import org.apache.kafka.common.protocol.Errors;

/**
 * One partition to read in a fetch: as the request lists it, or as a session remembers it.
 *
 * @param name the topic's name if known now, else null (an unknown topic id)
 * @param error {@link Errors#NONE} when the partition can be read; else the error to answer
 *     without reading ({@code UNKNOWN_TOPIC_ID}, {@code INCONSISTENT_TOPIC_ID})
 * @param logStartOffset a follower's own log start offset; -1 from a consumer
 */
public record PartitionFetch(
        PartitionKey key,
        String name,
        Errors error,
        long fetchOffset,
        long logStartOffset,
        int maxBytes,
        Optional<Integer> currentLeaderEpoch) {}
