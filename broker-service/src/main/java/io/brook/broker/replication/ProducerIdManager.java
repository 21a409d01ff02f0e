package io.brook.broker.replication;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands out producer ids for InitProducerId, from blocks of {@value #DEFAULT_BLOCK_SIZE} ids that a
 * {@link ProducerIdBlockSource} reserves cluster-wide: one reservation (one ZooKeeper write) per
 * 1000 producers, the block size Kafka uses ({@code ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE}).
 * Ids of a block not used up before a restart are lost, as in Kafka: there are 2^63 of them.
 *
 * <p>Only idempotent producers are served; see {@link #initProducerId} for what a transactional
 * producer is told.
 *
 * <p>Threading: thread-safe. {@link #nextProducerId} is synchronised, and reserves a new block
 * while holding the lock, so callers wait for that one write when a block runs out.
 */
public final class ProducerIdManager {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerIdManager.class);

    public static final int DEFAULT_BLOCK_SIZE = 1000;

    private final ProducerIdBlockSource source;
    private final int blockSize;
    /** The next id to hand out; guarded by this. */
    private long next;
    /** The end (exclusive) of the block {@code next} is in; {@code next == blockEnd} when used up. */
    private long blockEnd;

    public ProducerIdManager(ProducerIdBlockSource source) {
        this(source, DEFAULT_BLOCK_SIZE);
    }

    public ProducerIdManager(ProducerIdBlockSource source, int blockSize) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("block size must be positive: " + blockSize);
        }
        this.source = source;
        this.blockSize = blockSize;
    }

    /**
     * A producer id no broker of the cluster has handed out before.
     *
     * @throws KafkaException the source returned a block that is negative or would run past
     *     Long.MAX_VALUE; whatever the source throws is passed on
     */
    public synchronized long nextProducerId() {
        if (next == blockEnd) {
            long first = source.reserveBlock(blockSize);
            if (first < 0 || first > Long.MAX_VALUE - blockSize) {
                throw new KafkaException("producer id block [" + first + ", +" + blockSize + ") is out of range");
            }
            next = first;
            blockEnd = first + blockSize;
            LOG.info("Reserved producer ids [{}, {})", first, blockEnd);
        }
        return next++;
    }

    /**
     * Answers InitProducerId (all versions) as Kafka's {@code TransactionCoordinator} does for a
     * producer without a transactional id.
     *
     * <ul>
     *   <li>{@code transactionalId == null}: a new producer id with epoch 0. A producer id and
     *       epoch in the request (v3+) are ignored, as Kafka ignores them here ("always blindly
     *       accept the request and return a new producerId"): an idempotent producer bumps its
     *       epoch itself (KIP-360, {@code TransactionManager.bumpIdempotentProducerEpoch}) and asks
     *       for a new id only when its epoch is exhausted. The partitions accept the bumped epoch
     *       when it starts at sequence 0; see {@link ProducerStateManager}.
     *   <li>Any transactional id, the empty one included: {@link Errors#INVALID_REQUEST}, since
     *       Brook has no transaction coordinator. The Java client treats the error as fatal and
     *       fails {@code initTransactions()} at once with "Unexpected error in
     *       InitProducerIdResponse; ... the message was sent to an incompatible broker. See the
     *       broker logs for more details", and the broker log says why. Retriable errors ({@code
     *       COORDINATOR_NOT_AVAILABLE}, {@code NOT_COORDINATOR}) would make it retry until {@code
     *       max.block.ms}; {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED} would send the user after
     *       ACLs. Kafka itself answers {@code INVALID_REQUEST} for an empty transactional id.
     *   <li>The id source fails: the error of its exception ({@link Errors#forException}), so that
     *       a {@code CoordinatorLoadInProgressException} is retried by the client.
     * </ul>
     */
    public InitProducerIdResponseData initProducerId(InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            LOG.warn(
                    "Refusing InitProducerId for transactional.id '{}': transactions are not supported; "
                            + "producers may use enable.idempotence without a transactional.id",
                    request.transactionalId());
            return error(Errors.INVALID_REQUEST);
        }
        long producerId;
        try {
            producerId = nextProducerId();
        } catch (RuntimeException e) {
            LOG.warn("Could not hand out a producer id: {}", e.toString());
            return error(Errors.forException(e));
        }
        return new InitProducerIdResponseData()
                .setErrorCode(Errors.NONE.code())
                .setProducerId(producerId)
                .setProducerEpoch((short) 0);
    }

    private static InitProducerIdResponseData error(Errors error) {
        return new InitProducerIdResponseData()
                .setErrorCode(error.code())
                .setProducerId(RecordBatch.NO_PRODUCER_ID)
                .setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
    }
}
