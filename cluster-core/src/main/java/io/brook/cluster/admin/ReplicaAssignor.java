package io.brook.cluster.admin;

import io.brook.cluster.metadata.BrokerRegistration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;

/**
 * Kafka's replica placement for new partitions ({@code AdminUtils.assignReplicasToBrokers},
 * ZooKeeper mode), with the same results for the same start index and shift:
 *
 * <ul>
 *   <li>Without racks: the brokers sorted by id; the first replica of partition {@code p} is
 *       broker {@code (startIndex + p) mod n}, so leaders go round robin. Replica {@code j >= 1}
 *       is at {@code (first + 1 + (shift + j - 1) mod (n - 1)) mod n}: followers go round robin
 *       too, never on the leader, and {@code shift} grows by one after every {@code n}
 *       partitions, so that the same leader does not always pair with the same followers. With
 *       shift 0 this is the plain "replica j on broker (start + p + j) mod n".
 *   <li>With racks on every broker: the same walk over a rack-alternated broker list (one broker
 *       of each rack in turn: r1, r2, r3, r1, ...), and a broker is skipped while its rack already
 *       holds a replica of the partition and some rack holds none, and while it holds one itself
 *       and some broker holds none. So each partition spans {@code min(rf, racks)} racks.
 *   <li>With racks on only some brokers, racks are ignored (Kafka's "safe" mode) rather than
 *       refusing the request.
 * </ul>
 *
 * <p>The start index and shift are random for a new topic (an injected {@link Random}, seeded in
 * tests), so that many small topics do not all lead on the first broker. New partitions of an
 * existing topic continue from where partition 0 started, as Kafka does.
 *
 * <p>Threading: stateless apart from the {@code Random}, which is thread-safe.
 */
public final class ReplicaAssignor {

    private final Random random;

    public ReplicaAssignor(Random random) {
        this.random = random;
    }

    /**
     * Places the replicas of {@code numPartitions} new partitions numbered from {@code
     * firstPartition}.
     *
     * @param brokers the live brokers
     * @param startIndex where partition 0's leader sits in the broker list, or -1 for random
     * @throws InvalidReplicationFactorException if {@code replicationFactor} exceeds the brokers
     */
    public Map<Integer, List<Integer>> assign(
            List<BrokerRegistration> brokers,
            int numPartitions,
            int replicationFactor,
            int firstPartition,
            int startIndex) {
        if (replicationFactor <= 0) {
            throw new InvalidReplicationFactorException("Replication factor must be larger than 0.");
        }
        if (replicationFactor > brokers.size()) {
            throw new InvalidReplicationFactorException("Replication factor: " + replicationFactor
                    + " larger than available brokers: " + brokers.size() + ".");
        }
        TreeMap<Integer, BrokerRegistration> byId = new TreeMap<>();
        brokers.forEach(b -> byId.put(b.id(), b));
        boolean allRacked = byId.values().stream().allMatch(b -> b.rack().isPresent());
        boolean anyRacked = byId.values().stream().anyMatch(b -> b.rack().isPresent());
        if (allRacked && anyRacked) {
            return assignRackAware(byId, numPartitions, replicationFactor, firstPartition, startIndex);
        }
        return assignPlain(
                new ArrayList<>(byId.keySet()), numPartitions, replicationFactor, firstPartition, startIndex);
    }

    /** The position of a broker id in the id-sorted list, or 0: for CreatePartitions' start index. */
    public static int indexOf(List<BrokerRegistration> brokers, int brokerId) {
        List<Integer> ids =
                brokers.stream().map(BrokerRegistration::id).sorted().toList();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i) >= brokerId) {
                return i;
            }
        }
        return 0;
    }

    private Map<Integer, List<Integer>> assignPlain(
            List<Integer> ids, int numPartitions, int rf, int firstPartition, int fixedStart) {
        int n = ids.size();
        int start = fixedStart >= 0 ? fixedStart : random.nextInt(n);
        int shift = fixedStart >= 0 ? fixedStart : random.nextInt(n);
        Map<Integer, List<Integer>> result = new LinkedHashMap<>();
        int partition = Math.max(0, firstPartition);
        for (int i = 0; i < numPartitions; i++) {
            if (partition > 0 && partition % n == 0) {
                shift++;
            }
            int first = (partition + start) % n;
            List<Integer> replicas = new ArrayList<>();
            replicas.add(ids.get(first));
            for (int j = 0; j < rf - 1; j++) {
                replicas.add(ids.get(replicaIndex(first, shift, j, n)));
            }
            result.put(partition, replicas);
            partition++;
        }
        return result;
    }

    private Map<Integer, List<Integer>> assignRackAware(
            TreeMap<Integer, BrokerRegistration> byId, int numPartitions, int rf, int firstPartition, int fixedStart) {
        Map<Integer, String> rackOf = new TreeMap<>();
        byId.forEach((id, b) -> rackOf.put(id, b.rack().orElseThrow()));
        List<Integer> arranged = rackAlternated(rackOf);
        int n = arranged.size();
        int numRacks = new HashSet<>(rackOf.values()).size();
        int start = fixedStart >= 0 ? fixedStart : random.nextInt(n);
        int shift = fixedStart >= 0 ? fixedStart : random.nextInt(n);
        Map<Integer, List<Integer>> result = new LinkedHashMap<>();
        int partition = Math.max(0, firstPartition);
        for (int i = 0; i < numPartitions; i++) {
            if (partition > 0 && partition % n == 0) {
                shift++;
            }
            int first = (partition + start) % n;
            int leader = arranged.get(first);
            List<Integer> replicas = new ArrayList<>(List.of(leader));
            Set<String> racksUsed = new HashSet<>(Set.of(rackOf.get(leader)));
            Set<Integer> brokersUsed = new HashSet<>(Set.of(leader));
            int k = 0;
            for (int j = 0; j < rf - 1; j++) {
                while (true) {
                    int broker = arranged.get(replicaIndex(first, shift * numRacks, k, n));
                    k++;
                    String rack = rackOf.get(broker);
                    boolean rackOk = !racksUsed.contains(rack) || racksUsed.size() == numRacks;
                    boolean brokerOk = !brokersUsed.contains(broker) || brokersUsed.size() == n;
                    if (rackOk && brokerOk) {
                        replicas.add(broker);
                        racksUsed.add(rack);
                        brokersUsed.add(broker);
                        break;
                    }
                }
            }
            result.put(partition, replicas);
            partition++;
        }
        return result;
    }

    private static int replicaIndex(int first, int shift, int j, int n) {
        int offset = 1 + (shift + j) % (n - 1);
        return (first + offset) % n;
    }

    /** One broker of each rack in turn, racks and brokers in sorted order (Kafka's arrangement). */
    private static List<Integer> rackAlternated(Map<Integer, String> rackOf) {
        TreeMap<String, List<Integer>> byRack = new TreeMap<>();
        rackOf.forEach((id, rack) ->
                byRack.computeIfAbsent(rack, r -> new ArrayList<>()).add(id));
        List<Iterator<Integer>> iterators = new ArrayList<>();
        byRack.values().forEach(ids -> iterators.add(ids.iterator()));
        List<Integer> result = new ArrayList<>();
        int rack = 0;
        while (result.size() < rackOf.size()) {
            Iterator<Integer> it = iterators.get(rack);
            if (it.hasNext()) {
                result.add(it.next());
            }
            rack = (rack + 1) % iterators.size();
        }
        return result;
    }
}
