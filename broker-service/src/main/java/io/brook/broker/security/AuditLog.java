package io.brook.broker.security;

import java.net.InetAddress;
import org.apache.kafka.common.network.ListenerName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit logger, {@code brook.audit}: a logger of its own so that it can be routed to its own
 * file or kept at another level. It records who tried what from where; never a password, a token
 * or SASL bytes. Thread-safe.
 */
public final class AuditLog {

    /** The logger's name, for logging configuration. */
    public static final String LOGGER = "brook.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private AuditLog() {}

    /** A SASL authentication that failed. */
    public static void authenticationFailed(
            String mechanism, String user, InetAddress client, ListenerName listener, String reason) {
        LOG.warn(
                "authentication failed: mechanism={} user={} client={} listener={} reason={}",
                mechanism,
                printable(user),
                client.getHostAddress(),
                listener.value(),
                reason);
    }

    /** A TLS handshake that failed (no or an untrusted client certificate, not TLS at all). */
    public static void tlsFailed(InetAddress client, ListenerName listener, String reason) {
        LOG.warn(
                "TLS handshake failed: client={} listener={} reason={}",
                client.getHostAddress(),
                listener.value(),
                reason);
    }

    /** A SASL authentication that succeeded. */
    public static void authenticated(String mechanism, String principal, InetAddress client, ListenerName listener) {
        LOG.debug(
                "authenticated: mechanism={} principal={} client={} listener={}",
                mechanism,
                principal,
                client.getHostAddress(),
                listener.value());
    }

    /** A user name as a client sent it: unknown, or with control characters removed. */
    private static String printable(String user) {
        if (user == null) {
            return "(unknown)";
        }
        String clean = user.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 256 ? clean.substring(0, 256) + "..." : clean;
    }
}
