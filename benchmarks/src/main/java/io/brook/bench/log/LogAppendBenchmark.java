package io.brook.bench.log;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append throughput of {@link PartitionLog#appendAsLeader}: one thread appends the same producer
 * batch again and again, as a partition leader would append batches from a producer.
 *
 * <p>Re-appending one {@link MemoryRecords} is valid: the log rewrites the batch's base offset and
 * partition leader epoch in place, and neither field is covered by the batch CRC (CRC32C covers
 * the bytes from the attributes field on); {@code MemoryRecords.writeFullyTo} restores the buffer
 * position after writing. {@link #setUp} proves it on every run: it appends the batch twice, reads
 * both copies back from disk and checks their CRCs and offsets.
 *
 * <p>The log rolls segments of {@code segmentMb} (256 MiB by default); on each roll it flushes the
 * old segment in the background, as Kafka does. A background task, standing in for the broker's
 * retention thread, advances the high watermark to the log end and applies {@code
 * retention.bytes} = two segments every 200 ms, so a trial keeps at most about four segments on
 * disk however long it runs.
 *
 * <p>Score: appends (batches) per second; the {@code bytes} counter is the batch bytes written to
 * the log per second (record overhead included), which is what the disk sees.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
public class LogAppendBenchmark {

    static final int SEGMENT_BYTES = 256 * 1024 * 1024;

    /** {@code 100B}: one record of 100 bytes per batch; {@code 16KB}: 16 records of 1 KiB. */
    @Param({"100B", "16KB"})
    public String batch;

    /** {@code none}: the default (no fsync, the OS writes back); {@code everyAppend}: flush.messages=1. */
    @Param({"none", "everyAppend"})
    public String fsync;

    /** {@code segment.bytes}, in MiB. */
    @Param({"256"})
    public int segmentMb;

    private Path dir;
    private ScheduledExecutorService scheduler;
    private ScheduledExecutorService retention;
    private PartitionLog log;
    private MemoryRecords records;
    private int batchBytes;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BatchShape shape = BatchShape.of(batch);
        dir = BenchFiles.newTrialDir("brook-append-");
        scheduler = Executors.newScheduledThreadPool(2);
        Map<String, Object> settings = new HashMap<>();
        settings.put(LogConfig.SEGMENT_BYTES, segmentMb * 1024 * 1024);
        settings.put(LogConfig.RETENTION_BYTES, 2L * segmentMb * 1024 * 1024);
        settings.put(LogConfig.FILE_DELETE_DELAY_MS, 0L);
        switch (fsync) {
            case "none" -> {}
            case "everyAppend" -> settings.put(LogConfig.FLUSH_MESSAGES, 1L);
            default -> throw new IllegalArgumentException("fsync must be none or everyAppend, not " + fsync);
        }
        log = BenchFiles.openLog(dir.resolve("bench-0"), settings, scheduler);
        records = BenchFiles.batch(shape.records, shape.valueBytes, System.currentTimeMillis());
        batchBytes = records.sizeInBytes();
        checkReappendIsValid(log, records, shape.records);
        System.out.printf(
                "# batch %s: %d records, %d value bytes, %d bytes on disk%n",
                batch, shape.records, shape.records * shape.valueBytes, batchBytes);
        retention = Executors.newSingleThreadScheduledExecutor();
        retention.scheduleWithFixedDelay(this::applyRetention, 200, 200, TimeUnit.MILLISECONDS);
    }

    private void applyRetention() {
        try {
            log.updateHighWatermark(log.logEndOffset());
            log.deleteOldSegments();
        } catch (RuntimeException e) {
            // Keep the task scheduled; a failing append shows up in the benchmark thread anyway.
            System.err.println("retention failed: " + e);
        }
    }

    /**
     * Appends {@code records} twice and reads both copies back: each must pass its CRC check and
     * carry the offsets the log assigned. Fails the trial otherwise.
     */
    static void checkReappendIsValid(PartitionLog log, MemoryRecords records, int recordsPerBatch) {
        long start = log.logEndOffset();
        log.appendAsLeader(records, 1);
        log.appendAsLeader(records, 2);
        BenchFiles.ensureValid(records);
        FileRecords onDisk = (FileRecords)
                log.read(start, Integer.MAX_VALUE, FetchIsolation.LOG_END, true).records();
        long expected = start;
        int epoch = 1;
        for (RecordBatch b : onDisk.batches()) {
            b.ensureValid();
            if (b.baseOffset() != expected || b.partitionLeaderEpoch() != epoch) {
                throw new IllegalStateException("re-appended batch has base offset " + b.baseOffset() + " and epoch "
                        + b.partitionLeaderEpoch() + ", expected " + expected + " and " + epoch);
            }
            expected = b.nextOffset();
            epoch++;
        }
        if (expected != start + 2L * recordsPerBatch || log.logEndOffset() != expected) {
            throw new IllegalStateException("re-appending did not add two batches: log end " + log.logEndOffset());
        }
    }

    @Benchmark
    public LogAppendInfo append(ByteCounter counters) {
        LogAppendInfo info = log.appendAsLeader(records, 0);
        counters.bytes += batchBytes;
        return info;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        retention.shutdownNow();
        retention.awaitTermination(1, TimeUnit.MINUTES);
        scheduler.shutdown();
        scheduler.awaitTermination(5, TimeUnit.MINUTES);
        log.delete();
        BenchFiles.deleteRecursively(dir);
    }
}
