package io.brook.broker.tools;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.log.TimestampAndOffset;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;

/**
 * A command-line tool over the storage engine, run by {@code ./brook log ...}:
 *
 * <ul>
 *   <li>{@code demo DIR [COUNT]}: opens (recovering if needed) the partition log {@code
 *       DIR/demo-0}, appends COUNT JSON records in batches of ten, reads the last ones back by
 *       offset and one by timestamp, and prints the log's offsets and segments. Run it twice: the
 *       log keeps growing across runs.
 *   <li>{@code dump FILE.log}: lists every batch of a segment file with its offsets, position,
 *       size, leader epoch, timestamps and whether its CRC holds, like {@code kafka-dump-log}.
 * </ul>
 */
public final class LogTool {

    private LogTool() {}

    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        if (args.length >= 2 && args[0].equals("demo")) {
            int count = args.length >= 3 ? Integer.parseInt(args[2]) : 1000;
            demo(new File(args[1]), count, out);
        } else if (args.length == 2 && args[0].equals("dump")) {
            dump(new File(args[1]), out);
        } else {
            System.err.println("usage: log demo DIR [COUNT] | log dump SEGMENT.log");
            System.exit(2);
        }
    }

    static void demo(File dataDir, int count, PrintStream out) throws IOException {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        Clock clock = Clock.systemUTC();
        LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, 64 * 1024));
        try (PartitionLog log =
                PartitionLog.open(new File(dataDir, "demo-0"), config, clock, scheduler, new LogDirFailureHandler())) {
            long startedAt = clock.millis();
            long firstNew = log.logEndOffset();
            out.printf("opened %s: offsets [%d, %d)%n", log.dir(), log.logStartOffset(), log.logEndOffset());
            for (int i = 0; i < count; i += 10) {
                SimpleRecord[] batch = new SimpleRecord[Math.min(10, count - i)];
                for (int j = 0; j < batch.length; j++) {
                    long n = firstNew + i + j;
                    String json = "{\"order\":" + n + ",\"amount\":" + (n * 7 % 100) + "}";
                    batch[j] = new SimpleRecord(
                            clock.millis(),
                            ("customer-" + n % 7).getBytes(StandardCharsets.UTF_8),
                            json.getBytes(StandardCharsets.UTF_8));
                }
                log.appendAsLeader(MemoryRecords.withRecords(Compression.NONE, batch), 0);
            }
            log.updateHighWatermark(log.logEndOffset());
            out.printf(
                    "appended %d records: offsets [%d, %d), %d segments, %d bytes%n",
                    count, firstNew, log.logEndOffset(), log.numberOfSegments(), log.size());
            long from = Math.max(log.logStartOffset(), log.logEndOffset() - 3);
            out.println("last records, read by offset:");
            for (RecordBatch batch : log.read(from, 4096, FetchIsolation.HIGH_WATERMARK, true)
                    .records()
                    .batches()) {
                for (Record r : batch) {
                    if (r.offset() >= from) {
                        out.printf("  offset %d key %s value %s%n", r.offset(), text(r.key()), text(r.value()));
                    }
                }
            }
            Optional<TimestampAndOffset> found = log.offsetForTimestamp(startedAt);
            out.printf(
                    "first record at or after this run's start (%d): %s%n",
                    startedAt, found.map(f -> "offset " + f.offset()).orElse("none"));
            out.printf("segments (base offsets): %s%n", log.segmentBaseOffsets());
        } finally {
            scheduler.shutdownNow();
        }
    }

    static void dump(File segment, PrintStream out) throws IOException {
        try (FileRecords records = FileRecords.open(segment, false)) {
            for (FileChannelRecordBatch batch : records.batches()) {
                out.printf(
                        "baseOffset: %d lastOffset: %d count: %s position: %d size: %d epoch: %d"
                                + " maxTimestamp: %d compression: %s crcValid: %s%n",
                        batch.baseOffset(),
                        batch.lastOffset(),
                        batch.countOrNull(),
                        batch.position(),
                        batch.sizeInBytes(),
                        batch.partitionLeaderEpoch(),
                        batch.maxTimestamp(),
                        batch.compressionType().name,
                        batch.isValid());
            }
        }
    }

    private static String text(java.nio.ByteBuffer buffer) {
        if (buffer == null) {
            return "null";
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
