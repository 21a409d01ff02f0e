package io.brook.system;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks what a {@link ProducerWorkload} was told against what the cluster kept, after the
 * faults are over and the cluster has healed. It is a pure function of its inputs (no cluster, no
 * clients), so that {@code ReplicationCheckerTest} can show it catches each kind of loss.
 *
 * <p>The invariants, each reported as a violation (a line of text) rather than thrown, so that a
 * failing run lists all it found:
 *
 * <ol>
 *   <li><b>Durability</b>: every acknowledged record is in its partition's log at the offset its
 *       acknowledgement gave, with the acknowledged key and sequence number.
 *   <li><b>Order</b>: per key, the acknowledged sequence numbers appear in the log in increasing
 *       order (the producer sent them in that order, one partition per key).
 *   <li><b>No duplicates</b>: no acknowledged (key, sequence number) appears in the log twice
 *       (idempotence across retries and leader changes).
 *   <li><b>Identical replicas</b>: every replica of a partition holds the same bytes (the record
 *       batches, leader epochs and offsets included); a missing replica is empty and differs.
 * </ol>
 *
 * <p>Records in the log that were never acknowledged (a send whose answer was lost) are allowed,
 * as they are in Kafka.
 *
 * <p>Threading: stateless.
 */
final class ReplicationChecker {

    /** What a send's callback reported: the record (key, per-key sequence) and where it went. */
    record Ack(int partition, long offset, String key, long seq) {
        @Override
        public String toString() {
            return key + "#" + seq + " at " + partition + "/" + offset;
        }
    }

    /** A record as read back from a partition's log. */
    record LoggedRecord(long offset, String key, long seq) {
        @Override
        public String toString() {
            return key + "#" + seq + " at offset " + offset;
        }
    }

    /** At most this many violations of one kind are listed; the rest are counted. */
    static final int MAX_LISTED = 20;

    private ReplicationChecker() {}

    /** Every violation of the four invariants; empty when all hold. */
    static List<String> check(
            Collection<Ack> acks,
            Map<Integer, List<LoggedRecord>> logs,
            Map<Integer, Map<Integer, byte[]>> replicaLogs) {
        List<String> violations = new ArrayList<>();
        violations.addAll(checkAcknowledged(acks, logs));
        violations.addAll(checkReplicasIdentical(replicaLogs));
        return violations;
    }

    /** Invariants 1 to 3: acknowledged records present, in order, once. */
    static List<String> checkAcknowledged(Collection<Ack> acks, Map<Integer, List<LoggedRecord>> logs) {
        Violations missing = new Violations("acknowledged records missing or changed");
        Violations disorder = new Violations("acknowledged records out of order");
        Violations duplicates = new Violations("acknowledged records duplicated");

        Map<Integer, Map<Long, LoggedRecord>> byOffset = new HashMap<>();
        logs.forEach((partition, records) -> {
            Map<Long, LoggedRecord> index = new HashMap<>();
            for (LoggedRecord r : records) {
                index.put(r.offset(), r);
            }
            byOffset.put(partition, index);
        });

        // partition -> key -> acknowledged sequence numbers
        Map<Integer, Map<String, Set<Long>>> acked = new TreeMap<>();
        for (Ack ack : acks) {
            acked.computeIfAbsent(ack.partition(), p -> new HashMap<>())
                    .computeIfAbsent(ack.key(), k -> new HashSet<>())
                    .add(ack.seq());
            LoggedRecord found =
                    byOffset.getOrDefault(ack.partition(), Map.of()).get(ack.offset());
            if (found == null) {
                missing.add("partition " + ack.partition() + ": " + ack + " is not in the log ("
                        + describe(logs.get(ack.partition())) + ")");
            } else if (!found.key().equals(ack.key()) || found.seq() != ack.seq()) {
                missing.add("partition " + ack.partition() + ": " + ack + " acknowledged, but the log holds " + found);
            }
        }

        for (Map.Entry<Integer, Map<String, Set<Long>>> entry : acked.entrySet()) {
            int partition = entry.getKey();
            List<LoggedRecord> log = new ArrayList<>(logs.getOrDefault(partition, List.of()));
            log.sort((a, b) -> Long.compare(a.offset(), b.offset()));
            Map<String, LoggedRecord> lastAckedSeen = new HashMap<>();
            Map<String, Map<Long, LoggedRecord>> seen = new HashMap<>();
            for (LoggedRecord r : log) {
                Set<Long> ackedSeqs = entry.getValue().get(r.key());
                if (ackedSeqs == null || !ackedSeqs.contains(r.seq())) {
                    continue;
                }
                LoggedRecord first =
                        seen.computeIfAbsent(r.key(), k -> new HashMap<>()).putIfAbsent(r.seq(), r);
                if (first != null) {
                    duplicates.add("partition " + partition + ": " + r.key() + "#" + r.seq() + " at offsets "
                            + first.offset() + " and " + r.offset());
                    continue;
                }
                LoggedRecord previous = lastAckedSeen.put(r.key(), r);
                if (previous != null && previous.seq() > r.seq()) {
                    disorder.add("partition " + partition + ": " + previous + " comes before " + r);
                }
            }
        }
        List<String> violations = new ArrayList<>();
        missing.into(violations);
        disorder.into(violations);
        duplicates.into(violations);
        return violations;
    }

    /** Invariant 4: every replica of a partition has the same bytes. */
    static List<String> checkReplicasIdentical(Map<Integer, Map<Integer, byte[]>> replicaLogs) {
        Violations mismatches = new Violations("replicas that differ");
        replicaLogs.forEach((partition, byBroker) -> {
            Map.Entry<Integer, byte[]> reference = null;
            for (Map.Entry<Integer, byte[]> replica : new TreeMap<>(byBroker).entrySet()) {
                if (reference == null) {
                    reference = replica;
                    continue;
                }
                byte[] a = reference.getValue();
                byte[] b = replica.getValue();
                int at = Arrays.mismatch(a, b);
                if (at >= 0) {
                    mismatches.add("partition " + partition + ": broker " + replica.getKey() + "'s log ("
                            + b.length + " bytes) differs from broker " + reference.getKey() + "'s (" + a.length
                            + " bytes) from byte " + at);
                }
            }
        });
        List<String> violations = new ArrayList<>();
        mismatches.into(violations);
        return violations;
    }

    private static String describe(List<LoggedRecord> log) {
        if (log == null || log.isEmpty()) {
            return "the log is empty";
        }
        return "the log has " + log.size() + " records, offsets " + log.get(0).offset() + " to "
                + log.get(log.size() - 1).offset();
    }

    /** Violations of one kind, the first {@link #MAX_LISTED} listed and the rest counted. */
    private static final class Violations {
        private final String kind;
        private final List<String> listed = new ArrayList<>();
        private int count;

        Violations(String kind) {
            this.kind = kind;
        }

        void add(String violation) {
            if (count++ < MAX_LISTED) {
                listed.add(violation);
            }
        }

        void into(List<String> out) {
            out.addAll(listed);
            if (count > listed.size()) {
                out.add("... and " + (count - listed.size()) + " more " + kind);
            }
        }
    }
}
