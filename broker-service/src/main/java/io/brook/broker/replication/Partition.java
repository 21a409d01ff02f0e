package io.brook.broker.replication;

import io.brook.broker.log.FetchDataInfo;
import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.PartitionLog;
import io.brook.cluster.metadata.PartitionState;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedLeaderEpochException;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.UnknownLeaderEpochException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A partition this broker hosts, with its log and its role: Kafka's {@code Partition}, with the
 * leader's view of the in-sync replicas (ISR) and the high watermark.
 *
 * <p>State machine (E = leader epoch from the partition state in ZooKeeper):
 *
 * <pre>
 * from          event                                   to
 * ----          -----                                   --
 * (none)        becomeLeader(state E)                   LEADER(E)
 * (none)        becomeFollower(state E, leader L)       FOLLOWER(E, L)
 * LEADER(e)     becomeLeader(E &gt; e)                    LEADER(E): followers' state reset
 * LEADER(e)     becomeLeader(E = e, new ISR/replicas)   LEADER(e): ISR adopted if newer
 * LEADER(e)     becomeFollower(E &gt; e)                  FOLLOWER(E, L)
 * FOLLOWER(e)   becomeFollower(E &gt;= e)                 FOLLOWER(E, L)
 * FOLLOWER(e)   becomeLeader(E &gt; e)                    LEADER(E): producer state reloaded
 * any           makeOffline (replica removed, deleted)  OFFLINE
 * OFFLINE       becomeLeader / becomeFollower           LEADER / FOLLOWER
 * </pre>
 *
 * <p>As leader: each follower's fetch offset is its log end offset (LEO); the high watermark (HW)
 * is the minimum LEO over the ISR and never moves back. A follower not in the ISR whose LEO
 * reaches the HW (and the start of the current leader epoch) is added to the ISR; a member that
 * has not caught up to the leader's LEO for {@code replica.lag.time.max.ms} is removed. An ISR
 * change is a conditional write of the partition state znode through the {@link IsrWriter}, one
 * at a time; while it is in flight the HW is computed over the union of the old and the proposed
 * ISR (Kafka's "maximal ISR"), so that it is right whichever wins. The leader never removes
 * itself.
 *
 * <p>As follower: the log takes the leader's batches with their offsets and epochs, and the HW is
 * the leader's, capped at the local LEO.
 *
 * <p>Threading: thread-safe. Role changes take the state lock exclusively; appends, fetch-state
 * updates and ISR checks take it shared. Appends (leader or follower) and truncation are
 * serialised by the append lock (the idempotence check and the append must be one step). Reads
 * take no lock and follow {@link PartitionLog}'s contract. The {@code onChange} callback runs on
 * whichever thread moved the HW or the ISR and must not block.
 */
public final class Partition {

    private static final Logger LOG = LoggerFactory.getLogger(Partition.class);

    /** The role of this broker for the partition. */
    public enum Role {
        NONE,
        LEADER,
        FOLLOWER,
        OFFLINE
    }

    /** How a partition reaches the rest of the broker. */
    public record Settings(int localBrokerId, long replicaLagTimeMaxMs, IsrWriter isrWriter) {

        /** A single broker's partition: it leads alone and writes no ISR (tests, tools). */
        public static final Settings STANDALONE = new Settings(0, 30_000, (partition, proposed) -> {});
    }

    private final TopicPartition topicPartition;
    private final PartitionLog log;
    private final ProducerStateManager producers;
    private final java.time.Clock clock;
    private final Settings settings;
    private final Consumer<TopicPartition> onChange;
    private final Object appendLock = new Object();
    private final Object hwLock = new Object();
    private final ReentrantReadWriteLock stateLock = new ReentrantReadWriteLock();
    /** The leader's view of the other replicas, by broker id (leader only). */
    private final Map<Integer, FollowerReplica> followers = new ConcurrentHashMap<>();

    private volatile Role role = Role.NONE;
    private volatile int leaderEpoch = -1;
    private volatile int leaderId = -1;
    private volatile List<Integer> replicas = List.of();
    /** The partition state as last written or read: the committed ISR and its zkVersion. */
    private volatile PartitionState state;
    /** An ISR change being written, or null. */
    private volatile PartitionState pendingIsr;
    /** The log end when this broker became leader at the current epoch. */
    private volatile long leaderEpochStartOffset;

    public Partition(
            TopicPartition topicPartition, PartitionLog log, java.time.Clock clock, long producerIdExpirationMs) {
        this(topicPartition, log, clock, producerIdExpirationMs, Settings.STANDALONE, tp -> {});
    }

    public Partition(
            TopicPartition topicPartition,
            PartitionLog log,
            java.time.Clock clock,
            long producerIdExpirationMs,
            Settings settings,
            Consumer<TopicPartition> onChange) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.clock = clock;
        this.settings = settings;
        this.onChange = onChange;
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

    /** The leader this broker follows, or leads itself; -1 if none. */
    public int leaderId() {
        return leaderId;
    }

    public Role role() {
        return role;
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    /** The committed ISR (as in ZooKeeper), empty if this broker never had a state for it. */
    public List<Integer> inSyncReplicas() {
        PartitionState s = state;
        return s == null ? List.of() : s.isr();
    }

    /** The assigned replicas as last applied. */
    public List<Integer> replicas() {
        return replicas;
    }

    /** The partition state as last written or read, if any. */
    public Optional<PartitionState> partitionState() {
        return Optional.ofNullable(state);
    }

    // ---- role changes -------------------------------------------------------------------------

    /**
     * Takes leadership at {@code state}'s epoch, for the replicas {@code replicas}. A new epoch
     * resets the followers' state (their LEO is unknown until they fetch; ISR members count as
     * caught up now) and records the epoch's start in the leader epoch cache. Coming from another
     * role, the idempotent producers' state is rebuilt from the log, so that a retry of a batch
     * appended before is still recognised. The same epoch again only adopts a newer ISR (written
     * by this leader or by the controller) and the replica list.
     *
     * @return whether this is a new leadership (another role before, or a new epoch)
     */
    public boolean becomeLeader(PartitionState newState, List<Integer> newReplicas) {
        boolean changed;
        stateLock.writeLock().lock();
        try {
            changed = role != Role.LEADER || leaderEpoch != newState.leaderEpoch();
            long now = clock.millis();
            if (changed) {
                synchronized (appendLock) {
                    if (role != Role.LEADER) {
                        producers.loadFrom(log);
                    }
                    log.assignEpochStartOffset(newState.leaderEpoch());
                }
                leaderEpoch = newState.leaderEpoch();
                leaderId = settings.localBrokerId();
                leaderEpochStartOffset = log.logEndOffset();
                followers.clear();
                pendingIsr = null;
                state = newState;
                role = Role.LEADER;
            } else if (state == null || newState.zkVersion() >= state.zkVersion()) {
                state = newState;
            }
            replicas = List.copyOf(newReplicas);
            for (int id : replicaSet(newReplicas, newState.isr())) {
                if (id != settings.localBrokerId()) {
                    // ISR members count as caught up now (Kafka's resetReplicaState).
                    followers.computeIfAbsent(
                            id, k -> new FollowerReplica(k, newState.isr().contains(k) ? now : 0));
                }
            }
            followers
                    .keySet()
                    .removeIf(id -> !newReplicas.contains(id) && !newState.isr().contains(id));
        } finally {
            stateLock.writeLock().unlock();
        }
        maybeIncrementHighWatermark();
        // The role, the epoch, the ISR (the controller drops a dead broker's replica at the same
        // epoch) or the HW may have changed: what waits on the partition checks again.
        onChange.accept(topicPartition);
        if (!newReplicas.isEmpty() && !newReplicas.containsAll(newState.isr())) {
            maybeShrinkIsr(clock.millis());
        }
        return changed;
    }

    /**
     * Follows {@code state}'s leader at its epoch; the caller (re)starts fetching when this
     * returns true.
     *
     * @return whether leader or epoch changed (or the role did)
     */
    public boolean becomeFollower(PartitionState newState, List<Integer> newReplicas) {
        boolean changed;
        stateLock.writeLock().lock();
        try {
            changed = role != Role.FOLLOWER || leaderEpoch != newState.leaderEpoch() || leaderId != newState.leader();
            role = Role.FOLLOWER;
            leaderEpoch = newState.leaderEpoch();
            leaderId = newState.leader();
            replicas = List.copyOf(newReplicas);
            state = newState;
            pendingIsr = null;
            followers.clear();
        } finally {
            stateLock.writeLock().unlock();
        }
        if (changed) {
            onChange.accept(topicPartition);
        }
        return changed;
    }

    /** Stops serving: the replica was removed from this broker or its topic deleted. */
    public void makeOffline() {
        stateLock.writeLock().lock();
        try {
            role = Role.OFFLINE;
            pendingIsr = null;
            followers.clear();
        } finally {
            stateLock.writeLock().unlock();
        }
        onChange.accept(topicPartition);
    }

    /** Checks that this broker leads the partition and that the client's epoch matches. */
    public void checkLeader(Optional<Integer> clientEpoch) {
        if (role != Role.LEADER) {
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

    // ---- leader: produce ----------------------------------------------------------------------

    /** {@link #appendAsLeader(MemoryRecords, short)} with {@code acks=1}. */
    public LogAppendInfo appendAsLeader(MemoryRecords records) {
        return appendAsLeader(records, (short) 1);
    }

    /**
     * Appends a producer's batches as leader at the current epoch. Batches of idempotent
     * producers are checked first, under the append lock: a retry of one of a producer's last
     * five batches is answered with the offsets it got the first time and not appended again; a
     * sequence gap is refused. With {@code acks=all} the append is refused when the ISR is smaller
     * than {@code min.insync.replicas} (Kafka checks before appending, so nothing is written).
     *
     * @throws NotEnoughReplicasException acks=all and too few in-sync replicas
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks) {
        LogAppendInfo info;
        stateLock.readLock().lock();
        try {
            checkLeader(Optional.empty());
            if (requiredAcks == -1) {
                int isrSize = inSyncReplicas().size();
                int minIsr = log.config().minInSyncReplicas();
                if (isrSize < minIsr) {
                    throw new NotEnoughReplicasException("the ISR of " + topicPartition + " has " + isrSize
                            + " replicas, fewer than min.insync.replicas " + minIsr);
                }
            }
            synchronized (appendLock) {
                ProducerStateManager.AppendCheck check = producers.checkLeaderAppend(records);
                if (check.duplicate()) {
                    return new LogAppendInfo(
                            check.firstOffset(),
                            check.lastOffset(),
                            -1,
                            check.firstOffset(),
                            check.logAppendTime(),
                            0,
                            0);
                }
                info = log.appendAsLeader(records, leaderEpoch);
                producers.update(records, clock.millis());
            }
        } finally {
            stateLock.readLock().unlock();
        }
        if (maybeIncrementHighWatermark()) {
            onChange.accept(topicPartition);
        }
        return info;
    }

    /**
     * Whether an acks=all append ending before {@code requiredOffset}, made at {@code epoch}, is
     * replicated (Kafka's {@code checkEnoughReplicasReachOffset}): empty while the HW is below it;
     * NONE once it is reached with at least {@code min.insync.replicas} in the ISR,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND with fewer; NOT_LEADER_OR_FOLLOWER if leadership was lost
     * or changed epoch meanwhile.
     */
    public Optional<Errors> checkReplicated(long requiredOffset, int epoch) {
        if (role != Role.LEADER || leaderEpoch != epoch) {
            return Optional.of(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        if (log.highWatermark() >= requiredOffset) {
            return Optional.of(
                    inSyncReplicas().size() < log.config().minInSyncReplicas()
                            ? Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND
                            : Errors.NONE);
        }
        return Optional.empty();
    }

    // ---- leader: followers, high watermark, ISR -----------------------------------------------

    /**
     * A follower fetched from {@code fetchOffset}: that is its LEO; {@code logStartOffset} is its
     * log start, as the fetch reported it. Moves the HW if it can and adds the follower to the ISR
     * once it has caught up to the HW. Ignored unless this broker leads and {@code replicaId} is an
     * assigned replica.
     *
     * @return whether the HW moved
     */
    public boolean updateFollowerFetchState(int replicaId, long fetchOffset, long logStartOffset, long nowMs) {
        boolean hwMoved;
        boolean startMoved;
        stateLock.readLock().lock();
        try {
            FollowerReplica replica = followers.get(replicaId);
            if (role != Role.LEADER || replica == null) {
                return false;
            }
            startMoved = replica.updateFetchState(fetchOffset, logStartOffset, log.logEndOffset(), nowMs);
            hwMoved = maybeIncrementHighWatermark();
            maybeExpandIsr(replica);
        } finally {
            stateLock.readLock().unlock();
        }
        if (hwMoved || startMoved) {
            onChange.accept(topicPartition); // (a moved log start may complete a DeleteRecords)
        }
        return hwMoved;
    }

    /**
     * The low watermark (Kafka's {@code lowWatermarkIfLeader}): the lowest log start offset over
     * this leader and the followers of the maximal ISR, -1 while one of those has not fetched in
     * this leadership. Kafka takes every replica on a live broker; the ISR is enough here, since
     * only an ISR member becomes leader in a clean election, and a follower outside it adopts the
     * leader's log start on its next fetch anyway. -1 unless leader.
     */
    public long lowWatermark() {
        stateLock.readLock().lock();
        try {
            if (role != Role.LEADER) {
                return -1;
            }
            long low = log.logStartOffset();
            for (int id : maximalIsr()) {
                if (id != settings.localBrokerId()) {
                    FollowerReplica replica = followers.get(id);
                    low = Math.min(low, replica == null ? -1 : replica.logStartOffset());
                }
            }
            return low;
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** The leader's view of a follower's LEO, -1 if unknown. */
    public long followerLogEndOffset(int replicaId) {
        FollowerReplica replica = followers.get(replicaId);
        return replica == null ? -1 : replica.logEndOffset();
    }

    /**
     * HW = min LEO over the maximal ISR (committed plus proposed), only ever forward. A member
     * whose LEO is unknown (it has not fetched since this leadership began) holds it where it is.
     *
     * @return whether it moved
     */
    boolean maybeIncrementHighWatermark() {
        synchronized (hwLock) {
            if (role != Role.LEADER) {
                return false;
            }
            long newHw = log.logEndOffset();
            for (int id : maximalIsr()) {
                if (id != settings.localBrokerId()) {
                    FollowerReplica replica = followers.get(id);
                    newHw = Math.min(newHw, replica == null ? -1 : replica.logEndOffset());
                }
            }
            if (newHw > log.highWatermark()) {
                log.updateHighWatermark(newHw);
                return true;
            }
            return false;
        }
    }

    private Set<Integer> maximalIsr() {
        Set<Integer> isr = new LinkedHashSet<>(inSyncReplicas());
        PartitionState pending = pendingIsr;
        if (pending != null) {
            isr.addAll(pending.isr());
        }
        return isr;
    }

    /**
     * Kafka's {@code isFollowerInSync}: a follower outside the ISR joins once its LEO reaches the
     * HW and the start of the current leader epoch (so that it holds every record of this
     * leadership before it can count towards the HW). State lock held (shared).
     */
    private void maybeExpandIsr(FollowerReplica replica) {
        List<Integer> isr = inSyncReplicas();
        if (pendingIsr != null || isr.contains(replica.brokerId()) || !replicas.contains(replica.brokerId())) {
            return;
        }
        long leo = replica.logEndOffset();
        if (leo >= log.highWatermark() && leo >= leaderEpochStartOffset) {
            List<Integer> expanded = new ArrayList<>(isr);
            expanded.add(replica.brokerId());
            LOG.info(
                    "Expanding the ISR of {} from {} to {} (follower {} at {})",
                    topicPartition,
                    isr,
                    expanded,
                    replica.brokerId(),
                    leo);
            propose(expanded);
        }
    }

    /**
     * Removes from the ISR the followers that have not caught up to the leader's LEO within
     * {@code replica.lag.time.max.ms} (the periodic check, Kafka's {@code maybeShrinkIsr}).
     *
     * @return the replicas proposed for removal (empty if none, or if a change is in flight)
     */
    public Set<Integer> maybeShrinkIsr(long nowMs) {
        stateLock.readLock().lock();
        try {
            if (role != Role.LEADER || pendingIsr != null) {
                return Set.of();
            }
            List<Integer> isr = inSyncReplicas();
            Set<Integer> outOfSync = new LinkedHashSet<>();
            for (int id : isr) {
                if (id == settings.localBrokerId()) {
                    continue; // the leader never removes itself
                }
                // A member no longer assigned (a reassignment removed it, and the new ISR reached
                // this leader before the new replica list or was re-expanded meanwhile) goes at
                // once: it has stopped fetching and would hold the high watermark back.
                boolean unassigned = !replicas.isEmpty() && !replicas.contains(id);
                FollowerReplica replica = followers.get(id);
                if (unassigned
                        || replica == null
                        || replica.isLagging(log.logEndOffset(), nowMs, settings.replicaLagTimeMaxMs())) {
                    outOfSync.add(id);
                }
            }
            if (!outOfSync.isEmpty()) {
                List<Integer> shrunk =
                        isr.stream().filter(id -> !outOfSync.contains(id)).toList();
                LOG.info(
                        "Shrinking the ISR of {} from {} to {}: {} not caught up within {} ms (leader LEO {}, HW {})",
                        topicPartition,
                        isr,
                        shrunk,
                        outOfSync,
                        settings.replicaLagTimeMaxMs(),
                        log.logEndOffset(),
                        log.highWatermark());
                propose(shrunk);
            }
            return outOfSync;
        } finally {
            stateLock.readLock().unlock();
        }
    }

    /** Starts the conditional write of a new ISR, keeping leader and epoch. State lock held. */
    private void propose(List<Integer> newIsr) {
        PartitionState current;
        PartitionState proposed;
        synchronized (hwLock) {
            current = state;
            if (pendingIsr != null || current == null) {
                return;
            }
            proposed = new PartitionState(
                    settings.localBrokerId(), leaderEpoch, newIsr, current.controllerEpoch(), current.zkVersion());
            pendingIsr = proposed;
        }
        settings.isrWriter().write(this, proposed);
    }

    /** The ISR change in flight, if any (tests). */
    Optional<PartitionState> pendingIsrChange() {
        return Optional.ofNullable(pendingIsr);
    }

    /**
     * The {@link IsrWriter}'s answer to {@code proposed}: {@code written} is the state at its new
     * zkVersion, or null when the write failed; then {@code current} is the state re-read from
     * ZooKeeper (null if unknown). A newer state of this leadership is adopted and the next fetch
     * or check decides again; a state of another leader or epoch is left to the metadata cache,
     * which will move this broker's role.
     */
    public void completeIsrChange(PartitionState proposed, PartitionState written, PartitionState current) {
        stateLock.writeLock().lock();
        try {
            if (pendingIsr != proposed) {
                return; // a role change came first
            }
            pendingIsr = null;
            PartitionState adopt = written != null ? written : current;
            if (role == Role.LEADER
                    && adopt != null
                    && adopt.leader() == settings.localBrokerId()
                    && adopt.leaderEpoch() == leaderEpoch
                    && (state == null || adopt.zkVersion() >= state.zkVersion())) {
                if (written == null) {
                    LOG.info(
                            "ISR change of {} to {} lost to a concurrent write; now {}",
                            topicPartition,
                            proposed.isr(),
                            adopt);
                }
                state = adopt;
                long now = clock.millis();
                for (int id : adopt.isr()) {
                    if (id != settings.localBrokerId()) {
                        followers.computeIfAbsent(id, k -> new FollowerReplica(k, now));
                    }
                }
            }
        } finally {
            stateLock.writeLock().unlock();
        }
        maybeIncrementHighWatermark();
        onChange.accept(topicPartition);
    }

    // ---- follower -----------------------------------------------------------------------------

    /**
     * Appends batches fetched from the leader, keeping their offsets and leader epochs, and
     * records their producers (a follower that becomes leader must know them).
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        synchronized (appendLock) {
            LogAppendInfo info = log.appendAsFollower(records);
            producers.update(records, clock.millis());
            return info;
        }
    }

    /** Takes the leader's HW, capped at the local LEO. */
    public void updateFollowerHighWatermark(long leaderHighWatermark) {
        if (leaderHighWatermark >= 0) {
            log.updateHighWatermark(Math.min(leaderHighWatermark, log.logEndOffset()));
        }
    }

    /**
     * Follows the leader's log start offset (moved by its retention or DeleteRecords) as far as
     * this replica's high watermark, as Kafka's follower does with the fetch response's {@code
     * log_start_offset}.
     */
    public void updateFollowerLogStartOffset(long leaderLogStartOffset) {
        long target = Math.min(leaderLogStartOffset, log.highWatermark());
        if (target > log.logStartOffset()) {
            synchronized (appendLock) {
                log.deleteRecordsBefore(target);
            }
        }
    }

    /** Removes every batch at or after {@code offset} (a diverged suffix) and fixes producer state. */
    public void truncateTo(long offset) {
        synchronized (appendLock) {
            if (log.truncateTo(offset)) {
                producers.truncateAndReload(log);
            }
        }
    }

    /** Empties the log and starts it at {@code offset} (the leader's log starts beyond this end). */
    public void truncateFullyAndStartAt(long offset) {
        synchronized (appendLock) {
            log.truncateFullyAndStartAt(offset);
            producers.loadFrom(log);
        }
    }

    /** Reads for a consumer (below the high watermark) or a follower (to the end). */
    public FetchDataInfo read(long offset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        return log.read(offset, maxBytes, isolation, minOneBatch);
    }

    private static Set<Integer> replicaSet(List<Integer> replicas, List<Integer> isr) {
        Set<Integer> all = new LinkedHashSet<>(replicas);
        all.addAll(isr);
        return all;
    }

    @Override
    public String toString() {
        return topicPartition + "[" + role + " epoch " + leaderEpoch + " isr " + inSyncReplicas() + "]";
    }
}
