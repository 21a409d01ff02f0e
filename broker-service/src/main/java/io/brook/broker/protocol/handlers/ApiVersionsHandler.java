package io.brook.broker.protocol.handlers;

import io.brook.broker.protocol.ApiHandler;
import io.brook.broker.protocol.HandlerRegistry;
import io.brook.broker.protocol.KafkaRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * ApiVersions: the APIs and version ranges the broker's handlers declare. A client asking with a
 * version newer than the broker knows gets {@code UNSUPPORTED_VERSION} in a v0 response carrying
 * the ranges, as Kafka answers, so that it can retry with one it finds there.
 */
public final class ApiVersionsHandler implements ApiHandler {

    private final Supplier<HandlerRegistry> registry;

    /** @param registry the registry this handler is part of, read at request time */
    public ApiVersionsHandler(Supplier<HandlerRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public ApiKeys apiKey() {
        return ApiKeys.API_VERSIONS;
    }

    @Override
    public CompletableFuture<AbstractResponse> handle(KafkaRequest request) {
        ApiVersionsRequest body = request.body(ApiVersionsRequest.class);
        ApiVersionsResponseData data = new ApiVersionsResponseData()
                .setThrottleTimeMs(0)
                .setApiKeys(registry.get().apiVersions());
        if (body.hasUnsupportedRequestVersion()) {
            data.setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        } else if (!body.isValid()) {
            data.setErrorCode(Errors.INVALID_REQUEST.code());
        } else {
            data.setErrorCode(Errors.NONE.code());
        }
        return CompletableFuture.completedFuture(new ApiVersionsResponse(data));
    }
}
