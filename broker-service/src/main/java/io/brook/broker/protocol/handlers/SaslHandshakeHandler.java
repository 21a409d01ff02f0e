package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslHandshakeResponse;

/**
 * SaslHandshake where there is nothing to authenticate. On SASL listeners the connection hands
 * SaslHandshake to its own {@code SaslAuthenticator} until authentication completes; what reaches
 * this handler came on a listener without SASL or after authentication, and is answered {@code
 * ILLEGAL_SASL_STATE}, as Kafka answers it. Registered so that ApiVersions advertises the API.
 *
 * <p>Version 1 only: v0 would carry the mechanism's tokens as raw frames without SaslAuthenticate,
 * which Brook does not serve (kafka-clients and librdkafka use v1).
 */
public final class SaslHandshakeHandler implements ApiHandler {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public short minVersion() {
        return 1;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setMechanisms(List.of())));
    }
}
