package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import io.brook.broker.replication.ProducerIdManager;
import io.brook.broker.security.RequestAuthorization;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.resource.ResourceType;

/**
 * InitProducerId for idempotent producers: a cluster-unique producer id at epoch 0. Transactional
 * producers are refused with a clear error until transactions land; see {@link
 * ProducerIdManager#initProducerId}.
 *
 * <p>Authorization, as Kafka's: with a transactional id, WRITE on it
 * (TRANSACTIONAL_ID_AUTHORIZATION_FAILED); without, IDEMPOTENT_WRITE on the cluster or WRITE on
 * some topic (KIP-679), else CLUSTER_AUTHORIZATION_FAILED.
 */
public final class InitProducerIdHandler implements ApiHandler {

    private final ProducerIdManager producerIds;
    private final RequestAuthorization authorization;

    public InitProducerIdHandler(ProducerIdManager producerIds, RequestAuthorization authorization) {
        this.producerIds = producerIds;
        this.authorization = authorization;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        InitProducerIdRequestData data =
                request.body(InitProducerIdRequest.class).data();
        if (data.transactionalId() != null) {
            if (!authorization.authorize(
                    request.context(), AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, data.transactionalId())) {
                throw new TransactionalIdAuthorizationException("Not authorized to write transactional id");
            }
        } else if (!authorization.allowedQuietly(
                        request.context(),
                        AclOperation.IDEMPOTENT_WRITE,
                        ResourceType.CLUSTER,
                        RequestAuthorization.CLUSTER_NAME)
                && !authorization.allowedOnAny(request.context(), AclOperation.WRITE, ResourceType.TOPIC)) {
            RequestAuthorization.audit(
                    request.context(),
                    AclOperation.IDEMPOTENT_WRITE,
                    ResourceType.CLUSTER,
                    RequestAuthorization.CLUSTER_NAME);
            throw new ClusterAuthorizationException("Not authorized for idempotent writes");
        }
        return CompletableFuture.completedFuture(new InitProducerIdResponse(producerIds.initProducerId(data)));
    }
}
