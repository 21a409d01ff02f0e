package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brook.cluster.security.ScramPasswords;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * SCRAM exchanges played by hand with kafka-clients' formatter, as RFC 5802 clients and as
 * librdkafka before 2.6.1 (client nonce repeated in the final message) play them.
 */
class TolerantScramSaslServerTest {

    private static final String PASSWORD = "pa55-word";

    private static SaslServer server(ScramMechanism mechanism) {
        CredentialCache cache = ScramPasswords.newCache();
        cache.cache(mechanism.mechanismName(), ScramCredential.class)
                .put("alice", ScramPasswords.create(mechanism, PASSWORD, 4096));
        return new SaslMechanisms(java.util.List.of(mechanism.mechanismName()), cache)
                .create(mechanism.mechanismName(), new AtomicReference<>());
    }

    /** Plays the exchange; the final message's nonce is made from the two nonces. */
    private static byte[] exchange(
            SaslServer server,
            ScramMechanism mechanism,
            String password,
            java.util.function.BinaryOperator<String> finalNonce)
            throws Exception {
        ScramFormatter formatter = new ScramFormatter(mechanism);
        ClientFirstMessage first = new ClientFirstMessage("alice", "clientnonce123", Map.of());
        ServerFirstMessage serverFirst = new ServerFirstMessage(server.evaluateResponse(first.toBytes()));
        ClientFinalMessage last = new ClientFinalMessage(
                "n,,".getBytes(StandardCharsets.UTF_8), finalNonce.apply(first.nonce(), serverFirst.nonce()));
        byte[] salted = formatter.saltedPassword(password, serverFirst.salt(), serverFirst.iterations());
        last.proof(formatter.clientProof(salted, first, serverFirst, last));
        return server.evaluateResponse(last.toBytes());
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void rfcClientsAndLibrdkafkasRepeatedNonceBothLogIn(ScramMechanism mechanism) throws Exception {
        for (java.util.function.BinaryOperator<String> nonce :
                java.util.List.<java.util.function.BinaryOperator<String>>of((c, s) -> s, (c, s) -> c + s)) {
            SaslServer server = server(mechanism);
            byte[] serverFinal = exchange(server, mechanism, PASSWORD, nonce);
            assertThat(server.isComplete()).isTrue();
            assertThat(server.getAuthorizationID()).isEqualTo("alice");
            assertThat(new ServerFinalMessage(serverFinal).error()).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(ScramMechanism.class)
    void aWrongPasswordOrAnyOtherNonceIsRefused(ScramMechanism mechanism) {
        SaslServer wrongPassword = server(mechanism);
        assertThatThrownBy(() -> exchange(wrongPassword, mechanism, "not-" + PASSWORD, (c, s) -> c + s))
                .satisfies(e -> assertThat(e).isInstanceOfAny(SaslException.class, RuntimeException.class))
                .hasMessageNotContaining(PASSWORD);
        assertThat(wrongPassword.isComplete()).isFalse();

        SaslServer staleNonce = server(mechanism);
        assertThatThrownBy(() -> exchange(staleNonce, mechanism, PASSWORD, (c, s) -> "x" + s))
                .isInstanceOf(SaslException.class);
        assertThat(staleNonce.isComplete()).isFalse();

        SaslServer clientNonceOnly = server(mechanism);
        assertThatThrownBy(() -> exchange(clientNonceOnly, mechanism, PASSWORD, (c, s) -> c))
                .isInstanceOf(SaslException.class);
        assertThat(clientNonceOnly.isComplete()).isFalse();
    }
}
