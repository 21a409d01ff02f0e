package io.brook.broker.security;

import io.brook.broker.config.ListenerProperties;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * The server side of TLS listeners: a Netty {@link SslContext} from Kafka's {@code ssl.*}
 * settings (key store, key password, trust store, client authentication, enabled protocols). The
 * JDK's TLS provider, so that the peer's certificate chain is the JDK's {@code SSLSession} that
 * Kafka's principal builder reads. Stores are read once, at startup; a store that does not open
 * fails the start with the setting's name and never its password.
 */
public final class TlsContexts {

    private TlsContexts() {}

    /** The context of the broker's TLS listeners. */
    public static SslContext server(ListenerProperties.Ssl ssl) {
        if (ssl.getKeystoreLocation().isBlank()) {
            throw new ConfigException("brook.broker.ssl.keystore-location", "", "a TLS listener needs a key store");
        }
        try {
            KeyStore keys = load(
                    "brook.broker.ssl.keystore-location",
                    ssl.getKeystoreLocation(),
                    ssl.getKeystoreType(),
                    ssl.getKeystorePassword());
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            String keyPassword = ssl.getKeyPassword().isEmpty() ? ssl.getKeystorePassword() : ssl.getKeyPassword();
            keyManagers.init(keys, keyPassword.toCharArray());
            SslContextBuilder builder = SslContextBuilder.forServer(keyManagers)
                    .sslProvider(SslProvider.JDK)
                    .protocols(ssl.getEnabledProtocols())
                    .clientAuth(clientAuth(ssl.getClientAuth()));
            if (!ssl.getTruststoreLocation().isBlank()) {
                builder.trustManager(trustManagers(ssl));
            }
            return builder.build();
        } catch (GeneralSecurityException | IOException e) {
            // The JDK's messages name files and algorithms, not passwords.
            throw new ConfigException(
                    "brook.broker.ssl",
                    ssl.getKeystoreLocation(),
                    "the key or trust store does not open: " + e.getMessage());
        }
    }

    /** The trust store as trust managers. */
    static TrustManagerFactory trustManagers(ListenerProperties.Ssl ssl) throws GeneralSecurityException, IOException {
        KeyStore trust = load(
                "brook.broker.ssl.truststore-location",
                ssl.getTruststoreLocation(),
                ssl.getTruststoreType(),
                ssl.getTruststorePassword());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory;
    }

    static ClientAuth clientAuth(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none", "" -> ClientAuth.NONE;
            case "requested" -> ClientAuth.OPTIONAL;
            case "required" -> ClientAuth.REQUIRE;
            default ->
                throw new ConfigException(
                        "brook.broker.ssl.client-auth", value, "expected none, requested or required");
        };
    }

    private static KeyStore load(String setting, String location, String type, String password)
            throws GeneralSecurityException, IOException {
        Path path = Path.of(location);
        if (!Files.isReadable(path)) {
            throw new ConfigException(setting, location, "not a readable file");
        }
        KeyStore store = KeyStore.getInstance(type);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password.isEmpty() ? null : password.toCharArray());
        }
        return store;
    }
}
