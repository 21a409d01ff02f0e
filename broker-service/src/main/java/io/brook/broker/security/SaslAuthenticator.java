package io.brook.broker.security;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.SaslAuthenticateRequest;
import org.apache.kafka.common.requests.SaslAuthenticateResponse;
import org.apache.kafka.common.requests.SaslHandshakeRequest;
import org.apache.kafka.common.requests.SaslHandshakeResponse;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The SASL exchange of one connection on a SASL listener (KIP-152: SaslHandshake v1, then the
 * mechanism's tokens in SaslAuthenticate requests), as Kafka's {@code SaslServerAuthenticator}
 * runs it:
 *
 * <table>
 *   <caption>States of a connection's authentication</caption>
 *   <tr><th>state</th><th>request</th><th>answer, next state</th></tr>
 *   <tr><td>HANDSHAKE</td><td>SaslHandshake v0 (raw tokens to follow)</td><td>UNSUPPORTED_VERSION;
 *       FAILED, the connection closes</td></tr>
 *   <tr><td>HANDSHAKE</td><td>SaslHandshake v1, mechanism enabled</td><td>NONE and the enabled
 *       mechanisms; AUTHENTICATE</td></tr>
 *   <tr><td>HANDSHAKE</td><td>SaslHandshake, other mechanism</td><td>UNSUPPORTED_SASL_MECHANISM;
 *       FAILED, the connection closes</td></tr>
 *   <tr><td>AUTHENTICATE</td><td>SaslAuthenticate, the server takes the token</td><td>its
 *       challenge; AUTHENTICATE, or COMPLETE when the server is done</td></tr>
 *   <tr><td>AUTHENTICATE</td><td>SaslAuthenticate, the server refuses</td>
 *       <td>SASL_AUTHENTICATION_FAILED; FAILED, the connection closes</td></tr>
 *   <tr><td>any</td><td>any other combination</td><td>ILLEGAL_SASL_STATE; FAILED, the connection
 *       closes</td></tr>
 * </table>
 *
 * <p>The error message sent back names the mechanism only, never the user's input; failures go to
 * the {@link AuditLog}. Sessions do not expire ({@code session_lifetime_ms} 0: no KIP-368
 * re-authentication).
 *
 * <p>Threading: one request at a time (the connection's serial executor); the principal is read
 * by the network thread, hence volatile.
 */
public final class SaslAuthenticator {

    private enum State {
        HANDSHAKE,
        AUTHENTICATE,
        COMPLETE,
        FAILED
    }

    /**
     * The answer to one request.
     *
     * @param close whether the connection closes once the answer is sent
     */
    public record Step(AbstractResponse response, boolean close) {}

    private final SaslMechanisms mechanisms;
    private final SecurityProtocol protocol;
    private final ListenerName listener;
    private final InetAddress client;
    private final Optional<SSLSession> tls;
    private final AtomicReference<String> user = new AtomicReference<>();
    private State state = State.HANDSHAKE;
    private SaslServer server;
    private volatile KafkaPrincipal principal;

    public SaslAuthenticator(
            SaslMechanisms mechanisms,
            SecurityProtocol protocol,
            ListenerName listener,
            InetAddress client,
            Optional<SSLSession> tls) {
        this.mechanisms = mechanisms;
        this.protocol = protocol;
        this.listener = listener;
        this.client = client;
        this.tls = tls;
    }

    /** The authenticated principal, once the exchange has completed. */
    public Optional<KafkaPrincipal> principal() {
        return Optional.ofNullable(principal);
    }

    public Step handshake(SaslHandshakeRequest request) {
        String mechanism = request.data().mechanism();
        SaslHandshakeResponseData data = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        if (state != State.HANDSHAKE) {
            state = State.FAILED;
            return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.ILLEGAL_SASL_STATE.code())), true);
        }
        if (request.version() < 1) {
            // v0: the tokens would follow as raw frames, without SaslAuthenticate. Not served.
            state = State.FAILED;
            return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_VERSION.code())), true);
        }
        if (!mechanisms.enabled().contains(mechanism)) {
            state = State.FAILED;
            AuditLog.authenticationFailed(
                    printableMechanism(mechanism), null, client, listener, "mechanism not enabled");
            return new Step(
                    new SaslHandshakeResponse(data.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())), true);
        }
        server = mechanisms.create(mechanism, user);
        state = State.AUTHENTICATE;
        return new Step(new SaslHandshakeResponse(data.setErrorCode(Errors.NONE.code())), false);
    }

    public Step authenticate(SaslAuthenticateRequest request) {
        if (state != State.AUTHENTICATE) {
            state = State.FAILED;
            return new Step(
                    failure(Errors.ILLEGAL_SASL_STATE, "SaslAuthenticate before a SaslHandshake or after it completed"),
                    true);
        }
        String mechanism = server.getMechanismName();
        byte[] challenge;
        try {
            challenge = server.evaluateResponse(request.data().authBytes());
        } catch (SaslException | RuntimeException e) {
            state = State.FAILED;
            dispose();
            // The servers' own messages name no password, but the answer names the mechanism
            // only, so that no part of a client's input is ever echoed.
            AuditLog.authenticationFailed(
                    mechanism, user.get(), client, listener, e.getClass().getSimpleName());
            return new Step(
                    failure(
                            Errors.SASL_AUTHENTICATION_FAILED,
                            "Authentication failed: invalid credentials with SASL mechanism " + mechanism),
                    true);
        }
        if (server.isComplete()) {
            principal = Principals.ofSasl(server, protocol, client, listener, tls);
            state = State.COMPLETE;
            AuditLog.authenticated(mechanism, principal.toString(), client, listener);
            dispose();
        }
        return new Step(
                new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                        .setErrorCode(Errors.NONE.code())
                        .setAuthBytes(challenge == null ? new byte[0] : challenge)
                        .setSessionLifetimeMs(0)),
                false);
    }

    private static SaslAuthenticateResponse failure(Errors error, String message) {
        return new SaslAuthenticateResponse(new SaslAuthenticateResponseData()
                .setErrorCode(error.code())
                .setErrorMessage(message)
                .setAuthBytes(ByteBuffer.allocate(0).array()));
    }

    private void dispose() {
        try {
            server.dispose();
        } catch (SaslException e) {
            // nothing held that matters
        }
    }

    private static String printableMechanism(String mechanism) {
        return mechanism == null ? "(none)" : mechanism.replaceAll("[^A-Za-z0-9_-]", "?");
    }
}
