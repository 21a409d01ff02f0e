package io.brook.broker.replication;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.PartitionLog;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-partition state of idempotent producers: for each producer id, its epoch and the metadata
 * (first and last sequence, first and last offset, timestamp) of its last {@value
 * #BATCHES_TO_RETAIN} batches, so that a retried batch is recognised and answered with the offsets
 * it got the first time instead of being written twice. This is Kafka's {@code
 * ProducerStateManager} and {@code ProducerAppendInfo} (KIP-98) without transactions, and follows
 * their rules, including KIP-360's for producers whose state is gone.
 *
 * <p>Checks of a leader append, batch by batch, against the state as it would be after the
 * previous batches of the same request ({@link #checkLeaderAppend}):
 *
 * <pre>
 * batch                                                          outcome
 * ------------------------------------------------------------   ---------------------------------
 * no producer id (RecordBatch.NO_PRODUCER_ID)                     passes
 * transactional or control batch                                  InvalidRecordException
 * producer id with epoch or base sequence below 0                 InvalidRecordException
 * same epoch, same first and last sequence as a cached batch      DUPLICATE (offsets of the cached one)
 * epoch below the producer's                                      InvalidProducerEpochException
 * producer unknown (never seen, expired, or its batches deleted)  passes, any sequence
 * epoch above the producer's, first sequence 0                    passes, the cached batches are dropped
 * epoch above the producer's, other first sequence                OutOfOrderSequenceException
 * same epoch, first sequence = last sequence + 1                  passes (Integer.MAX_VALUE + 1 = 0)
 * same epoch, any other first sequence                            OutOfOrderSequenceException
 * </pre>
 *
 * <p>A request is a duplicate only when every one of its batches is; one that mixes batches
 * already appended with new ones is refused with {@link OutOfOrderSequenceException}. Kafka answers
 * such a request with the first duplicate and silently drops the rest ({@code
 * UnifiedLog.analyzeAndValidateProducerState}); no client sends one, since producers put one batch
 * per partition in a request.
 *
 * <p>Nothing is persisted: {@link #loadFrom} rebuilds the state from the batch headers of the log
 * (a header read per batch, no record is decompressed), which is exact because every batch header
 * carries its producer id, epoch and sequences. Kafka adds snapshot files to bound that scan; a
 * partition's last snapshot would be the place to start if the scan ever shows in leader
 * elections.
 *
 * <p>Threading: not thread-safe. The partition serialises every call, and must hold its lock from
 * {@link #checkLeaderAppend} through the append to {@link #update}, so that no other append from
 * the same producer comes between the check and the state it was checked against.
 */
public final class ProducerStateManager {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    /**
     * Batches remembered per producer: 5, the largest {@code max.in.flight.requests.per.connection}
     * an idempotent producer may use, so that every batch a producer may still retry is known.
     */
    public static final int BATCHES_TO_RETAIN = 5;

    /** Kafka's default {@code producer.id.expiration.ms}: one day. */
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 86_400_000L;

    private final TopicPartition tp;
    private final Clock clock;
    private final long producerIdExpirationMs;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();

    /**
     * @param producerIdExpirationMs Kafka's {@code producer.id.expiration.ms}: how long a producer
     *     may stay idle before its state is forgotten
     */
    public ProducerStateManager(TopicPartition tp, Clock clock, long producerIdExpirationMs) {
        if (producerIdExpirationMs <= 0) {
            throw new IllegalArgumentException("producer.id.expiration.ms must be positive: " + producerIdExpirationMs);
        }
        this.tp = tp;
        this.clock = clock;
        this.producerIdExpirationMs = producerIdExpirationMs;
    }

    /**
     * The outcome of {@link #checkLeaderAppend}: either the batches may be appended ({@link #ok()}),
     * or they were appended before and the handler answers with these offsets and appends nothing.
     *
     * @param firstOffset the first offset of the first duplicate batch, -1 when not a duplicate
     * @param lastOffset the last offset of the last duplicate batch, -1 when not a duplicate
     * @param logAppendTime the append time of the first duplicate batch on a {@code LogAppendTime}
     *     topic, else -1 ({@link RecordBatch#NO_TIMESTAMP}), as a Produce response carries it
     */
    public record AppendCheck(boolean duplicate, long firstOffset, long lastOffset, long logAppendTime) {

        private static final AppendCheck OK = new AppendCheck(false, -1, -1, RecordBatch.NO_TIMESTAMP);

        public static AppendCheck ok() {
            return OK;
        }
    }

    /** What is known of one producer, for DescribeProducers and tests. */
    public record ProducerState(
            long producerId, short epoch, int lastSequence, long lastOffset, long lastTimestampMs) {}

    // ---- leader append ------------------------------------------------------------------------

    /**
     * Checks the batches of a leader append before offsets are assigned; see the class javadoc for
     * the rules. Changes nothing: the state moves only in {@link #update}.
     *
     * @return {@link AppendCheck#ok()}, or a duplicate with the offsets the batches got when first
     *     appended
     * @throws OutOfOrderSequenceException a sequence does not follow the producer's last one, or
     *     the request mixes duplicates with new batches
     * @throws InvalidProducerEpochException a batch carries an epoch older than the producer's: a
     *     zombie. Kafka answers this rather than {@code ProducerFencedException} since 2.7 (KIP-588),
     *     which lets the producer abort and go on
     * @throws InvalidRecordException a batch is transactional (transactions are not supported yet),
     *     or carries a producer id with a negative epoch or base sequence
     */
    public AppendCheck checkLeaderAppend(MemoryRecords records) {
        // The state as it would be after the batches checked so far: producer id -> epoch, last seq.
        Map<Long, Pending> pending = new HashMap<>();
        BatchMetadata firstDuplicate = null;
        BatchMetadata lastDuplicate = null;
        boolean sawNew = false;
        for (RecordBatch batch : records.batches()) {
            if (!batch.hasProducerId()) {
                sawNew = true;
                continue;
            }
            validate(batch);
            long producerId = batch.producerId();
            ProducerEntry entry = producers.get(producerId);
            BatchMetadata duplicate =
                    entry == null || pending.containsKey(producerId) ? null : entry.findDuplicate(batch);
            if (duplicate != null) {
                if (firstDuplicate == null) {
                    firstDuplicate = duplicate;
                }
                lastDuplicate = duplicate;
                continue;
            }
            sawNew = true;
            checkEpochAndSequence(batch, entry, pending.get(producerId));
            pending.put(producerId, new Pending(batch.producerEpoch(), batch.lastSequence()));
        }
        if (firstDuplicate == null) {
            return AppendCheck.ok();
        }
        if (sawNew) {
            throw new OutOfOrderSequenceException("a produce request to " + tp
                    + " mixes batches already appended (the first at offset " + firstDuplicate.firstOffset()
                    + ") with new ones");
        }
        return new AppendCheck(
                true, firstDuplicate.firstOffset(), lastDuplicate.lastOffset(), firstDuplicate.logAppendTime());
    }

    private void validate(RecordBatch batch) {
        if (batch.isTransactional() || batch.isControlBatch()) {
            // Needs a transaction coordinator, markers and the last stable offset; InitProducerId
            // refuses a transactional.id, so only a misbehaving client gets here.
            throw new InvalidRecordException("transactions are not supported yet: producer " + batch.producerId()
                    + " sent a transactional batch to " + tp);
        }
        if (batch.producerEpoch() < 0 || batch.baseSequence() < 0) {
            throw new InvalidRecordException("batch of producer " + batch.producerId() + " to " + tp
                    + " has epoch " + batch.producerEpoch() + " and base sequence " + batch.baseSequence()
                    + "; both must be at least 0");
        }
    }

    /**
     * Kafka's {@code ProducerAppendInfo.checkProducerEpoch} and {@code checkSequence}, against the
     * state after the earlier batches of the request ({@code pending}) or else the stored one.
     */
    private void checkEpochAndSequence(RecordBatch batch, ProducerEntry entry, Pending pending) {
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        long producerId = batch.producerId();
        if (pending == null && (entry == null || entry.epoch == RecordBatch.NO_PRODUCER_EPOCH)) {
            // KIP-360: the producer's state is gone (expired, or its batches deleted by retention or
            // DeleteRecords), so its sequence cannot be checked; accept it and start over from here.
            return;
        }
        short currentEpoch = pending != null ? pending.epoch : entry.epoch;
        if (epoch < currentEpoch) {
            throw new InvalidProducerEpochException("epoch " + epoch + " of producer " + producerId + " in " + tp
                    + " is older than its current epoch " + currentEpoch);
        }
        if (epoch > currentEpoch) {
            // An idempotent producer bumps its epoch itself after an unresolved send (KIP-360) and
            // restarts its sequences at 0.
            if (firstSeq != 0) {
                throw new OutOfOrderSequenceException("producer " + producerId + " starts its new epoch " + epoch
                        + " in " + tp + " at sequence " + firstSeq + " instead of 0 (current epoch " + currentEpoch
                        + ")");
            }
            return;
        }
        int lastSeq = pending != null ? pending.lastSeq : entry.lastSeq();
        if (!inSequence(lastSeq, firstSeq)) {
            throw new OutOfOrderSequenceException("out of order sequence for producer " + producerId + " in " + tp
                    + ": " + firstSeq + " follows " + lastSeq);
        }
    }

    /** Sequences are non-negative ints that wrap from Integer.MAX_VALUE to 0, as in the client. */
    static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    // ---- state changes ------------------------------------------------------------------------

    /**
     * Records the batches after a successful append, with their offsets assigned: by the leader
     * after {@code appendAsLeader} (whose batches carry the offsets it assigned), by a follower
     * after {@code appendAsFollower}. Nothing is checked: the leader did that. {@code appendTimeMs}
     * starts the producer's {@code producer.id.expiration.ms}.
     */
    public void update(MemoryRecords appendedRecords, long appendTimeMs) {
        for (RecordBatch batch : appendedRecords.batches()) {
            apply(batch, appendTimeMs);
        }
    }

    private void apply(RecordBatch batch, long timestampMs) {
        if (!batch.hasProducerId()) {
            return;
        }
        ProducerEntry entry = producers.computeIfAbsent(batch.producerId(), id -> new ProducerEntry());
        if (batch.producerEpoch() < entry.epoch) {
            // Accepted by an earlier leader: the log is the truth, as in Kafka, which only warns.
            LOG.warn(
                    "Batch at offset {} in {} has epoch {} of producer {}, older than the last seen {}",
                    batch.baseOffset(),
                    tp,
                    batch.producerEpoch(),
                    batch.producerId(),
                    entry.epoch);
        }
        entry.add(batch, timestampMs);
    }

    /**
     * Rebuilds the state from the batch headers of {@code log}, from its start to its end, then
     * forgets the producers already expired. A producer's last activity is then its last batch's
     * max timestamp, the only time the log keeps (Kafka does the same).
     *
     * <p>The partition must not append to {@code log} meanwhile.
     */
    public void loadFrom(PartitionLog log) {
        producers.clear();
        long end = log.logEndOffset();
        long next = log.logStartOffset();
        int batches = 0;
        while (next < end) {
            Records records = log.read(next, Integer.MAX_VALUE, FetchIsolation.LOG_END, true)
                    .records();
            long before = next;
            for (RecordBatch batch : records.batches()) {
                if (batch.lastOffset() < next) {
                    continue;
                }
                apply(batch, batch.maxTimestamp());
                next = batch.nextOffset();
                batches++;
            }
            if (next == before) {
                // Nothing readable at or after next below the end: stop rather than spin.
                break;
            }
        }
        removeExpiredProducers(clock.millis());
        LOG.info(
                "Loaded the state of {} producers of {} from {} batches up to offset {}",
                producers.size(),
                tp,
                batches,
                end);
    }

    /**
     * Brings the state in line with {@code log} after it was truncated: when every cached batch
     * still lies within the log nothing changes, else the state is rebuilt from the log (a cached
     * entry cannot be rolled back: the batches before its last 5 are only in the log).
     */
    public void truncateAndReload(PartitionLog log) {
        long start = log.logStartOffset();
        long end = log.logEndOffset();
        for (ProducerEntry entry : producers.values()) {
            for (BatchMetadata batch : entry.batches) {
                if (batch.firstOffset() < start || batch.lastOffset() >= end) {
                    loadFrom(log);
                    return;
                }
            }
        }
    }

    /**
     * Forgets the producers idle for {@code producer.id.expiration.ms} or longer (Kafka's {@code
     * isProducerExpired} uses the same bound). A producer forgotten here that sends again is
     * accepted with any sequence, by KIP-360's rule for unknown producers.
     */
    public void removeExpiredProducers(long nowMs) {
        Iterator<Map.Entry<Long, ProducerEntry>> it = producers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, ProducerEntry> e = it.next();
            if (nowMs - e.getValue().lastTimestampMs >= producerIdExpirationMs) {
                LOG.debug("Producer {} of {} expired", e.getKey(), tp);
                it.remove();
            }
        }
    }

    // ---- queries ------------------------------------------------------------------------------

    public Optional<ProducerState> producer(long producerId) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            return Optional.empty();
        }
        BatchMetadata last = entry.batches.peekLast();
        return Optional.of(new ProducerState(
                producerId,
                entry.epoch,
                entry.lastSeq(),
                last == null ? -1 : last.lastOffset(),
                entry.lastTimestampMs));
    }

    public int producerCount() {
        return producers.size();
    }

    @Override
    public String toString() {
        return "ProducerStateManager(" + tp + ", " + producers.size() + " producers)";
    }

    // ---- internals ----------------------------------------------------------------------------

    private record Pending(short epoch, int lastSeq) {}

    /** One appended batch as remembered; {@code logAppendTime} is -1 on a CreateTime topic. */
    private record BatchMetadata(int firstSeq, int lastSeq, long firstOffset, long lastOffset, long logAppendTime) {}

    /** A producer: its epoch and its last batches, oldest first. */
    private static final class ProducerEntry {

        short epoch = RecordBatch.NO_PRODUCER_EPOCH;
        final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(BATCHES_TO_RETAIN);
        long lastTimestampMs = RecordBatch.NO_TIMESTAMP;

        int lastSeq() {
            BatchMetadata last = batches.peekLast();
            return last == null ? RecordBatch.NO_SEQUENCE : last.lastSeq();
        }

        /** The cached batch {@code batch} repeats: same epoch, same first and last sequence. */
        BatchMetadata findDuplicate(RecordBatch batch) {
            if (batch.producerEpoch() != epoch) {
                return null;
            }
            for (BatchMetadata cached : batches) {
                if (cached.firstSeq() == batch.baseSequence() && cached.lastSeq() == batch.lastSequence()) {
                    return cached;
                }
            }
            return null;
        }

        void add(RecordBatch batch, long timestampMs) {
            if (batch.producerEpoch() != epoch) {
                // A new epoch starts a new sequence: the old batches can no longer be retried.
                epoch = batch.producerEpoch();
                batches.clear();
            }
            long logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME
                    ? batch.maxTimestamp()
                    : RecordBatch.NO_TIMESTAMP;
            batches.addLast(new BatchMetadata(
                    batch.baseSequence(), batch.lastSequence(), batch.baseOffset(), batch.lastOffset(), logAppendTime));
            if (batches.size() > BATCHES_TO_RETAIN) {
                batches.removeFirst();
            }
            lastTimestampMs = timestampMs;
        }
    }
}
