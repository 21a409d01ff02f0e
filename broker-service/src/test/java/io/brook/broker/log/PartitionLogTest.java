package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.log.Batches.Rec;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.LongStream;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Appends, reads, rolling, retention, truncation, flushing and bad input of one partition log. */
class PartitionLogTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);
    ScheduledExecutorService scheduler;
    File dir;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        dir = tmp.resolve("events-3").toFile();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    PartitionLog open(Map<String, ?> settings) throws IOException {
        return PartitionLog.open(dir, LogConfig.of(settings), clock, scheduler, new LogDirFailureHandler());
    }

    void appendValues(PartitionLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.appendAsLeader(Batches.of(clock.millis(), "v" + log.logEndOffset()), 0);
        }
    }

    List<Long> offsets(PartitionLog log) {
        return Batches.readAll(log, log.logStartOffset(), FetchIsolation.LOG_END).stream()
                .map(Rec::offset)
                .toList();
    }

    @Test
    void rollsWhenSegmentMsHasPassedSinceTheFirstBatch() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_MS, 60_000))) {
            appendValues(log, 3);
            clock.advance(59_000);
            appendValues(log, 1);
            assertThat(log.numberOfSegments()).isEqualTo(1);
            clock.advance(2_000);
            appendValues(log, 1);
            assertThat(log.segmentBaseOffsets()).containsExactly(0L, 4L);
        }
    }

    @Test
    void timeRetentionDeletesOldSegmentsBelowTheHighWatermarkAndMovesTheLogStart() throws IOException {
        try (PartitionLog log =
                open(Map.of(LogConfig.SEGMENT_BYTES, 500, LogConfig.RETENTION_MS, 10_000, "file.delete.delay.ms", 0))) {
            appendValues(log, 20);
            clock.advance(20_000);
            appendValues(log, 5);
            int before = log.numberOfSegments();

            assertThat(log.deleteOldSegments())
                    .as("nothing is below the high watermark")
                    .isZero();

            log.updateHighWatermark(log.logEndOffset());
            assertThat(log.deleteOldSegments()).isPositive();
            assertThat(log.numberOfSegments()).isLessThan(before);
            assertThat(log.logStartOffset()).isEqualTo(log.segmentBaseOffsets().get(0));
            assertThat(log.logStartOffset()).isLessThanOrEqualTo(20);
            assertThat(offsets(log)).contains(20L, 21L, 22L, 23L, 24L);
            assertThatThrownBy(() -> log.read(0, 100, FetchIsolation.LOG_END, true))
                    .isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void timeRetentionOfEverySegmentRollsAndLeavesAnEmptyLogAtTheEnd() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.RETENTION_MS, 10_000, "file.delete.delay.ms", 0))) {
            appendValues(log, 5);
            log.updateHighWatermark(5);
            clock.advance(20_000);
            assertThat(log.deleteOldSegments()).isEqualTo(1);
            assertThat(log.logStartOffset()).isEqualTo(5);
            assertThat(log.logEndOffset()).isEqualTo(5);
            assertThat(log.appendAsLeader(Batches.of(clock.millis(), "next"), 0).firstOffset())
                    .isEqualTo(5);
        }
    }

    @Test
    void sizeRetentionKeepsTheLogWithinRetentionBytes() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 400, LogConfig.RETENTION_BYTES, 1_000))) {
            appendValues(log, 40);
            log.updateHighWatermark(log.logEndOffset());
            long before = log.size();
            log.deleteOldSegments();
            // Whole segments go, oldest first, while what remains stays at or above the limit, as
            // in Kafka: the log ends within one segment of retention.bytes.
            long firstSegment = log.size()
                    - log.segments().stream()
                            .skip(1)
                            .mapToLong(LogSegment::size)
                            .sum();
            assertThat(log.size()).isLessThan(before);
            assertThat(log.size() - firstSegment).isLessThan(1_000);
            assertThat(log.size()).isLessThan(1_000 + 400);
            assertThat(offsets(log)).endsWith(39L);
            assertThat(offsets(log).get(0)).isEqualTo(log.logStartOffset());
        }
    }

    @Test
    void retentionDoesNothingForACompactOnlyTopic() throws IOException {
        try (PartitionLog log = open(Map.of(
                LogConfig.SEGMENT_BYTES, 400, LogConfig.RETENTION_BYTES, 100, LogConfig.CLEANUP_POLICY, "compact"))) {
            for (int i = 0; i < 20; i++) {
                log.appendAsLeader(Batches.keyed(clock.millis(), "k" + i, "v"), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            assertThat(log.deleteOldSegments()).isZero();
            assertThat(log.logStartOffset()).isZero();
        }
    }

    @Test
    void deleteRecordsMovesTheLogStartAndDropsWholeSegmentsBelowIt() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 400))) {
            appendValues(log, 30);
            assertThatThrownBy(() -> log.deleteRecordsBefore(10)).isInstanceOf(OffsetOutOfRangeException.class);
            log.updateHighWatermark(30);

            assertThat(log.deleteRecordsBefore(17)).isEqualTo(17);
            assertThat(log.logStartOffset()).isEqualTo(17);
            assertThat(log.segmentBaseOffsets().get(0)).isLessThanOrEqualTo(17L);
            assertThat(log.segmentBaseOffsets())
                    .allMatch(b -> b >= 17 || log.segmentBaseOffsets().indexOf(b) == 0);
            assertThat(offsets(log)).isEqualTo(LongStream.range(17, 30).boxed().toList());
            assertThat(log.deleteRecordsBefore(5)).as("never moves back").isEqualTo(17);
        }
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 400))) {
            assertThat(log.logStartOffset()).as("survives a restart").isEqualTo(17);
        }
    }

    @Test
    void truncationRemovesTheTailAndTheLogContinuesFromTheNewEnd() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 400))) {
            appendValues(log, 30);
            log.updateHighWatermark(25);

            assertThat(log.truncateTo(12)).isTrue();
            assertThat(log.logEndOffset()).isEqualTo(12);
            assertThat(log.highWatermark()).isEqualTo(12);
            assertThat(offsets(log)).isEqualTo(LongStream.range(0, 12).boxed().toList());
            assertThat(log.appendAsLeader(Batches.of(clock.millis(), "new"), 5).firstOffset())
                    .isEqualTo(12);
            assertThat(log.truncateTo(100)).isFalse();
        }
    }

    @Test
    void truncationInsideABatchRemovesTheWholeBatch() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            log.appendAsLeader(Batches.of(clock.millis(), "a", "b"), 0);
            log.appendAsLeader(Batches.of(clock.millis(), "c", "d", "e"), 0);
            log.truncateTo(3);
            assertThat(log.logEndOffset()).isEqualTo(2);
            assertThat(offsets(log)).containsExactly(0L, 1L);
        }
    }

    @Test
    void truncateFullyStartsAnEmptyLogAtTheOffset() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            appendValues(log, 5);
            log.truncateFullyAndStartAt(100);
            assertThat(log.logStartOffset()).isEqualTo(100);
            assertThat(log.logEndOffset()).isEqualTo(100);
            assertThat(log.appendAsLeader(Batches.of(clock.millis(), "x"), 0).firstOffset())
                    .isEqualTo(100);
        }
    }

    @Test
    void flushMessagesMovesTheRecoveryPointOnAppend() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.FLUSH_MESSAGES, 3))) {
            appendValues(log, 2);
            assertThat(log.recoveryPoint()).isZero();
            appendValues(log, 1);
            assertThat(log.recoveryPoint()).isEqualTo(3);
        }
    }

    @Test
    void theCheckpointIsWrittenPeriodicallyAndAtOnceWhenTheEndMovesBack() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.FLUSH_MESSAGES, 1))) {
            appendValues(log, 10);
            assertThat(log.recoveryPoint()).isEqualTo(10);
            assertThat(PartitionCheckpoint.read(dir).recoveryPoint())
                    .as("flushes do not rewrite the checkpoint")
                    .isZero();
            log.checkpoint();
            assertThat(PartitionCheckpoint.read(dir).recoveryPoint()).isEqualTo(10);

            log.truncateTo(4);
            assertThat(PartitionCheckpoint.read(dir).recoveryPoint())
                    .as("a recovery point above the new end would vouch for later appends")
                    .isEqualTo(4);
        }
    }

    @Test
    void byDefaultFlushingIsLeftToTheOs() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            appendValues(log, 100);
            clock.advance(3_600_000);
            log.flushIfDue();
            assertThat(log.recoveryPoint()).isZero();
        }
    }

    @Test
    void flushMsFlushesOnceTheIntervalHasPassed() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.FLUSH_MS, 1_000))) {
            appendValues(log, 4);
            log.flushIfDue();
            assertThat(log.recoveryPoint()).isZero();
            clock.advance(1_000);
            log.flushIfDue();
            assertThat(log.recoveryPoint()).isEqualTo(4);
        }
    }

    @Test
    void logAppendTimeReplacesTheProducersTimestamps() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"))) {
            LogAppendInfo info = log.appendAsLeader(Batches.of(5L, "a", "b"), 0);
            assertThat(info.logAppendTime()).isEqualTo(clock.millis());
            for (RecordBatch batch :
                    log.read(0, 1000, FetchIsolation.LOG_END, true).records().batches()) {
                batch.ensureValid();
                assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
                assertThat(batch.maxTimestamp()).isEqualTo(clock.millis());
            }
        }
    }

    @Test
    void searchByTimestampFindsTheFirstRecordAtOrAfterIt() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 300, LogConfig.INDEX_INTERVAL_BYTES, 100))) {
            for (int i = 0; i < 40; i++) {
                log.appendAsLeader(Batches.of(10_000L + i * 10, "v" + i), 0);
            }
            assertThat(log.offsetForTimestamp(0)).contains(new TimestampAndOffset(10_000, 0));
            assertThat(log.offsetForTimestamp(10_205)).contains(new TimestampAndOffset(10_210, 21));
            assertThat(log.offsetForTimestamp(10_390)).contains(new TimestampAndOffset(10_390, 39));
            assertThat(log.offsetForTimestamp(10_391)).isEmpty();
        }
    }

    @Test
    void aBatchWithABadCrcIsRefusedAndNothingIsWritten() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            appendValues(log, 2);
            MemoryRecords batch = Batches.of(clock.millis(), "payload");
            ByteBuffer buffer = batch.buffer();
            buffer.put(buffer.limit() - 1, (byte) (buffer.get(buffer.limit() - 1) ^ 0x5a));

            assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("crc");
            assertThat(log.logEndOffset()).isEqualTo(2);
            assertThat(offsets(log)).containsExactly(0L, 1L);
        }
    }

    @Test
    void aTruncatedBatchIsRefused() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            MemoryRecords whole = Batches.of(clock.millis(), "one", "two");
            ByteBuffer cut = whole.buffer().duplicate();
            cut.limit(cut.limit() - 4);
            MemoryRecords records = MemoryRecords.readableRecords(cut.slice());

            assertThatThrownBy(() -> log.appendAsLeader(records, 0))
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("truncated");
            assertThat(log.logEndOffset()).isZero();
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void anOldMagicIsRefused() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            MemoryRecords v1 = MemoryRecords.withRecords(
                    RecordBatch.MAGIC_VALUE_V1, Compression.NONE, new SimpleRecord(1L, null, Batches.bytes("x")));
            assertThatThrownBy(() -> log.appendAsLeader(v1, 0))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("magic 1");
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void aBatchAboveMaxMessageBytesIsRefused() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.MAX_MESSAGE_BYTES, 1_000))) {
            assertThatThrownBy(() -> log.appendAsLeader(Batches.sized(clock.millis(), 1, 2_000), 0))
                    .isInstanceOf(RecordTooLargeException.class)
                    .hasMessageContaining("max.message.bytes");
            assertThat(log.size()).isZero();
        }
    }

    @Test
    void aCompactedTopicRefusesRecordsWithoutKeys() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.CLEANUP_POLICY, "compact"))) {
            assertThatThrownBy(() -> log.appendAsLeader(Batches.of(clock.millis(), "no key"), 0))
                    .isInstanceOf(InvalidRecordException.class)
                    .hasMessageContaining("key");
            log.appendAsLeader(Batches.keyed(clock.millis(), "k", "v"), 0);
            assertThat(log.logEndOffset()).isEqualTo(1);
        }
    }

    @Test
    void aFollowerKeepsTheLeadersOffsetsAndRefusesGoingBack() throws IOException {
        Path leaderDir = tmp.resolve("leader");
        try (PartitionLog leader = PartitionLog.open(
                        leaderDir.toFile(), LogConfig.DEFAULT, clock, scheduler, new LogDirFailureHandler());
                PartitionLog follower = open(Map.of())) {
            leader.appendAsLeader(Batches.of(clock.millis(), "a", "b"), 4);
            leader.appendAsLeader(Batches.of(clock.millis(), "c"), 4);
            MemoryRecords copy = copyOf(leader.read(0, 1 << 20, FetchIsolation.LOG_END, true));

            LogAppendInfo info = follower.appendAsFollower(copy);
            assertThat(info.firstOffset()).isZero();
            assertThat(info.lastOffset()).isEqualTo(2);
            assertThat(follower.logEndOffset()).isEqualTo(3);
            assertThat(Batches.readAll(follower, 0, FetchIsolation.LOG_END))
                    .isEqualTo(Batches.readAll(leader, 0, FetchIsolation.LOG_END));
            MemoryRecords again = copyOf(leader.read(0, 1 << 20, FetchIsolation.LOG_END, true));
            assertThatThrownBy(() -> follower.appendAsFollower(again)).isInstanceOf(InvalidRecordException.class);
        }
    }

    static MemoryRecords copyOf(FetchDataInfo info) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(info.records().sizeInBytes());
        // readInto leaves the buffer flipped, ready to read.
        ((org.apache.kafka.common.record.internal.FileRecords) info.records()).readInto(buffer, 0);
        return MemoryRecords.readableRecords(buffer);
    }

    @Test
    void appendAssignsConsecutiveOffsetsAndStampsTheLeaderEpoch() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            LogAppendInfo first = log.appendAsLeader(Batches.of(clock.millis(), "a", "b", "c"), 7);
            LogAppendInfo second = log.appendAsLeader(Batches.of(clock.millis(), "d"), 8);

            assertThat(first.firstOffset()).isZero();
            assertThat(first.lastOffset()).isEqualTo(2);
            assertThat(second.firstOffset()).isEqualTo(3);
            assertThat(log.logEndOffset()).isEqualTo(4);
            FileRecords slice = (FileRecords)
                    log.read(0, 1 << 20, FetchIsolation.LOG_END, false).records();
            List<Integer> epochs = new java.util.ArrayList<>();
            for (RecordBatch batch : slice.batches()) {
                batch.ensureValid();
                epochs.add(batch.partitionLeaderEpoch());
            }
            assertThat(epochs).containsExactly(7, 8);
            assertThat(Batches.read(slice))
                    .extracting(Rec::offset, Rec::value)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(0L, "a"),
                            org.assertj.core.groups.Tuple.tuple(1L, "b"),
                            org.assertj.core.groups.Tuple.tuple(2L, "c"),
                            org.assertj.core.groups.Tuple.tuple(3L, "d"));
        }
    }

    @Test
    void consumersSeeOnlyRecordsBelowTheHighWatermark() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            log.appendAsLeader(Batches.of(clock.millis(), "a"), 0);
            log.appendAsLeader(Batches.of(clock.millis(), "b"), 0);
            log.updateHighWatermark(1);

            assertThat(Batches.readAll(log, 0, FetchIsolation.HIGH_WATERMARK))
                    .extracting(Rec::value)
                    .containsExactly("a");
            assertThat(Batches.readAll(log, 0, FetchIsolation.LOG_END))
                    .extracting(Rec::value)
                    .containsExactly("a", "b");
            assertThat(log.read(1, 1000, FetchIsolation.HIGH_WATERMARK, true)
                            .records()
                            .sizeInBytes())
                    .isZero();
        }
    }

    @Test
    void readsOutsideTheLogAreOutOfRange() throws IOException {
        try (PartitionLog log = open(Map.of())) {
            log.appendAsLeader(Batches.of(clock.millis(), "a"), 0);
            assertThatThrownBy(() -> log.read(2, 100, FetchIsolation.LOG_END, true))
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessageContaining("offset 2");
            assertThat(log.read(1, 100, FetchIsolation.LOG_END, true).records().sizeInBytes())
                    .isZero();
        }
    }

    @Test
    void rollsBySizeAndReadsAcrossSegments() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            for (int i = 0; i < 50; i++) {
                log.appendAsLeader(Batches.of(clock.millis(), "value-" + i), 0);
            }
            assertThat(log.numberOfSegments()).isGreaterThan(3);
            assertThat(Batches.readAll(log, 0, FetchIsolation.LOG_END))
                    .extracting(Rec::offset)
                    .containsExactlyElementsOf(
                            java.util.stream.LongStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void reopensAfterCleanShutdownWithTheSameState() throws IOException {
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            for (int i = 0; i < 30; i++) {
                log.appendAsLeader(Batches.of(clock.millis() + i, "value-" + i), 0);
            }
            log.updateHighWatermark(25);
        }
        try (PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024))) {
            assertThat(log.logEndOffset()).isEqualTo(30);
            assertThat(log.highWatermark()).isEqualTo(25);
            assertThat(log.offsetForTimestamp(clock.millis() + 10))
                    .contains(new TimestampAndOffset(clock.millis() + 10, 10));
            assertThat(Batches.readAll(log, 0, FetchIsolation.LOG_END)).hasSize(30);
            LogAppendInfo next = log.appendAsLeader(Batches.of(clock.millis(), "after"), 1);
            assertThat(next.firstOffset()).isEqualTo(30);
        }
    }

    @Test
    void deleteRemovesTheWholeDirectoryAndRefusesFurtherUse() throws IOException {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, 1024));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(Batches.of(clock.millis(), "value-" + i), 0);
        }
        log.delete();
        assertThat(dir).doesNotExist();
        assertThatThrownBy(() -> log.appendAsLeader(Batches.of(clock.millis(), "late"), 0))
                .isInstanceOf(org.apache.kafka.common.errors.KafkaStorageException.class);
    }
}
