package io.brook.broker.group;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * Where a coordinator writes: the leader replica of one {@code __consumer_offsets} partition (Kafka's
 * {@code PartitionWriter} of the coordinator runtime). Appends go through replication, as a
 * producer's {@code acks=all} would: a write is done only once it is committed, that is once the
 * high watermark has passed it, so that every in-sync replica holds it and a new leader elected
 * from the ISR still has it.
 *
 * <p>Threading: thread-safe; {@link #append} never blocks. Its future may complete on any thread
 * (a replica fetch that moved the high watermark, a timer), or before {@code append} returns.
 */
public interface PartitionWriter {

    /**
     * Appends {@code records} (one batch) as leader and completes with the offset after its last
     * record once the high watermark reaches it with at least {@code min.insync.replicas} in the
     * ISR. Completes exceptionally with the {@link org.apache.kafka.common.errors.ApiException} of
     * the failure: NOT_LEADER_OR_FOLLOWER (leadership lost or moved to another epoch),
     * NOT_ENOUGH_REPLICAS (too small an ISR, nothing appended), NOT_ENOUGH_REPLICAS_AFTER_APPEND,
     * REQUEST_TIMED_OUT (not committed within {@code timeoutMs}), KAFKA_STORAGE_ERROR, ... A write
     * that timed out may still become committed later; the coordinator then reads it back on its
     * next load, as Kafka's does.
     */
    CompletableFuture<Long> append(MemoryRecords records, long timeoutMs);
}
