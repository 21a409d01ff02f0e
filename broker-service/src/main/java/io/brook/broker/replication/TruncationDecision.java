package io.brook.broker.replication;

import io.brook.broker.log.EpochEndOffset;
import java.util.function.IntFunction;

/**
 * Where a follower cuts its log before fetching from a new leader (KIP-101, with KIP-279's
 * multi-round exchange), as a pure function of the leader's OffsetForLeaderEpoch answer and the
 * follower's own log. Kafka's {@code AbstractFetcherThread.getOffsetTruncationState}:
 *
 * <table>
 *   <caption>Decision (F = follower, L = leader's answer for F's latest epoch)</caption>
 *   <tr><th>leader's answer</th><th>truncate to</th><th>done</th></tr>
 *   <tr><td>no end offset (the leader knows no epoch at or below F's)</td><td>F's high
 *       watermark</td><td>yes</td></tr>
 *   <tr><td>end offset, no epoch (old protocol)</td><td>min(L end, F LEO)</td><td>yes</td></tr>
 *   <tr><td>(e, end); F knows no epoch at or below e</td><td>min(L end, F LEO)</td><td>yes</td></tr>
 *   <tr><td>(e, end); F's largest epoch at or below e is e' &lt; e</td><td>min(F's end of e',
 *       F LEO)</td><td>no: ask again with e'</td></tr>
 *   <tr><td>(e, end); F also has e</td><td>min(L end, F's end of e, F LEO)</td><td>yes</td></tr>
 * </table>
 *
 * <p>After a completed decision the logs agree below the truncation offset, so that no two
 * replicas ever hold different records at one offset below the leader's high watermark.
 */
record TruncationDecision(long truncationOffset, boolean completed) {

    /**
     * @param leader the leader's answer for the follower's latest epoch
     * @param followerEndOffsetForEpoch the follower's own {@code endOffsetForEpoch}
     */
    static TruncationDecision decide(
            EpochEndOffset leader,
            long followerLogEndOffset,
            long followerHighWatermark,
            IntFunction<EpochEndOffset> followerEndOffsetForEpoch) {
        if (leader.endOffset() == EpochEndOffset.UNDEFINED_EPOCH_OFFSET) {
            return new TruncationDecision(Math.min(followerHighWatermark, followerLogEndOffset), true);
        }
        if (leader.leaderEpoch() == EpochEndOffset.UNDEFINED_EPOCH) {
            return new TruncationDecision(Math.min(leader.endOffset(), followerLogEndOffset), true);
        }
        EpochEndOffset follower = followerEndOffsetForEpoch.apply(leader.leaderEpoch());
        if (follower.endOffset() == EpochEndOffset.UNDEFINED_EPOCH_OFFSET) {
            return new TruncationDecision(Math.min(leader.endOffset(), followerLogEndOffset), true);
        }
        if (follower.leaderEpoch() != leader.leaderEpoch()) {
            return new TruncationDecision(Math.min(follower.endOffset(), followerLogEndOffset), false);
        }
        return new TruncationDecision(
                Math.min(Math.min(leader.endOffset(), follower.endOffset()), followerLogEndOffset), true);
    }
}
