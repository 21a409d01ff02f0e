package io.brook.broker.log;

import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One segment of a partition log: a {@code .log} file of record batches (format v2) stored byte
 * for byte as appended, plus its {@link OffsetIndex} and {@link TimeIndex}. Offsets in the
 * segment start at {@link #baseOffset()}, which names its files (see {@link LogFiles}).
 *
 * <p>Threading: a single writer (the owning {@link PartitionLog}'s append lock) calls {@link
 * #append}, {@link #truncateTo}, {@link #recover}, {@link #onBecomeInactive} and {@link #close}.
 * {@link #read}, {@link #translateOffset} and {@link #findOffsetByTimestamp} are thread-safe: they
 * see only whole batches, because {@link FileRecords} raises its size after a write completes,
 * and the log bounds every read by the end offset it published after the append.
 */
final class LogSegment implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(LogSegment.class);

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private final long createdMs;

    /** Whether appends may still come (the indexes are pre-allocated, not trimmed). */
    private volatile boolean active = true;

    /** Bytes appended since the last offset-index entry; writer only. */
    private int bytesSinceLastIndexEntry;

    private volatile long maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar;
    /** Max timestamp of the first batch, the clock {@code segment.ms} rolls by; -1 while empty. */
    private volatile long firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;

    private LogSegment(
            long baseOffset,
            FileRecords log,
            OffsetIndex offsetIndex,
            TimeIndex timeIndex,
            int indexIntervalBytes,
            long createdMs) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.createdMs = createdMs;
        this.offsetOfMaxTimestampSoFar = baseOffset;
    }

    /** Opens (or creates) the segment at {@code baseOffset} in {@code dir}. */
    static LogSegment open(File dir, long baseOffset, LogConfig config, long nowMs, String suffix) throws IOException {
        File logFile = LogFiles.logFile(dir, baseOffset, suffix);
        boolean exists = logFile.exists();
        FileRecords records = FileRecords.open(logFile, exists, 0, false);
        OffsetIndex offsetIndex = new OffsetIndex(
                LogFiles.offsetIndexFile(dir, baseOffset, suffix), baseOffset, config.segmentIndexBytes());
        TimeIndex timeIndex =
                new TimeIndex(LogFiles.timeIndexFile(dir, baseOffset, suffix), baseOffset, config.segmentIndexBytes());
        LogSegment segment =
                new LogSegment(baseOffset, records, offsetIndex, timeIndex, config.indexIntervalBytes(), nowMs);
        if (exists) {
            segment.loadTimestamps();
        }
        return segment;
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes in the {@code .log} file. */
    int size() {
        return log.sizeInBytes();
    }

    FileRecords records() {
        return log;
    }

    OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    TimeIndex timeIndex() {
        return timeIndex;
    }

    File file() {
        return log.file();
    }

    /** The largest record timestamp in the segment, or the file's modification time if none. */
    long largestTimestamp() {
        long max = maxTimestampSoFar;
        return max != RecordBatch.NO_TIMESTAMP ? max : log.file().lastModified();
    }

    long maxTimestampSoFar() {
        return maxTimestampSoFar;
    }

    long offsetOfMaxTimestampSoFar() {
        return offsetOfMaxTimestampSoFar;
    }

    /**
     * Whether an append of {@code batchBytes} ending at {@code lastOffset} must go to a new
     * segment: the file would pass {@code segment.bytes}, {@code segment.ms} has passed since the
     * first batch, an index is full, or the offset no longer fits an index entry.
     */
    boolean shouldRoll(LogConfig config, int batchBytes, long lastOffset, long nowMs) {
        int size = size();
        if (size == 0) {
            return offsetIndex.isFull() || timeIndex.isFull() || !fitsRelative(lastOffset);
        }
        long since = firstBatchTimestamp != RecordBatch.NO_TIMESTAMP ? firstBatchTimestamp : createdMs;
        return size > config.segmentBytes() - batchBytes
                || nowMs - since > config.segmentMs()
                || offsetIndex.isFull()
                || timeIndex.isFull()
                || !fitsRelative(lastOffset);
    }

    private boolean fitsRelative(long offset) {
        long relative = offset - baseOffset;
        return relative >= 0 && relative <= Integer.MAX_VALUE;
    }

    /**
     * Appends batches whose offsets are already assigned, and indexes them. On an {@link
     * IOException} the file is cut back to its size before the call, so a failed append leaves
     * nothing behind. Writer only.
     */
    void append(MemoryRecords records) throws IOException {
        int position = log.sizeInBytes();
        try {
            log.append(records);
        } catch (IOException e) {
            // A partial write may have reached the file; FileRecords' size never counted it.
            log.truncateTo(position);
            throw e;
        }
        for (MutableRecordBatch batch : records.batches()) {
            indexBatch(batch, position);
            position += batch.sizeInBytes();
        }
    }

    private void indexBatch(RecordBatch batch, int position) {
        if (firstBatchTimestamp == RecordBatch.NO_TIMESTAMP) {
            firstBatchTimestamp = batch.maxTimestamp();
        }
        if (batch.maxTimestamp() > maxTimestampSoFar) {
            maxTimestampSoFar = batch.maxTimestamp();
            offsetOfMaxTimestampSoFar = batch.lastOffset();
        }
        // An append of several batches (or a recovery) can fill an index part-way: the segment rolls
        // before the next append, and until then its last batches simply go unindexed. Both indexes
        // stop together, so that loadTimestamps' scan from the last offset-index entry still sees
        // every batch the time index does not cover.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(batch.lastOffset(), position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batch.sizeInBytes();
    }

    /** Position and size of a batch, and its offsets. */
    record BatchPosition(long baseOffset, long lastOffset, int position, int size) {}

    /**
     * The first batch at or after {@code startingPosition} whose last offset is at least {@code
     * offset}, or null when no such batch lies before {@code maxPosition}. Thread-safe.
     */
    BatchPosition translateOffset(long offset, int maxPosition) {
        int start = offsetIndex.lookup(offset).position();
        for (FileChannelRecordBatch batch : log.batchesFrom(start)) {
            if (batch.position() >= maxPosition) {
                return null;
            }
            if (batch.lastOffset() >= offset) {
                return new BatchPosition(batch.baseOffset(), batch.lastOffset(), batch.position(), batch.sizeInBytes());
            }
        }
        return null;
    }

    /**
     * Up to {@code maxBytes} of the segment starting at the batch that holds {@code startOffset},
     * ending before {@code maxPosition}: a slice of the file, for a zero-copy send. With {@code
     * minOneBatch} the first batch is returned whole even when larger than {@code maxBytes}, so
     * that a consumer always makes progress. Null when the segment has no batch at or past the
     * offset before {@code maxPosition}. Thread-safe.
     */
    FetchDataInfo read(long startOffset, int maxBytes, int maxPosition, boolean minOneBatch) {
        BatchPosition start = translateOffset(startOffset, maxPosition);
        if (start == null) {
            return null;
        }
        LogOffsetMetadata metadata = new LogOffsetMetadata(startOffset, baseOffset, start.position());
        int limit = minOneBatch ? Math.max(maxBytes, start.size()) : maxBytes;
        int length = Math.min(maxPosition - start.position(), limit);
        if (length <= 0) {
            return new FetchDataInfo(metadata, MemoryRecords.EMPTY);
        }
        return new FetchDataInfo(metadata, log.slice(start.position(), length));
    }

    /**
     * The first record with a timestamp at or after {@code timestamp} and an offset at or after
     * {@code startingOffset}, or null. Thread-safe.
     */
    TimestampAndOffset findOffsetByTimestamp(long timestamp, long startingOffset) {
        TimeIndex.Entry below = timeIndex.lookupBelow(timestamp);
        int position =
                offsetIndex.lookup(Math.max(below.offset(), startingOffset)).position();
        for (FileChannelRecordBatch batch : log.batchesFrom(position)) {
            if (batch.maxTimestamp() < timestamp || batch.lastOffset() < startingOffset) {
                continue;
            }
            for (Record record : batch) {
                if (record.timestamp() >= timestamp && record.offset() >= startingOffset) {
                    return new TimestampAndOffset(record.timestamp(), record.offset());
                }
            }
        }
        return null;
    }

    /** The offset after the last batch, or the base offset when empty. Scans from the last index entry. */
    long readNextOffset() {
        long next = baseOffset;
        for (FileChannelRecordBatch batch :
                log.batchesFrom(offsetIndex.lastEntry().position())) {
            next = batch.nextOffset();
        }
        return next;
    }

    /**
     * Sets the timestamp bookkeeping from the indexes and the batches after the last offset-index
     * entry (every batch before it is covered by the last time-index entry).
     */
    private void loadTimestamps() {
        TimeIndex.Entry last = timeIndex.lastEntry();
        if (last.timestamp() >= 0) {
            maxTimestampSoFar = last.timestamp();
            offsetOfMaxTimestampSoFar = last.offset();
        } else {
            maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
            offsetOfMaxTimestampSoFar = baseOffset;
        }
        firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        // On open after a crash the indexes and the last batches may be garbage; this must not
        // fail then, as recovery, which comes next, validates the segment and starts afresh.
        int from = offsetIndex.lastEntry().position();
        try {
            for (FileChannelRecordBatch batch : log.batchesFrom(from >= 0 && from <= size() ? from : 0)) {
                if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
                    break;
                }
                if (batch.maxTimestamp() > maxTimestampSoFar) {
                    maxTimestampSoFar = batch.maxTimestamp();
                    offsetOfMaxTimestampSoFar = batch.lastOffset();
                }
            }
            for (FileChannelRecordBatch batch : log.batches()) {
                if (batch.magic() == RecordBatch.MAGIC_VALUE_V2) {
                    firstBatchTimestamp = batch.maxTimestamp();
                }
                break;
            }
        } catch (CorruptRecordException | InvalidRecordException e) {
            LOG.warn("Invalid batch in {} while loading its timestamps: {}", log.file(), e.getMessage());
        }
    }

    /** Whether both indexes pass their sanity checks against this segment. */
    boolean indexesAreSane() {
        return offsetIndex.isSane()
                && timeIndex.isSane()
                && offsetIndex.lastEntry().position() <= size()
                && timeIndex.lastEntry().offset() >= baseOffset;
    }

    /**
     * Validates every batch from the start (size, magic v2, CRC32C, increasing offsets within the
     * segment's range), rebuilds both indexes, and cuts the file after the last valid batch.
     * Returns the number of bytes cut. Writer only.
     */
    int recover() throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        bytesSinceLastIndexEntry = 0;
        maxTimestampSoFar = RecordBatch.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = baseOffset;
        firstBatchTimestamp = RecordBatch.NO_TIMESTAMP;
        int validBytes = 0;
        long nextOffset = baseOffset;
        try {
            for (FileChannelRecordBatch batch : log.batches()) {
                checkBatch(batch, nextOffset);
                indexBatch(batch, validBytes);
                validBytes += batch.sizeInBytes();
                nextOffset = batch.nextOffset();
            }
        } catch (CorruptRecordException | InvalidRecordException e) {
            LOG.warn(
                    "Found an invalid batch in {} at position {}: {}; cutting the log there",
                    log.file(),
                    validBytes,
                    e.getMessage());
        }
        int cut = log.sizeInBytes() - validBytes;
        if (cut > 0) {
            LOG.warn("Truncating {} from {} to {} bytes during recovery", log.file(), log.sizeInBytes(), validBytes);
            log.truncateTo(validBytes);
        }
        return cut;
    }

    private void checkBatch(FileChannelRecordBatch batch, long expectedAtLeast) {
        if (batch.sizeInBytes() < DefaultRecordBatch.RECORD_BATCH_OVERHEAD) {
            throw new CorruptRecordException("batch of " + batch.sizeInBytes() + " bytes is smaller than a header");
        }
        if (batch.magic() != RecordBatch.MAGIC_VALUE_V2) {
            throw new CorruptRecordException("batch has magic " + batch.magic() + ", not 2");
        }
        batch.ensureValid();
        if (batch.baseOffset() < expectedAtLeast) {
            throw new CorruptRecordException(
                    "batch base offset " + batch.baseOffset() + " is below the expected " + expectedAtLeast);
        }
        if (batch.lastOffset() < batch.baseOffset() || !fitsRelative(batch.lastOffset())) {
            throw new CorruptRecordException("batch offsets " + batch.baseOffset() + ".." + batch.lastOffset()
                    + " do not fit the segment at " + baseOffset);
        }
    }

    /**
     * Removes every batch that ends at or after {@code offset}: the batch holding the offset and
     * everything after it. Returns the number of bytes removed. Writer only.
     */
    int truncateTo(long offset) throws IOException {
        BatchPosition cut = translateOffset(offset, Integer.MAX_VALUE);
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        // The log truncates only its last segment, which takes appends again from here.
        onBecomeActive();
        int before = log.sizeInBytes();
        if (cut != null) {
            log.truncateTo(cut.position());
        }
        bytesSinceLastIndexEntry = 0;
        loadTimestamps();
        return before - log.sizeInBytes();
    }

    /** Called when a newer segment takes over appends: trims the indexes to their entries. */
    void onBecomeInactive() throws IOException {
        active = false;
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Called when this segment is the active one after loading: indexes may grow again. */
    void onBecomeActive() throws IOException {
        active = true;
        offsetIndex.expandToMaxSize();
        timeIndex.expandToMaxSize();
    }

    /**
     * Fsyncs the segment. The indexes of the active segment are left to the OS: recovery after a
     * crash always rebuilds them (the active segment lies at or after the recovery point), so
     * syncing them would only add two {@code msync}s to every {@code flush.messages=1} append.
     */
    void flush() throws IOException {
        log.flush();
        if (!active) {
            offsetIndex.flush();
            timeIndex.flush();
        }
    }

    /** Renames the three files from {@code oldSuffix} to {@code newSuffix}. */
    void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        log.renameTo(rename(log.file(), oldSuffix, newSuffix));
        offsetIndex.renameTo(rename(offsetIndex.file(), oldSuffix, newSuffix));
        timeIndex.renameTo(rename(timeIndex.file(), oldSuffix, newSuffix));
    }

    private static File rename(File file, String oldSuffix, String newSuffix) {
        String name = file.getName();
        if (!name.endsWith(oldSuffix)) {
            throw new IllegalArgumentException(file + " does not end with '" + oldSuffix + "'");
        }
        return new File(file.getParentFile(), name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }

    @Override
    public void close() throws IOException {
        timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar);
        offsetIndex.flush();
        timeIndex.flush();
        offsetIndex.close();
        timeIndex.close();
        log.close();
    }

    /** Closes the files and deletes them. */
    void deleteIfExists() throws IOException {
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        log.deleteIfExists();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size() + ", file=" + log.file() + ")";
    }
}
