package io.brook.bench.log;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * Sequential read throughput from the disk: before each iteration the page cache of the segment
 * files is dropped (see {@link BenchFiles#dropPageCache}); one operation then reads the whole
 * pre-filled log front to back in 1 MiB fetches. Single-shot: the score is seconds per full scan,
 * and the log size ({@code logMb} MiB) divided by it is the read bandwidth.
 *
 * <p>{@link #transferTo} sends each slice with {@code sendfile} to {@code /dev/null}; {@link
 * #readIntoBuffer} copies it into a direct buffer. A slice alone reads almost nothing from the
 * disk, so there is no slice-only variant here.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class LogColdReadBenchmark {

    @Param({"512"})
    public int logMb;

    @Param({"1048576"})
    public int fetchBytes;

    private PrefilledLog log;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        log = PrefilledLog.create(logMb * 1024L * 1024L, fetchBytes);
    }

    @Setup(Level.Iteration)
    public void dropCache() throws IOException, InterruptedException {
        log.dropPageCache();
        log.rewind();
    }

    @Benchmark
    public long transferTo() throws IOException {
        long bytes = 0;
        log.rewind();
        while (!log.atEnd()) {
            bytes += log.transfer(log.fetch());
        }
        return bytes;
    }

    @Benchmark
    public long readIntoBuffer() throws IOException {
        long bytes = 0;
        log.rewind();
        while (!log.atEnd()) {
            bytes += log.readInto(log.fetch()).remaining();
        }
        return bytes;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
    }
}
