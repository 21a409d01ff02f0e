package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.EpochEndOffset;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The follower's truncation point for each kind of leader answer (KIP-101, KIP-279). */
class TruncationDecisionTest {

    /** A follower's epoch cache: epoch -> start offset, with the log end after the last. */
    static IntFunction<EpochEndOffset> follower(long logEnd, long... epochStarts) {
        TreeMap<Integer, Long> starts = new TreeMap<>();
        for (int i = 0; i < epochStarts.length; i += 2) {
            starts.put((int) epochStarts[i], epochStarts[i + 1]);
        }
        return epoch -> {
            Integer floor = starts.floorKey(epoch);
            if (floor == null) {
                return EpochEndOffset.UNDEFINED;
            }
            Integer next = starts.higherKey(floor);
            return new EpochEndOffset(floor, next == null ? logEnd : starts.get(next));
        };
    }

    @Test
    void aFollowerWithUnreplicatedRecordsOfTheLastEpochCutsThemOff() {
        // Both have epoch 2 from offset 10; the old leader wrote up to 15, the new one kept 12.
        TruncationDecision decision =
                TruncationDecision.decide(new EpochEndOffset(2, 12), 15, 10, follower(15, 0, 0, 2, 10));
        assertThat(decision).isEqualTo(new TruncationDecision(12, true));
    }

    @Test
    void aFollowerBehindTheLeaderKeepsEverything() {
        TruncationDecision decision =
                TruncationDecision.decide(new EpochEndOffset(2, 30), 15, 10, follower(15, 0, 0, 2, 10));
        assertThat(decision).isEqualTo(new TruncationDecision(15, true));
    }

    @Test
    void anEpochTheLeaderNeverHadIsCutAtTheEndOfTheLeadersEarlierEpochInTwoRounds() {
        // The follower led epoch 3 alone from 20; the leader's largest epoch at or below 3 is 2,
        // which ended for it at 18; the follower's epoch 2 ended at 20.
        IntFunction<EpochEndOffset> local = follower(25, 0, 0, 2, 10, 3, 20);
        TruncationDecision first = TruncationDecision.decide(new EpochEndOffset(2, 18), 25, 15, local);
        assertThat(first).isEqualTo(new TruncationDecision(18, true));

        // The leader answers with an epoch the follower does not have: cut to the follower's end
        // of its own floor epoch and ask again.
        IntFunction<EpochEndOffset> gap = follower(25, 0, 0, 3, 20);
        TruncationDecision partial = TruncationDecision.decide(new EpochEndOffset(2, 18), 25, 15, gap);
        assertThat(partial).isEqualTo(new TruncationDecision(20, false));
    }

    @Test
    void withoutAnAnswerTheFollowerKeepsOnlyWhatWasCommitted() {
        TruncationDecision decision = TruncationDecision.decide(EpochEndOffset.UNDEFINED, 15, 9, follower(15, 0, 0));
        assertThat(decision).isEqualTo(new TruncationDecision(9, true));
    }

    @Test
    void anOldProtocolAnswerWithoutEpochCutsAtTheLeadersEnd() {
        TruncationDecision decision = TruncationDecision.decide(
                new EpochEndOffset(EpochEndOffset.UNDEFINED_EPOCH, 11), 15, 9, follower(15, 0, 0));
        assertThat(decision).isEqualTo(new TruncationDecision(11, true));
    }

    @Test
    void aLeaderEpochOlderThanAnyOfTheFollowersCutsAtTheLeadersEnd() {
        TruncationDecision decision = TruncationDecision.decide(new EpochEndOffset(1, 7), 15, 9, follower(15, 2, 5));
        assertThat(decision).isEqualTo(new TruncationDecision(7, true));
    }
}
