package io.brook.broker.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The broker's listeners as configured, resolved the way Kafka resolves {@code listeners}, {@code
 * advertised.listeners}, {@code listener.security.protocol.map} and {@code
 * inter.broker.listener.name}:
 *
 * <ul>
 *   <li>each listener is {@code NAME://host:port}; a name that is a security protocol ({@code
 *       PLAINTEXT}, {@code SSL}, {@code SASL_PLAINTEXT}, {@code SASL_SSL}) is its own protocol,
 *       any other name must be in the protocol map. Names are unique, as are ports (except 0).
 *   <li>an empty host, or {@code 0.0.0.0}, binds every address; such a listener is advertised
 *       under {@code advertised-host} unless {@code advertised-listeners} names it.
 *   <li>the inter-broker listener is the one named, else PLAINTEXT if present, else the first.
 * </ul>
 *
 * Without {@code listeners} there is one PLAINTEXT listener on {@code host}:{@code port},
 * advertised as {@code advertised-host}: the broker as it was before listeners were configurable.
 * Immutable.
 */
public final class BrokerListeners {

    /**
     * One listener.
     *
     * @param host the address bound; empty or {@code 0.0.0.0} for all
     * @param port the port bound; 0 for a free one
     * @param advertisedHost the host clients are told
     * @param advertisedPort the port clients are told; 0 for the port bound
     */
    public record Listener(
            ListenerName name,
            SecurityProtocol protocol,
            String host,
            int port,
            String advertisedHost,
            int advertisedPort) {

        /** The address to bind: all addresses for an empty host. */
        public String bindHost() {
            return host.isEmpty() ? "0.0.0.0" : host;
        }
    }

    private record Address(String name, String host, int port) {}

    private final List<Listener> listeners;
    private final ListenerName interBroker;

    private BrokerListeners(List<Listener> listeners, ListenerName interBroker) {
        this.listeners = List.copyOf(listeners);
        this.interBroker = interBroker;
    }

