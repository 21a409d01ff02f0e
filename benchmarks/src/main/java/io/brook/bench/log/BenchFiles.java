package io.brook.bench.log;

import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * Where the benchmarks put their data, and how they build it.
 *
 * <p>The data directory is a fresh temporary directory under {@code -Dbrook.bench.dir} (or the
 * environment variable {@code BROOK_BENCH_DIR}), else under the system temp dir. JMH forks inherit
 * the host JVM's {@code -D} options, so {@code java -Dbrook.bench.dir=... -jar benchmarks.jar}
 * reaches the forked benchmark JVMs.
 */
final class BenchFiles {

    static final String DIR_PROPERTY = "brook.bench.dir";
    static final String DIR_ENV = "BROOK_BENCH_DIR";

    private BenchFiles() {}

    /** A new, empty directory for one trial; delete it with {@link #deleteRecursively}. */
    static Path newTrialDir(String prefix) throws IOException {
        String base = System.getProperty(DIR_PROPERTY);
        if (base == null || base.isBlank()) {
            base = System.getenv(DIR_ENV);
        }
        if (base == null || base.isBlank()) {
            base = System.getProperty("java.io.tmpdir");
        }
        Path parent = Files.createDirectories(Paths.get(base));
        Path dir = Files.createTempDirectory(parent, prefix);
        FileStore store = Files.getFileStore(dir);
        // Printed once per fork, so that the JMH output says which filesystem was measured.
        System.out.printf("# data dir on filesystem %s (%s)%n", store.type(), store.name());
        return dir;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * One uncompressed v2 batch of {@code count} records without keys, each with a zero-filled
     * value of {@code valueBytes}, as a producer would send it.
     */
    static MemoryRecords batch(int count, int valueBytes, long timestamp) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            records[i] = new SimpleRecord(timestamp, null, new byte[valueBytes]);
        }
        return MemoryRecords.withRecords(Compression.NONE, records);
    }

    /** Opens a log in {@code dir} with Kafka's defaults overridden by {@code settings}. */
    static PartitionLog openLog(Path dir, Map<String, ?> settings, ScheduledExecutorService scheduler)
            throws IOException {
        return PartitionLog.open(
                dir.toFile(), LogConfig.of(settings), Clock.systemUTC(), scheduler, new LogDirFailureHandler());
    }

    /** Checks every batch's size and CRC, as the log does on append. */
    static void ensureValid(MemoryRecords records) {
        for (MutableRecordBatch batch : records.batches()) {
            batch.ensureValid();
        }
    }

    /**
     * Drops the page cache of {@code file} (its clean pages): {@code dd iflag=nocache count=0} asks
     * the kernel, through {@code posix_fadvise(POSIX_FADV_DONTNEED)}, to forget the whole file.
     * Needs no privileges and touches no other file; dirty pages must be flushed first.
     */
    static void dropPageCache(Path file) throws IOException, InterruptedException {
        Process dd = new ProcessBuilder(List.of("dd", "if=" + file, "iflag=nocache", "count=0", "status=none"))
                .redirectErrorStream(true)
                .start();
        String out = new String(dd.getInputStream().readAllBytes());
        if (dd.waitFor() != 0) {
            throw new IOException("dd could not drop the page cache of " + file + ": " + out);
        }
    }
}
