package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.broker.log.LeaderEpochCache.EpochEntry;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The partition log's leader epoch cache: fed by appends, cut by truncation and retention, reloaded. */
class PartitionLogEpochsTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);
    ScheduledExecutorService scheduler;
    File dir;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        dir = tmp.resolve("events-0").toFile();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    PartitionLog open() throws IOException {
        return PartitionLog.open(
                dir, LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, 200)), clock, scheduler, new LogDirFailureHandler());
    }

    /** Four batches of two records under epochs 0, 0, 2 and 5: offsets 0-1, 2-3, 4-5, 6-7. */
    PartitionLog withEpochs0025() throws IOException {
        PartitionLog log = open();
        for (int epoch : new int[] {0, 0, 2, 5}) {
            log.appendAsLeader(Batches.of(clock.millis(), "a", "b"), epoch);
        }
        log.updateHighWatermark(log.logEndOffset());
        return log;
    }

    static final List<EpochEntry> ENTRIES_0025 =
            List.of(new EpochEntry(0, 0), new EpochEntry(2, 4), new EpochEntry(5, 6));

    @Test
    void leaderAppendsRecordTheFirstOffsetOfEachNewEpoch() throws IOException {
        try (PartitionLog log = withEpochs0025()) {
            assertThat(log.epochEntries()).isEqualTo(ENTRIES_0025);
            assertThat(log.latestEpoch()).contains(5);
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 8));
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 4));
            assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(2, 6));
            assertThat(Files.readAllLines(new File(dir, LeaderEpochCache.FILE_NAME).toPath()))
                    .containsExactly("0", "3", "0 0", "2 4", "5 6");
        }
    }

    @Test
    void followerAppendsKeepTheLeadersEpochs() throws IOException {
        try (PartitionLog log = open()) {
            assertThat(log.latestEpoch()).isEmpty();
            log.appendAsFollower(MemoryRecords.withRecords(0L, Compression.NONE, 1, record("a"), record("b")));
            log.appendAsFollower(MemoryRecords.withRecords(2L, Compression.NONE, 1, record("c")));
            log.appendAsFollower(MemoryRecords.withRecords(3L, Compression.NONE, 3, record("d")));
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(1, 0), new EpochEntry(3, 3));
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(1, 3));
        }
    }

    @Test
    void truncationRemovesTheEpochsThatStartAfterTheNewEnd() throws IOException {
        try (PartitionLog log = withEpochs0025()) {
            log.truncateTo(6);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 4));
            assertThat(log.endOffsetForEpoch(2)).isEqualTo(new EpochEndOffset(2, 6));
            // Epoch 5 is gone: above the latest, it is unknown.
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(EpochEndOffset.UNDEFINED);
            // A batch straddling the point goes whole, and its epoch with it.
            log.truncateTo(5);
            assertThat(log.logEndOffset()).isEqualTo(4);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0));
            log.appendAsLeader(Batches.of(clock.millis(), "x"), 7);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(7, 4));
            log.truncateFullyAndStartAt(20);
            assertThat(log.epochEntries()).isEmpty();
        }
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEmpty();
        }
    }

    @Test
    void movingTheLogStartCollapsesTheEpochsBelowIt() throws IOException {
        try (PartitionLog log = withEpochs0025()) {
            log.deleteRecordsBefore(5);
            assertThat(log.epochEntries()).containsExactly(new EpochEntry(2, 5), new EpochEntry(5, 6));
            assertThat(log.endOffsetForEpoch(0)).isEqualTo(new EpochEndOffset(0, 5));
        }
        try (PartitionLog reopened = open()) {
            assertThat(reopened.logStartOffset()).isEqualTo(5);
            assertThat(reopened.epochEntries()).containsExactly(new EpochEntry(2, 5), new EpochEntry(5, 6));
        }
    }

    @Test
    void reopeningAfterACleanCloseGivesTheSameCache() throws IOException {
        withEpochs0025().close();
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEqualTo(ENTRIES_0025);
        }
    }

    @Test
    void reopeningAfterACrashGivesTheSameCache() throws IOException {
        withEpochs0025().close();
        Files.delete(new File(dir, PartitionLog.CLEAN_SHUTDOWN_MARKER).toPath());
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEqualTo(ENTRIES_0025);
        }
    }

    @Test
    void aMissingOrCorruptCheckpointIsRebuiltFromTheBatches() throws IOException {
        withEpochs0025().close();
        Path file = new File(dir, LeaderEpochCache.FILE_NAME).toPath();
        Files.delete(file);
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEqualTo(ENTRIES_0025);
        }
        Files.writeString(file, "0\n7\ngarbage\n");
        Files.delete(new File(dir, PartitionLog.CLEAN_SHUTDOWN_MARKER).toPath());
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEqualTo(ENTRIES_0025);
        }
        assertThat(Files.readAllLines(file)).containsExactly("0", "3", "0 0", "2 4", "5 6");
    }

    @Test
    void aCheckpointAheadOfTheRecoveredLogIsCutToItsEnd() throws IOException {
        withEpochs0025().close();
        // As after a crash between the checkpoint of a new epoch and the write of its batch.
        Files.writeString(new File(dir, LeaderEpochCache.FILE_NAME).toPath(), "0\n4\n0 0\n2 4\n5 6\n9 8\n");
        Files.delete(new File(dir, PartitionLog.CLEAN_SHUTDOWN_MARKER).toPath());
        try (PartitionLog reopened = open()) {
            assertThat(reopened.epochEntries()).isEqualTo(ENTRIES_0025);
            assertThat(reopened.latestEpoch()).contains(5);
        }
    }

    static SimpleRecord record(String value) {
        return new SimpleRecord(1_000_000L, null, Batches.bytes(value));
    }
}
