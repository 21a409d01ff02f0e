package io.brook.bench.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.MemoryRecords;
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
 * Baseline for {@link LogAppendBenchmark}: the same batch bytes written to a plain {@link
 * FileChannel} in append order, with {@code force(true)} after each write when {@code
 * fsync=everyAppend} (what {@code FileRecords.flush} does). No validation, offsets, indexes or
 * checkpoints: the difference to {@link LogAppendBenchmark} is the log's own cost.
 *
 * <p>Like the log, it rolls to a new file every 256 MiB and keeps the last two.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
public class FileChannelAppendBenchmark {

    @Param({"100B", "16KB"})
    public String batch;

    @Param({"none", "everyAppend"})
    public String fsync;

    private Path dir;
    private ByteBuffer bytes;
    private boolean force;
    private FileChannel channel;
    private long written;
    private int fileNumber;
    private final ArrayDeque<Path> files = new ArrayDeque<>();

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        BatchShape shape = BatchShape.of(batch);
        force = switch (fsync) {
            case "none" -> false;
            case "everyAppend" -> true;
            default -> throw new IllegalArgumentException("fsync must be none or everyAppend, not " + fsync);
        };
        dir = BenchFiles.newTrialDir("brook-raw-");
        MemoryRecords records = BenchFiles.batch(shape.records, shape.valueBytes, System.currentTimeMillis());
        // A heap buffer, as MemoryRecords from a request are: the JDK copies it to a direct buffer to write it.
        bytes = records.buffer();
        roll();
    }

    private void roll() throws IOException {
        if (channel != null) {
            channel.close();
        }
        Path file = dir.resolve(String.format("%020d.log", fileNumber++));
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        files.addLast(file);
        while (files.size() > 2) {
            Files.delete(files.removeFirst());
        }
        written = 0;
    }

    @Benchmark
    public long write(ByteCounter counters) throws IOException {
        if (written + bytes.remaining() > LogAppendBenchmark.SEGMENT_BYTES) {
            roll();
        }
        ByteBuffer b = bytes.duplicate();
        int n = b.remaining();
        while (b.hasRemaining()) {
            channel.write(b);
        }
        if (force) {
            channel.force(true);
        }
        written += n;
        counters.bytes += n;
        return written;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        channel.close();
        BenchFiles.deleteRecursively(dir);
    }
}
