package io.brook.broker.replication;

/**
 * A request waiting on the replication of some partitions (Kafka's purgatory entries): an {@code
 * acks=all} produce ({@link DelayedProduce}) or a DeleteRecords ({@link DelayedDeleteRecords}). The
 * {@link ReplicaManager} re-checks it whenever a partition it waits on changes (an append, a
 * follower's fetch moving the high watermark or a log start, an ISR or role change), and expires it
 * at its timeout.
 *
 * <p>Threading: {@link #tryComplete} and {@link #expire} may race; the first to finish completes
 * the operation once.
 */
interface DelayedOperation {

    /** Checks every partition still waiting; completes if none is. Returns whether it is complete. */
    boolean tryComplete();

    /** The timeout: completes with what is done by now, and a timeout error for the rest. */
    void expire();

    /** Completed once, by {@link #tryComplete} or {@link #expire}. */
    java.util.concurrent.CompletableFuture<?> future();
}
