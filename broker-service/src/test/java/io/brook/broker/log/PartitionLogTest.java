package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.log.Batches.Rec;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);
    ScheduledExecutorService scheduler;
    File dir;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        dir = tmp.resolve("orders-0").toFile();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    PartitionLog open(Map<String, ?> settings) throws IOException {
        return PartitionLog.open(dir, LogConfig.of(settings), clock, scheduler, new LogDirFailureHandler());
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
}
