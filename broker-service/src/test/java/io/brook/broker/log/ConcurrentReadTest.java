package io.brook.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One writer appends and rolls while readers read the log end: every batch a reader gets is whole
 * and valid, offsets only grow, and nothing is read past the published log end.
 */
class ConcurrentReadTest {

    @TempDir
    Path tmp;

    @Test
    void readersSeeOnlyWholeBatchesWhileTheWriterAppendsAndRolls() throws Exception {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        MutableClock clock = new MutableClock(0);
        int batches = 3_000;
        try (PartitionLog log = PartitionLog.open(
                tmp.resolve("t-0").toFile(),
                LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, 64 * 1024, LogConfig.INDEX_INTERVAL_BYTES, 512)),
                clock,
                scheduler,
                new LogDirFailureHandler())) {
            AtomicBoolean done = new AtomicBoolean();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch readersDone = new CountDownLatch(2);
            for (int r = 0; r < 2; r++) {
                Thread reader = new Thread(() -> {
                    try {
                        long next = 0;
                        while (!done.get() || next < log.logEndOffset()) {
                            long end = log.logEndOffset();
                            if (next >= end) {
                                Thread.onSpinWait();
                                continue;
                            }
                            FileRecords slice = (FileRecords) log.read(next, 8 * 1024, FetchIsolation.LOG_END, true)
                                    .records();
                            for (FileChannelRecordBatch batch : slice.batches()) {
                                batch.ensureValid();
                                if (batch.lastOffset() >= next) {
                                    assertThat(batch.baseOffset()).isLessThanOrEqualTo(next);
                                    next = batch.nextOffset();
                                }
                            }
                            assertThat(next).isLessThanOrEqualTo(log.logEndOffset());
                        }
                        assertThat(next).isEqualTo(log.logEndOffset());
                    } catch (Throwable t) {
                        failures.add(t);
                    } finally {
                        readersDone.countDown();
                    }
                });
                reader.start();
            }
            for (int i = 0; i < batches; i++) {
                log.appendAsLeader(Batches.sized(i, 1 + i % 5, 10 + i % 200), 0);
            }
            done.set(true);
            assertThat(readersDone.await(60, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).isEmpty();
            assertThat(log.numberOfSegments()).isGreaterThan(5);
            List<Batches.Rec> all = Batches.readAll(log, 0, FetchIsolation.LOG_END);
            assertThat(all).hasSize((int) log.logEndOffset());
        } finally {
            scheduler.shutdownNow();
        }
    }
}
