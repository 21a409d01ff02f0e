package io.brook.broker.protocol;

import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Topic names and ids as the cluster metadata knows them: newer Produce and Fetch versions name
 * topics by id. Thread-safe; never blocks (answers from the local metadata cache).
 */
public interface TopicIds {

    Optional<Uuid> idOf(String topic);

    Optional<String> nameOf(Uuid topicId);
}
