package io.brook.broker.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.security.ScramPasswords;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.junit.jupiter.api.Test;

/** The transition table of {@link SaslAuthenticator}, one row per test, with SASL PLAIN tokens. */
class SaslAuthenticatorTest {

    private final CredentialCache cache = ScramPasswords.newCache();

    SaslAuthenticatorTest() {
        cache.cache("SCRAM-SHA-256", ScramCredential.class)
                .put("alice", ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, "right", 4096));
    }

    private SaslAuthenticator authenticator(String... enabled) throws Exception {
        return new SaslAuthenticator(
                new SaslMechanisms(List.of(enabled), cache),
                SecurityProtocol.SASL_PLAINTEXT,
                new ListenerName("SASL_PLAINTEXT"),
                InetAddress.getLoopbackAddress(),
                Optional.empty());
    }

    private static SaslHandshakeRequest handshake(String mechanism, short version) {
        return new SaslHandshakeRequest(new SaslHandshakeRequestData().setMechanism(mechanism), version);
    }

    private static SaslAuthenticateRequest plain(String user, String password) {
        byte[] token = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return new SaslAuthenticateRequest(new SaslAuthenticateRequestData().setAuthBytes(token), (short) 2);
    }

    private static Errors error(SaslAuthenticator.Step step) {
        return step.response() instanceof SaslHandshakeResponse h
                ? h.error()
                : ((SaslAuthenticateResponse) step.response()).error();
    }

    @Test
    void handshakeThenTheRightPasswordAuthenticatesAsTheUser() throws Exception {
        SaslAuthenticator sasl = authenticator("PLAIN", "SCRAM-SHA-256");
        SaslAuthenticator.Step hello = sasl.handshake(handshake("PLAIN", (short) 1));
        assertThat(error(hello)).isEqualTo(Errors.NONE);
        assertThat(((SaslHandshakeResponse) hello.response()).enabledMechanisms())
                .containsExactly("PLAIN", "SCRAM-SHA-256");
        assertThat(hello.close()).isFalse();
        assertThat(sasl.principal()).isEmpty();

        SaslAuthenticator.Step done = sasl.authenticate(plain("alice", "right"));
        assertThat(error(done)).isEqualTo(Errors.NONE);
        assertThat(done.close()).isFalse();
        assertThat(sasl.principal()).contains(new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));

        // Nothing more to authenticate: a second exchange is refused.
        SaslAuthenticator.Step again = sasl.authenticate(plain("alice", "right"));
        assertThat(error(again)).isEqualTo(Errors.ILLEGAL_SASL_STATE);
        assertThat(again.close()).isTrue();
    }

    @Test
    void aWrongPasswordOrUnknownUserFailsAndCloses() throws Exception {
        for (SaslAuthenticateRequest attempt : List.of(plain("alice", "wrong"), plain("mallory", "right"))) {
            SaslAuthenticator sasl = authenticator("PLAIN");
            sasl.handshake(handshake("PLAIN", (short) 1));
            SaslAuthenticator.Step failed = sasl.authenticate(attempt);
            assertThat(error(failed)).isEqualTo(Errors.SASL_AUTHENTICATION_FAILED);
            assertThat(((SaslAuthenticateResponse) failed.response()).errorMessage())
                    .doesNotContain("wrong")
                    .doesNotContain("right")
                    .contains("PLAIN");
            assertThat(failed.close()).isTrue();
            assertThat(sasl.principal()).isEmpty();
        }
    }

    @Test
    void aMechanismNotEnabledIsRefusedAndCloses() throws Exception {
        SaslAuthenticator sasl = authenticator("SCRAM-SHA-512");
        SaslAuthenticator.Step step = sasl.handshake(handshake("PLAIN", (short) 1));
        assertThat(error(step)).isEqualTo(Errors.UNSUPPORTED_SASL_MECHANISM);
        assertThat(((SaslHandshakeResponse) step.response()).enabledMechanisms())
                .containsExactly("SCRAM-SHA-512");
        assertThat(step.close()).isTrue();
    }

    @Test
    void authenticateBeforeHandshakeAndTheRawTokenHandshakeV0AreRefused() throws Exception {
        SaslAuthenticator early = authenticator("PLAIN");
        SaslAuthenticator.Step step = early.authenticate(plain("alice", "right"));
        assertThat(error(step)).isEqualTo(Errors.ILLEGAL_SASL_STATE);
        assertThat(step.close()).isTrue();
        assertThat(early.principal()).isEmpty();

        SaslAuthenticator v0 = authenticator("PLAIN");
        SaslAuthenticator.Step old = v0.handshake(handshake("PLAIN", (short) 0));
        assertThat(error(old)).isEqualTo(Errors.UNSUPPORTED_VERSION);
        assertThat(old.close()).isTrue();
    }
}
