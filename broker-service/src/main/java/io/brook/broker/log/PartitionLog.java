package io.brook.broker.log;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log of one partition: a directory of {@link LogSegment}s, the last of which (the active
 * segment) takes appends. Offsets are assigned here, on append, by rewriting each batch's base
 * offset and partition leader epoch in place (neither is covered by the batch CRC); the batch is
 * otherwise stored byte for byte as the producer sent it.
 *
 * <p>Offsets: {@code logStartOffset <= highWatermark <= logEndOffset}. Consumers read below the
 * high watermark, followers up to the log end. Retention and {@link #deleteRecordsBefore} move
 * the log start offset; {@link #truncateTo} moves the end back.
 *
 * <p>Threading: one writer at a time. Appends, rolls, truncation, retention and segment swaps hold
 * the append lock. Reads take no lock: the log publishes its end ({@link LogOffsetMetadata}) in a
 * volatile field after each append, and every read is bounded by it, so a reader never sees a
 * partially written batch and never waits for the writer. Segments removed while a read may still
 * hold them are renamed {@code .deleted} and closed only after {@code file.delete.delay.ms}.
 * Flushes run outside the append lock.
 *
 * <p>Disk errors go to the {@link LogDirFailureHandler}. A failed append is rolled back and the
 * log stays usable; if even the rollback fails the log goes offline and refuses reads and writes
 * with {@link KafkaStorageException} until the broker reopens it.
 */
public final class PartitionLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    /** Written on clean close, removed on open: its absence on open means recovery is needed. */
    static final String CLEAN_SHUTDOWN_MARKER = ".clean-shutdown";

    private final File dir;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final LogDirFailureHandler failureHandler;
    private final ReentrantLock appendLock = new ReentrantLock();
    private final Object flushLock = new Object();
    /** Told how long each flush that wrote something took, in nanoseconds. */
    private volatile LongConsumer flushTimer = nanos -> {};

    private final Object checkpointLock = new Object();
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEnd;
    private volatile LogOffsetMetadata highWatermark;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long cleanerOffset;
    private volatile long lastFlushMs;
    private volatile boolean offline;
    /** The first offset of each leader epoch; set by {@link #load}. */
    private volatile LeaderEpochCache epochs;
    /** The checkpoint last written; guarded by checkpointLock. */
    private PartitionCheckpoint lastCheckpoint;
    /** Records appended since the last flush; guarded by the append lock. */
    private long unflushedRecords;

    private PartitionLog(
            File dir,
            LogConfig config,
            Clock clock,
            ScheduledExecutorService scheduler,
            LogDirFailureHandler failureHandler) {
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.failureHandler = failureHandler;
        this.lastFlushMs = clock.millis();
    }

    /**
     * Opens the log in {@code dir}, creating it if needed. After an unclean shutdown every batch
     * from the recovery point on is validated and the log is cut after the last valid one; see
     * {@link LogSegment#recover}.
     *
     * @param scheduler runs delayed file deletions and post-roll flushes
     */
    public static PartitionLog open(
            File dir,
            LogConfig config,
            Clock clock,
            ScheduledExecutorService scheduler,
            LogDirFailureHandler failureHandler)
            throws IOException {
        Files.createDirectories(dir.toPath());
        PartitionLog log = new PartitionLog(dir, config, clock, scheduler, failureHandler);
        log.load();
        return log;
    }

    private void load() throws IOException {
        File marker = new File(dir, CLEAN_SHUTDOWN_MARKER);
        File[] existing = dir.listFiles((d, name) -> name.endsWith(LogFiles.LOG));
        // A new partition has nothing to recover.
        boolean clean = marker.exists() || existing == null || existing.length == 0;
        PartitionCheckpoint checkpoint = PartitionCheckpoint.read(dir);
        SegmentSwap.recover(dir);
        File[] files = dir.listFiles();
        List<Long> bases = new ArrayList<>();
        for (File f : files == null ? new File[0] : files) {
            String name = f.getName();
            if (name.endsWith(LogFiles.DELETED)) {
                Files.deleteIfExists(f.toPath());
            } else if (name.endsWith(LogFiles.LOG)) {
                bases.add(LogFiles.baseOffsetOf(f));
            }
        }
        deleteOrphanIndexes(files, bases);
        long now = clock.millis();
        Set<Long> indexesMissing = new HashSet<>();
        for (long base : bases) {
            if (!LogFiles.offsetIndexFile(dir, base, "").exists()
                    || !LogFiles.timeIndexFile(dir, base, "").exists()) {
                indexesMissing.add(base);
            }
            segments.put(base, LogSegment.open(dir, base, config, now, ""));
        }
        recover(!clean, checkpoint.recoveryPoint(), indexesMissing);
        java.util.Optional<LeaderEpochCache> storedEpochs = LeaderEpochCache.read(dir);
        epochs = storedEpochs.orElseGet(() -> LeaderEpochCache.empty(dir));
        if (segments.isEmpty()) {
            long start = Math.max(0, checkpoint.logStartOffset());
            segments.put(start, LogSegment.open(dir, start, config, now, ""));
        }
        LogSegment active = segments.lastEntry().getValue();
        for (LogSegment segment : segments.headMap(active.baseOffset()).values()) {
            // Rebuilt indexes are pre-allocated; older segments are never appended to again.
            segment.onBecomeInactive();
        }
        active.onBecomeActive();
        logEnd = new LogOffsetMetadata(active.readNextOffset(), active.baseOffset(), active.size());
        // Provisional until set from the checkpoint below; truncateFullyAndStartAt reads it.
        highWatermark = logEnd;
        logStartOffset = Math.max(checkpoint.logStartOffset(), segments.firstKey());
        if (logStartOffset > logEnd.messageOffset()) {
            truncateFullyAndStartAt(logStartOffset);
        }
        loadEpochs(storedEpochs.isPresent(), clean, checkpoint.recoveryPoint());
        long end = logEnd.messageOffset();
        highWatermark = offsetMetadata(Math.max(logStartOffset, Math.min(checkpoint.highWatermark(), end)));
        cleanerOffset = Math.max(logStartOffset, Math.min(checkpoint.cleanerOffset(), end));
        recoveryPoint = clean ? end : Math.min(checkpoint.recoveryPoint(), end);
        if (!clean) {
            // What recovery kept is valid; make it durable so the next recovery starts here.
            flush(end);
        }
        writeCheckpoint();
        Files.deleteIfExists(marker.toPath());
        LOG.info(
                "Loaded {} with {} segments, log start {}, end {}, high watermark {}{}",
                dir,
                segments.size(),
                logStartOffset,
                end,
                highWatermark.messageOffset(),
                clean ? "" : " after recovery");
    }

    /**
     * Brings the leader epoch cache in line with the recovered log. Without a readable checkpoint
     * it is rebuilt from every batch header. Otherwise the checkpoint is trusted up to the log end
     * and, after an unclean shutdown, the batches from the recovery point are fed to it again, in
     * case a crash came between a batch's write and the checkpoint of its new epoch.
     */
    private void loadEpochs(boolean stored, boolean clean, long recoveryPoint) throws IOException {
        boolean changed;
        if (!stored) {
            epochs.clear();
            assignEpochsFrom(Long.MIN_VALUE);
            changed = true;
        } else {
            changed = epochs.truncateFromEnd(logEnd.messageOffset());
            if (!clean) {
                changed |= assignEpochsFrom(recoveryPoint);
            }
        }
        changed |= epochs.truncateFromStart(logStartOffset);
        if (changed) {
            epochs.write();
        }
    }

    /** Feeds the epochs of the batches in the segments from the one holding {@code from} on. */
    private boolean assignEpochsFrom(long from) {
        Long first = segments.floorKey(from);
        boolean changed = false;
        for (LogSegment segment :
                segments.tailMap(first == null ? Long.MIN_VALUE : first).values()) {
            for (RecordBatch batch : segment.records().batches()) {
                changed |= epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
            }
        }
        return changed;
    }

    private void deleteOrphanIndexes(File[] files, List<Long> bases) throws IOException {
        for (File f : files == null ? new File[0] : files) {
            String name = f.getName();
            if ((name.endsWith(LogFiles.INDEX) || name.endsWith(LogFiles.TIME_INDEX))
                    && !bases.contains(LogFiles.baseOffsetOf(f))) {
                Files.deleteIfExists(f.toPath());
            }
        }
    }

    /**
     * Validates (and rebuilds the indexes of) every segment whose indexes are missing or not sane
     * and, after an unclean shutdown, every segment from the one holding {@code fromOffset} to the
     * end. After the first segment cut short, later segments are deleted: nothing after a corrupt
     * batch may be served.
     */
    private void recover(boolean unclean, long fromOffset, Set<Long> indexesMissing) throws IOException {
        Long firstToCheck = segments.floorKey(fromOffset);
        boolean cut = false;
        for (LogSegment segment : List.copyOf(segments.values())) {
            if (cut) {
                LOG.warn("Deleting {}: it follows a corrupt batch", segment);
                segments.remove(segment.baseOffset());
                segment.deleteIfExists();
                continue;
            }
            boolean fromRecoveryPoint = unclean && (firstToCheck == null || segment.baseOffset() >= firstToCheck);
            if (fromRecoveryPoint || indexesMissing.contains(segment.baseOffset()) || !segment.indexesAreSane()) {
                if (!fromRecoveryPoint) {
                    LOG.warn("Rebuilding the indexes of {}", segment);
                }
                cut = segment.recover() > 0;
            }
        }
    }

    // ---- accessors ----------------------------------------------------------------------------

    public File dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies new settings to later appends, rolls, flushes and retention runs. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEnd.messageOffset();
    }

    public LogOffsetMetadata logEndOffsetMetadata() {
        return logEnd;
    }

    public long highWatermark() {
        return highWatermark.messageOffset();
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    public boolean isOffline() {
        return offline;
    }

    /** The epoch of the newest leader that wrote to this log, or empty if none did. */
    public java.util.Optional<Integer> latestEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * Where {@code epoch} ended in this log: the largest epoch at or below it and the first offset
     * of the next epoch, or the log end for the latest; see {@link LeaderEpochCache#endOffsetFor}.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochs.endOffsetFor(epoch, logEnd.messageOffset());
    }

    /**
     * Records that leader epoch {@code epoch} starts at the log end, before any batch of it is
     * written: a new leader does this on election (as Kafka's {@code Partition.makeLeader} does),
     * so that its latest cached epoch is always its current one and OffsetForLeaderEpoch answers a
     * follower of an older epoch with where that epoch ended here. An epoch not newer than the
     * latest is ignored. Takes the append lock.
     */
    public void assignEpochStartOffset(int epoch) {
        appendLock.lock();
        try {
            checkOnline();
            if (epochs.assign(epoch, logEnd.messageOffset())) {
                writeEpochsQuietly();
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** The cache's entries, oldest first. */
    List<LeaderEpochCache.EpochEntry> epochEntries() {
        return epochs.entries();
    }

    /** Total bytes in all segments. */
    public long size() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    public int numberOfSegments() {
        return segments.size();
    }

    /** Base offsets of the segments, oldest first. */
    public List<Long> segmentBaseOffsets() {
        return List.copyOf(segments.keySet());
    }

    LogSegment activeSegment() {
        return segments.lastEntry().getValue();
    }

    Collection<LogSegment> segments() {
        return segments.values();
    }

    /** Segments whose base offset lies in {@code [from, to)}, oldest first. */
    List<LogSegment> segmentsInRange(long from, long to) {
        return List.copyOf(segments.subMap(from, true, to, false).values());
    }

    long cleanerOffset() {
        return cleanerOffset;
    }

    /**
     * Sets the cleaner offset, kept within {@code [logStartOffset, logEndOffset]}: under the append
     * lock, so that a truncation that ran while the cleaner worked is not undone.
     */
    void updateCleanerOffset(long offset) throws IOException {
        appendLock.lock();
        try {
            cleanerOffset = Math.max(logStartOffset, Math.min(offset, logEnd.messageOffset()));
            writeCheckpoint();
        } finally {
            appendLock.unlock();
        }
    }

    Clock clock() {
        return clock;
    }

    // ---- append -------------------------------------------------------------------------------

    /**
     * Appends batches from a producer: validates each (size, magic v2, CRC32C, {@code
     * max.message.bytes}, keys on compacted topics), assigns offsets from the log end, stamps
     * {@code leaderEpoch}, and writes them. Either every batch is written or none is.
     *
     * @throws CorruptRecordException a batch's size or CRC is wrong
     * @throws InvalidRecordException a batch is not format v2, its offsets are inconsistent, or a
     *     compacted topic gets a record without a key
     * @throws RecordTooLargeException a batch exceeds {@code max.message.bytes}
     * @throws KafkaStorageException the disk failed; nothing was appended
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        LogConfig cfg = config;
        int count = validate(records, cfg, true);
        appendLock.lock();
        try {
            checkOnline();
            long firstOffset = logEnd.messageOffset();
            long next = firstOffset;
            long now = clock.millis();
            boolean logAppendTime = cfg.timestampType() == TimestampType.LOG_APPEND_TIME;
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMaxTimestamp = firstOffset;
            for (MutableRecordBatch batch : records.batches()) {
                long delta = batch.lastOffset() - batch.baseOffset();
                batch.setLastOffset(next + delta);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (logAppendTime) {
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, now);
                }
                if (batch.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMaxTimestamp = batch.lastOffset();
                }
                next = batch.nextOffset();
            }
            if (count == 0) {
                return new LogAppendInfo(firstOffset, firstOffset - 1, maxTimestamp, firstOffset, -1, 0, 0);
            }
            writeWithEpochs(records, firstOffset, next - 1, count);
            return new LogAppendInfo(
                    firstOffset,
                    next - 1,
                    maxTimestamp,
                    offsetOfMaxTimestamp,
                    logAppendTime ? now : -1,
                    count,
                    records.sizeInBytes());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Appends batches copied from the leader, offsets and epochs as they are. The first batch must
     * start at or after the log end.
     */
    public LogAppendInfo appendAsFollower(MemoryRecords records) {
        int count = validate(records, config, false);
        appendLock.lock();
        try {
            checkOnline();
            long end = logEnd.messageOffset();
            long first = -1;
            long last = end - 1;
            long maxTimestamp = RecordBatch.NO_TIMESTAMP;
            long offsetOfMaxTimestamp = end;
            long expected = end;
            for (MutableRecordBatch batch : records.batches()) {
                if (batch.baseOffset() < expected) {
                    throw new InvalidRecordException("batch at offset " + batch.baseOffset()
                            + " does not follow offset " + (expected - 1) + " in " + dir.getName());
                }
                if (first < 0) {
                    first = batch.baseOffset();
                }
                if (batch.maxTimestamp() > maxTimestamp) {
                    maxTimestamp = batch.maxTimestamp();
                    offsetOfMaxTimestamp = batch.lastOffset();
                }
                last = batch.lastOffset();
                expected = batch.nextOffset();
            }
            if (first < 0) {
                return new LogAppendInfo(end, end - 1, maxTimestamp, end, -1, 0, 0);
            }
            writeWithEpochs(records, end, last, count);
            return new LogAppendInfo(first, last, maxTimestamp, offsetOfMaxTimestamp, -1, count, records.sizeInBytes());
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Checks every batch and returns the number of records. Leaders also check that offset deltas
     * match record counts, as a producer's batch always does.
     */
    private int validate(MemoryRecords records, LogConfig cfg, boolean fromProducer) {
        int count = 0;
        int bytes = 0;
        for (MutableRecordBatch batch : records.batches()) {
            if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                throw new InvalidRecordException(
                        "batch has magic " + batch.magic() + "; only the v2 record format is stored");
            }
            if (batch.sizeInBytes() > cfg.maxMessageBytes()) {
                throw new RecordTooLargeException("batch of " + batch.sizeInBytes()
                        + " bytes exceeds max.message.bytes " + cfg.maxMessageBytes());
            }
            batch.ensureValid();
            Integer batchCount = batch.countOrNull();
            int n = batchCount == null ? 0 : batchCount;
            if (fromProducer && (n <= 0 || batch.lastOffset() - batch.baseOffset() != n - 1)) {
                throw new InvalidRecordException("batch declares " + n + " records but offset delta "
                        + (batch.lastOffset() - batch.baseOffset()));
            }
            if (cfg.compact() && !batch.isControlBatch()) {
                for (Record record : batch) {
                    if (!record.hasKey()) {
                        throw new InvalidRecordException(
                                "compacted topic " + dir.getName() + " refuses a record without a key");
                    }
                }
            }
            count += n;
            bytes += batch.sizeInBytes();
        }
        if (bytes != records.sizeInBytes()) {
            throw new CorruptRecordException("records hold " + records.sizeInBytes() + " bytes but their batches "
                    + bytes + "; the last batch is truncated or its size is wrong");
        }
        return count;
    }

    /**
     * Feeds the batches' epochs to the epoch cache, checkpointing it before the batches are
     * written, so that the checkpoint on disk covers every batch that may survive a crash (recovery
     * cuts it back to the log end); then writes. A failed write takes the new epochs back out.
     * Append lock held.
     */
    private void writeWithEpochs(MemoryRecords records, long logEndBefore, long lastOffset, int count) {
        boolean newEpoch = false;
        for (MutableRecordBatch batch : records.batches()) {
            newEpoch |= epochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
        }
        if (newEpoch) {
            writeEpochsQuietly();
        }
        try {
            write(records, lastOffset, count);
        } catch (RuntimeException e) {
            if (newEpoch && epochs.truncateFromEnd(logEndBefore)) {
                writeEpochsQuietly();
            }
            throw e;
        }
    }

    /** Writes validated batches with offsets assigned, ending at {@code lastOffset}. Append lock held. */
    private void write(MemoryRecords records, long lastOffset, int count) {
        LogSegment segment = maybeRoll(records.sizeInBytes(), lastOffset);
        try {
            segment.append(records);
        } catch (IOException e) {
            failureHandler.handle(dir, "append to " + segment + " failed; rolled back", e);
            throw new KafkaStorageException("append to " + dir.getName() + " failed: " + e.getMessage(), e);
        }
        logEnd = new LogOffsetMetadata(lastOffset + 1, segment.baseOffset(), segment.size());
        unflushedRecords += count;
        if (unflushedRecords >= config.flushMessages()) {
            unflushedRecords = 0;
            flush(lastOffset + 1);
        }
    }

    private LogSegment maybeRoll(int batchBytes, long lastOffset) {
        LogSegment active = activeSegment();
        if (active.shouldRoll(config, batchBytes, lastOffset, clock.millis())) {
            return roll();
        }
        return active;
    }

    /**
     * Starts a new active segment at the log end, unless the active one is empty. The old one is
     * flushed in the background: that moves the recovery point, so that recovery after a crash
     * need only check the active segment. Append lock held or taken.
     */
    public LogSegment roll() {
        appendLock.lock();
        try {
            checkOnline();
            LogSegment active = activeSegment();
            long newBase = logEnd.messageOffset();
            if (active.size() == 0 && active.baseOffset() == newBase) {
                return active;
            }
            LogSegment segment;
            try {
                if (LogFiles.logFile(dir, newBase, "").exists()) {
                    throw new IOException("segment file for offset " + newBase + " already exists");
                }
                active.onBecomeInactive();
                segment = LogSegment.open(dir, newBase, config, clock.millis(), "");
            } catch (IOException e) {
                failureHandler.handle(dir, "roll at offset " + newBase + " failed", e);
                throw new KafkaStorageException("roll of " + dir.getName() + " failed: " + e.getMessage(), e);
            }
            segments.put(newBase, segment);
            logEnd = new LogOffsetMetadata(newBase, newBase, 0);
            scheduler.execute(() -> flushQuietly(newBase));
            return segment;
        } finally {
            appendLock.unlock();
        }
    }

    // ---- read ---------------------------------------------------------------------------------

    /**
     * Reads from {@code startOffset}: up to {@code maxBytes} of whole batches (the last may be cut
     * by the limit), as a slice of a segment file for a zero-copy send. With {@code minOneBatch}
     * the first batch is returned whole even when larger than {@code maxBytes}. Thread-safe and
     * lock-free.
     *
     * @throws OffsetOutOfRangeException {@code startOffset} is below the log start or above the log
     *     end
     */
    public FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        checkOnline();
        LogOffsetMetadata end = logEnd;
        long start = logStartOffset;
        if (startOffset > end.messageOffset() || startOffset < start) {
            throw new OffsetOutOfRangeException("offset " + startOffset + " is outside [" + start + ", "
                    + end.messageOffset() + "] in " + dir.getName());
        }
        LogOffsetMetadata max = isolation == FetchIsolation.HIGH_WATERMARK ? highWatermark : end;
        if (startOffset >= max.messageOffset()) {
            return emptyRead(startOffset);
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(startOffset);
        while (entry != null && entry.getKey() <= max.segmentBaseOffset()) {
            LogSegment segment = entry.getValue();
            int maxPosition =
                    segment.baseOffset() == max.segmentBaseOffset() ? max.relativePositionInSegment() : segment.size();
            FetchDataInfo info = segment.read(startOffset, maxBytes, maxPosition, minOneBatch);
            if (info != null) {
                return info;
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return emptyRead(startOffset);
    }

    private FetchDataInfo emptyRead(long offset) {
        return new FetchDataInfo(new LogOffsetMetadata(offset, -1, -1), MemoryRecords.EMPTY);
    }

    /**
     * The first record with a timestamp at or after {@code timestamp}, at or after the log start,
     * or empty when every record is older. Thread-safe.
     */
    public java.util.Optional<TimestampAndOffset> offsetForTimestamp(long timestamp) {
        checkOnline();
        long start = logStartOffset;
        for (LogSegment segment : segments.values()) {
            if (segment.largestTimestamp() < timestamp || segment.size() == 0) {
                continue;
            }
            TimestampAndOffset found = segment.findOffsetByTimestamp(timestamp, start);
            if (found != null) {
                return java.util.Optional.of(found);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The record with the largest timestamp (the first such, if several share it), or empty for an
     * empty log: ListOffsets' {@code MAX_TIMESTAMP}. Thread-safe.
     */
    public java.util.Optional<TimestampAndOffset> largestTimestamp() {
        TimestampAndOffset best = null;
        long start = logStartOffset;
        for (LogSegment segment : segments.values()) {
            long timestamp = segment.maxTimestampSoFar();
            long offset = segment.offsetOfMaxTimestampSoFar();
            if (segment.size() > 0
                    && timestamp >= 0
                    && offset >= start
                    && (best == null || timestamp > best.timestamp())) {
                best = new TimestampAndOffset(timestamp, offset);
            }
        }
        return java.util.Optional.ofNullable(best);
    }

    /**
     * Where {@code offset} lies on disk: the batch holding it, or the log end. Used to bound reads
     * by the high watermark.
     */
    private LogOffsetMetadata offsetMetadata(long offset) {
        LogOffsetMetadata end = logEnd;
        if (offset >= end.messageOffset()) {
            return end;
        }
        Map.Entry<Long, LogSegment> entry = segments.floorEntry(offset);
        while (entry != null) {
            LogSegment segment = entry.getValue();
            LogSegment.BatchPosition position = segment.translateOffset(offset, segment.size());
            if (position != null) {
                return new LogOffsetMetadata(offset, segment.baseOffset(), position.position());
            }
            entry = segments.higherEntry(entry.getKey());
        }
        return end;
    }

    /**
     * Sets the high watermark, kept within {@code [logStartOffset, logEndOffset]}. Called by the
     * replication layer; tests and single-replica partitions set it to the log end.
     */
    public void updateHighWatermark(long offset) {
        long clamped = Math.max(logStartOffset, Math.min(offset, logEnd.messageOffset()));
        highWatermark = offsetMetadata(clamped);
    }

    // ---- truncation, retention, deletion ------------------------------------------------------

    /**
     * Removes every batch at or after {@code offset}; a batch that straddles it goes whole, so the
     * new log end is {@code offset} or the start of that batch. The log start offset and the high
     * watermark move down to the new end if they were above it. Used by followers whose log
     * diverged from the leader's. Returns whether anything was removed.
     */
    public boolean truncateTo(long offset) {
        appendLock.lock();
        try {
            checkOnline();
            if (offset >= logEnd.messageOffset()) {
                return false;
            }
            if (offset <= segments.firstKey()) {
                truncateFullyAndStartAt(Math.max(offset, 0));
                return true;
            }
            for (LogSegment segment :
                    List.copyOf(segments.tailMap(offset, false).values())) {
                removeAndDeleteLater(segment);
            }
            LogSegment last = activeSegment();
            LogSegment.BatchPosition straddling = last.translateOffset(offset, last.size());
            long newEnd = straddling == null ? offset : Math.min(offset, straddling.baseOffset());
            try {
                last.truncateTo(offset);
            } catch (IOException e) {
                offline = true;
                failureHandler.handle(dir, "truncation to " + offset + " failed", e);
                throw new KafkaStorageException("truncation of " + dir.getName() + " failed", e);
            }
            logEnd = new LogOffsetMetadata(newEnd, last.baseOffset(), last.size());
            // Truncating below the log start (possible after DeleteRecords moved it inside the
            // first segment) takes the log start down too, as in Kafka: it may not pass the end.
            logStartOffset = Math.min(logStartOffset, newEnd);
            afterEndMovedBack(newEnd);
            return true;
        } finally {
            appendLock.unlock();
        }
    }

    /** Deletes every segment and starts empty at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        appendLock.lock();
        try {
            for (LogSegment segment : List.copyOf(segments.values())) {
                removeAndDeleteLater(segment);
            }
            LogSegment segment;
            try {
                segment = LogSegment.open(dir, offset, config, clock.millis(), "");
            } catch (IOException e) {
                offline = true;
                failureHandler.handle(dir, "new segment at " + offset + " failed", e);
                throw new KafkaStorageException("truncation of " + dir.getName() + " failed", e);
            }
            segments.put(offset, segment);
            logEnd = new LogOffsetMetadata(offset, offset, 0);
            logStartOffset = offset;
            if (epochs.clear()) {
                writeEpochsQuietly();
            }
            afterEndMovedBack(offset);
        } finally {
            appendLock.unlock();
        }
    }

    private void afterEndMovedBack(long newEnd) {
        recoveryPoint = Math.min(recoveryPoint, newEnd);
        cleanerOffset = Math.min(cleanerOffset, newEnd);
        highWatermark = offsetMetadata(Math.min(highWatermark.messageOffset(), newEnd));
        if (epochs.truncateFromEnd(newEnd)) {
            writeEpochsQuietly();
        }
        writeCheckpointQuietly();
    }

    /** The log start moved forward: the epoch cache starts there too. Append lock held. */
    private void afterStartMovedForward() {
        if (epochs.truncateFromStart(logStartOffset)) {
            writeEpochsQuietly();
        }
    }

    private void writeEpochsQuietly() {
        try {
            epochs.write();
        } catch (IOException e) {
            failureHandler.handle(dir, "leader epoch checkpoint write failed", e);
        }
    }

    /**
     * Applies retention: deletes the oldest segments while they are older than {@code
     * retention.ms} (by their newest record), while the log is above {@code retention.bytes}, or
     * while they lie wholly below the log start offset; then moves the log start offset to the
     * first remaining segment. Time and size retention apply only with {@code cleanup.policy}
     * {@code delete} and only to segments wholly below the high watermark, so that retention never
     * removes records consumers have not been allowed to see. Returns the number deleted.
     */
    public int deleteOldSegments() {
        appendLock.lock();
        try {
            if (offline) {
                return 0;
            }
            LogConfig cfg = config;
            long now = clock.millis();
            long hw = highWatermark.messageOffset();
            long excessBytes = cfg.delete() && cfg.retentionBytes() >= 0 ? size() - cfg.retentionBytes() : 0;
            List<LogSegment> doomed = new ArrayList<>();
            for (Map.Entry<Long, LogSegment> entry : segments.entrySet()) {
                LogSegment segment = entry.getValue();
                Long nextBase = segments.higherKey(entry.getKey());
                long upperBound = nextBase != null ? nextBase : logEnd.messageOffset();
                boolean belowStart = nextBase != null && nextBase <= logStartOffset;
                boolean expired =
                        cfg.delete() && cfg.retentionMs() >= 0 && now - segment.largestTimestamp() > cfg.retentionMs();
                boolean oversized = excessBytes - segment.size() >= 0;
                boolean visible = upperBound <= hw && segment.size() > 0;
                if (belowStart || (visible && (expired || oversized))) {
                    doomed.add(segment);
                    excessBytes -= segment.size();
                } else {
                    break;
                }
            }
            if (doomed.isEmpty()) {
                return 0;
            }
            if (doomed.size() == segments.size()) {
                // Every segment goes, the active one too: start a new one at the end first.
                roll();
            }
            for (LogSegment segment : doomed) {
                removeAndDeleteLater(segment);
            }
            logStartOffset = Math.max(logStartOffset, segments.firstKey());
            cleanerOffset = Math.max(cleanerOffset, logStartOffset);
            if (highWatermark.messageOffset() < logStartOffset) {
                highWatermark = offsetMetadata(logStartOffset);
            }
            afterStartMovedForward();
            writeCheckpointQuietly();
            LOG.info(
                    "Deleted {} segments of {}; log start offset now {}", doomed.size(), dir.getName(), logStartOffset);
            return doomed.size();
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Moves the log start offset to {@code offset} (the DeleteRecords API) and deletes the
     * segments wholly below it. Returns the new log start offset.
     *
     * @throws OffsetOutOfRangeException {@code offset} is above the high watermark
     */
    public long deleteRecordsBefore(long offset) {
        appendLock.lock();
        try {
            checkOnline();
            if (offset > highWatermark.messageOffset()) {
                throw new OffsetOutOfRangeException("cannot delete records before " + offset
                        + ": it is above the high watermark " + highWatermark.messageOffset());
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                afterStartMovedForward();
                writeCheckpointQuietly();
                deleteOldSegments();
            }
            return logStartOffset;
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Replaces {@code old} (consecutive segments, oldest first) with {@code cleaned}, a segment
     * written with the {@code .cleaned} suffix at the first one's base offset. Crash-safe through
     * {@link SegmentSwap}. Returns false, and deletes {@code cleaned}, when the log changed since
     * the cleaner chose {@code old}.
     */
    boolean replaceSegments(List<LogSegment> old, LogSegment cleaned) throws IOException {
        appendLock.lock();
        try {
            boolean unchanged = !offline && !old.isEmpty();
            for (LogSegment segment : old) {
                unchanged &= segments.get(segment.baseOffset()) == segment && segment != activeSegment();
            }
            if (!unchanged) {
                cleaned.deleteIfExists();
                return false;
            }
            cleaned.onBecomeInactive();
            cleaned.flush();
            List<Long> oldBases = old.stream().map(LogSegment::baseOffset).toList();
            SegmentSwap.commit(dir, cleaned.baseOffset(), oldBases);
            for (LogSegment segment : old) {
                segment.changeFileSuffixes("", LogFiles.DELETED);
            }
            cleaned.changeFileSuffixes(LogFiles.CLEANED, "");
            // Put the new segment in before removing the others, so that a concurrent read never
            // finds a hole where the replaced offsets were.
            segments.put(cleaned.baseOffset(), cleaned);
            for (LogSegment segment : old) {
                if (segment.baseOffset() != cleaned.baseOffset()) {
                    segments.remove(segment.baseOffset());
                }
                deleteLater(segment);
            }
            SegmentSwap.clear(dir);
            return true;
        } finally {
            appendLock.unlock();
        }
    }

    private void removeAndDeleteLater(LogSegment segment) {
        segments.remove(segment.baseOffset());
        try {
            segment.changeFileSuffixes("", LogFiles.DELETED);
        } catch (IOException e) {
            failureHandler.handle(dir, "renaming " + segment + " for deletion failed", e);
        }
        deleteLater(segment);
    }

    private void deleteLater(LogSegment segment) {
        Runnable delete = () -> {
            try {
                segment.deleteIfExists();
            } catch (IOException e) {
                failureHandler.handle(dir, "deleting " + segment + " failed", e);
            }
        };
        long delay = config.fileDeleteDelayMs();
        try {
            scheduler.schedule(delete, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Shutting down: the .deleted files are removed when the log is next opened.
            LOG.debug("Not deleting {} now: scheduler stopped", segment);
        }
    }

    // ---- flush, checkpoint, close -------------------------------------------------------------

    /** Where each flush reports its duration in nanoseconds (the broker's log flush metric). */
    public void setFlushTimer(LongConsumer timer) {
        this.flushTimer = timer;
    }

    /** Fsyncs every segment holding offsets below {@code offset} and moves the recovery point. */
    public void flush(long offset) {
        synchronized (flushLock) {
            long from = recoveryPoint;
            if (offset <= from) {
                return;
            }
            long started = System.nanoTime();
            Long firstKey = segments.floorKey(from);
            ConcurrentNavigableMap<Long, LogSegment> toFlush =
                    segments.subMap(firstKey == null ? Long.MIN_VALUE : firstKey, true, offset, false);
            for (LogSegment segment : toFlush.values()) {
                try {
                    segment.flush();
                } catch (ClosedChannelException e) {
                    // Deleted by retention or truncation while we flushed: nothing to keep.
                } catch (IOException e) {
                    failureHandler.handle(dir, "flush of " + segment + " failed", e);
                    throw new KafkaStorageException("flush of " + dir.getName() + " failed", e);
                }
            }
            if (from < firstNewSegmentFlushed(offset)) {
                syncDirQuietly();
            }
            recoveryPoint = Math.max(recoveryPoint, Math.min(offset, logEnd.messageOffset()));
            lastFlushMs = clock.millis();
            flushTimer.accept(System.nanoTime() - started);
        }
    }

    /** Flushes everything. */
    public void flush() {
        flush(logEnd.messageOffset());
    }

    /** The {@code flush.ms} policy: flushes when that long has passed since the last flush. */
    public void flushIfDue() {
        if (clock.millis() - lastFlushMs >= config.flushMs() && recoveryPoint < logEnd.messageOffset()) {
            flushQuietly(logEnd.messageOffset());
        }
    }

    private void flushQuietly(long offset) {
        try {
            flush(offset);
        } catch (KafkaStorageException e) {
            LOG.warn("Background flush of {} failed: {}", dir.getName(), e.getMessage());
        }
    }

    /**
     * The base offset of the newest segment among those a flush up to {@code offset} covers: when
     * the recovery point is below it, that segment's files are new since the last flush and the
     * directory entry must be synced too.
     */
    private long firstNewSegmentFlushed(long offset) {
        Long base = segments.lowerKey(offset);
        return base == null ? Long.MIN_VALUE : base;
    }

    private void syncDirQuietly() {
        try {
            LogFiles.fsyncDir(dir);
        } catch (IOException e) {
            failureHandler.handle(dir, "fsync of the directory failed", e);
            throw new KafkaStorageException("flush of " + dir.getName() + " failed", e);
        }
    }

    /**
     * Writes the {@link PartitionCheckpoint} if anything in it changed since the last write. Called
     * periodically by the {@link LogManager}; see the checkpoint's javadoc for when else it is
     * written.
     */
    public void checkpoint() {
        writeCheckpointQuietly();
    }

    private void writeCheckpoint() throws IOException {
        synchronized (checkpointLock) {
            PartitionCheckpoint current = new PartitionCheckpoint(
                    logStartOffset, recoveryPoint, highWatermark.messageOffset(), cleanerOffset);
            if (!current.equals(lastCheckpoint)) {
                current.write(dir);
                lastCheckpoint = current;
            }
        }
    }

    private void writeCheckpointQuietly() {
        try {
            writeCheckpoint();
        } catch (IOException e) {
            failureHandler.handle(dir, "checkpoint write failed", e);
        }
    }

    private void checkOnline() {
        if (offline) {
            throw new KafkaStorageException("log " + dir.getName() + " is offline after a disk error");
        }
    }

    /**
     * Flushes, closes the segments (trimming their indexes), writes the checkpoint and the clean
     * shutdown marker, so that the next open skips recovery.
     */
    @Override
    public void close() throws IOException {
        appendLock.lock();
        try {
            if (!offline) {
                flush();
            }
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
            if (!offline) {
                writeCheckpoint();
                Files.createFile(new File(dir, CLEAN_SHUTDOWN_MARKER).toPath());
            }
            offline = true;
        } finally {
            appendLock.unlock();
        }
    }

    /** Closes and deletes the whole partition directory. */
    public void delete() throws IOException {
        appendLock.lock();
        try {
            offline = true;
            for (LogSegment segment : segments.values()) {
                segment.deleteIfExists();
            }
            segments.clear();
            try (var paths = Files.walk(dir.toPath())) {
                for (var p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } finally {
            appendLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + dir.getName() + ", start=" + logStartOffset + ", end=" + logEndOffset() + ", hw="
                + highWatermark() + ")";
    }
}
