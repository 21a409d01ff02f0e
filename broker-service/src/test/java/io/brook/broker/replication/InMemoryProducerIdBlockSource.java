package io.brook.broker.replication;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The cluster's producer id counter in memory, where the broker keeps it in ZooKeeper: one
 * instance stands for the cluster, shared by the {@link ProducerIdManager}s of several "brokers".
 * Thread-safe.
 */
final class InMemoryProducerIdBlockSource implements ProducerIdBlockSource {

    private final AtomicLong nextFree;
    private final AtomicInteger reservations = new AtomicInteger();

    InMemoryProducerIdBlockSource(long firstId) {
        this.nextFree = new AtomicLong(firstId);
    }

    @Override
    public long reserveBlock(int size) {
        reservations.incrementAndGet();
        return nextFree.getAndAdd(size);
    }

    int reservations() {
        return reservations.get();
    }
}
