package io.brook.broker.replication;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.PartitionLog;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.record.internal.MemoryRecords;

/**
 * A partition this broker hosts, with its log and its role. With replication factor 1 (this
 * stage) the leader is the whole in-sync replica set, so the high watermark follows the log end
 * after every append; the replication stage replaces that with the minimum over the ISR.
 *
 * <p>State machine:
 *
 * <pre>
 * from        event                          to
 * ----        -----                          --
 * (none)      becomeLeader(epoch)            LEADER(epoch)
 * LEADER(e)   becomeLeader(e' > e)           LEADER(e')
 * LEADER(e)   makeOffline (broker lost it)   OFFLINE
 * OFFLINE     becomeLeader(e' > e)           LEADER(e')
 * </pre>
 *
 * <p>Threading: appends are serialised by the partition's lock (the idempotence check and the
 * append must be one step); reads take no lock and follow {@link PartitionLog}'s contract.
 */
public final class Partition {

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final ProducerStateManager producers;
    private final java.time.Clock clock;
    private final Object appendLock = new Object();
    private volatile int leaderEpoch = -1;
    private volatile boolean leader;

    public Partition(
            TopicPartition topicPartition, PartitionLog log, java.time.Clock clock, long producerIdExpirationMs) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.clock = clock;
        this.producers = new ProducerStateManager(topicPartition, clock, producerIdExpirationMs);
    }

    public ProducerStateManager producers() {
        return producers;
    }

    /** Forgets idle idempotent producers (Kafka's producer.id.expiration.ms). */
    public void expireProducers(long nowMs) {
        synchronized (appendLock) {
            producers.removeExpiredProducers(nowMs);
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public boolean isLeader() {
        return leader;
    }

    /**
     * Takes leadership at {@code epoch}; with a single replica the high watermark is the end. The
     * idempotent producers' state is rebuilt from the log, so that a retry of a batch appended
     * before a restart is still recognised.
     */
    public void becomeLeader(int epoch) {
        synchronized (appendLock) {
            if (!leader) {
                producers.loadFrom(log);
            }
            leaderEpoch = epoch;
            leader = true;
            log.updateHighWatermark(log.logEndOffset());
        }
    }

    /** Stops serving: the broker is no longer this partition's leader. */
    public void makeOffline() {
        leader = false;
    }

    /** Checks that this broker leads the partition and that the client's epoch matches. */
    public void checkLeader(Optional<Integer> clientEpoch) {
        if (!leader) {
            throw new NotLeaderOrFollowerException("broker is not the leader of " + topicPartition);
        }
        if (clientEpoch.isPresent() && clientEpoch.get() >= 0) {
            int mine = leaderEpoch;
            if (clientEpoch.get() < mine) {
                throw new FencedLeaderEpochException("leader epoch " + clientEpoch.get()
                        + " of the request is older than " + mine + " for " + topicPartition);
            }
            if (clientEpoch.get() > mine) {
                throw new UnknownLeaderEpochException("leader epoch " + clientEpoch.get()
                        + " of the request is newer than " + mine + " for " + topicPartition);
            }
        }
    }

    /**
     * Appends a producer's batches as leader at the current epoch and moves the high watermark.
     * Batches of idempotent producers are checked first, under the partition's lock: a retry of
     * one of a producer's last five batches is answered with the offsets it got the first time
     * and not appended again; a sequence gap is refused.
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records) {
        synchronized (appendLock) {
            checkLeader(Optional.empty());
            ProducerStateManager.AppendCheck check = producers.checkLeaderAppend(records);
            if (check.duplicate()) {
                return new LogAppendInfo(
                        check.firstOffset(), check.lastOffset(), -1, check.firstOffset(), check.logAppendTime(), 0, 0);
            }
            LogAppendInfo info = log.appendAsLeader(records, leaderEpoch);
            producers.update(records, clock.millis());
            log.updateHighWatermark(log.logEndOffset());
            return info;
        }
    }

    /** Reads for a consumer (below the high watermark) or a follower (to the end). */
    public FetchDataInfo read(long offset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        return log.read(offset, maxBytes, isolation, minOneBatch);
    }
}
