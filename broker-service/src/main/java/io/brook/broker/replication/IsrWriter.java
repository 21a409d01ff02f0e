package io.brook.broker.replication;

import io.brook.cluster.metadata.PartitionState;

/**
 * Writes a leader's ISR change: the partition state with the new ISR, the same leader and leader
 * epoch, conditional on the znode version the leader last knew (Kafka's ZooKeeper-mode {@code
 * AlterIsr} path). When done it calls {@link Partition#completeIsrChange} with the written state,
 * or with the state it re-read after a version mismatch.
 *
 * <p>Threading: {@link #write} is called with the partition's state lock held; an implementation
 * must answer on another thread, never from within the call.
 */
@FunctionalInterface
public interface IsrWriter extends AutoCloseable {

    void write(Partition partition, PartitionState proposed);

    /** Stops writing (broker shutdown); writes not yet started are dropped. */
    @Override
    default void close() {}
}
