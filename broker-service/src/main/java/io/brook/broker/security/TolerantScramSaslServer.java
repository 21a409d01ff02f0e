package io.brook.broker.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ClientFirstMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFinalMessage;
import org.apache.kafka.common.security.scram.internals.ScramMessages.ServerFirstMessage;

/**
 * kafka-clients' SCRAM server, plus the one client-final message that librdkafka before 2.6.1
 * sends: its nonce is the client nonce followed by the whole server nonce (which already starts
 * with the client nonce; librdkafka#4895). Apache Kafka 3.8.1 to 3.9 accepted it (a nonce that
 * ends with the server's), Kafka 4 compares exactly (RFC 5802) and refuses it, so that kcat and
 * the librdkafka of Debian bookworm and Ubuntu 24.04 (2.0 to 2.3) cannot log in with SCRAM.
 *
 * <p>That exact form, and only it, is verified here with kafka-clients' own {@link ScramFormatter}:
 * the channel binding must be the client's GS2 header and the client proof must match the user's
 * stored key over the auth message as the client signed it. The fresh server nonce is still
 * required, so a replayed exchange still fails. Every other message, and the whole first round,
 * is the delegate's.
 *
 * <p>Threading: one exchange, one request at a time, like any {@link SaslServer}.
 */
final class TolerantScramSaslServer implements SaslServer {

    private final SaslServer delegate;
    private final ScramFormatter formatter;
    private final String mechanism;
    private final CredentialCache.Cache<ScramCredential> credentials;
    private ClientFirstMessage clientFirst;
    private ServerFirstMessage serverFirst;
    private String username;
    private boolean completedHere;

    TolerantScramSaslServer(
            SaslServer delegate, ScramMechanism mechanism, CredentialCache.Cache<ScramCredential> credentials)
            throws NoSuchAlgorithmException {
        this.delegate = delegate;
        this.formatter = new ScramFormatter(mechanism);
        this.mechanism = mechanism.mechanismName();
        this.credentials = credentials;
    }

    @Override
    public byte[] evaluateResponse(byte[] response) throws SaslException {
        if (clientFirst == null) {
            byte[] challenge = delegate.evaluateResponse(response);
            clientFirst = new ClientFirstMessage(response);
            serverFirst = new ServerFirstMessage(challenge);
            username = ScramFormatter.username(clientFirst.saslName());
            return challenge;
        }
        if (serverFirst != null && !completedHere) {
            ClientFinalMessage clientFinal = new ClientFinalMessage(response);
            if (clientFinal.nonce().equals(clientFirst.nonce() + serverFirst.nonce())) {
                return verifyRepeatedNonce(clientFinal);
            }
        }
        return delegate.evaluateResponse(response);
    }

    private byte[] verifyRepeatedNonce(ClientFinalMessage clientFinal) {
        ScramCredential credential = credentials.get(username);
        if (credential == null
                || !MessageDigest.isEqual(
                        clientFinal.channelBinding(), clientFirst.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            throw new SaslAuthenticationException("Authentication failed: Invalid user credentials");
        }
        try {
            byte[] signature = formatter.clientSignature(credential.storedKey(), clientFirst, serverFirst, clientFinal);
            byte[] storedKey = formatter.storedKey(signature, clientFinal.proof());
            if (!MessageDigest.isEqual(storedKey, credential.storedKey())) {
                throw new SaslAuthenticationException("Authentication failed: Invalid user credentials");
            }
            byte[] serverSignature =
                    formatter.serverSignature(credential.serverKey(), clientFirst, serverFirst, clientFinal);
            completedHere = true;
            return new ServerFinalMessage(null, serverSignature).toBytes();
        } catch (GeneralSecurityException e) {
            throw new SaslAuthenticationException("Authentication failed: " + mechanism + " is not available");
        }
    }

    @Override
    public String getMechanismName() {
        return mechanism;
    }

    @Override
    public boolean isComplete() {
        return completedHere || delegate.isComplete();
    }

    @Override
    public String getAuthorizationID() {
        if (completedHere) {
            return username;
        }
        return delegate.getAuthorizationID();
    }

    @Override
    public byte[] unwrap(byte[] incoming, int offset, int len) throws SaslException {
        return delegate.unwrap(incoming, offset, len);
    }

    @Override
    public byte[] wrap(byte[] outgoing, int offset, int len) throws SaslException {
        return delegate.wrap(outgoing, offset, len);
    }

    @Override
    public Object getNegotiatedProperty(String propName) {
        return delegate.getNegotiatedProperty(propName);
    }

    @Override
    public void dispose() throws SaslException {
        delegate.dispose();
    }
}
