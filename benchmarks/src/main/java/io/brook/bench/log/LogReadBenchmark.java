package io.brook.bench.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.record.internal.FileRecords;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sequential read throughput of {@code PartitionLog.read} from the page cache: a pre-filled log
 * (see {@link PrefilledLog}) is read front to back, again and again, in 1 MiB fetches. The log
 * was just written, so with enough memory it is cached; {@link LogColdReadBenchmark} reads it
 * from the disk.
 *
 * <p>One operation is one fetch; the {@code bytes} counter is the bytes fetched per second.
 *
 * <ul>
 *   <li>{@link #sliceOnly}: the read alone, which returns a slice of the segment file without
 *       touching its bytes: offset-index lookup, batch-header scan, slice.
 *   <li>{@link #transferTo}: read, then send the slice with {@code sendfile} to {@code
 *       /dev/null}: the zero-copy path of a plaintext fetch.
 *   <li>{@link #readIntoBuffer}: read, then copy the slice into a direct buffer: the path of a
 *       fetch that needs the bytes in memory (TLS).
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 8)
public class LogReadBenchmark {

    /** Size of the pre-filled log in MiB. */
    @Param({"512"})
    public int logMb;

    /** Fetch size (a consumer's {@code max.partition.fetch.bytes}). */
    @Param({"1048576"})
    public int fetchBytes;

    private PrefilledLog log;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        log = PrefilledLog.create(logMb * 1024L * 1024L, fetchBytes);
    }

    @Benchmark
    public FileRecords sliceOnly(ByteCounter counter) {
        FileRecords slice = log.fetch();
        counter.bytes += slice.sizeInBytes();
        return slice;
    }

    @Benchmark
    public long transferTo(ByteCounter counter) throws IOException {
        long sent = log.transfer(log.fetch());
        counter.bytes += sent;
        return sent;
    }

    @Benchmark
    public void readIntoBuffer(ByteCounter counter, Blackhole bh) throws IOException {
        ByteBuffer bytes = log.readInto(log.fetch());
        counter.bytes += bytes.remaining();
        bh.consume(bytes.get(bytes.limit() - 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
    }
}
