package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.Records;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log compaction for partitions with {@code cleanup.policy} {@code compact} or {@code
 * compact,delete}: keeps the latest record of each key and, after {@code delete.retention.ms},
 * drops tombstones (records with a null value).
 *
 * <p>What is cleaned. The <em>cleanable</em> segments are the longest run of segments from the
 * log start that are not the active segment, lie wholly below the high watermark (the next
 * segment starts at or below it) and, with {@code min.compaction.lag.ms} above 0, whose newest
 * record is at least that old. Compaction works on whole segments only, so the active segment and
 * every record at or above the high watermark stay byte for byte as they are. The log's cleaner
 * offset (in {@link PartitionCheckpoint}) is the first offset not yet compacted; the cleanable
 * segments wholly below it are <em>clean</em>, the rest <em>dirty</em>.
 *
 * <p>When. A log is compacted when its dirty ratio, {@code dirty bytes / (clean + dirty bytes)}
 * over the cleanable segments, is at least {@code min.cleanable.dirty.ratio} and there are dirty
 * bytes; or when a tombstone kept by an earlier pass has passed its delete horizon (below). The
 * background thread compacts the eligible log with the highest dirty ratio first.
 *
 * <p>How, per pass:
 *
 * <ol>
 *   <li>With {@code compact,delete}, retention runs first ({@link PartitionLog#deleteOldSegments}),
 *       so that segments about to go are not compacted.
 *   <li>The dirty records' keys go into a {@link CleanerOffsetMap}, key to latest offset. When the
 *       map fills up, only the batches mapped so far count as dirty in this pass (a prefix of the
 *       dirty part); the next pass goes on from there.
 *   <li>Every cleanable segment below the end of the mapped prefix is rewritten, in groups of
 *       consecutive segments that together hold at most {@code segment.bytes}, whose offsets fit
 *       an index entry (relative offsets are ints), and whose index entries fit {@code
 *       segment.index.bytes}. Each group becomes one segment with the group's first base offset,
 *       written as {@code .cleaned} files ({@link LogFiles}) through {@link
 *       MemoryRecords#filterTo}, which keeps every retained batch at its original offsets (a
 *       batch's last offset is kept even when its last record goes, so producer sequence
 *       numbers still line up). A record is dropped when a later record has its key, when it
 *       has no key (a compacted topic refuses those; older ones may predate the policy, and Kafka
 *       drops them too), or when it is a tombstone past its delete horizon. Control batches
 *       are kept.
 *   <li>Each group is swapped in by {@link PartitionLog#replaceSegments}, crash-safe through the
 *       {@link SegmentSwap} journal. If the log changed under the cleaner (retention, truncation)
 *       the pass stops and the cleaner offset stays.
 *   <li>The cleaner offset moves to the end of the mapped prefix.
 * </ol>
 *
 * <p>Tombstones use Kafka's delete horizon (KIP-534). The first pass that keeps a tombstone
 * stamps its batch with {@code deleteHorizonMs = now + delete.retention.ms} ({@code filterTo}
 * does that for any batch it keeps that holds a tombstone and has no horizon yet); a later pass
 * drops the tombstone once {@code now >= deleteHorizonMs}. So a tombstone stays readable for at
 * least {@code delete.retention.ms} after it was first compacted, however old the producer's
 * timestamp, which is the window a consumer has to finish reading the log from the start and see
 * the delete. "Now" is the log's injected clock. The cleaner remembers, per registered log and in
 * memory, the earliest horizon of the tombstones it kept, and compacts the log again once that
 * time has come even if nothing new is dirty; after a restart such tombstones go at the next pass
 * the dirty ratio triggers.
 *
 * <p>Not handled: aborted transactional records are compacted like committed ones (the log keeps
 * no transaction index yet), and empty batches are not kept for idempotent producers' state.
 *
 * <p>Threading: {@link #register}, {@link #unregister}, {@link #start}, {@link #close} and {@link
 * #cleanOnce} are thread-safe. One log is compacted at a time (a cleaning lock guards the offset
 * map and the I/O buffers); the background thread and direct {@link #cleanOnce} calls take turns.
 * The cleaner reads segments through their {@link java.nio.channels.FileChannel}s, which an
 * interrupt closes for every reader, so the cleaner thread is never interrupted: {@link #close}
 * asks it to stop, and it stops between two batches. For the same reason a thread calling
 * {@link #cleanOnce} must not be interrupted during the call.
 */
public final class LogCleaner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** About 32 MiB of offset map (see {@link CleanerOffsetMap}). */
    public static final int DEFAULT_OFFSET_MAP_CAPACITY = 1 << 20;

    /** Kafka's {@code log.cleaner.backoff.ms}: the pause when no log needs compacting. */
    public static final long DEFAULT_BACKOFF_MS = 15_000;

    /**
     * Initial size of each of the read and write buffers. They grow to fit the largest batch seen
     * and shrink back after the pass, so a rare large batch does not pin memory.
     */
    private static final int IO_BUFFER_BYTES = 128 * 1024;

    /** The life of the background thread. */
    public enum State {
        CREATED,
        RUNNING,
        STOPPING,
        STOPPED
    }

    /** What a {@link #cleanOnce} call did. */
    public enum Outcome {
        /** Compacted and moved the cleaner offset. */
        CLEANED,
        /** The log's {@code cleanup.policy} does not include {@code compact}. */
        NOT_COMPACTED,
        /** The log is offline after a disk error. */
        OFFLINE,
        /** Below {@code min.cleanable.dirty.ratio} and no tombstone due: nothing done. */
        NOT_DIRTY_ENOUGH,
        /** Retention or truncation changed the segments during the pass; try again later. */
        LOG_CHANGED,
        /** The cleaner is closing, or the log was unregistered, during the pass. */
        ABORTED
    }

    /**
     * The result of one pass.
     *
     * @param firstDirtyOffset the cleaner offset before the pass
     * @param cleanerOffset the cleaner offset after it
     * @param segmentsRewritten segments replaced
     * @param segmentsWritten segments that replaced them
     * @param bytesRead size of the replaced segments
     * @param bytesWritten size of the new ones
     * @param recordsRead records in the replaced segments
     * @param recordsRetained records in the new ones
     */
    public record CleanResult(
            Outcome outcome,
            long firstDirtyOffset,
            long cleanerOffset,
            int segmentsRewritten,
            int segmentsWritten,
            long bytesRead,
            long bytesWritten,
            long recordsRead,
            long recordsRetained) {

        static CleanResult skipped(Outcome outcome, long cleanerOffset) {
            return new CleanResult(outcome, cleanerOffset, cleanerOffset, 0, 0, 0, 0, 0, 0);
        }
    }

    private final long backoffMs;
    private final Set<PartitionLog> logs = ConcurrentHashMap.newKeySet();
    /** Logs whose last pass failed; skipped by the background thread until registered again. */
    private final Set<PartitionLog> uncleanable = ConcurrentHashMap.newKeySet();
    /** Logs being unregistered: a pass over one stops at the next batch. */
    private final Set<PartitionLog> aborting = ConcurrentHashMap.newKeySet();
    /** Per log, the earliest delete horizon of a tombstone the last pass kept. */
    private final Map<PartitionLog, Long> tombstoneHorizons = new ConcurrentHashMap<>();

    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition wakeUp = stateLock.newCondition();
    private volatile State state = State.CREATED;
    private Thread thread;

    /** Held during a pass; guards everything below. */
    private final ReentrantLock cleaningLock = new ReentrantLock();

    private final CleanerOffsetMap offsetMap;
    private final BufferSupplier decompressionBuffers = BufferSupplier.create();
    private ByteBuffer readBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
    private ByteBuffer writeBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);

    /**
     * @param offsetMapCapacity the most distinct keys one pass maps; memory is about 32 bytes per
     *     key, allocated now
     * @param backoffMs how long the background thread waits when no log needs compacting
     */
    public LogCleaner(int offsetMapCapacity, long backoffMs) {
        if (backoffMs < 1) {
            throw new IllegalArgumentException("backoff must be at least 1 ms, not " + backoffMs);
        }
        this.offsetMap = new CleanerOffsetMap(offsetMapCapacity);
        this.backoffMs = backoffMs;
    }

    public LogCleaner() {
        this(DEFAULT_OFFSET_MAP_CAPACITY, DEFAULT_BACKOFF_MS);
    }

    // ---- registration and life cycle ----------------------------------------------------------

    /** Lets the background thread compact {@code log} whenever its config says so. */
    public void register(PartitionLog log) {
        uncleanable.remove(log);
        logs.add(log);
        signal();
    }

    /**
     * Stops compacting {@code log}: aborts a pass over it, and waits for the pass in progress (over
     * this log or another) to stop, so that the caller may then close or delete the log.
     */
    public void unregister(PartitionLog log) {
        logs.remove(log);
        aborting.add(log);
        try {
            cleaningLock.lock();
            cleaningLock.unlock();
        } finally {
            aborting.remove(log);
            uncleanable.remove(log);
            tombstoneHorizons.remove(log);
        }
    }

    public State state() {
        return state;
    }

    /** Starts the background thread (a daemon). */
    public void start() {
        stateLock.lock();
        try {
            if (state != State.CREATED) {
                throw new IllegalStateException("log cleaner cannot start: it is " + state);
            }
            thread = new Thread(this::run, "brook-log-cleaner");
            thread.setDaemon(true);
            state = State.RUNNING;
            thread.start();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Stops the background thread and waits for it, and for any {@link #cleanOnce} in progress,
     * to finish: a pass stops at its next batch and leaves the log as it was. When this returns,
     * the cleaner no longer touches any log. An interrupt while waiting does not cut the wait
     * short; it is kept for the caller.
     */
    @Override
    public void close() {
        Thread running;
        stateLock.lock();
        try {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPING;
            wakeUp.signalAll();
            running = thread;
        } finally {
            stateLock.unlock();
        }
        if (running != null && running != Thread.currentThread()) {
            joinUninterruptibly(running);
        }
        cleaningLock.lock();
        try {
            decompressionBuffers.close();
            state = State.STOPPED;
        } finally {
            cleaningLock.unlock();
        }
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (t.isAlive()) {
            try {
                t.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void signal() {
        stateLock.lock();
        try {
            wakeUp.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    private void run() {
        LOG.info("Log cleaner started");
        while (state == State.RUNNING) {
            if (!cleanFilthiest()) {
                awaitWork();
            }
        }
        LOG.info("Log cleaner stopped");
    }

    private void awaitWork() {
        stateLock.lock();
        try {
            if (state == State.RUNNING) {
                wakeUp.await(backoffMs, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            // close() never interrupts; an interrupt from elsewhere would close segment channels
            // on the next read, so take it as a request to stop.
            LOG.warn("Log cleaner thread interrupted; stopping");
            state = State.STOPPING;
            Thread.currentThread().interrupt();
        } finally {
            stateLock.unlock();
        }
    }

    /**
     * Applies retention to {@code compact,delete} logs, then compacts the {@link #filthiestLog()}.
     * Returns whether a log was compacted. Background thread only.
     */
    private boolean cleanFilthiest() {
        for (PartitionLog log : logs) {
            LogConfig cfg = log.config();
            if (cfg.compact() && cfg.delete() && !log.isOffline()) {
                try {
                    log.deleteOldSegments();
                } catch (RuntimeException e) {
                    LOG.warn("Retention of {} failed: {}", log.dir().getName(), e.toString());
                }
            }
        }
        PartitionLog filthiest = filthiestLog();
        if (filthiest == null || state != State.RUNNING) {
            return false;
        }
        try {
            return cleanIfRegistered(filthiest);
        } catch (IOException | RuntimeException e) {
            uncleanable.add(filthiest);
            LOG.error(
                    "Compaction of {} failed; not compacting it again until it is registered again",
                    filthiest.dir().getName(),
                    e);
            return false;
        }
    }

    /**
     * The registered log to compact next: of those due (see the class comment), the one with the
     * highest dirty ratio; null when none is due.
     */
    PartitionLog filthiestLog() {
        PartitionLog filthiest = null;
        double highest = -1;
        for (PartitionLog log : logs) {
            LogConfig cfg = log.config();
            if (!cfg.compact() || log.isOffline() || uncleanable.contains(log)) {
                continue;
            }
            try {
                long now = log.clock().millis();
                Plan plan = Plan.of(log, cfg, now);
                if (isDue(log, plan, cfg, now) && plan.dirtyRatio() > highest) {
                    highest = plan.dirtyRatio();
                    filthiest = log;
                }
            } catch (RuntimeException e) {
                LOG.warn("Could not assess {} for compaction: {}", log.dir().getName(), e.toString());
            }
        }
        return filthiest;
    }

    /**
     * Compacts {@code log} unless it was unregistered since the background thread chose it:
     * checked under the cleaning lock, which {@link #unregister} waits for.
     */
    private boolean cleanIfRegistered(PartitionLog log) throws IOException {
        cleaningLock.lock();
        try {
            return logs.contains(log) && cleanOnce(log).outcome() == Outcome.CLEANED;
        } finally {
            cleaningLock.unlock();
        }
    }

    // ---- one pass -----------------------------------------------------------------------------

    /**
     * Compacts {@code log} once if it is due (see the class comment), whether registered or not.
     * Waits while another pass runs. Returns {@link Outcome#ABORTED} once the cleaner is closing.
     *
     * @throws IOException reading or writing segment files failed; the log is as it was, or, if
     *     the swap itself failed, is put right by {@link SegmentSwap} when next opened
     * @throws IllegalStateException the offset map cannot hold the keys of even one batch
     */
    public CleanResult cleanOnce(PartitionLog log) throws IOException {
        cleaningLock.lock();
        try {
            if (state == State.STOPPING || state == State.STOPPED) {
                return CleanResult.skipped(Outcome.ABORTED, log.cleanerOffset());
            }
            LogConfig cfg = log.config();
            if (!cfg.compact()) {
                return CleanResult.skipped(Outcome.NOT_COMPACTED, log.cleanerOffset());
            }
            if (log.isOffline()) {
                return CleanResult.skipped(Outcome.OFFLINE, log.cleanerOffset());
            }
            if (cfg.delete()) {
                log.deleteOldSegments();
            }
            long now = log.clock().millis();
            Plan plan = Plan.of(log, cfg, now);
            if (!isDue(log, plan, cfg, now)) {
                return CleanResult.skipped(Outcome.NOT_DIRTY_ENOUGH, plan.firstDirty());
            }
            try {
                return compact(log, cfg, plan, now);
            } catch (CleaningAbortedException e) {
                LOG.info("Compaction of {} aborted", log.dir().getName());
                return CleanResult.skipped(Outcome.ABORTED, plan.firstDirty());
            } finally {
                offsetMap.clear();
                if (readBuffer.capacity() > IO_BUFFER_BYTES) {
                    readBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
                }
                if (writeBuffer.capacity() > IO_BUFFER_BYTES) {
                    writeBuffer = ByteBuffer.allocate(IO_BUFFER_BYTES);
                }
            }
        } finally {
            cleaningLock.unlock();
        }
    }

    private boolean isDue(PartitionLog log, Plan plan, LogConfig cfg, long now) {
        boolean dirtyEnough = plan.dirtyBytes() > 0 && plan.dirtyRatio() >= cfg.minCleanableDirtyRatio();
        Long horizon = tombstoneHorizons.get(log);
        boolean tombstonesDue =
                horizon != null && horizon <= now && !plan.spans().isEmpty();
        return dirtyEnough || tombstonesDue;
    }

    private CleanResult compact(PartitionLog log, LogConfig cfg, Plan plan, long now) throws IOException {
        long mappedUpTo = Math.max(plan.firstDirty(), buildOffsetMap(log, plan));
        List<Span> toRewrite = new ArrayList<>();
        for (Span span : plan.spans()) {
            if (span.segment().baseOffset() < mappedUpTo) {
                toRewrite.add(span);
            }
        }
        // A horizon past Long.MAX_VALUE would wrap negative and drop tombstones at once.
        long deleteRetentionMs = Math.min(cfg.deleteRetentionMs(), Long.MAX_VALUE - Math.max(0, now));
        CompactionFilter filter = new CompactionFilter(now, deleteRetentionMs, offsetMap);
        int rewritten = 0;
        int written = 0;
        long bytesRead = 0;
        long bytesWritten = 0;
        for (List<Span> group : group(toRewrite, cfg)) {
            LogSegment cleaned = cleanGroup(log, group, cfg, filter, now);
            List<LogSegment> old = group.stream().map(Span::segment).toList();
            long oldBytes = old.stream().mapToLong(LogSegment::size).sum();
            int newBytes = cleaned.size();
            if (!log.replaceSegments(old, cleaned)) {
                if (filter.earliestHorizon != Long.MAX_VALUE) {
                    tombstoneHorizons.merge(log, filter.earliestHorizon, Math::min);
                }
                LOG.info(
                        "Compaction of {} stopped: its segments changed during the pass",
                        log.dir().getName());
                return new CleanResult(
                        Outcome.LOG_CHANGED,
                        plan.firstDirty(),
                        log.cleanerOffset(),
                        rewritten,
                        written,
                        bytesRead,
                        bytesWritten,
                        filter.recordsRead,
                        filter.recordsRetained);
            }
            rewritten += old.size();
            written++;
            bytesRead += oldBytes;
            bytesWritten += newBytes;
        }
        log.updateCleanerOffset(mappedUpTo);
        if (filter.earliestHorizon == Long.MAX_VALUE) {
            tombstoneHorizons.remove(log);
        } else {
            tombstoneHorizons.put(log, filter.earliestHorizon);
        }
        LOG.info(
                "Compacted {} up to offset {}: {} segments of {} bytes into {} of {} bytes, {} of {} records kept,"
                        + " {} tombstones dropped",
                log.dir().getName(),
                mappedUpTo,
                rewritten,
                bytesRead,
                written,
                bytesWritten,
                filter.recordsRetained,
                filter.recordsRead,
                filter.tombstonesDropped);
        return new CleanResult(
                Outcome.CLEANED,
                plan.firstDirty(),
                log.cleanerOffset(),
                rewritten,
                written,
                bytesRead,
                bytesWritten,
                filter.recordsRead,
                filter.recordsRetained);
    }

    /**
     * Maps the keys of the dirty records to their latest offsets, batch by batch, until the map
     * cannot take the next batch's new keys. Returns the offset after the last batch mapped: the
     * end of the dirty part when everything fitted.
     */
    private long buildOffsetMap(PartitionLog log, Plan plan) {
        long firstDirty = plan.firstDirty();
        long next = firstDirty;
        for (Span span : plan.spans()) {
            if (span.endOffset() <= firstDirty) {
                continue;
            }
            LogSegment segment = span.segment();
            int from = segment.offsetIndex().lookup(firstDirty).position();
            for (FileChannelRecordBatch batch : segment.records().batchesFrom(from)) {
                checkNotAborted(log);
                if (batch.lastOffset() < firstDirty) {
                    continue;
                }
                if (!batch.isControlBatch()) {
                    Integer count = batch.countOrNull();
                    // Counting the batch's new keys hashes every key twice; do it only when the
                    // record count alone does not settle whether the batch fits.
                    if (count != null && count > offsetMap.remaining() && newKeys(batch) > offsetMap.remaining()) {
                        if (next == firstDirty) {
                            throw new IllegalStateException("the offset map of " + offsetMap.capacity()
                                    + " keys cannot hold the " + count + " records of the batch at offset "
                                    + batch.baseOffset() + " in " + log.dir().getName());
                        }
                        return next;
                    }
                    for (Record record : batch) {
                        if (record.offset() >= firstDirty && record.hasKey()) {
                            offsetMap.put(record.key(), record.offset());
                        }
                    }
                }
                next = batch.nextOffset();
            }
        }
        return plan.upperBound();
    }

    /** How many of the batch's records have a key not yet in the map (a key twice counts twice). */
    private int newKeys(RecordBatch batch) {
        int n = 0;
        for (Record record : batch) {
            if (record.hasKey() && offsetMap.get(record.key()) < 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Splits consecutive segments into groups that each fit one segment: at most {@code
     * segment.bytes}, offsets within an int of the group's base, and index entries within {@code
     * segment.index.bytes}. A segment too large on its own still forms a group of one.
     */
    private static List<List<Span>> group(List<Span> spans, LogConfig cfg) {
        int maxOffsetEntries = cfg.segmentIndexBytes() / OffsetIndex.ENTRY_SIZE;
        int maxTimeEntries = cfg.segmentIndexBytes() / TimeIndex.ENTRY_SIZE;
        List<List<Span>> groups = new ArrayList<>();
        List<Span> current = new ArrayList<>();
        long bytes = 0;
        long offsetEntries = 0;
        long timeEntries = 0;
        for (Span span : spans) {
            LogSegment segment = span.segment();
            if (!current.isEmpty()) {
                long base = current.get(0).segment().baseOffset();
                // Each original counts its index interval from its own start, so the merged
                // segment may need one entry more per original than the originals had together.
                long slack = current.size() + 1;
                boolean fits = bytes + segment.size() <= cfg.segmentBytes()
                        && span.endOffset() - 1 - base <= Integer.MAX_VALUE
                        && offsetEntries + segment.offsetIndex().entries() + slack <= maxOffsetEntries
                        && timeEntries + segment.timeIndex().entries() + slack <= maxTimeEntries;
                if (!fits) {
                    groups.add(current);
                    current = new ArrayList<>();
                    bytes = 0;
                    offsetEntries = 0;
                    timeEntries = 0;
                }
            }
            current.add(span);
            bytes += segment.size();
            offsetEntries += segment.offsetIndex().entries();
            timeEntries += segment.timeIndex().entries();
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Writes the records of {@code group} that the filter keeps into a new {@code .cleaned} segment. */
    private LogSegment cleanGroup(PartitionLog log, List<Span> group, LogConfig cfg, CompactionFilter filter, long now)
            throws IOException {
        File dir = log.dir();
        long base = group.get(0).segment().baseOffset();
        // Left by a pass that failed before its swap; opening would append to it.
        Files.deleteIfExists(LogFiles.logFile(dir, base, LogFiles.CLEANED).toPath());
        Files.deleteIfExists(
                LogFiles.offsetIndexFile(dir, base, LogFiles.CLEANED).toPath());
        Files.deleteIfExists(LogFiles.timeIndexFile(dir, base, LogFiles.CLEANED).toPath());
        LogSegment cleaned = LogSegment.open(dir, base, cfg, now, LogFiles.CLEANED);
        try {
            long newest = 0;
            for (Span span : group) {
                cleanInto(log, span.segment(), cleaned, filter);
                newest = Math.max(newest, span.segment().largestTimestamp());
            }
            // A segment emptied by compaction has no timestamps; retention then goes by the file's
            // modification time, which should say when its records were written, not cleaned.
            if (cleaned.size() == 0 && newest > 0 && !cleaned.file().setLastModified(newest)) {
                LOG.debug("Could not set the modification time of {}", cleaned.file());
            }
            return cleaned;
        } catch (IOException | RuntimeException e) {
            cleaned.deleteIfExists();
            throw e;
        }
    }

    /** Filters {@code source} into {@code cleaned}, a buffer of whole batches at a time. */
    private void cleanInto(PartitionLog log, LogSegment source, LogSegment cleaned, CompactionFilter filter)
            throws IOException {
        FileRecords records = source.records();
        int size = records.sizeInBytes();
        int position = 0;
        while (position < size) {
            checkNotAborted(log);
            readBuffer.clear();
            readBuffer.limit(Math.min(readBuffer.capacity(), size - position));
            records.readInto(readBuffer, position);
            MemoryRecords chunk = MemoryRecords.readableRecords(readBuffer);
            writeBuffer.clear();
            MemoryRecords.FilterResult result =
                    chunk.filterTo(filter, writeBuffer, decompressionBuffers, Records.SOFT_MAX_ARRAY_LENGTH);
            if (result.bytesRead() == 0) {
                growBuffers(chunk, size - position, source);
                continue;
            }
            position += result.bytesRead();
            filter.recordsRead += result.messagesRead();
            filter.recordsRetained += result.messagesRetained();
            ByteBuffer out = result.outputBuffer();
            // filterTo allocates a larger buffer when a rewritten batch does not fit ours; keep it.
            writeBuffer = out;
            out.flip();
            if (out.hasRemaining()) {
                cleaned.append(MemoryRecords.readableRecords(out));
            }
        }
    }

    /** Makes room for the next batch, which did not fit the read buffer. */
    private void growBuffers(MemoryRecords chunk, int remainingInSegment, LogSegment source) {
        Integer needed = chunk.firstBatchSize();
        if (needed == null || needed <= chunk.sizeInBytes() || needed > remainingInSegment) {
            throw new CorruptRecordException("batch of " + needed + " bytes does not fit the " + remainingInSegment
                    + " bytes left in " + source);
        }
        readBuffer = ByteBuffer.allocate(needed);
        if (writeBuffer.capacity() < needed) {
            writeBuffer = ByteBuffer.allocate(needed);
        }
    }

    private void checkNotAborted(PartitionLog log) {
        if (state == State.STOPPING || state == State.STOPPED || aborting.contains(log)) {
            throw new CleaningAbortedException();
        }
    }

    /** Thrown inside a pass to stop it; never escapes {@link #cleanOnce}. */
    private static final class CleaningAbortedException extends RuntimeException {
        CleaningAbortedException() {
            super(null, null, false, false);
        }
    }

    // ---- what to clean ------------------------------------------------------------------------

    /** A cleanable segment and the offset after it (the next segment's base). */
    record Span(LogSegment segment, long endOffset) {}

    /**
     * The cleanable segments of a log, oldest first, and how they split into clean and dirty.
     *
     * @param firstDirty the cleaner offset, at least the log start offset
     * @param upperBound the offset after the last cleanable segment (or {@code firstDirty})
     */
    record Plan(List<Span> spans, long firstDirty, long upperBound, long cleanBytes, long dirtyBytes) {

        static Plan of(PartitionLog log, LogConfig cfg, long now) {
            // The active segment first: a roll after this leaves it inside the copy, where the
            // identity check below still stops at it.
            LogSegment active = log.activeSegment();
            List<LogSegment> all = List.copyOf(log.segments());
            long start = log.logStartOffset();
            long highWatermark = log.highWatermark();
            long firstDirty = Math.max(log.cleanerOffset(), start);
            List<Span> spans = new ArrayList<>();
            long upperBound = firstDirty;
            long clean = 0;
            long dirty = 0;
            for (int i = 0; i + 1 < all.size(); i++) {
                LogSegment segment = all.get(i);
                long end = all.get(i + 1).baseOffset();
                boolean tooRecent =
                        cfg.minCompactionLagMs() > 0 && segment.largestTimestamp() > now - cfg.minCompactionLagMs();
                if (segment == active || end > highWatermark || tooRecent) {
                    break;
                }
                if (end <= start) {
                    // Wholly below the log start: retention deletes it, no need to compact it.
                    continue;
                }
                spans.add(new Span(segment, end));
                upperBound = end;
                if (end <= firstDirty) {
                    clean += segment.size();
                } else {
                    dirty += segment.size();
                }
            }
            return new Plan(List.copyOf(spans), firstDirty, upperBound, clean, dirty);
        }

        double dirtyRatio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    /**
     * Keeps a record unless a later one has its key, it has no key, or it is a tombstone past its
     * delete horizon; keeps control batches. Counts what it saw.
     */
    private static final class CompactionFilter extends MemoryRecords.RecordFilter {

        private final CleanerOffsetMap offsetMap;
        long earliestHorizon = Long.MAX_VALUE;
        long recordsRead;
        long recordsRetained;
        long tombstonesDropped;

        CompactionFilter(long now, long deleteRetentionMs, CleanerOffsetMap offsetMap) {
            super(now, deleteRetentionMs);
            this.offsetMap = offsetMap;
        }

        @Override
        protected BatchRetentionResult checkBatchRetention(RecordBatch batch) {
            return new BatchRetentionResult(BatchRetention.DELETE_EMPTY, false);
        }

        @Override
        protected boolean shouldRetainRecord(RecordBatch batch, Record record) {
            if (batch.isControlBatch()) {
                return true;
            }
            if (!record.hasKey()) {
                return false;
            }
            if (offsetMap.get(record.key()) > record.offset()) {
                return false;
            }
            if (record.hasValue()) {
                return true;
            }
            OptionalLong horizon = batch.deleteHorizonMs();
            if (horizon.isPresent() && currentTime >= horizon.getAsLong()) {
                tombstonesDropped++;
                return false;
            }
            // filterTo stamps currentTime + deleteRetentionMs on a kept batch without a horizon.
            earliestHorizon = Math.min(earliestHorizon, horizon.orElse(currentTime + deleteRetentionMs));
            return true;
        }
    }
}
