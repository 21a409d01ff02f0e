package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.ProducerIdManager;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;

/**
 * InitProducerId for idempotent producers: a cluster-unique producer id at epoch 0. Transactional
 * producers are refused with a clear error until transactions land; see {@link
 * ProducerIdManager#initProducerId}.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;

    public InitProducerIdHandler(ProducerIdManager producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new InitProducerIdResponse(producerIds.initProducerId(
                request.body(InitProducerIdRequest.class).data())));
    }
}
