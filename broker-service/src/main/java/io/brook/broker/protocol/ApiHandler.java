package io.brook.broker.protocol;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The handler of one Kafka API (one class per API, as in Redpanda's {@code handlers/}): it
 * declares the API key and the version range it serves, which {@link HandlerRegistry} collects and
 * {@code ApiVersions} advertises.
 *
 * <p>Threading: {@link #handle} is called on a request-handler thread, one request of a
 * connection at a time and in the order they arrived, so that a producer's pipelined batches are
 * appended in order. It may complete its future later on any thread (a fetch that waits for data,
 * a produce waiting for replicas); responses are still sent in request order. A handler may throw:
 * the caller answers with the request's error response for that exception ({@link
 * org.apache.kafka.common.protocol.Errors#forException}).
 */
public interface ApiHandler {

    ApiKeys apiKey();

    /** Oldest version served. */
    default short minVersion() {
        return apiKey().oldestVersion();
    }

    /** Newest version served. */
    default short maxVersion() {
        return apiKey().latestVersion();
    }

    /**
     * Handles a request whose version lies in the declared range. A null response means none is
     * sent (Produce with {@code acks=0}).
     */
    CompletableFuture<AbstractResponse> handle(KafkaRequest request);
}
