package io.brook.broker.protocol;

import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestContext;

/**
 * One request as handlers see it: Kafka's {@link RequestContext} (header, client address,
 * principal, listener) and the parsed body. Handlers never see the network layer.
 *
 * @param receivedNanos when the frame arrived, for request metrics and timeouts
 */
public record KafkaRequest(RequestContext context, AbstractRequest body, long receivedNanos) {

    public short version() {
        return context.apiVersion();
    }

    @SuppressWarnings("unchecked")
    public <T extends AbstractRequest> T body(Class<T> type) {
        return (T) body;
    }
}
