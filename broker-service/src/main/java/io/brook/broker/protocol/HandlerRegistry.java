package io.brook.broker.protocol;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

/** Every {@link ApiHandler} of the broker, by API key. Immutable after construction; thread-safe. */
public final class HandlerRegistry {

    private final Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);

    public HandlerRegistry(Collection<? extends ApiHandler> all) {
        for (ApiHandler handler : all) {
            ApiHandler previous = handlers.put(handler.apiKey(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for " + handler.apiKey() + ": "
                        + previous.getClass().getSimpleName() + " and "
                        + handler.getClass().getSimpleName());
            }
            if (handler.minVersion() < handler.apiKey().oldestVersion()
                    || handler.maxVersion() > handler.apiKey().latestVersion()
                    || handler.minVersion() > handler.maxVersion()) {
                throw new IllegalStateException(handler.getClass().getSimpleName() + " declares versions "
                        + handler.minVersion() + ".." + handler.maxVersion() + " outside what kafka-clients knows for "
                        + handler.apiKey());
            }
        }
    }

    /** The handler of {@code key} if it serves {@code version}. */
    public Optional<ApiHandler> handlerFor(ApiKeys key, short version) {
        ApiHandler handler = handlers.get(key);
        if (handler == null || version < handler.minVersion() || version > handler.maxVersion()) {
            return Optional.empty();
        }
        return Optional.of(handler);
    }

    public boolean supports(ApiKeys key) {
        return handlers.containsKey(key);
    }

    /** What ApiVersions advertises: each handled API with its version range. */
    public ApiVersionCollection apiVersions() {
        ApiVersionCollection versions = new ApiVersionCollection();
        handlers.forEach((key, handler) -> versions.add(new ApiVersion()
                .setApiKey(key.id)
                .setMinVersion(handler.minVersion())
                .setMaxVersion(handler.maxVersion())));
        return versions;
    }
}
