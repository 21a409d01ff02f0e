package io.brook.broker.security;

import io.brook.cluster.security.ScramPasswords;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.plain.PlainAuthenticateCallback;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;
import org.apache.kafka.common.security.scram.internals.ScramServerCallbackHandler;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCache;

/**
 * The SASL mechanisms a broker serves (Kafka's {@code sasl.enabled.mechanisms}) and a fresh
 * kafka-clients SASL server per exchange, all over one user store, the {@link CredentialCache}:
 *
 * <ul>
 *   <li>SCRAM-SHA-256 and SCRAM-SHA-512: {@link ScramSaslServer} with kafka-clients' {@link
 *       ScramServerCallbackHandler} over the cache of that mechanism (delegation tokens are not
 *       served: their cache stays empty), wrapped to take the final message of librdkafka before
 *       2.6.1 ({@link TolerantScramSaslServer});
 *   <li>PLAIN: {@link PlainSaslServer} with a callback that checks the password against the
 *       user's SCRAM credential ({@link ScramPasswords#verify}: the salted password derived again,
 *       4096 HMAC iterations, which is why the exchange runs on a request thread, not on the
 *       event loop).
 * </ul>
 *
 * Thread-safe; each server it creates belongs to one connection.
 */
public final class SaslMechanisms {

    /** What the broker can serve. */
    public static final List<String> SUPPORTED = List.of(
            PlainSaslServer.PLAIN_MECHANISM,
            ScramMechanism.SCRAM_SHA_256.mechanismName(),
            ScramMechanism.SCRAM_SHA_512.mechanismName());

    private final List<String> enabled;
    private final CredentialCache credentials;
    private final DelegationTokenCache noTokens = new DelegationTokenCache(ScramMechanism.mechanismNames());

    public SaslMechanisms(List<String> enabled, CredentialCache credentials) {
        for (String mechanism : enabled) {
            if (!SUPPORTED.contains(mechanism)) {
                throw new ConfigException(
                        "brook.broker.sasl-enabled-mechanisms", enabled, "supported are " + SUPPORTED);
            }
        }
        if (enabled.isEmpty()) {
            throw new ConfigException("brook.broker.sasl-enabled-mechanisms", enabled, "none enabled");
        }
        this.enabled = List.copyOf(enabled);
        this.credentials = credentials;
    }

    /** The mechanisms served, as SaslHandshake lists them. */
    public List<String> enabled() {
        return enabled;
    }

    /**
     * A server for one exchange of an enabled mechanism.
     *
     * @param user receives the user name the client sends, for the audit log
     */
    SaslServer create(String mechanism, AtomicReference<String> user) {
        if (!enabled.contains(mechanism)) {
            throw new IllegalArgumentException("not enabled: " + mechanism);
        }
        if (mechanism.equals(PlainSaslServer.PLAIN_MECHANISM)) {
            return new PlainSaslServer(new RecordingUser(user, this::checkPlain));
        }
        ScramMechanism scram = ScramMechanism.forMechanismName(mechanism);
        CredentialCache.Cache<ScramCredential> cache = credentials.cache(mechanism, ScramCredential.class);
        ScramServerCallbackHandler handler = new ScramServerCallbackHandler(cache, noTokens);
        try {
            return new TolerantScramSaslServer(
                    new ScramSaslServer(scram, Map.of(), new RecordingUser(user, handler::handle)), scram, cache);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(mechanism + " is not available in this JVM", e);
        }
    }

    private void checkPlain(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof PlainAuthenticateCallback plain) {
                String password = new String(plain.password());
                plain.authenticated(user != null
                        && ScramPasswords.verify(credentials, user, password).orElse(false));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    /** Notes the user name a SASL server asks about (its NameCallback), then delegates. */
    private record RecordingUser(AtomicReference<String> user, Handler delegate) implements CallbackHandler {

        interface Handler {
            void handle(Callback[] callbacks) throws java.io.IOException, UnsupportedCallbackException;
        }

        @Override
        public void handle(Callback[] callbacks) throws java.io.IOException, UnsupportedCallbackException {
            for (Callback callback : callbacks) {
                if (callback instanceof NameCallback name && name.getDefaultName() != null) {
                    user.set(name.getDefaultName());
                }
            }
            delegate.handle(callbacks);
        }
    }
}
