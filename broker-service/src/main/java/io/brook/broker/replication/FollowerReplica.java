package io.brook.broker.replication;

/**
 * The leader's view of one follower of a partition (Kafka's {@code Replica}): its log end offset,
 * as its last fetch offset says, and the last time it was caught up to the leader.
 *
 * <p>Caught up (Kafka's rule): a fetch from at or beyond the leader's LEO at the time of the fetch
 * means the follower is caught up now; a fetch from at or beyond the leader's LEO at the time of
 * the <em>previous</em> fetch means it was caught up when that previous fetch was made. A follower
 * that has not been caught up for {@code replica.lag.time.max.ms} leaves the ISR.
 *
 * <p>Threading: thread-safe (a follower's fetches may be handled on several request threads).
 */
final class FollowerReplica {

    private final int brokerId;
    private long logEndOffset = -1;
    private long lastCaughtUpTimeMs;
    private long lastFetchLeaderLogEndOffset = -1;
    private long lastFetchTimeMs;

    FollowerReplica(int brokerId, long lastCaughtUpTimeMs) {
        this.brokerId = brokerId;
        this.lastCaughtUpTimeMs = lastCaughtUpTimeMs;
    }

    int brokerId() {
        return brokerId;
    }

    synchronized long logEndOffset() {
        return logEndOffset;
    }

    synchronized long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    synchronized void updateFetchState(long fetchOffset, long leaderLogEndOffset, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (lastFetchLeaderLogEndOffset >= 0 && fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
    }

    /** Kafka's {@code isCaughtUp} negated: behind the leader's LEO and not caught up for too long. */
    synchronized boolean isLagging(long leaderLogEndOffset, long nowMs, long maxLagMs) {
        return logEndOffset < leaderLogEndOffset && nowMs - lastCaughtUpTimeMs > maxLagMs;
    }

    @Override
    public synchronized String toString() {
        return "replica " + brokerId + " at " + logEndOffset + " (caught up at " + lastCaughtUpTimeMs + ")";
    }
}
