package io.brook.bench.log;

import io.brook.broker.log.FetchIsolation;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.common.record.internal.FileRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Records;

/**
 * A log filled with {@code 16KB} batches (16 records of 1 KiB) in 256 MiB segments, flushed, with
 * the high watermark at the log end, read front to back by a consumer-like cursor in fetches of
 * {@code fetchBytes}.
 *
 * <p>The cursor moves past the whole batches of each fetch. Every batch has the same size, so the
 * next offset follows from the slice size; the broker never parses what it sends, and neither do
 * these benchmarks. A batch cut by the fetch limit is fetched again by the next fetch, as a
 * consumer would; its bytes count in both.
 */
final class PrefilledLog implements AutoCloseable {

    private final Path dir;
    private final ScheduledExecutorService scheduler;
    private final PartitionLog log;
    private final int fetchBytes;
    private final int batchBytes;
    private final int recordsPerBatch;
    private final long end;
    private final DevNullChannel devNull;
    private final ByteBuffer buffer;
    private long next;

    private PrefilledLog(Path dir, ScheduledExecutorService scheduler, PartitionLog log, int fetchBytes, int batchBytes)
            throws IOException {
        this.dir = dir;
        this.scheduler = scheduler;
        this.log = log;
        this.fetchBytes = fetchBytes;
        this.batchBytes = batchBytes;
        this.recordsPerBatch = BatchShape.LARGE.records;
        this.end = log.logEndOffset();
        this.devNull = new DevNullChannel();
        this.buffer = ByteBuffer.allocateDirect(fetchBytes);
    }

    static PrefilledLog create(long logBytes, int fetchBytes) throws IOException {
        Path dir = BenchFiles.newTrialDir("brook-read-");
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        PartitionLog log = BenchFiles.openLog(
                dir.resolve("bench-0"), Map.of(LogConfig.SEGMENT_BYTES, LogAppendBenchmark.SEGMENT_BYTES), scheduler);
        BatchShape shape = BatchShape.LARGE;
        MemoryRecords records = BenchFiles.batch(shape.records, shape.valueBytes, System.currentTimeMillis());
        if (records.sizeInBytes() > fetchBytes) {
            throw new IllegalArgumentException("fetchBytes " + fetchBytes + " is below one batch");
        }
        long started = System.nanoTime();
        while (log.size() < logBytes) {
            log.appendAsLeader(records, 0);
        }
        log.flush();
        log.updateHighWatermark(log.logEndOffset());
        System.out.printf(
                "# pre-filled %d bytes in %d segments (%d batches of %d bytes) in %d ms, flushed%n",
                log.size(),
                log.numberOfSegments(),
                log.logEndOffset() / shape.records,
                records.sizeInBytes(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return new PrefilledLog(dir, scheduler, log, fetchBytes, records.sizeInBytes());
    }

    /** Bytes in the log. */
    long size() {
        return log.size();
    }

    /** Back to the first offset. */
    void rewind() {
        next = log.logStartOffset();
    }

    /** Whether the cursor has passed the last batch. */
    boolean atEnd() {
        return next >= end;
    }

    /** The next fetch as the log returns it (a file slice), moving the cursor; wraps at the end. */
    FileRecords fetch() {
        if (atEnd()) {
            rewind();
        }
        Records records =
                log.read(next, fetchBytes, FetchIsolation.HIGH_WATERMARK, true).records();
        int whole = records.sizeInBytes() / batchBytes;
        if (whole == 0) {
            throw new IllegalStateException("fetch at " + next + " returned " + records.sizeInBytes() + " bytes");
        }
        next += (long) whole * recordsPerBatch;
        return (FileRecords) records;
    }

    /** Sends the slice to {@code /dev/null} with {@code sendfile}, as to a plaintext socket. */
    long transfer(FileRecords slice) throws IOException {
        int size = slice.sizeInBytes();
        int sent = 0;
        while (sent < size) {
            sent += slice.writeTo(devNull, sent, size - sent);
        }
        return sent;
    }

    /** Copies the slice into a direct buffer with {@code pread}, as a TLS send or a copying reader must. */
    ByteBuffer readInto(FileRecords slice) throws IOException {
        buffer.clear();
        buffer.limit(slice.sizeInBytes());
        slice.readInto(buffer, 0);
        return buffer;
    }

    /** Forgets the cached pages of every segment file, so the next reads go to the disk. */
    void dropPageCache() throws IOException, InterruptedException {
        List<Path> segments;
        try (Stream<Path> files = Files.list(log.dir().toPath())) {
            segments = files.filter(p -> p.toString().endsWith(".log")).toList();
        }
        for (Path segment : segments) {
            BenchFiles.dropPageCache(segment);
        }
    }

    @Override
    public void close() throws IOException {
        devNull.close();
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.delete();
        BenchFiles.deleteRecursively(dir);
    }
}
