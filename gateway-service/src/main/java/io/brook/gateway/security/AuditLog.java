package io.brook.gateway.security;

import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of the gateway's security, on its own logger {@code brook.audit} (route it to its
 * own file or level with Spring's {@code logging.level.brook.audit}): failed authentications and
 * denied operations, with the user, the client's address, the operation and the resource. Never a
 * password or a token: the user is the name the client claimed, the reason a fixed phrase.
 *
 * <p>Threading: thread-safe (a logger).
 */
public final class AuditLog {

    /** The logger's name. */
    public static final String LOGGER = "brook.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private AuditLog() {}

    /** A failed authentication: {@code user} is what the client claimed (null if nothing). */
    static void authenticationFailed(String user, String address, String method, String path, String reason) {
        LOG.warn(
                "authentication failed: user={} address={} request=\"{} {}\" reason={}",
                user == null ? "-" : user,
                address,
                method,
                path,
                reason);
    }

    /** An operation the ACLs did not allow. */
    static void denied(
            String user,
            String address,
            AclOperation operation,
            ResourceType type,
            String resource,
            String method,
            String path) {
        LOG.warn(
                "authorization denied: user={} address={} operation={} resource={}:{} request=\"{} {}\"",
                user,
                address,
                operation,
                type,
                resource,
                method,
                path);
    }
}
