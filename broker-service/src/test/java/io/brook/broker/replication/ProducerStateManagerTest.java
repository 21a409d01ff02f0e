package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.broker.log.LogAppendInfo;
import io.brook.broker.log.LogConfig;
import io.brook.broker.log.LogDirFailureHandler;
import io.brook.broker.log.MutableClock;
import io.brook.broker.log.PartitionLog;
import io.brook.broker.replication.ProducerStateManager.AppendCheck;
import io.brook.broker.replication.ProducerStateManager.ProducerState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.zip.CRC32C;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idempotent produce against a real partition log: each test sends batches through {@link
 * #produce} as the partition leader will (check, append unless a duplicate, update) and looks at
 * the offsets and the log end.
 */
class ProducerStateManagerTest {

    static final TopicPartition TP = new TopicPartition("orders", 0);
    static final long EXPIRATION_MS = 3_600_000L;
    static final long PID = 4_000L;
    static final long OTHER_PID = 4_001L;

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);
    ScheduledExecutorService scheduler;
    PartitionLog log;
    ProducerStateManager producers;

    @BeforeEach
    void setUp() throws IOException {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        log = open(LogConfig.DEFAULT);
        producers = new ProducerStateManager(TP, clock, EXPIRATION_MS);
    }

    @AfterEach
    void tearDown() throws IOException {
        log.close();
        scheduler.shutdownNow();
    }

    PartitionLog open(LogConfig config) throws IOException {
        return PartitionLog.open(
                tmp.resolve("orders-0").toFile(), config, clock, scheduler, new LogDirFailureHandler());
    }

    /** The offsets a Produce request gets, and whether it was answered as a duplicate. */
    record Produced(boolean duplicate, long firstOffset, long lastOffset) {}

    /** A Produce request as the partition leader handles it. */
    Produced produce(MemoryRecords records) {
        AppendCheck check = producers.checkLeaderAppend(records);
        if (check.duplicate()) {
            return new Produced(true, check.firstOffset(), check.lastOffset());
        }
        LogAppendInfo info = log.appendAsLeader(records, 0);
        producers.update(records, clock.millis());
        return new Produced(false, info.firstOffset(), info.lastOffset());
    }

    /** One batch of {@code count} records, as a producer with this id and epoch builds it. */
    MemoryRecords batch(long producerId, int epoch, int baseSequence, int count) {
        SimpleRecord[] records = new SimpleRecord[count];
        for (int i = 0; i < count; i++) {
            String value = producerId + "/" + epoch + "/" + (baseSequence + i);
            records[i] = new SimpleRecord(clock.millis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        return MemoryRecords.withIdempotentRecords(Compression.NONE, producerId, (short) epoch, baseSequence, records);
    }

    /** Several batches in one request. */
    static MemoryRecords request(MemoryRecords... batches) {
        int size = 0;
        for (MemoryRecords b : batches) {
            size += b.sizeInBytes();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        for (MemoryRecords b : batches) {
            buffer.put(b.buffer().duplicate());
        }
        buffer.flip();
        return MemoryRecords.readableRecords(buffer);
    }

    @Test
    void acceptsSequencesInOrderAndRemembersTheLast() {
        assertThat(produce(batch(PID, 0, 0, 3))).isEqualTo(new Produced(false, 0, 2));
        assertThat(produce(batch(PID, 0, 3, 2))).isEqualTo(new Produced(false, 3, 4));
        assertThat(produce(batch(PID, 0, 5, 1))).isEqualTo(new Produced(false, 5, 5));

        assertThat(producers.producer(PID)).contains(new ProducerState(PID, (short) 0, 5, 5, clock.millis()));
        assertThat(log.logEndOffset()).isEqualTo(6);
    }

    @Test
    void answersARetryOfEachOfTheLastFiveBatchesWithItsOriginalOffsetsAndAppendsNothing() {
        List<Produced> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(produce(batch(PID, 0, 2 * i, 2)));
            // Another producer in between, so that offsets and sequences differ.
            produce(batch(OTHER_PID, 0, i, 1));
        }
        long end = log.logEndOffset();

        for (int i = 1; i < 6; i++) {
            Produced retry = produce(batch(PID, 0, 2 * i, 2));
            assertThat(retry.duplicate()).isTrue();
            assertThat(retry.firstOffset()).isEqualTo(first.get(i).firstOffset());
            assertThat(retry.lastOffset()).isEqualTo(first.get(i).lastOffset());
        }
        assertThat(log.logEndOffset()).isEqualTo(end);
        // Only five are kept: the first batch is out of the window and out of order now.
        assertThatThrownBy(() -> produce(batch(PID, 0, 0, 2))).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(end);
    }

    @Test
    void refusesSequencesOutOfOrder() {
        produce(batch(PID, 0, 0, 3));

        // A gap, an overlap, and a retry with other records than the original.
        assertThatThrownBy(() -> produce(batch(PID, 0, 4, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("4 follows 2");
        assertThatThrownBy(() -> produce(batch(PID, 0, 2, 1))).isInstanceOf(OutOfOrderSequenceException.class);
        assertThatThrownBy(() -> produce(batch(PID, 0, 0, 2))).isInstanceOf(OutOfOrderSequenceException.class);

        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(produce(batch(PID, 0, 3, 1))).isEqualTo(new Produced(false, 3, 3));
    }

    @Test
    void aNewEpochStartsAtSequenceZeroAndDropsTheBatchesOfTheOldOne() {
        produce(batch(PID, 0, 0, 5));

        assertThatThrownBy(() -> produce(batch(PID, 1, 5, 1)))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("instead of 0");
        assertThat(produce(batch(PID, 1, 0, 2))).isEqualTo(new Produced(false, 5, 6));
        assertThat(produce(batch(PID, 1, 2, 1))).isEqualTo(new Produced(false, 7, 7));

        // The old epoch's batch is not a duplicate any more: its sender is a zombie.
        assertThatThrownBy(() -> produce(batch(PID, 0, 0, 5))).isInstanceOf(InvalidProducerEpochException.class);
        assertThat(producers.producer(PID).orElseThrow().epoch()).isEqualTo((short) 1);
    }

    @Test
    void fencesAnEpochOlderThanTheProducers() {
        produce(batch(PID, 3, 0, 1));

        assertThatThrownBy(() -> produce(batch(PID, 2, 0, 1)))
                .isInstanceOf(InvalidProducerEpochException.class)
                .hasMessageContaining("older than its current epoch 3");
        assertThatThrownBy(() -> produce(batch(PID, 2, 1, 1))).isInstanceOf(InvalidProducerEpochException.class);
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void sequencesWrapFromIntegerMaxValueToZero() {
        // An unknown producer may start anywhere (KIP-360); this batch's last sequence wraps to 0.
        MemoryRecords wrapping = batch(PID, 0, Integer.MAX_VALUE - 1, 3);
        assertThat(wrapping.batches().iterator().next().lastSequence()).isZero();
        assertThat(produce(wrapping)).isEqualTo(new Produced(false, 0, 2));
        assertThat(produce(batch(PID, 0, 1, 1))).isEqualTo(new Produced(false, 3, 3));
        assertThat(produce(batch(PID, 0, Integer.MAX_VALUE - 1, 3))).isEqualTo(new Produced(true, 0, 2));

        produce(batch(OTHER_PID, 0, Integer.MAX_VALUE, 1));
        assertThatThrownBy(() -> produce(batch(OTHER_PID, 0, 1, 1))).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(produce(batch(OTHER_PID, 0, 0, 1)).duplicate()).isFalse();
    }

    @Test
    void checksTheBatchesOfOneRequestInOrderAndChangesNothingUntilUpdate() {
        assertThat(produce(request(batch(PID, 0, 0, 2), batch(PID, 0, 2, 2), batch(OTHER_PID, 0, 0, 1))))
                .isEqualTo(new Produced(false, 0, 4));

        // Each batch is checked against the state after the previous ones: 7 does not follow 4.
        assertThatThrownBy(() -> producers.checkLeaderAppend(request(batch(PID, 0, 4, 1), batch(PID, 0, 7, 1))))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("7 follows 4");
        // A check alone moves nothing: 4 is still next, twice over.
        assertThat(producers.checkLeaderAppend(batch(PID, 0, 4, 1))).isEqualTo(AppendCheck.ok());
        assertThat(producers.checkLeaderAppend(batch(PID, 0, 4, 1))).isEqualTo(AppendCheck.ok());
        // The same batch twice in one request is out of order the second time.
        assertThatThrownBy(() -> producers.checkLeaderAppend(request(batch(PID, 0, 4, 1), batch(PID, 0, 4, 1))))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void aRequestOfDuplicatesIsADuplicateButOneMixingThemWithNewBatchesIsRefused() {
        produce(request(batch(PID, 0, 0, 2), batch(OTHER_PID, 0, 0, 3)));

        assertThat(produce(request(batch(PID, 0, 0, 2), batch(OTHER_PID, 0, 0, 3))))
                .isEqualTo(new Produced(true, 0, 4));
        assertThatThrownBy(() -> produce(request(batch(PID, 0, 0, 2), batch(PID, 0, 2, 1))))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessageContaining("mixes");
        assertThatThrownBy(() -> produce(request(batch(PID, 0, 2, 1), batch(OTHER_PID, 0, 0, 3))))
                .isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(log.logEndOffset()).isEqualTo(5);
    }

    @Test
    void aDuplicateCarriesTheOriginalAppendTimeOnlyOnALogAppendTimeTopic() {
        produce(batch(PID, 0, 0, 1));
        assertThat(producers.checkLeaderAppend(batch(PID, 0, 0, 1)).logAppendTime())
                .isEqualTo(RecordBatch.NO_TIMESTAMP);

        log.updateConfig(LogConfig.DEFAULT.with(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime")));
        long appendTime = clock.millis() + 5_000;
        clock.advance(5_000);
        produce(batch(PID, 0, 1, 1));
        clock.advance(60_000);

        AppendCheck retry = producers.checkLeaderAppend(batch(PID, 0, 1, 1));
        assertThat(retry).isEqualTo(new AppendCheck(true, 1, 1, appendTime));
    }

    @Test
    void rebuildsTheStateFromTheLogAfterARestart() throws IOException {
        produce(batch(PID, 0, 0, 2));
        produce(batch(OTHER_PID, 0, 0, 1));
        log.roll();
        produce(batch(PID, 0, 2, 3));
        produce(batch(OTHER_PID, 1, 0, 1));
        log.roll();
        produce(batch(PID, 0, 5, 1));
        long end = log.logEndOffset();
        log.close();

        log = open(LogConfig.DEFAULT);
        producers = new ProducerStateManager(TP, clock, EXPIRATION_MS);
        producers.loadFrom(log);

        assertThat(log.numberOfSegments()).isEqualTo(3);
        assertThat(producers.producerCount()).isEqualTo(2);
        assertThat(produce(batch(PID, 0, 2, 3))).isEqualTo(new Produced(true, 3, 5));
        assertThat(produce(batch(PID, 0, 0, 2))).isEqualTo(new Produced(true, 0, 1));
        assertThat(log.logEndOffset()).isEqualTo(end);
        assertThatThrownBy(() -> produce(batch(PID, 0, 7, 1))).isInstanceOf(OutOfOrderSequenceException.class);
        assertThatThrownBy(() -> produce(batch(OTHER_PID, 0, 1, 1))).isInstanceOf(InvalidProducerEpochException.class);
        assertThat(produce(batch(PID, 0, 6, 1))).isEqualTo(new Produced(false, end, end));
    }

    @Test
    void truncationForgetsTheBatchesAboveTheNewEnd() {
        for (int seq = 0; seq < 4; seq++) {
            produce(batch(PID, 0, seq, 1));
        }
        produce(batch(OTHER_PID, 0, 0, 1));

        log.truncateTo(2);
        producers.truncateAndReload(log);

        assertThat(producers.producer(PID).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(producers.producer(OTHER_PID)).isEmpty();
        assertThat(produce(batch(PID, 0, 1, 1))).isEqualTo(new Produced(true, 1, 1));
        assertThatThrownBy(() -> produce(batch(PID, 0, 3, 1))).isInstanceOf(OutOfOrderSequenceException.class);
        assertThat(produce(batch(PID, 0, 2, 1))).isEqualTo(new Produced(false, 2, 2));

        log.truncateFullyAndStartAt(10);
        producers.truncateAndReload(log);
        assertThat(producers.producerCount()).isZero();
    }

    @Test
    void truncationThatKeepsEveryCachedBatchChangesNothing() {
        produce(batch(PID, 0, 0, 2));
        producers.truncateAndReload(log);

        assertThat(producers.producer(PID).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(produce(batch(PID, 0, 0, 2)).duplicate()).isTrue();
    }

    @Test
    void forgetsProducersIdleForTheExpirationTime() {
        produce(batch(PID, 0, 0, 1));
        clock.advance(EXPIRATION_MS - 1);
        produce(batch(OTHER_PID, 0, 0, 1));

        producers.removeExpiredProducers(clock.millis());
        assertThat(producers.producer(PID)).isPresent();
        clock.advance(1);
        producers.removeExpiredProducers(clock.millis());
        assertThat(producers.producer(PID)).isEmpty();
        assertThat(producers.producer(OTHER_PID)).isPresent();

        // A forgotten producer cannot be checked: it goes on from any sequence (KIP-360).
        assertThat(produce(batch(PID, 0, 17, 1)).duplicate()).isFalse();
    }

    @Test
    void loadingSkipsProducersAlreadyExpired() {
        produce(batch(PID, 0, 0, 1));
        clock.advance(EXPIRATION_MS);
        produce(batch(OTHER_PID, 0, 0, 1));

        producers.loadFrom(log);

        assertThat(producers.producer(PID)).isEmpty();
        assertThat(producers.producer(OTHER_PID)).isPresent();
    }

    @Test
    void batchesWithoutAProducerIdAlwaysPass() {
        MemoryRecords plain = MemoryRecords.withRecords(
                Compression.NONE, new SimpleRecord(clock.millis(), null, "x".getBytes(StandardCharsets.UTF_8)));
        assertThat(produce(plain)).isEqualTo(new Produced(false, 0, 0));
        assertThat(producers.producerCount()).isZero();
    }

    @Test
    void refusesTransactionalBatches() {
        MemoryRecords transactional = MemoryRecords.withTransactionalRecords(
                Compression.NONE,
                PID,
                (short) 0,
                0,
                new SimpleRecord(clock.millis(), null, "x".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> produce(transactional))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("transactions are not supported yet");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void refusesABatchWithAProducerIdButNoSequence() {
        // The builder refuses a negative sequence, so write one into a built batch. v2 header:
        // CRC at byte 17 covers everything from the attributes (byte 21) on; base sequence at 53.
        MemoryRecords noSequence = batch(PID, 0, 0, 1);
        ByteBuffer buffer = noSequence.buffer();
        buffer.putInt(53, RecordBatch.NO_SEQUENCE);
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(21));
        buffer.putInt(17, (int) crc.getValue());
        noSequence.batches().iterator().next().ensureValid();

        assertThatThrownBy(() -> produce(noSequence))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("base sequence -1");
    }

    @Test
    void inSequenceFollowsTheClientsWrapAround() {
        assertThat(ProducerStateManager.inSequence(4, 5)).isTrue();
        assertThat(ProducerStateManager.inSequence(Integer.MAX_VALUE, 0)).isTrue();
        assertThat(ProducerStateManager.inSequence(RecordBatch.NO_SEQUENCE, 0)).isTrue();
        assertThat(ProducerStateManager.inSequence(Integer.MAX_VALUE, Integer.MIN_VALUE))
                .isFalse();
        assertThat(ProducerStateManager.inSequence(4, 6)).isFalse();
    }
}
