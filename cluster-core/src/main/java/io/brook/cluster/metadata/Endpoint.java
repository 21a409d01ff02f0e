package io.brook.cluster.metadata;

import java.util.Objects;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One listener of a broker as clients reach it: Kafka's {@code listenerName://host:port} with the
 * listener's security protocol. Immutable.
 */
public record Endpoint(String listenerName, String host, int port, SecurityProtocol securityProtocol) {

    public Endpoint {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(securityProtocol, "securityProtocol");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return listenerName + "://" + host + ":" + port;
    }
}
