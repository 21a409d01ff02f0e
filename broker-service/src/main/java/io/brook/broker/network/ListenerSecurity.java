package io.brook.broker.network;

import io.brook.broker.security.SaslMechanisms;
import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * What one listener does before a connection's requests reach their handlers: its name and
 * security protocol (both go into every request's context), TLS (for SSL and SASL_SSL) and SASL
 * (for SASL_PLAINTEXT and SASL_SSL). Immutable.
 */
public record ListenerSecurity(
        ListenerName listenerName, SecurityProtocol protocol, Optional<SslContext> tls, Optional<SaslMechanisms> sasl) {

    public ListenerSecurity {
        Objects.requireNonNull(listenerName, "listenerName");
        boolean wantsTls = protocol == SecurityProtocol.SSL || protocol == SecurityProtocol.SASL_SSL;
        boolean wantsSasl = protocol == SecurityProtocol.SASL_PLAINTEXT || protocol == SecurityProtocol.SASL_SSL;
        if (wantsTls != tls.isPresent() || wantsSasl != sasl.isPresent()) {
            throw new IllegalArgumentException(protocol + " listener " + listenerName.value()
                    + (wantsTls ? " needs" : " takes no") + " TLS and " + (wantsSasl ? "needs" : "takes no") + " SASL");
        }
    }

    /** Today's listener: PLAINTEXT, no authentication, every principal ANONYMOUS. */
    public static ListenerSecurity plaintext() {
        return new ListenerSecurity(
                ListenerName.forSecurityProtocol(SecurityProtocol.PLAINTEXT),
                SecurityProtocol.PLAINTEXT,
                Optional.empty(),
                Optional.empty());
    }
}
