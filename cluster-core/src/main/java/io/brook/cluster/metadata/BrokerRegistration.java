package io.brook.cluster.metadata;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A live broker as it registered itself in {@code /brokers/ids/<id>}: its id, the endpoints
 * clients and followers connect to, and its rack for rack-aware replica assignment. Immutable.
 */
public record BrokerRegistration(int id, List<Endpoint> endpoints, Optional<String> rack) {

    public BrokerRegistration {
        if (id < 0) {
            throw new IllegalArgumentException("broker id must be >= 0: " + id);
        }
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }

    /** The endpoint of the named listener, if the broker has one. */
    public Optional<Endpoint> endpoint(String listenerName) {
        return endpoints.stream()
                .filter(e -> e.listenerName().equals(listenerName))
                .findFirst();
    }
}