    /** Resolves the configuration; throws {@link ConfigException} naming what is wrong. */
    public static BrokerListeners resolve(BrokerProperties broker, ListenerProperties config) {
        if (config.getListeners().isBlank()) {
            ListenerName plaintext = ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT);
            return new BrokerListeners(
                    List.of(new Listener(
                            plaintext,
                            SecurityProtocol.PLAINTEXT,
                            broker.getHost(),
                            broker.getPort(),
                            broker.getAdvertisedHost(),
                            0)),
                    plaintext);
        }
        Map<String, SecurityProtocol> protocols = protocolMap(config.getListenerSecurityProtocolMap());
        Map<String, Address> advertised = new LinkedHashMap<>();
        for (Address a : addresses(config.getAdvertisedListeners(), "advertised-listeners")) {
            advertised.put(a.name(), a);
        }
        List<Listener> listeners = new ArrayList<>();
        Set<Integer> ports = new HashSet<>();
        for (Address a : addresses(config.getListeners(), "listeners")) {
            SecurityProtocol protocol = protocols.get(a.name());
            if (protocol == null) {
                protocol = protocolNamed(a.name())
                        .orElseThrow(() -> new ConfigException(
                                "brook.broker.listener-security-protocol-map",
                                config.getListenerSecurityProtocolMap(),
                                "no security protocol for the listener " + a.name()));
            }
            if (listeners.stream().anyMatch(l -> l.name().value().equals(a.name()))) {
                throw new ConfigException(
                        "brook.broker.listeners", config.getListeners(), "listener " + a.name() + " named twice");
            }
            if (a.port() != 0 && !ports.add(a.port())) {
                throw new ConfigException(
                        "brook.broker.listeners", config.getListeners(), "port " + a.port() + " used twice");
            }
            Address ad = advertised.remove(a.name());
            String advertisedHost = ad != null && !ad.host().isEmpty()
                    ? ad.host()
                    : a.host().isEmpty() || a.host().equals("0.0.0.0") ? broker.getAdvertisedHost() : a.host();
            listeners.add(new Listener(
                    new ListenerName(a.name()),
                    protocol,
                    a.host(),
                    a.port(),
                    advertisedHost,
                    ad == null || ad.port() == a.port() ? 0 : ad.port()));
        }
        if (!advertised.isEmpty()) {
            throw new ConfigException(
                    "brook.broker.advertised-listeners",
                    config.getAdvertisedListeners(),
                    "advertised listeners " + advertised.keySet() + " are not among the listeners");
        }
        ListenerName interBroker;
        if (!config.getInterBrokerListenerName().isBlank()) {
            String name = config.getInterBrokerListenerName().trim().toUpperCase(Locale.ROOT);
            interBroker = listeners.stream()
                    .map(Listener::name)
                    .filter(n -> n.value().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(
                            "brook.broker.inter-broker-listener-name", name, "not one of the listeners"));
        } else {
            interBroker = listeners.stream()
                    .filter(l -> l.protocol() == SecurityProtocol.PLAINTEXT)
                    .findFirst()
                    .orElse(listeners.get(0))
                    .name();
        }
        return new BrokerListeners(listeners, interBroker);
    }

    public List<Listener> listeners() {
        return listeners;
    }

    /** The listener followers of other brokers use to reach this one, and this broker theirs. */
    public ListenerName interBroker() {
        return interBroker;
    }

    /** The security protocol of the inter-broker listener. */
    public SecurityProtocol interBrokerProtocol() {
        return listeners.stream()
                .filter(l -> l.name().equals(interBroker))
                .findFirst()
                .orElseThrow()
                .protocol();
    }

    /** Kafka's {@code listeners} value, as DescribeConfigs shows it. */
    public String describe() {
        return String.join(
                ",",
                listeners.stream()
                        .map(l -> l.name().value() + "://" + l.host() + ":" + l.port())
                        .toList());
    }

    private static Optional<SecurityProtocol> protocolNamed(String name) {
        return SecurityProtocol.names().contains(name) ? Optional.of(SecurityProtocol.forName(name)) : Optional.empty();
    }

    static Map<String, SecurityProtocol> protocolMap(String value) {
        Map<String, SecurityProtocol> map = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            Optional<SecurityProtocol> protocol =
                    parts.length == 2 ? protocolNamed(parts[1].trim().toUpperCase(Locale.ROOT)) : Optional.empty();
            if (protocol.isEmpty()) {
                throw new ConfigException(
                        "brook.broker.listener-security-protocol-map",
                        value,
                        "expected NAME:PROTOCOL entries, PROTOCOL one of " + SecurityProtocol.names());
            }
            map.put(parts[0].trim().toUpperCase(Locale.ROOT), protocol.get());
        }
        return map;
    }

    /** Parses {@code NAME://host:port,...}; the host may be empty or an IPv6 address in brackets. */
    private static List<Address> addresses(String value, String property) {
        List<Address> result = new ArrayList<>();
        for (String entry : value.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) {
                continue;
            }
            int scheme = e.indexOf("://");
            int colon = e.lastIndexOf(':');
            if (scheme <= 0 || colon <= scheme + 2) {
                throw new ConfigException("brook.broker." + property, value, "expected NAME://host:port: " + e);
            }
            String host = e.substring(scheme + 3, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(e.substring(colon + 1));
            } catch (NumberFormatException ex) {
                port = -1;
            }
            if (port < 0 || port > 65_535) {
                throw new ConfigException("brook.broker." + property, value, "bad port in " + e);
            }
            result.add(new Address(e.substring(0, scheme).toUpperCase(Locale.ROOT), host, port));
        }
        if (result.isEmpty() && property.equals("listeners")) {
            throw new ConfigException("brook.broker.listeners", value, "no listener");
        }
        return result;
    }
}
