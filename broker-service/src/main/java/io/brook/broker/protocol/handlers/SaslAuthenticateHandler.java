package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;

/**
 * SaslAuthenticate where there is nothing to authenticate: on a listener without SASL, or after
 * the connection's exchange completed (Brook has no KIP-368 re-authentication). Answered {@code
 * ILLEGAL_SASL_STATE}, as Kafka answers it; on SASL listeners the connection's own {@code
 * SaslAuthenticator} takes the exchange's requests. Registered so that ApiVersions advertises the
 * API, versions 0 to 2.
 */
public final class SaslAuthenticateHandler implements ApiHandler {

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.SASL_AUTHENTICATE;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        return CompletableFuture.completedFuture(new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(Errors.ILLEGAL_SASL_STATE.code())
                .setErrorMessage("SaslAuthenticate on a connection that is not authenticating")
                .setAuthBytes(new byte[0])));
    }
}
