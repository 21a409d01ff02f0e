/**
 * Replication, after Kafka's design in ZooKeeper mode.
 *
 * <p>{@link io.brook.broker.replication.LeadershipSync} turns each metadata image into roles:
 * for every partition, leader, follower or no replica here ({@link
 * io.brook.broker.replication.ReplicaManager#makeLeader}, {@code makeFollower}, {@code
 * deletePartition}).
 *
 * <p>Follower: a {@link io.brook.broker.replication.ReplicaFetcherThread} per leader (managed by
 * the {@link io.brook.broker.replication.ReplicaFetcherManager}) first truncates the local log to
 * where it agrees with the leader's ({@link io.brook.broker.replication.TruncationDecision},
 * OffsetForLeaderEpoch), then fetches with its replica id, appends the leader's batches as they
 * are, and takes the leader's high watermark.
 *
 * <p>Leader: each follower fetch reports the follower's log end to its {@link
 * io.brook.broker.replication.Partition}, which moves the high watermark (the minimum over the
 * ISR) and expands or, on a periodic check, shrinks the ISR through the {@link
 * io.brook.broker.replication.IsrWriter} (a conditional write of the partition state znode).
 * {@code acks=all} produces wait in the {@link io.brook.broker.replication.DelayedProduce}
 * purgatory until the high watermark passes them.
 *
 * <p>The guarantee kept: a record acknowledged with {@code acks=all} is in the log of every ISR
 * member, the controller elects only from the ISR, and a replica that follows a new leader cuts
 * whatever the new leader does not have, so no two replicas ever serve different records at one
 * offset below the high watermark.
 */
package io.brook.broker.replication;
