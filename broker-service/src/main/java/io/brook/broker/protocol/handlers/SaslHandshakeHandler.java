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
 * <p>Versions 0 and 1 are advertised, because librdkafka takes a SASL-capable broker to be one
 * whose range includes v0; but the exchange is served with v1 only (tokens in SaslAuthenticate
 * requests, which kafka-clients and librdkafka use when v1 is offered). A v0 handshake, whose
 * tokens would follow as raw frames, is answered {@code UNSUPPORTED_VERSION} and the connection
 * closes.
 */
public final class SaslHandshakeHandler implements ApiHandler {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_HANDSHAKE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new SaslHandshakeResponse(new SaslHandshakeResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setMechanisms(List.of())));
    }
}
