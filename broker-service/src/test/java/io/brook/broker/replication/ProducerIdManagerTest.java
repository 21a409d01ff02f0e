package io.brook.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** Producer ids from cluster-wide blocks, and the InitProducerId answers built on them. */
class ProducerIdManagerTest {

    @Test
    void handsOutTheIdsOfABlockInOrderAndReservesTheNextWhenItRunsOut() {
        InMemoryProducerIdBlockSource source = new InMemoryProducerIdBlockSource(5_000);
        ProducerIdManager ids = new ProducerIdManager(source);

        List<Long> first = LongStream.range(0, 1_000)
                .map(i -> ids.nextProducerId())
                .boxed()
                .toList();
        assertThat(first).startsWith(5_000L, 5_001L).endsWith(5_999L);
        assertThat(source.reservations()).isEqualTo(1);

        assertThat(ids.nextProducerId()).isEqualTo(6_000L);
        assertThat(source.reservations()).isEqualTo(2);
    }

    @Test
    void neverHandsOutAnIdTwiceAcrossBlocksBrokersAndThreads() throws Exception {
        InMemoryProducerIdBlockSource cluster = new InMemoryProducerIdBlockSource(0);
        // Two brokers with small blocks, so that the threads cross many block boundaries.
        List<ProducerIdManager> brokers = List.of(new ProducerIdManager(cluster, 7), new ProducerIdManager(cluster, 7));
        int threads = 8;
        int perThread = 5_000;
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ProducerIdManager ids = brokers.get(t % 2);
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        long id = ids.nextProducerId();
                        if (!seen.add(id)) {
                            synchronized (duplicates) {
                                duplicates.add(id);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(threads * perThread);
        // Each broker wastes at most the rest of its last block.
        assertThat(cluster.reservations()).isLessThanOrEqualTo(threads * perThread / 7 + 2);
    }

    @Test
    void refusesABlockThatWouldRunPastTheLastId() {
        ProducerIdManager ids = new ProducerIdManager(size -> Long.MAX_VALUE - 10);

        assertThatThrownBy(ids::nextProducerId)
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("out of range");
    }

    @Test
    void anIdempotentProducerGetsANewIdWithEpochZero() {
        ProducerIdManager ids = new ProducerIdManager(new InMemoryProducerIdBlockSource(42));

        InitProducerIdResponseData answer = ids.initProducerId(
                new InitProducerIdRequestData().setTransactionalId(null).setTransactionTimeoutMs(Integer.MAX_VALUE));

        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.producerId()).isEqualTo(42L);
        assertThat(answer.producerEpoch()).isZero();
    }

    @Test
    void anIdAndEpochInTheRequestAreIgnoredAsKafkaIgnoresThemWithoutATransactionalId() {
        ProducerIdManager ids = new ProducerIdManager(new InMemoryProducerIdBlockSource(42));
        long issued = ids.nextProducerId();

        InitProducerIdResponseData answer = ids.initProducerId(new InitProducerIdRequestData()
                .setTransactionalId(null)
                .setProducerId(issued)
                .setProducerEpoch((short) 3));

        assertThat(answer.errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(answer.producerId()).isEqualTo(43L);
        assertThat(answer.producerEpoch()).isZero();
    }

    @Test
    void aTransactionalProducerIsRefusedWithAFatalErrorPointingAtTheBrokerLog() {
        InMemoryProducerIdBlockSource source = new InMemoryProducerIdBlockSource(0);
        ProducerIdManager ids = new ProducerIdManager(source);

        for (String transactionalId : new String[] {"payments-1", ""}) {
            InitProducerIdResponseData answer =
                    ids.initProducerId(new InitProducerIdRequestData().setTransactionalId(transactionalId));

            assertThat(answer.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code());
            assertThat(answer.producerId()).isEqualTo(-1L);
            assertThat(answer.producerEpoch()).isEqualTo((short) -1);
        }
        assertThat(source.reservations()).isZero();
        // What the Java client shows the user (it appends the error's message), and why it gives up
        // at once: the exception is not retriable.
        assertThat(Errors.INVALID_REQUEST.message()).contains("incompatible broker", "broker logs");
        assertThat(Errors.INVALID_REQUEST.exception())
                .isNotInstanceOf(org.apache.kafka.common.errors.RetriableException.class);
    }

    @Test
    void aSourceThatCannotReserveABlockYieldsARetriableError() {
        ProducerIdManager ids = new ProducerIdManager(size -> {
            throw new CoordinatorLoadInProgressException("ZooKeeper is unreachable");
        });

        InitProducerIdResponseData answer =
                ids.initProducerId(new InitProducerIdRequestData().setTransactionalId(null));

        assertThat(answer.errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code());
    }
}
