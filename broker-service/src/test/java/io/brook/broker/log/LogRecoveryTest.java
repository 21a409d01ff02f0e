package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.log.Batches.Rec;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of a {@link PartitionLog}. A crash is simulated by copying the files of an open,
 * flushed log (a "crash image": no clean-shutdown marker, the active segment's indexes still
 * pre-allocated and untrimmed), then damaging the copy as a crash or the disk would: a {@code
 * .log} file cut short, a byte changed, index files missing, untrimmed or garbage. Each damaged
 * copy is opened and must come back as the longest intact prefix of what was written.
 *
 * <p>The log used throughout has 14 batches of 2 records (about 165 bytes each) in segments of
 * 700 bytes: four segments holding 4, 4, 4 and 2 batches.
 */
class LogRecoveryTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final int BATCHES = 14;

    // The v2 batch header, as far as these tests touch it: baseOffset int64 at 0, length int32 at
    // 8, partitionLeaderEpoch int32 at 12, magic int8 at 16, crc uint32 at 17, then from 21 on
    // (attributes, lastOffsetDelta, timestamps, producer fields, count, records) what the CRC covers.
    private static final int LENGTH_FIELD = 8;
    private static final int EPOCH_FIELD = 12;
    private static final int MAGIC_FIELD = 16;

    private static final LogConfig CONFIG = LogConfig.of(Map.of(
            LogConfig.SEGMENT_BYTES, 700,
            LogConfig.INDEX_INTERVAL_BYTES, 100,
            LogConfig.SEGMENT_INDEX_BYTES, 1024,
            LogConfig.FILE_DELETE_DELAY_MS, 0L));

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(T0 + 60_000);
    final DirectScheduler scheduler = new DirectScheduler();
    PartitionLog original;
    List<StoredBatch> written;
    int images;

    /** A batch as it lies on disk. */
    record StoredBatch(long segment, long baseOffset, long lastOffset, int position, int size, List<Rec> records) {}

    @BeforeEach
    void writeTheLog() throws IOException {
        original = open(tmp.resolve("original"));
        String pad = "x".repeat(40);
        for (int i = 0; i < BATCHES; i++) {
            original.appendAsLeader(
                    MemoryRecords.withRecords(
                            Compression.NONE,
                            new SimpleRecord(T0 + i * 10L, null, Batches.bytes("b" + i + "r0-" + pad)),
                            new SimpleRecord(T0 + i * 10L + 1, null, Batches.bytes("b" + i + "r1-" + pad))),
                    5);
        }
        original.updateHighWatermark(original.logEndOffset());
        original.flush();
        written = layout(original);
        assertThat(original.segmentBaseOffsets()).hasSize(4);
        assertThat(batchesOf(active())).hasSize(2);
        assertThat(written).allSatisfy(b -> assertThat(b.size()).isBetween(100, 300));
    }

    @AfterEach
    void closeTheLog() throws IOException {
        original.close();
        scheduler.shutdownNow();
    }

    // ---- torn writes --------------------------------------------------------------------------

    @Test
    void aCutAnywhereInTheLastBatchOfTheActiveSegmentLeavesTheBatchesBeforeIt() throws IOException {
        Path image = crashImage(original.logEndOffset());
        StoredBatch last = written.get(written.size() - 1);
        assertThat(last.segment()).isEqualTo(active());

        for (int cut = last.position(); cut < last.position() + last.size(); cut++) {
            Path dir = copy(image, "cut-" + cut);
            truncate(logFile(dir, last.segment()), cut);
            try (PartitionLog log = open(dir)) {
                assertThat(log.segmentBaseOffsets()).as("cut at %d", cut).isEqualTo(original.segmentBaseOffsets());
                assertRecoveredUpTo(log, last, "cut at " + cut);
            }
            deleteRecursively(dir);
        }
    }

    @Test
    void aCutInTheLastBatchOfAnOlderSegmentBelowTheRecoveryPointTakesTheLaterSegmentsToo() throws IOException {
        // The crash came before the second segment's post-roll flush: the recovery point is its base.
        long second = original.segmentBaseOffsets().get(1);
        Path image = crashImage(second);
        StoredBatch last = lastBatchOf(second);

        // From the batch's second byte: a cut exactly at its start leaves a segment that ends
        // cleanly, one batch short of the next segment's base offset. Recovery cannot tell that
        // gap from one compaction leaves, so it keeps the later segments then (as Kafka does).
        for (int cut = last.position() + 1; cut < last.position() + last.size(); cut++) {
            Path dir = copy(image, "cut-" + cut);
            truncate(logFile(dir, second), cut);
            try (PartitionLog log = open(dir)) {
                assertThat(log.segmentBaseOffsets())
                        .as("cut at %d", cut)
                        .containsExactly(original.segmentBaseOffsets().get(0), second);
                assertRecoveredUpTo(log, last, "cut at " + cut);
            }
            assertOnlySegmentFiles(dir, original.segmentBaseOffsets().get(0), second);
            deleteRecursively(dir);
        }
    }

    // ---- corrupt bytes ------------------------------------------------------------------------

    /**
     * Changes each byte of a batch that recovery can check, one at a time: the length (bytes 8-11),
     * the magic (16), the CRC itself (17-20) and everything the CRC covers (from the attributes at
     * byte 21 to the end). The base offset (bytes 0-7) and the partition leader epoch (12-15) are
     * left out: Kafka's v2 CRC does not cover them, because the broker rewrites both on append
     * without recomputing it. A changed epoch cannot be detected at all (see {@link
     * #aChangedLeaderEpochIsNotDetectedTheCrcDoesNotCoverIt}); a changed base offset is caught only
     * when it goes backwards or leaves the segment's offset range (see the two tests after this).
     */
    @Test
    void aCorruptByteInTheLastBatchOfTheActiveSegmentRemovesThatBatch() throws IOException {
        Path image = crashImage(original.logEndOffset());
        StoredBatch last = written.get(written.size() - 1);

        for (int i : checkedBytes(last)) {
            Path dir = copy(image, "flip-" + i);
            flipByte(logFile(dir, last.segment()), last.position() + i);
            try (PartitionLog log = open(dir)) {
                assertThat(log.segmentBaseOffsets()).as("byte %d changed", i).isEqualTo(original.segmentBaseOffsets());
                assertRecoveredUpTo(log, last, "byte " + i + " changed");
            }
            deleteRecursively(dir);
        }
    }

    @Test
    void aCorruptByteInTheLastBatchOfAnOlderSegmentRemovesItAndEverythingAfter() throws IOException {
        long second = original.segmentBaseOffsets().get(1);
        Path image = crashImage(second);
        StoredBatch last = lastBatchOf(second);

        for (int i : checkedBytes(last)) {
            Path dir = copy(image, "flip-" + i);
            flipByte(logFile(dir, second), last.position() + i);
            try (PartitionLog log = open(dir)) {
                assertThat(log.segmentBaseOffsets())
                        .as("byte %d changed", i)
                        .containsExactly(original.segmentBaseOffsets().get(0), second);
                assertRecoveredUpTo(log, last, "byte " + i + " changed");
            }
            assertOnlySegmentFiles(dir, original.segmentBaseOffsets().get(0), second);
            deleteRecursively(dir);
        }
    }

    @Test
    void aBaseOffsetThatGoesBackwardsIsCaught() throws IOException {
        Path image = crashImage(original.logEndOffset());
        StoredBatch last = written.get(written.size() - 1);
        StoredBatch previous = written.get(written.size() - 2);
        assertThat(previous.segment()).isEqualTo(last.segment());

        for (long base : new long[] {previous.baseOffset(), previous.lastOffset()}) {
            Path dir = copy(image, "base-" + base);
            writeLong(logFile(dir, last.segment()), last.position(), base);
            try (PartitionLog log = open(dir)) {
                assertRecoveredUpTo(log, last, "base offset " + base);
            }
            deleteRecursively(dir);
        }
    }

    @Test
    void aBaseOffsetOutsideTheSegmentsOffsetRangeIsCaught() throws IOException {
        Path image = crashImage(original.logEndOffset());
        long activeBase = active();
        StoredBatch first = batchesOf(activeBase).get(0);
        StoredBatch last = written.get(written.size() - 1);

        // Below the segment's base offset: its first batch and everything after it go.
        Path below = copy(image, "below");
        writeLong(logFile(below, activeBase), first.position(), activeBase - 1);
        try (PartitionLog log = open(below)) {
            assertRecoveredUpTo(log, first, "base offset below the segment");
        }

        // Beyond what the segment's 32-bit relative offsets can hold, and overflowing a long.
        for (long base : new long[] {activeBase + Integer.MAX_VALUE, Long.MAX_VALUE}) {
            Path dir = copy(image, "beyond-" + base);
            writeLong(logFile(dir, activeBase), last.position(), base);
            try (PartitionLog log = open(dir)) {
                assertRecoveredUpTo(log, last, "base offset " + base);
            }
        }
    }

    /** Pins a limit of the format rather than a wish: the epoch is outside the CRC. */
    @Test
    void aChangedLeaderEpochIsNotDetectedTheCrcDoesNotCoverIt() throws IOException {
        Path image = crashImage(original.logEndOffset());
        StoredBatch last = written.get(written.size() - 1);
        Path dir = copy(image, "epoch");
        flipByte(logFile(dir, last.segment()), last.position() + EPOCH_FIELD + 3);

        try (PartitionLog log = open(dir)) {
            assertThat(log.logEndOffset()).isEqualTo(original.logEndOffset());
            RecordBatch batch = log.read(last.baseOffset(), 1, FetchIsolation.LOG_END, true)
                    .records()
                    .batches()
                    .iterator()
                    .next();
            batch.ensureValid();
            assertThat(batch.partitionLeaderEpoch()).isEqualTo(5 ^ 0xFF);
        }
    }

    @Test
    void nothingAfterACorruptBatchIsServedEvenIntactLaterSegments() throws IOException {
        long second = original.segmentBaseOffsets().get(1);
        StoredBatch middle = batchesOf(second).get(1);
        long first = original.segmentBaseOffsets().get(0);

        // Below the recovery point, found because recovery starts there.
        Path unflushed = copy(crashImage(first), "unflushed");
        flipByte(logFile(unflushed, second), middle.position() + middle.size() - 1);
        try (PartitionLog log = open(unflushed)) {
            assertThat(log.segmentBaseOffsets()).containsExactly(first, second);
            assertRecoveredUpTo(log, middle, "corrupt middle batch");
        }
        assertOnlySegmentFiles(unflushed, first, second);

        // Above the recovery point, found because the segment's index is not sane (it holds 0xff).
        Path badIndex = copy(crashImage(original.logEndOffset()), "bad-index");
        flipByte(logFile(badIndex, second), middle.position() + middle.size() - 1);
        fill(offsetIndexFile(badIndex, second), 64, (byte) 0xff);
        try (PartitionLog log = open(badIndex)) {
            assertThat(log.segmentBaseOffsets()).containsExactly(first, second);
            assertRecoveredUpTo(log, middle, "corrupt middle batch, bad index");
        }

        // Above the recovery point, found because the segment's indexes are missing.
        Path noIndex = copy(crashImage(original.logEndOffset()), "no-index");
        flipByte(logFile(noIndex, second), middle.position() + middle.size() - 1);
        Files.delete(offsetIndexFile(noIndex, second).toPath());
        try (PartitionLog log = open(noIndex)) {
            assertThat(log.segmentBaseOffsets()).containsExactly(first, second);
            assertRecoveredUpTo(log, middle, "corrupt middle batch, missing index");
        }
    }

    // ---- indexes ------------------------------------------------------------------------------

    @Test
    void indexesLeftGarbageUntrimmedOrMissingByACrashAreRebuilt() throws IOException {
        List<Long> bases = original.segmentBaseOffsets();
        Path image = crashImage(original.logEndOffset());
        // The active segment's indexes in the image are as a crash leaves them: pre-allocated to
        // segment.index.bytes, zeros after the last entry.
        assertThat(offsetIndexFile(image, active()).length()).isEqualTo(1024);

        // What appends wrote, trimmed as a clean close leaves them, to compare the rebuilt ones with.
        original.close();
        Path expected = copy(tmp.resolve("original"), "expected");
        original = open(tmp.resolve("original"));

        long s0 = bases.get(0);
        long s1 = bases.get(1);
        long s2 = bases.get(2);
        fill(offsetIndexFile(image, s0), 64, (byte) 0xff);
        writeTimeIndex(timeIndexFile(image, s0), new long[] {T0 + 100, T0 + 50}, new int[] {1, 2});
        appendBytes(offsetIndexFile(image, s1), new byte[64]);
        Files.delete(timeIndexFile(image, s1).toPath());
        ByteBuffer pastTheEnd =
                ByteBuffer.allocate(8).putInt(1000).putInt(1_000_000).flip();
        appendBytes(offsetIndexFile(image, s2), pastTheEnd.array());

        try (PartitionLog log = open(image)) {
            for (LogSegment segment : log.segments()) {
                assertThat(segment.indexesAreSane()).as("%s", segment).isTrue();
                assertThat(segment.offsetIndex().entries()).as("%s", segment).isPositive();
            }
            assertThat(log.logEndOffset()).isEqualTo(original.logEndOffset());
            for (StoredBatch batch : written) {
                for (Rec rec : batch.records()) {
                    List<Rec> read = Batches.read(log.read(rec.offset(), 1, FetchIsolation.LOG_END, true)
                            .records());
                    assertThat(read).as("read at %d", rec.offset()).isEqualTo(batch.records());
                    assertThat(log.offsetForTimestamp(rec.timestamp()))
                            .as("offset for %d", rec.timestamp())
                            .contains(new TimestampAndOffset(rec.timestamp(), rec.offset()));
                }
                assertThat(log.offsetForTimestamp(batch.records().get(0).timestamp() - 1))
                        .contains(new TimestampAndOffset(batch.records().get(0).timestamp(), batch.baseOffset()));
            }
            assertThat(log.offsetForTimestamp(T0 + BATCHES * 10L)).isEmpty();
        }
        // Once trimmed by a clean close, the rebuilt indexes are the ones appends wrote.
        for (long base : bases) {
            assertThat(Files.readAllBytes(offsetIndexFile(image, base).toPath()))
                    .as("offset index of %d", base)
                    .isEqualTo(
                            Files.readAllBytes(offsetIndexFile(expected, base).toPath()));
            assertThat(Files.readAllBytes(timeIndexFile(image, base).toPath()))
                    .as("time index of %d", base)
                    .isEqualTo(Files.readAllBytes(timeIndexFile(expected, base).toPath()));
        }
    }

    // ---- clean shutdown -----------------------------------------------------------------------

    /**
     * After a clean shutdown the segments are trusted and not rescanned: a byte changed since in a
     * flushed segment is not noticed on open, the batch is served as stored and the reader's CRC
     * check catches it. Only indexes that fail their sanity checks are rebuilt.
     */
    @Test
    void aCleanShutdownReopenDoesNotRescanTheSegments() throws IOException {
        original.close();
        Path dir = tmp.resolve("original");
        StoredBatch first = written.get(0);
        flipByte(logFile(dir, first.segment()), first.position() + first.size() - 1);
        long sizeBefore = logFile(dir, first.segment()).length();

        try (PartitionLog log = open(dir)) {
            assertThat(log.logEndOffset())
                    .isEqualTo(written.get(written.size() - 1).lastOffset() + 1);
            assertThat(log.segmentBaseOffsets()).hasSize(4);
            assertThat(logFile(dir, first.segment()).length()).isEqualTo(sizeBefore);
            RecordBatch served = log.read(0, 1, FetchIsolation.LOG_END, true)
                    .records()
                    .batches()
                    .iterator()
                    .next();
            assertThatThrownBy(served::ensureValid).isInstanceOf(CorruptRecordException.class);
        }
        original = open(dir);
    }

    @Test
    void aCleanShutdownReopenRebuildsIndexesThatAreNotSane() throws IOException {
        original.close();
        Path dir = tmp.resolve("original");
        long second = original.segmentBaseOffsets().get(1);
        byte[] before = Files.readAllBytes(offsetIndexFile(dir, second).toPath());
        fill(offsetIndexFile(dir, second), 64, (byte) 0xff);

        try (PartitionLog log = open(dir)) {
            assertThat(log.logEndOffset())
                    .isEqualTo(written.get(written.size() - 1).lastOffset() + 1);
            assertThat(Batches.readAll(log, 0, FetchIsolation.LOG_END))
                    .isEqualTo(
                            written.stream().flatMap(b -> b.records().stream()).toList());
        }
        assertThat(Files.readAllBytes(offsetIndexFile(dir, second).toPath())).isEqualTo(before);
        original = open(dir);
    }

    /**
     * Rebuilding an index rescans its segment even after a clean shutdown; if that finds a corrupt
     * batch, the rule of recovery holds: the segment is cut there and the later ones go.
     */
    @Test
    void aCleanShutdownRebuildThatFindsACorruptBatchDropsEverythingAfterIt() throws IOException {
        original.close();
        Path dir = tmp.resolve("original");
        long first = original.segmentBaseOffsets().get(0);
        long second = original.segmentBaseOffsets().get(1);
        StoredBatch middle = batchesOf(second).get(1);
        flipByte(logFile(dir, second), middle.position() + middle.size() - 1);
        Files.delete(timeIndexFile(dir, second).toPath());

        try (PartitionLog log = open(dir)) {
            assertThat(log.segmentBaseOffsets()).containsExactly(first, second);
            assertThat(log.logEndOffset()).isEqualTo(middle.baseOffset());
            assertThat(Batches.readAll(log, 0, FetchIsolation.LOG_END))
                    .isEqualTo(written.stream()
                            .filter(b -> b.lastOffset() < middle.baseOffset())
                            .flatMap(b -> b.records().stream())
                            .toList());
        }
        assertOnlySegmentFiles(dir, first, second);
        original = open(dir);
    }

    // ---- the checkpoint -----------------------------------------------------------------------

    @Test
    void aLogStartBeyondTheRecoveredEndStartsTheLogEmptyThere() throws IOException {
        long end = original.logEndOffset();
        assertThat(original.deleteRecordsBefore(end)).isEqualTo(end);
        assertThat(original.segmentBaseOffsets()).containsExactly(active());
        Path image = crashImage(active());
        StoredBatch last = written.get(written.size() - 1);
        truncate(logFile(image, active()), last.position() + 10);

        try (PartitionLog log = open(image)) {
            assertThat(log.logStartOffset()).isEqualTo(end);
            assertThat(log.logEndOffset()).isEqualTo(end);
            assertThat(log.highWatermark()).isEqualTo(end);
            assertThat(log.segmentBaseOffsets()).containsExactly(end);
            assertThat(log.appendAsLeader(Batches.of(T0, "after"), 6).firstOffset())
                    .isEqualTo(end);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private PartitionLog open(Path dir) throws IOException {
        return PartitionLog.open(dir.toFile(), CONFIG, clock, scheduler, new LogDirFailureHandler());
    }

    private long active() {
        List<Long> bases = original.segmentBaseOffsets();
        return bases.get(bases.size() - 1);
    }

    private List<StoredBatch> batchesOf(long segment) {
        return written.stream().filter(b -> b.segment() == segment).toList();
    }

    private StoredBatch lastBatchOf(long segment) {
        List<StoredBatch> batches = batchesOf(segment);
        return batches.get(batches.size() - 1);
    }

    /**
     * Checks a recovered log: every batch before {@code firstLost} is there with its offsets and
     * values, nothing from it on, and the log takes appends at its base offset.
     */
    private void assertRecoveredUpTo(PartitionLog log, StoredBatch firstLost, String what) {
        long end = firstLost.baseOffset();
        List<Rec> kept = written.stream()
                .filter(b -> b.lastOffset() < end)
                .flatMap(b -> b.records().stream())
                .filter(r -> r.offset() >= log.logStartOffset())
                .toList();
        assertThat(log.logEndOffset()).as(what).isEqualTo(end);
        assertThat(log.recoveryPoint()).as(what).isEqualTo(end);
        assertThat(log.highWatermark()).as(what).isBetween(log.logStartOffset(), end);
        assertThat(Batches.readAll(log, log.logStartOffset(), FetchIsolation.LOG_END))
                .as(what)
                .isEqualTo(kept);
        assertThat(log.read(end, 1000, FetchIsolation.LOG_END, true).records().sizeInBytes())
                .as(what)
                .isZero();
        assertThatThrownBy(() -> log.read(end + 1, 1000, FetchIsolation.LOG_END, true))
                .as(what)
                .isInstanceOf(OffsetOutOfRangeException.class);

        LogAppendInfo appended = log.appendAsLeader(Batches.of(T0 + 1_000, "after-recovery"), 6);
        assertThat(appended.firstOffset()).as(what).isEqualTo(end);
        assertThat(Batches.read(
                        log.read(end, 1000, FetchIsolation.LOG_END, true).records()))
                .as(what)
                .containsExactly(new Rec(end, T0 + 1_000, null, "after-recovery"));
    }

    /** The batches of the log, as they lie in its segment files. */
    private static List<StoredBatch> layout(PartitionLog log) {
        List<StoredBatch> out = new ArrayList<>();
        for (LogSegment segment : log.segments()) {
            for (FileChannelRecordBatch batch : segment.records().batches()) {
                List<Rec> records = new ArrayList<>();
                for (Record r : batch) {
                    records.add(new Rec(
                            r.offset(),
                            r.timestamp(),
                            null,
                            StandardCharsets.UTF_8.decode(r.value()).toString()));
                }
                out.add(new StoredBatch(
                        segment.baseOffset(),
                        batch.baseOffset(),
                        batch.lastOffset(),
                        batch.position(),
                        batch.sizeInBytes(),
                        records));
            }
        }
        return out;
    }

    /** Offsets within a batch of the bytes recovery can check: all but the base offset and the epoch. */
    private static int[] checkedBytes(StoredBatch batch) {
        return java.util.stream.IntStream.range(LENGTH_FIELD, batch.size())
                .filter(i -> i < EPOCH_FIELD || i >= MAGIC_FIELD)
                .toArray();
    }

    /**
     * Copies the files of the open original log, as a crash would leave them once everything was
     * flushed, and sets the checkpoint's recovery point.
     */
    private Path crashImage(long recoveryPoint) throws IOException {
        original.flush();
        Path image = copy(tmp.resolve("original"), "image-" + images++);
        assertThat(image.resolve(PartitionLog.CLEAN_SHUTDOWN_MARKER)).doesNotExist();
        new PartitionCheckpoint(
                        original.logStartOffset(), recoveryPoint, original.highWatermark(), original.logStartOffset())
                .write(image.toFile());
        return image;
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = tmp.resolve(name);
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static File logFile(Path dir, long base) {
        return LogFiles.logFile(dir.toFile(), base, "");
    }

    private static File offsetIndexFile(Path dir, long base) {
        return LogFiles.offsetIndexFile(dir.toFile(), base, "");
    }

    private static File timeIndexFile(Path dir, long base) {
        return LogFiles.timeIndexFile(dir.toFile(), base, "");
    }

    private static void assertOnlySegmentFiles(Path dir, long... bases) {
        List<String> expected = new ArrayList<>();
        for (long base : bases) {
            expected.add(logFile(dir, base).getName());
            expected.add(offsetIndexFile(dir, base).getName());
            expected.add(timeIndexFile(dir, base).getName());
        }
        expected.add(PartitionCheckpoint.FILE_NAME);
        expected.add(LeaderEpochCache.FILE_NAME);
        expected.add(PartitionLog.CLEAN_SHUTDOWN_MARKER);
        assertThat(dir.toFile().list()).containsExactlyInAnyOrderElementsOf(expected);
    }

    private static void truncate(File file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    private static void flipByte(File file, long position) throws IOException {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, position);
            b.put(0, (byte) (b.get(0) ^ 0xff));
            b.rewind();
            channel.write(b, position);
        }
    }

    private static void writeLong(File file, long position, long value) throws IOException {
        try (FileChannel channel = FileChannel.open(file.toPath(), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).putLong(value).flip(), position);
        }
    }

    private static void fill(File file, int length, byte value) throws IOException {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        Files.write(file.toPath(), bytes);
    }

    private static void appendBytes(File file, byte[] bytes) throws IOException {
        Files.write(file.toPath(), bytes, StandardOpenOption.APPEND);
    }

    private static void writeTimeIndex(File file, long[] timestamps, int[] relativeOffsets) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(timestamps.length * TimeIndex.ENTRY_SIZE);
        for (int i = 0; i < timestamps.length; i++) {
            b.putLong(timestamps[i]).putInt(relativeOffsets[i]);
        }
        Files.write(file.toPath(), b.array());
    }
}
