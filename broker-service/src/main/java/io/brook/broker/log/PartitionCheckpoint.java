package io.brook.broker.log;

import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * The offsets a partition log keeps across restarts, in the text file {@code partition.checkpoint}
 * of its directory:
 *
 * <pre>
 * version 1
 * log-start-offset 0
 * recovery-point 1200
 * high-watermark 1180
 * cleaner-offset 900
 * </pre>
 *
 * <p>{@code recovery-point}: every offset below it is fsynced; recovery after a crash validates
 * from the segment holding it. {@code cleaner-offset}: the first offset compaction has not yet
 * seen. The file is replaced atomically (write a temporary file, fsync, rename, fsync the
 * directory), so a crash leaves either the old or the new one.
 *
 * <p>When it is written: on open and close, when the log start or end moves back or forward by
 * retention, DeleteRecords, truncation or compaction, and otherwise every {@code
 * checkpointIntervalMs} by the {@link LogManager} (Kafka's {@code
 * log.flush.offset.checkpoint.interval.ms}, 60 s), not on every flush: a recovery point that lags
 * only makes recovery check more batches. Truncation writes at once, because a recovery point
 * above a truncation point would otherwise vouch for batches appended after it.
 */
record PartitionCheckpoint(long logStartOffset, long recoveryPoint, long highWatermark, long cleanerOffset) {

    static final String FILE_NAME = "partition.checkpoint";
    static final PartitionCheckpoint EMPTY = new PartitionCheckpoint(0, 0, 0, 0);

    static PartitionCheckpoint read(File dir) throws IOException {
        File file = new File(dir, FILE_NAME);
        if (!file.exists()) {
            return EMPTY;
        }
        Map<String, Long> values = new HashMap<>();
        for (String line : Files.readAllLines(file.toPath(), StandardCharsets.UTF_8)) {
            String[] parts = line.trim().split(" ");
            if (parts.length == 2 && !parts[0].equals("version")) {
                try {
                    values.put(parts[0], Long.parseLong(parts[1]));
                } catch (NumberFormatException e) {
                    throw new IOException("malformed line '" + line + "' in " + file, e);
                }
            }
        }
        return new PartitionCheckpoint(
                values.getOrDefault("log-start-offset", 0L),
                values.getOrDefault("recovery-point", 0L),
                values.getOrDefault("high-watermark", 0L),
                values.getOrDefault("cleaner-offset", 0L));
    }

    void write(File dir) throws IOException {
        String text = "version 1\n"
                + "log-start-offset " + logStartOffset + "\n"
                + "recovery-point " + recoveryPoint + "\n"
                + "high-watermark " + highWatermark + "\n"
                + "cleaner-offset " + cleanerOffset + "\n";
        File tmp = new File(dir, FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(
                tmp.toPath(),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(tmp.toPath(), new File(dir, FILE_NAME).toPath(), StandardCopyOption.ATOMIC_MOVE);
        LogFiles.fsyncDir(dir);
    }
}
