package io.brook.broker.security;

import java.net.InetAddress;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.SaslAuthenticationContext;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;

/**
 * The principal of a connection, by Kafka's {@link DefaultKafkaPrincipalBuilder} with its default
 * rules: on SSL, {@code User:<the client certificate's distinguished name>} (RFC 2253, as the JDK
 * prints it) or {@code User:ANONYMOUS} without a client certificate; on SASL listeners, {@code
 * User:<the authorization id>} once the exchange completed; {@code User:ANONYMOUS} on PLAINTEXT.
 * Thread-safe.
 */
public final class Principals {

    private static final DefaultKafkaPrincipalBuilder BUILDER =
            new DefaultKafkaPrincipalBuilder(null, SslPrincipalMapper.fromRules("DEFAULT"));

    private Principals() {}

    /** The principal of a TLS connection whose handshake has completed. */
    public static KafkaPrincipal ofTls(SSLSession session, InetAddress client, ListenerName listener) {
        return BUILDER.build(new SslAuthenticationContext(session, client, listener.value()));
    }

    /** The principal of a completed SASL exchange. */
    public static KafkaPrincipal ofSasl(
            SaslServer server,
            SecurityProtocol protocol,
            InetAddress client,
            ListenerName listener,
            Optional<SSLSession> tls) {
        return BUILDER.build(new SaslAuthenticationContext(server, protocol, client, listener.value(), tls));
    }
}
