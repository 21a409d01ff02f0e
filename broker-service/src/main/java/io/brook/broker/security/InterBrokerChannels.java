package io.brook.broker.security;

import io.brook.broker.config.ListenerProperties;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.network.ChannelBuilder;
import org.apache.kafka.common.network.ChannelBuilders;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.security.scram.ScramLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.internals.LogContext;

/**
 * Channels of this broker's clients of other brokers (the replica fetchers): kafka-clients'
 * {@link ChannelBuilders#clientChannelBuilder} for the inter-broker listener's security protocol,
 * configured as a Kafka client would be ({@code security.protocol}, {@code sasl.mechanism}, {@code
 * sasl.jaas.config} with {@code brook.broker.inter-broker.username}/{@code password}, and the
 * broker's own trust store and key store for TLS). Thread-safe; each call builds a new builder.
 */
public final class InterBrokerChannels implements Supplier<ChannelBuilder> {

    private static final ConfigDef CLIENT_SECURITY = new ConfigDef()
            .define(
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    ConfigDef.Type.STRING,
                    CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL,
                    ConfigDef.Importance.MEDIUM,
                    CommonClientConfigs.SECURITY_PROTOCOL_DOC)
            .withClientSslSupport()
            .withClientSaslSupport();

    private final SecurityProtocol protocol;
    private final ListenerName listener;
    private final String mechanism;
    private final Map<String, Object> configs;

    public InterBrokerChannels(SecurityProtocol protocol, ListenerName listener, ListenerProperties properties) {
        this.protocol = protocol;
        this.listener = listener;
        ListenerProperties.InterBroker client = properties.getInterBroker();
        this.mechanism = client.getSaslMechanism();
        Map<String, Object> map = new HashMap<>();
        map.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name);
        if (protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL) {
            map.put(SaslConfigs.SASL_MECHANISM, mechanism);
            String module = mechanism.startsWith("SCRAM-")
                    ? ScramLoginModule.class.getName()
                    : PlainLoginModule.class.getName();
            map.put(
                    SaslConfigs.SASL_JAAS_CONFIG,
                    new Password(module + " required username=\"" + jaasQuote(client.getUsername()) + "\" password=\""
                            + jaasQuote(client.getPassword()) + "\";"));
        }
        if (protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL) {
            ListenerProperties.Ssl ssl = properties.getSsl();
            map.put(SslConfigs.SSL_ENABLED_PROTOCOLS_CONFIG, String.join(",", ssl.getEnabledProtocols()));
            if (!ssl.getTruststoreLocation().isBlank()) {
                map.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, ssl.getTruststoreLocation());
                map.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, ssl.getTruststoreType());
                map.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, new Password(ssl.getTruststorePassword()));
            }
            if (!ssl.getKeystoreLocation().isBlank()) {
                // Presented when the peer asks for a client certificate, as Kafka's brokers do.
                map.put(SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, ssl.getKeystoreLocation());
                map.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, ssl.getKeystoreType());
                map.put(SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, new Password(ssl.getKeystorePassword()));
                if (!ssl.getKeyPassword().isEmpty()) {
                    map.put(SslConfigs.SSL_KEY_PASSWORD_CONFIG, new Password(ssl.getKeyPassword()));
                }
            }
            // Brokers are addressed by their advertised names; tests use addresses.
            map.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        this.configs = Map.copyOf(map);
    }

    @Override
    public ChannelBuilder get() {
        boolean sasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        return ChannelBuilders.clientChannelBuilder(
                protocol,
                JaasContext.Type.CLIENT,
                new AbstractConfig(CLIENT_SECURITY, configs, false),
                listener,
                sasl ? mechanism : null,
                Time.SYSTEM,
                new LogContext("[inter-broker] "));
    }

    private static String jaasQuote(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
