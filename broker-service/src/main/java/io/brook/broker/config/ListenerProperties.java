package io.brook.broker.config;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The broker's listeners and their security, under {@code brook.broker} with Kafka's names:
 * {@code listeners}, {@code advertised-listeners}, {@code listener-security-protocol-map}, {@code
 * inter-broker-listener-name}, {@code sasl-enabled-mechanisms}, {@code ssl.*} and the
 * inter-broker client's {@code inter-broker.*}.
 *
 * <p>With {@code listeners} unset the broker has one PLAINTEXT listener on {@code
 * brook.broker.host}:{@code brook.broker.port}, advertised as {@code advertised-host}, exactly as
 * before listeners were configurable. Passwords held here are never logged nor shown by
 * DescribeConfigs.
 */
@ConfigurationProperties("brook.broker")
public class ListenerProperties {

    /**
     * Kafka's listeners: {@code NAME://host:port} separated by commas, e.g. {@code
     * PLAINTEXT://127.0.0.1:9092,SASL_SSL://127.0.0.1:9093}; a name that is not a security protocol
     * takes its protocol from {@link #listenerSecurityProtocolMap}. Port 0 binds a free port.
     * Empty: one PLAINTEXT listener on {@code host}:{@code port}.
     */
    private String listeners = "";

    /**
     * What clients are told per listener (Kafka's advertised.listeners), same form; a listener not
     * named here is advertised with its bind host, or {@code advertised-host} where it binds all
     * addresses, and its bound port.
     */
    private String advertisedListeners = "";

    /**
     * Security protocol of each named listener (Kafka's listener.security.protocol.map), e.g.
     * {@code INTERNAL:SASL_PLAINTEXT,EXTERNAL:SASL_SSL}.
     */
    private String listenerSecurityProtocolMap = "";

    /**
     * The listener other brokers' followers connect to (Kafka's inter.broker.listener.name);
     * empty: PLAINTEXT if there is one, else the first listener.
     */
    private String interBrokerListenerName = "";

    /** SASL mechanisms served on SASL listeners (Kafka's sasl.enabled.mechanisms). */
    private List<String> saslEnabledMechanisms = new ArrayList<>(List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"));

    /** TLS of the SSL and SASL_SSL listeners, and of the inter-broker client on them. */
    private Ssl ssl = new Ssl();

    /** How this broker's followers authenticate to other brokers' inter-broker listener. */
    private InterBroker interBroker = new InterBroker();

    /** Kafka's {@code ssl.*} settings. */
    public static class Ssl {

        /** Key store with this broker's key and certificate (ssl.keystore.location). */
        private String keystoreLocation = "";

        /** Its password (ssl.keystore.password). */
        private String keystorePassword = "";

        /** The key's password, if it differs from the store's (ssl.key.password). */
        private String keyPassword = "";

        /** PKCS12 or JKS (ssl.keystore.type). */
        private String keystoreType = "PKCS12";

        /**
         * Trust store: the CAs of client certificates, and of other brokers for the inter-broker
         * client (ssl.truststore.location); empty: the JVM's default CAs.
         */
        private String truststoreLocation = "";

        /** Its password (ssl.truststore.password). */
        private String truststorePassword = "";

        /** PKCS12 or JKS (ssl.truststore.type). */
        private String truststoreType = "PKCS12";

        /**
         * Client certificates: none, requested or required (ssl.client.auth). With one, an SSL
         * listener's principal is {@code User:<the certificate's distinguished name>}.
         */
        private String clientAuth = "none";

        /** TLS versions accepted (ssl.enabled.protocols). */
        private List<String> enabledProtocols = new ArrayList<>(List.of("TLSv1.3", "TLSv1.2"));

        public String getKeystoreLocation() {
            return keystoreLocation;
        }

        public void setKeystoreLocation(String keystoreLocation) {
            this.keystoreLocation = keystoreLocation;
        }

        public String getKeystorePassword() {
            return keystorePassword;
        }

        public void setKeystorePassword(String keystorePassword) {
            this.keystorePassword = keystorePassword;
        }

        public String getKeyPassword() {
            return keyPassword;
        }

        public void setKeyPassword(String keyPassword) {
            this.keyPassword = keyPassword;
        }

        public String getKeystoreType() {
            return keystoreType;
        }

        public void setKeystoreType(String keystoreType) {
            this.keystoreType = keystoreType;
        }

        public String getTruststoreLocation() {
            return truststoreLocation;
        }

        public void setTruststoreLocation(String truststoreLocation) {
            this.truststoreLocation = truststoreLocation;
        }

        public String getTruststorePassword() {
            return truststorePassword;
        }

        public void setTruststorePassword(String truststorePassword) {
            this.truststorePassword = truststorePassword;
        }

        public String getTruststoreType() {
            return truststoreType;
        }

        public void setTruststoreType(String truststoreType) {
            this.truststoreType = truststoreType;
        }

        public String getClientAuth() {
            return clientAuth;
        }

        public void setClientAuth(String clientAuth) {
            this.clientAuth = clientAuth;
        }

        public List<String> getEnabledProtocols() {
            return enabledProtocols;
        }

        public void setEnabledProtocols(List<String> enabledProtocols) {
            this.enabledProtocols = enabledProtocols;
        }
    }

    /** The inter-broker client's SASL identity (Kafka's sasl.mechanism.inter.broker.protocol and JAAS). */
    public static class InterBroker {

        /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; needed when the inter-broker listener is SASL. */
        private String saslMechanism = "PLAIN";

        /** The broker's user. */
        private String username = "";

        /** Its password. */
        private String password = "";

        public String getSaslMechanism() {
            return saslMechanism;
        }

        public void setSaslMechanism(String saslMechanism) {
            this.saslMechanism = saslMechanism;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }
    }

    public String getListeners() {
        return listeners;
    }

    public void setListeners(String listeners) {
        this.listeners = listeners;
    }

    public String getAdvertisedListeners() {
        return advertisedListeners;
    }

    public void setAdvertisedListeners(String advertisedListeners) {
        this.advertisedListeners = advertisedListeners;
    }

    public String getListenerSecurityProtocolMap() {
        return listenerSecurityProtocolMap;
    }

    public void setListenerSecurityProtocolMap(String listenerSecurityProtocolMap) {
        this.listenerSecurityProtocolMap = listenerSecurityProtocolMap;
    }

    public String getInterBrokerListenerName() {
        return interBrokerListenerName;
    }

    public void setInterBrokerListenerName(String interBrokerListenerName) {
        this.interBrokerListenerName = interBrokerListenerName;
    }

    public List<String> getSaslEnabledMechanisms() {
        return saslEnabledMechanisms;
    }

    public void setSaslEnabledMechanisms(List<String> saslEnabledMechanisms) {
        this.saslEnabledMechanisms = saslEnabledMechanisms;
    }

    public Ssl getSsl() {
        return ssl;
    }

    public void setSsl(Ssl ssl) {
        this.ssl = ssl;
    }

    public InterBroker getInterBroker() {
        return interBroker;
    }

    public void setInterBroker(InterBroker interBroker) {
        this.interBroker = interBroker;
    }
}
