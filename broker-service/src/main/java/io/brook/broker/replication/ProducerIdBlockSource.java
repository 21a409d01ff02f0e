package io.brook.broker.replication;

/**
 * Reserves blocks of producer ids that no other broker of the cluster will hand out: the broker's
 * implementation keeps the next free id in ZooKeeper and moves it with a conditional write, as
 * Kafka's {@code ZkProducerIdManager} did with {@code /latest_producer_id_block}.
 *
 * <p>Implementations must be thread-safe; {@link ProducerIdManager} calls them from one thread at
 * a time.
 */
@FunctionalInterface
public interface ProducerIdBlockSource {

    /**
     * Reserves {@code size} consecutive ids and returns the first. Ids are never negative.
     *
     * @throws org.apache.kafka.common.errors.CoordinatorLoadInProgressException no block can be
     *     reserved right now (ZooKeeper unreachable): a retriable error, on which the client sends
     *     InitProducerId again
     */
    long reserveBlock(int size);
}
