package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);

    LogManager manager(List<File> dirs, Map<String, LogConfig> configs, LogManager.Settings settings) {
        return new LogManager(
                dirs,
                topic -> configs.getOrDefault(topic, LogConfig.DEFAULT),
                clock,
                settings,
                new LogDirFailureHandler());
    }

    @Test
    void createsLogsAcrossDataDirsAndReopensThem() throws IOException {
        List<File> dirs = List.of(tmp.resolve("d1").toFile(), tmp.resolve("d2").toFile());
        TopicPartition a = new TopicPartition("orders", 0);
        TopicPartition b = new TopicPartition("orders", 1);
        try (LogManager m = manager(dirs, Map.of(), LogManager.Settings.DEFAULT)) {
            m.startup();
            m.getOrCreateLog(a).appendAsLeader(Batches.of(1L, "x", "y"), 0);
            m.getOrCreateLog(b).appendAsLeader(Batches.of(1L, "z"), 0);
            assertThat(m.getLog(a).orElseThrow().dir().getParentFile())
                    .isNotEqualTo(m.getLog(b).orElseThrow().dir().getParentFile());
        }
        try (LogManager m = manager(dirs, Map.of(), LogManager.Settings.DEFAULT)) {
            m.startup();
            assertThat(m.allLogs()).containsOnlyKeys(a, b);
            assertThat(m.getLog(a).orElseThrow().logEndOffset()).isEqualTo(2);
            assertThat(m.getLog(b).orElseThrow().logEndOffset()).isEqualTo(1);
        }
    }

    @Test
    void aDataDirCanBeOpenedByOneManagerAtATime() throws IOException {
        List<File> dirs = List.of(tmp.resolve("d").toFile());
        try (LogManager first = manager(dirs, Map.of(), LogManager.Settings.DEFAULT)) {
            first.startup();
            LogManager second = manager(dirs, Map.of(), LogManager.Settings.DEFAULT);
            assertThatThrownBy(second::startup).isInstanceOf(IOException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void deletingAPartitionRemovesItsFiles() throws IOException {
        File dataDir = tmp.resolve("d").toFile();
        TopicPartition tp = new TopicPartition("gone", 0);
        try (LogManager m = manager(List.of(dataDir), Map.of(), LogManager.Settings.DEFAULT)) {
            m.startup();
            m.getOrCreateLog(tp).appendAsLeader(Batches.of(1L, "x"), 0);
            assertThat(m.deleteLog(tp)).isTrue();
            assertThat(m.getLog(tp)).isEmpty();
            await().untilAsserted(() -> assertThat(dataDir.list((d, name) -> name.startsWith("gone")))
                    .isEmpty());
        }
    }

    @Test
    void retentionRunsOnItsSchedule() throws IOException {
        TopicPartition tp = new TopicPartition("short", 0);
        LogConfig config = LogConfig.of(Map.of(LogConfig.RETENTION_MS, 1_000, LogConfig.FILE_DELETE_DELAY_MS, 0));
        try (LogManager m = manager(
                List.of(tmp.resolve("d").toFile()),
                Map.of("short", config),
                new LogManager.Settings(50, 50, 50, 1000, 50))) {
            m.startup();
            PartitionLog log = m.getOrCreateLog(tp);
            log.appendAsLeader(Batches.of(clock.millis(), "old"), 0);
            log.updateHighWatermark(1);
            clock.advance(5_000);
            await().untilAsserted(() -> assertThat(log.logStartOffset()).isEqualTo(1));
        }
    }

    @Test
    void compactedTopicsAreCompactedInTheBackground() throws IOException {
        TopicPartition tp = new TopicPartition("latest", 0);
        LogConfig config = LogConfig.of(Map.of(
                LogConfig.CLEANUP_POLICY, "compact", LogConfig.SEGMENT_BYTES, 300, LogConfig.FILE_DELETE_DELAY_MS, 0));
        try (LogManager m = manager(
                List.of(tmp.resolve("d").toFile()),
                Map.of("latest", config),
                new LogManager.Settings(60_000, 60_000, 60_000, 1000, 20))) {
            m.startup();
            PartitionLog log = m.getOrCreateLog(tp);
            for (int i = 0; i < 60; i++) {
                log.appendAsLeader(Batches.keyed(clock.millis(), "k" + i % 3, "v" + i), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            long before = log.size();
            await().untilAsserted(() -> assertThat(log.size()).isLessThan(before / 2));
            List<Batches.Rec> records = Batches.readAll(log, 0, FetchIsolation.LOG_END);
            assertThat(records).extracting(Batches.Rec::value).contains("v57", "v58", "v59");
            assertThat(records).extracting(Batches.Rec::value).doesNotContain("v0", "v1", "v2");
        }
    }

    @Test
    void partitionDirectoryNamesSplitAtTheLastDash() {
        assertThat(LogManager.parse("my-topic-12")).contains(new TopicPartition("my-topic", 12));
        assertThat(LogManager.parse("nodash")).isEmpty();
        assertThat(LogManager.parse("topic-x")).isEmpty();
        assertThat(LogManager.parse("topic-")).isEmpty();
    }
}
