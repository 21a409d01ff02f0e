package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.brook.broker.log.Batches.Rec;
import io.brook.broker.log.LogCleaner.CleanResult;
import io.brook.broker.log.LogCleaner.Outcome;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogCleanerTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);
    ScheduledExecutorService scheduler;
    LogCleaner cleaner;
    File dir;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        cleaner = new LogCleaner(1000, 10);
        dir = tmp.resolve("users-0").toFile();
    }

    @AfterEach
    void tearDown() {
        cleaner.close();
        scheduler.shutdownNow();
    }

    /** A compacted log that compacts whenever anything is dirty, unless the overrides say otherwise. */
    PartitionLog open(File in, Map<String, ?> overrides) throws IOException {
        Map<String, Object> settings = new HashMap<>();
        settings.put(LogConfig.CLEANUP_POLICY, LogConfig.COMPACT);
        settings.put(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.0);
        settings.putAll(overrides);
        return PartitionLog.open(in, LogConfig.of(settings), clock, scheduler, new LogDirFailureHandler());
    }

    PartitionLog open(Map<String, ?> overrides) throws IOException {
        return open(dir, overrides);
    }

    void put(PartitionLog log, String key, String value) {
        log.appendAsLeader(Batches.keyed(clock.millis(), key, value), 0);
    }

    static List<Rec> all(PartitionLog log) {
        return Batches.readAll(log, log.logStartOffset(), FetchIsolation.LOG_END);
    }

    /**
     * What compaction of everything below {@code upTo} should leave: there, the last record of
     * each key (tombstones included); from {@code upTo} on, every record.
     */
    static List<Rec> compacted(List<Rec> records, long upTo) {
        Map<String, Long> latest = new HashMap<>();
        for (Rec r : records) {
            if (r.offset() < upTo) {
                latest.put(r.key(), r.offset());
            }
        }
        return records.stream()
                .filter(r -> r.offset() >= upTo || latest.get(r.key()) == r.offset())
                .toList();
    }

    /** Writes {@code rounds} values for each of {@code keys}, rolling after each round. */
    void writeRounds(PartitionLog log, int rounds, int keys) {
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                put(log, "key-" + k, "value-" + round + "-" + k);
            }
            log.roll();
        }
    }

    // ---- what compaction keeps ----------------------------------------------------------------

    @Test
    void keepsTheLatestValuePerKeyAtItsOriginalOffsetInOrder() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            writeRounds(log, 3, 5);
            put(log, "key-0", "in-active");
            log.updateHighWatermark(log.logEndOffset());
            List<Rec> before = all(log);

            CleanResult result = cleaner.cleanOnce(log);

            assertThat(result.outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(result.cleanerOffset()).isEqualTo(15);
            assertThat(log.cleanerOffset()).isEqualTo(15);
            assertThat(result.recordsRead()).isEqualTo(15);
            assertThat(result.recordsRetained()).isEqualTo(5);
            List<Rec> after = all(log);
            assertThat(after).containsExactlyElementsOf(compacted(before, 15));
            assertThat(after).extracting(Rec::offset).containsExactly(10L, 11L, 12L, 13L, 14L, 15L);
            assertThat(after).extracting(Rec::value).startsWith("value-2-0").endsWith("in-active");
            // Consumers read the compacted records too, from an offset that compaction removed.
            assertThat(Batches.read(log.read(3, 1 << 20, FetchIsolation.HIGH_WATERMARK, true)
                            .records()))
                    .first()
                    .isEqualTo(new Rec(10, clock.millis(), "key-0", "value-2-0"));
        }
    }

    @Test
    void keepsTombstonesForDeleteRetentionAfterTheFirstPassAndThenDropsThem() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.DELETE_RETENTION_MS, 60_000L))) {
            long written = clock.millis();
            put(log, "a", "1");
            put(log, "b", "1");
            put(log, "a", null);
            log.roll();
            put(log, "c", "1");
            log.updateHighWatermark(log.logEndOffset());

            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(all(log))
                    .containsExactly(
                            new Rec(1, written, "b", "1"),
                            new Rec(2, written, "a", null),
                            new Rec(3, written, "c", "1"));

            clock.advance(59_999);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.NOT_DIRTY_ENOUGH);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(1L, 2L, 3L);

            clock.advance(1);
            CleanResult result = cleaner.cleanOnce(log);

            assertThat(result.outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(all(log)).containsExactly(new Rec(1, written, "b", "1"), new Rec(3, written, "c", "1"));
        }
    }

    @Test
    void aTombstoneOutlivesTheValueItDeletesAndThenGoesToo() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.DELETE_RETENTION_MS, 0L))) {
            put(log, "a", "1");
            log.roll();
            put(log, "a", null);
            log.roll();
            log.updateHighWatermark(log.logEndOffset());

            cleaner.cleanOnce(log);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(1L);
            cleaner.cleanOnce(log);

            assertThat(all(log)).isEmpty();
            assertThat(log.logEndOffset()).isEqualTo(2);
        }
    }

    @Test
    void neverTouchesTheActiveSegment() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            put(log, "a", "1");
            put(log, "a", "2");
            log.roll();
            put(log, "a", "3");
            put(log, "a", "4");
            log.updateHighWatermark(log.logEndOffset());
            File active = LogFiles.logFile(dir, 2, "");
            byte[] activeBytes = Files.readAllBytes(active.toPath());

            cleaner.cleanOnce(log);

            assertThat(all(log))
                    .extracting(Rec::offset, Rec::value)
                    .containsExactly(tuple(1L, "2"), tuple(2L, "3"), tuple(3L, "4"));
            assertThat(Files.readAllBytes(active.toPath())).isEqualTo(activeBytes);
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 2L);
        }
    }

    @Test
    void neverCompactsAtOrAboveTheHighWatermark() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            put(log, "a", "1");
            put(log, "a", "2");
            log.roll();
            put(log, "a", "3");
            put(log, "a", "4");
            log.roll();
            put(log, "a", "5");
            // The second segment holds offsets 2 and 3; the high watermark cuts it.
            log.updateHighWatermark(3);
            byte[] second = Files.readAllBytes(LogFiles.logFile(dir, 2, "").toPath());

            CleanResult first = cleaner.cleanOnce(log);

            assertThat(first.cleanerOffset()).isEqualTo(2);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(1L, 2L, 3L, 4L);
            assertThat(Files.readAllBytes(LogFiles.logFile(dir, 2, "").toPath()))
                    .isEqualTo(second);

            log.updateHighWatermark(log.logEndOffset());
            CleanResult next = cleaner.cleanOnce(log);

            assertThat(next.cleanerOffset()).isEqualTo(4);
            assertThat(all(log)).extracting(Rec::offset, Rec::value).containsExactly(tuple(3L, "4"), tuple(4L, "5"));
        }
    }

    @Test
    void leavesRecordsYoungerThanTheMinCompactionLag() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.MIN_COMPACTION_LAG_MS, 10_000L))) {
            writeRounds(log, 2, 3);
            log.updateHighWatermark(log.logEndOffset());

            clock.advance(9_999);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.NOT_DIRTY_ENOUGH);
            assertThat(all(log)).hasSize(6);

            clock.advance(1);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(3L, 4L, 5L);
        }
    }

    @Test
    void compactDeleteAlsoAppliesRetention() throws IOException {
        Map<String, Object> settings =
                Map.of(LogConfig.CLEANUP_POLICY, "compact,delete", LogConfig.RETENTION_MS, 100_000L);
        try (PartitionLog log = open(settings)) {
            writeRounds(log, 2, 3);
            clock.advance(200_000);
            writeRounds(log, 2, 3);
            put(log, "key-0", "active");
            log.updateHighWatermark(log.logEndOffset());

            CleanResult result = cleaner.cleanOnce(log);

            assertThat(result.outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(log.logStartOffset()).isEqualTo(6);
            assertThat(all(log))
                    .extracting(Rec::offset, Rec::value)
                    .containsExactly(
                            tuple(9L, "value-1-0"),
                            tuple(10L, "value-1-1"),
                            tuple(11L, "value-1-2"),
                            tuple(12L, "active"));
        }
    }

    // ---- when compaction runs -----------------------------------------------------------------

    @Test
    void compactsOnlyOnceTheDirtyRatioReachesTheMinimum() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, 0.5))) {
            // Ten keys, one equal-sized batch each: all dirty, ratio 1.
            for (int k = 0; k < 10; k++) {
                put(log, "k" + k, "a");
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(log.cleanerOffset()).isEqualTo(10);

            // Three new batches against ten clean ones: ratio 3/13.
            for (int k = 0; k < 3; k++) {
                put(log, "k" + k, "b");
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            List<Rec> before = all(log);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.NOT_DIRTY_ENOUGH);
            assertThat(all(log)).isEqualTo(before);
            assertThat(log.cleanerOffset()).isEqualTo(10);

            // Eleven against ten: above one half.
            for (int k = 3; k < 11; k++) {
                put(log, "k" + k, "b");
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.CLEANED);
            assertThat(log.cleanerOffset()).isEqualTo(21);
            assertThat(all(log))
                    .hasSize(11)
                    .allSatisfy(r -> assertThat(r.value()).isEqualTo("b"));
        }
    }

    @Test
    void skipsLogsWithoutTheCompactPolicy() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.CLEANUP_POLICY, LogConfig.DELETE))) {
            writeRounds(log, 2, 2);
            log.updateHighWatermark(log.logEndOffset());

            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.NOT_COMPACTED);
            assertThat(all(log)).hasSize(4);
        }
    }

    // ---- segments and the offset map ----------------------------------------------------------

    @Test
    void groupsSmallSegmentsIntoCleanedSegmentsNoLargerThanSegmentBytes() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            for (int i = 0; i < 200; i++) {
                put(log, "key-" + (i % 40), "value-" + i);
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            int fullSegments = log.numberOfSegments() - 1;

            CleanResult first = cleaner.cleanOnce(log);

            // Groups are sized by the segments before cleaning, as Kafka does: full ones stay apart.
            assertThat(first.segmentsRewritten()).isEqualTo(fullSegments);
            assertThat(first.segmentsWritten()).isEqualTo(fullSegments);

            for (int i = 200; i < 240; i++) {
                put(log, "key-" + (i % 40), "value-" + i);
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            List<Long> basesBefore = log.segmentBaseOffsets();
            List<Rec> before = all(log);

            CleanResult second = cleaner.cleanOnce(log);

            assertThat(second.segmentsRewritten()).isEqualTo(basesBefore.size() - 1);
            assertThat(second.segmentsWritten()).isGreaterThan(1).isLessThan(second.segmentsRewritten() / 2);
            assertThat(log.numberOfSegments()).isEqualTo(second.segmentsWritten() + 1);
            assertThat(basesBefore).containsAll(log.segmentBaseOffsets());
            assertThat(log.segments())
                    .allSatisfy(segment -> assertThat(segment.size()).isLessThanOrEqualTo(1024));
            assertThat(all(log))
                    .containsExactlyElementsOf(compacted(before, 240))
                    .hasSize(40);
        }
    }

    @Test
    void aFullOffsetMapCleansThePrefixThatFitAndTheNextPassGoesOn() throws IOException {
        LogCleaner small = new LogCleaner(2, 10);
        try (small;
                PartitionLog log = open(Map.of())) {
            for (String kv : List.of("k0=a", "k1=a", "k0=b", "k1=b")) {
                put(log, kv.split("=")[0], kv.split("=")[1]);
            }
            log.roll();
            for (String kv : List.of("k2=a", "k3=a", "k2=b", "k3=b")) {
                put(log, kv.split("=")[0], kv.split("=")[1]);
            }
            log.roll();
            put(log, "k0", "c");
            log.updateHighWatermark(log.logEndOffset());

            CleanResult first = small.cleanOnce(log);

            // Two keys fit: offsets 0-3 are mapped, the k2 batch at 4 is not.
            assertThat(first.cleanerOffset()).isEqualTo(4);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(2L, 3L, 4L, 5L, 6L, 7L, 8L);

            CleanResult second = small.cleanOnce(log);

            assertThat(second.cleanerOffset()).isEqualTo(8);
            assertThat(all(log)).extracting(Rec::offset).containsExactly(2L, 3L, 6L, 7L, 8L);
        }
    }

    @Test
    void failsWhenTheOffsetMapCannotHoldOneBatch() throws IOException {
        LogCleaner tiny = new LogCleaner(1, 10);
        try (tiny;
                PartitionLog log = open(Map.of())) {
            log.appendAsLeader(
                    MemoryRecords.withRecords(
                            Compression.NONE,
                            new SimpleRecord(clock.millis(), Batches.bytes("a"), Batches.bytes("1")),
                            new SimpleRecord(clock.millis(), Batches.bytes("b"), Batches.bytes("1"))),
                    0);
            log.roll();
            log.updateHighWatermark(log.logEndOffset());

            assertThatThrownBy(() -> tiny.cleanOnce(log))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot hold the 2 records");
            assertThat(all(log)).hasSize(2);
            assertThat(dir.list((d, name) -> name.endsWith(LogFiles.CLEANED))).isEmpty();
        }
    }

    // ---- reads, reopening, crashes ------------------------------------------------------------

    @Test
    void readsDuringAndAfterCompactionSeeConsistentData() throws Exception {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            for (int i = 0; i < 300; i++) {
                put(log, "key-" + (i % 20), "value-" + i);
            }
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            List<Rec> before = all(log);
            Map<Long, Rec> original = new HashMap<>();
            before.forEach(r -> original.put(r.offset(), r));
            List<Rec> expected = compacted(before, 300);
            Map<String, String> latest = latestValues(expected);
            // A read in flight when the swap happens: it holds a slice of a replaced segment.
            FetchDataInfo inFlight = log.read(0, 1 << 20, FetchIsolation.HIGH_WATERMARK, false);
            List<Rec> inFlightBefore = Batches.read(inFlight.records());

            AtomicBoolean done = new AtomicBoolean();
            ExecutorService readers = Executors.newSingleThreadExecutor();
            try {
                Future<Integer> reads = readers.submit(() -> {
                    int n = 0;
                    while (!done.get() || n < 3) {
                        List<Rec> seen = Batches.readAll(log, log.logStartOffset(), FetchIsolation.HIGH_WATERMARK);
                        // Whatever mix of old and new segments a read sees: original records in
                        // offset order, every surviving record there, and the same latest values.
                        assertThat(seen)
                                .allSatisfy(r ->
                                        assertThat(original.get(r.offset())).isEqualTo(r));
                        assertThat(seen).extracting(Rec::offset).isSorted().doesNotHaveDuplicates();
                        assertThat(seen).containsAll(expected);
                        assertThat(latestValues(seen)).isEqualTo(latest);
                        n++;
                    }
                    return n;
                });
                CleanResult result;
                try {
                    result = cleaner.cleanOnce(log);
                } finally {
                    done.set(true);
                }

                assertThat(result.outcome()).isEqualTo(Outcome.CLEANED);
                assertThat(reads.get()).isGreaterThanOrEqualTo(3);
            } finally {
                // No shutdownNow: an interrupt during a read would close the segment's channel.
                readers.shutdown();
            }
            assertThat(all(log)).containsExactlyElementsOf(expected);
            assertThat(Batches.read(inFlight.records())).isEqualTo(inFlightBefore);
        }
    }

    static Map<String, String> latestValues(List<Rec> records) {
        Map<String, String> latest = new LinkedHashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    @Test
    void reopeningAfterCompactionGivesTheSameRecords() throws IOException {
        List<Rec> compactedRecords;
        List<Long> bases;
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            for (int i = 0; i < 100; i++) {
                put(log, "key-" + (i % 7), i % 10 == 0 ? null : "value-" + i);
            }
            put(log, "last", "in-active");
            log.updateHighWatermark(log.logEndOffset());
            cleaner.cleanOnce(log);
            compactedRecords = all(log);
            bases = log.segmentBaseOffsets();
        }
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            assertThat(all(log)).isEqualTo(compactedRecords);
            assertThat(log.segmentBaseOffsets()).isEqualTo(bases);
            assertThat(log.cleanerOffset()).isEqualTo(bases.get(bases.size() - 1));
            assertThat(log.logEndOffset()).isEqualTo(101);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.NOT_DIRTY_ENOUGH);
        }
    }

    /**
     * A closed log of three segments (0, 3, 6) and an active one (9) in {@code dir}, a copy of it in
     * {@code copy}, and the copy compacted into one segment at 0 in place. Returns the compacted
     * records.
     */
    List<Rec> originalAndCompactedCopy(File copy) throws IOException {
        try (PartitionLog log = open(Map.of())) {
            writeRounds(log, 3, 3);
            put(log, "key-0", "active");
            log.updateHighWatermark(log.logEndOffset());
        }
        copyDir(dir, copy);
        try (PartitionLog log = open(copy, Map.of())) {
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 3L, 6L, 9L);
            cleaner.cleanOnce(log);
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 9L);
            return all(log);
        }
    }

    static void copyDir(File from, File to) throws IOException {
        Files.createDirectories(to.toPath());
        File[] files = from.listFiles();
        for (File f : files == null ? new File[0] : files) {
            Files.copy(f.toPath(), new File(to, f.getName()).toPath(), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The swap was committed (journal written, cleaned segment fsynced) and the broker died while
     * renaming the replaced segments to {@code .deleted}, after {@code renamed} of the three.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void aCrashAfterTheSwapCommitFinishesTheSwapOnReopen(int renamed) throws IOException {
        File compactedDir = tmp.resolve("compacted-0").toFile();
        List<Rec> compactedRecords = originalAndCompactedCopy(compactedDir);
        Files.copy(
                LogFiles.logFile(compactedDir, 0, "").toPath(),
                LogFiles.logFile(dir, 0, LogFiles.CLEANED).toPath());
        Files.copy(
                LogFiles.offsetIndexFile(compactedDir, 0, "").toPath(),
                LogFiles.offsetIndexFile(dir, 0, LogFiles.CLEANED).toPath());
        SegmentSwap.commit(dir, 0, List.of(0L, 3L, 6L));
        for (long base : List.of(0L, 3L, 6L).subList(0, renamed)) {
            for (File f : List.of(
                    LogFiles.logFile(dir, base, ""),
                    LogFiles.offsetIndexFile(dir, base, ""),
                    LogFiles.timeIndexFile(dir, base, ""))) {
                Files.move(f.toPath(), new File(dir, f.getName() + LogFiles.DELETED).toPath());
            }
        }
        Files.delete(new File(dir, PartitionLog.CLEAN_SHUTDOWN_MARKER).toPath());

        try (PartitionLog log = open(Map.of())) {
            assertThat(all(log)).isEqualTo(compactedRecords);
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 9L);
            assertThat(dir.list((d, name) -> name.endsWith(LogFiles.CLEANED)
                            || name.endsWith(LogFiles.DELETED)
                            || name.equals(SegmentSwap.JOURNAL)))
                    .isEmpty();
            put(log, "after", "reopen");
            assertThat(log.logEndOffset()).isEqualTo(11);
        }
    }

    @Test
    void aCleanedSegmentWithoutAJournalIsDiscardedAndTheOriginalKept() throws IOException {
        File compactedDir = tmp.resolve("compacted-0").toFile();
        originalAndCompactedCopy(compactedDir);
        List<Rec> original;
        try (PartitionLog log = open(Map.of())) {
            original = all(log);
        }
        // The broker died before the swap was committed: the cleaned files are there, no journal.
        Files.copy(
                LogFiles.logFile(compactedDir, 0, "").toPath(),
                LogFiles.logFile(dir, 0, LogFiles.CLEANED).toPath());
        Files.copy(
                LogFiles.offsetIndexFile(compactedDir, 0, "").toPath(),
                LogFiles.offsetIndexFile(dir, 0, LogFiles.CLEANED).toPath());
        Files.delete(new File(dir, PartitionLog.CLEAN_SHUTDOWN_MARKER).toPath());

        try (PartitionLog log = open(Map.of())) {
            assertThat(original).hasSize(10);
            assertThat(all(log)).isEqualTo(original);
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 3L, 6L, 9L);
            assertThat(dir.list((d, name) -> name.endsWith(LogFiles.CLEANED))).isEmpty();
        }
    }

    // ---- the background thread ----------------------------------------------------------------

    @Test
    void theBackgroundThreadCompactsRegisteredLogs() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            writeRounds(log, 4, 5);
            log.updateHighWatermark(log.logEndOffset());
            List<Rec> expected = compacted(all(log), 20);

            cleaner.register(log);
            cleaner.start();

            assertThat(cleaner.state()).isEqualTo(LogCleaner.State.RUNNING);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.cleanerOffset() == 20);
            assertThat(all(log)).containsExactlyElementsOf(expected);

            cleaner.unregister(log);
            writeRounds(log, 1, 5);
            log.updateHighWatermark(log.logEndOffset());
            cleaner.close();
            assertThat(cleaner.state()).isEqualTo(LogCleaner.State.STOPPED);
            assertThat(log.cleanerOffset()).isEqualTo(20);
            assertThat(cleaner.cleanOnce(log).outcome()).isEqualTo(Outcome.ABORTED);
        }
    }

    @Test
    void theDirtiestDueLogIsCompactedFirst() throws IOException {
        File otherDir = tmp.resolve("users-1").toFile();
        try (PartitionLog lessDirty = open(Map.of());
                PartitionLog dirtier = open(otherDir, Map.of());
                PartitionLog clean = open(tmp.resolve("users-2").toFile(), Map.of())) {
            // Half dirty: five clean records, five dirty.
            writeRounds(lessDirty, 2, 5);
            lessDirty.updateHighWatermark(lessDirty.logEndOffset());
            cleaner.cleanOnce(lessDirty);
            writeRounds(lessDirty, 1, 5);
            lessDirty.updateHighWatermark(lessDirty.logEndOffset());
            // All dirty.
            writeRounds(dirtier, 3, 5);
            dirtier.updateHighWatermark(dirtier.logEndOffset());
            // Nothing below the high watermark.
            writeRounds(clean, 3, 5);
            cleaner.register(lessDirty);
            cleaner.register(dirtier);
            cleaner.register(clean);

            assertThat(cleaner.filthiestLog()).isSameAs(dirtier);
            cleaner.cleanOnce(dirtier);
            assertThat(cleaner.filthiestLog()).isSameAs(lessDirty);
            cleaner.cleanOnce(lessDirty);
            assertThat(cleaner.filthiestLog()).isNull();
        }
    }
}
