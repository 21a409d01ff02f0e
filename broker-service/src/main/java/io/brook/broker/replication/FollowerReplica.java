package io.brook.broker.replication;

/**
 * The leader's view of one follower of a partition (Kafka's {@code Replica}): its log end offset,
 * as its last fetch offset says, its log start offset, as its last fetch reported it, and the last
 * time it was caught up to the leader.
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
    private long logStartOffset = -1;
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

    /** Its log start offset as its last fetch reported it, -1 until it fetched. */
    synchronized long logStartOffset() {
        return logStartOffset;
    }

    synchronized long lastCaughtUpTimeMs() {
        return lastCaughtUpTimeMs;
    }

    /** Records a fetch; answers whether the follower's log start offset moved up. */
    synchronized boolean updateFetchState(
            long fetchOffset, long followerLogStartOffset, long leaderLogEndOffset, long nowMs) {
        if (fetchOffset >= leaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, nowMs);
        } else if (lastFetchLeaderLogEndOffset >= 0 && fetchOffset >= lastFetchLeaderLogEndOffset) {
            lastCaughtUpTimeMs = Math.max(lastCaughtUpTimeMs, lastFetchTimeMs);
        }
        logEndOffset = fetchOffset;
        lastFetchLeaderLogEndOffset = leaderLogEndOffset;
        lastFetchTimeMs = nowMs;
        boolean startMoved = followerLogStartOffset > logStartOffset;
        logStartOffset = followerLogStartOffset;
        return startMoved;
    }

    /** Kafka's {@code isCaughtUp} negated: behind the leader's LEO and not caught up for too long. */
    synchronized boolean isLagging(long leaderLogEndOffset, long nowMs, long maxLagMs) {
        return logEndOffset < leaderLogEndOffset && nowMs - lastCaughtUpTimeMs > maxLagMs;
    }

    @Override
    public synchronized String toString() {
        return "replica " + brokerId + " at " + logEndOffset + " from " + logStartOffset + " (caught up at "
                + lastCaughtUpTimeMs + ")";
    }
}
