package io.brook.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import io.brook.system.ReplicationChecker.Ack;
import io.brook.system.ReplicationChecker.LoggedRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checker on hand-made histories: it passes a faithful one and catches each kind of loss. */
class ReplicationCheckerTest {

    /** Two keys on partition 0, one on partition 1; every record acknowledged where it is. */
    static final List<Ack> ACKS = List.of(
            new Ack(0, 0, "k1", 0),
            new Ack(0, 1, "k2", 0),
            new Ack(0, 2, "k1", 1),
            new Ack(0, 3, "k2", 1),
            new Ack(1, 0, "k3", 0),
            new Ack(1, 1, "k3", 1));

    static Map<Integer, List<LoggedRecord>> faithfulLogs() {
        return Map.of(
                0,
                List.of(
                        new LoggedRecord(0, "k1", 0),
                        new LoggedRecord(1, "k2", 0),
                        new LoggedRecord(2, "k1", 1),
                        new LoggedRecord(3, "k2", 1)),
                1,
                List.of(new LoggedRecord(0, "k3", 0), new LoggedRecord(1, "k3", 1)));
    }

    static Map<Integer, Map<Integer, byte[]>> identicalReplicas() {
        return Map.of(
                0, Map.of(1, new byte[] {1, 2, 3}, 2, new byte[] {1, 2, 3}, 3, new byte[] {1, 2, 3}),
                1, Map.of(1, new byte[] {9}, 2, new byte[] {9}, 3, new byte[] {9}));
    }

    @Test
    void aFaithfulHistoryHasNoViolations() {
        assertThat(ReplicationChecker.check(ACKS, faithfulLogs(), identicalReplicas()))
                .isEmpty();
    }

    @Test
    void recordsInTheLogThatWereNeverAcknowledgedAreAllowed() {
        List<LoggedRecord> withUnacked = new ArrayList<>(faithfulLogs().get(1));
        withUnacked.add(new LoggedRecord(2, "k3", 2)); // written, but its answer was lost
        List<String> violations = ReplicationChecker.checkAcknowledged(
                ACKS, Map.of(0, faithfulLogs().get(0), 1, withUnacked));
        assertThat(violations).isEmpty();
    }

    @Test
    void catchesAMissingRecord() {
        Map<Integer, List<LoggedRecord>> logs = Map.of(
                0, faithfulLogs().get(0).subList(0, 3), // offset 3 lost: truncated away
                1, faithfulLogs().get(1));
        assertThat(ReplicationChecker.check(ACKS, logs, identicalReplicas()))
                .singleElement(STRING)
                .contains("k2#1 at 0/3 is not in the log");
    }

    @Test
    void catchesAnAcknowledgedOffsetHoldingAnotherRecord() {
        // offset 1 was truncated and rewritten by another leader with a record of another key
        List<LoggedRecord> rewritten = new ArrayList<>(faithfulLogs().get(0));
        rewritten.set(1, new LoggedRecord(1, "k1", 7));
        assertThat(ReplicationChecker.checkAcknowledged(
                        ACKS, Map.of(0, rewritten, 1, faithfulLogs().get(1))))
                .singleElement(STRING)
                .contains("k2#0 at 0/1 acknowledged, but the log holds k1#7 at offset 1");
    }

    @Test
    void catchesAReordering() {
        // The broker acknowledged k1#1 before k1#0 and stored them so: each record is at its
        // acknowledged offset, but the key's order is broken.
        List<Ack> acks = List.of(new Ack(0, 0, "k1", 1), new Ack(0, 1, "k1", 0));
        Map<Integer, List<LoggedRecord>> logs =
                Map.of(0, List.of(new LoggedRecord(0, "k1", 1), new LoggedRecord(1, "k1", 0)));
        assertThat(ReplicationChecker.checkAcknowledged(acks, logs))
                .singleElement(STRING)
                .contains("k1#1 at offset 0 comes before k1#0 at offset 1");
    }

    @Test
    void catchesADuplicate() {
        List<LoggedRecord> duplicated = new ArrayList<>(faithfulLogs().get(1));
        duplicated.add(new LoggedRecord(2, "k3", 1)); // a retry written twice
        assertThat(ReplicationChecker.checkAcknowledged(
                        ACKS, Map.of(0, faithfulLogs().get(0), 1, duplicated)))
                .singleElement(STRING)
                .contains("k3#1 at offsets 1 and 2");
    }

    @Test
    void catchesAReplicaMismatch() {
        Map<Integer, Map<Integer, byte[]>> replicas = Map.of(
                0, Map.of(1, new byte[] {1, 2, 3}, 2, new byte[] {1, 2, 4}, 3, new byte[] {1, 2, 3}),
                1, Map.of(1, new byte[] {9}, 2, new byte[] {9}, 3, new byte[] {9}));
        assertThat(ReplicationChecker.check(ACKS, faithfulLogs(), replicas))
                .singleElement(STRING)
                .contains("partition 0: broker 2's log (3 bytes) differs from broker 1's (3 bytes) from byte 2");
    }

    @Test
    void catchesAReplicaThatLagsOrIsMissing() {
        Map<Integer, Map<Integer, byte[]>> replicas = Map.of(
                0, Map.of(1, new byte[] {1, 2, 3}, 2, new byte[] {1, 2}, 3, new byte[0]),
                1, Map.of(1, new byte[] {9}, 2, new byte[] {9}, 3, new byte[] {9}));
        assertThat(ReplicationChecker.checkReplicasIdentical(replicas))
                .containsExactly(
                        "partition 0: broker 2's log (2 bytes) differs from broker 1's (3 bytes) from byte 2",
                        "partition 0: broker 3's log (0 bytes) differs from broker 1's (3 bytes) from byte 0");
    }

    @Test
    void listsAtMostTwentyViolationsOfAKindAndCountsTheRest() {
        List<Ack> acks = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            acks.add(new Ack(0, i, "k1", i));
        }
        List<String> violations = ReplicationChecker.checkAcknowledged(acks, Map.of(0, List.of()));
        assertThat(violations).hasSize(21).last().isEqualTo("... and 5 more acknowledged records missing or changed");
    }
}
