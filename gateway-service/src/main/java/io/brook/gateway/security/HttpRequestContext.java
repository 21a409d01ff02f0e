package io.brook.gateway.security;

import java.net.InetAddress;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;

/**
 * An HTTP request as Kafka's authorizer sees a request: the user's principal, the HTTP client's
 * address (the ACL's host), listener {@code HTTP}, and the protocol by whether the connection is
 * TLS ({@code SASL_SSL}) or not ({@code SASL_PLAINTEXT}), as the closest Kafka names for "a user
 * who authenticated with a password or token". There is no Kafka request type or correlation id.
 */
record HttpRequestContext(KafkaPrincipal principal, InetAddress clientAddress, boolean tls)
        implements AuthorizableRequestContext {

    static final String LISTENER = "HTTP";

    @Override
    public String listenerName() {
        return LISTENER;
    }

    @Override
    public SecurityProtocol securityProtocol() {
        return tls ? SecurityProtocol.SASL_SSL : SecurityProtocol.SASL_PLAINTEXT;
    }

    @Override
    public int requestType() {
        return -1;
    }

    @Override
    public int requestVersion() {
        return 0;
    }

    @Override
    public String clientId() {
        return "";
    }

    @Override
    public int correlationId() {
        return 0;
    }
}
