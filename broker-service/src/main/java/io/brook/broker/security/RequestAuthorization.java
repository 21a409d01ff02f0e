package io.brook.broker.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where handlers ask whether a request may do something: Kafka's {@link Authorizer}
 * (when {@code brook.security.authorizer-enabled}) asked with the request's own context, which
 * carries the principal, client address and listener. Without an authorizer everything is
 * allowed, as in a Kafka broker without {@code authorizer.class.name}.
 *
 * <p>Every denial is written to the audit logger {@value #AUDIT_LOGGER}, one line with the
 * principal, client address, operation, resource and API; never a payload, a password or a
 * token. Denials that Kafka does not report (topics left out of a Metadata answer listing all
 * topics, groups left out of ListGroups) are not written either.
 *
 * <p>Threading: thread-safe if the authorizer is (Kafka's contract for it).
 */
public final class RequestAuthorization implements AutoCloseable {

    /** The logger of denied operations (and, from the SASL layer, failed authentications). */
    public static final String AUDIT_LOGGER = "brook.audit";

    /** Kafka's name of the one cluster resource. */
    public static final String CLUSTER_NAME = "kafka-cluster";

    private static final Logger AUDIT = LoggerFactory.getLogger(AUDIT_LOGGER);

    /** No authorizer: every request is allowed. */
    public static final RequestAuthorization ALLOW_ALL = new RequestAuthorization(null);

    private final Authorizer authorizer;

    private RequestAuthorization(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** Checks with this started authorizer, which {@link #close} closes. */
    public static RequestAuthorization with(Authorizer authorizer) {
        return new RequestAuthorization(java.util.Objects.requireNonNull(authorizer));
    }

    public boolean enabled() {
        return authorizer != null;
    }

    /** The authorizer, if any (the ACL APIs manage ACLs through it). */
    public Optional<Authorizer> authorizer() {
        return Optional.ofNullable(authorizer);
    }

    /**
     * The authorizer, for the ACL APIs.
     *
     * @throws SecurityDisabledException if there is none (Kafka's answer to ACL APIs then)
     */
    public Authorizer requireAuthorizer() {
        if (authorizer == null) {
            throw new SecurityDisabledException("No Authorizer is configured.");
        }
        return authorizer;
    }

    /** Whether the request may do {@code operation} on the named resource; a denial is audited. */
    public boolean authorize(
            AuthorizableRequestContext context, AclOperation operation, ResourceType type, String name) {
        return filter(context, operation, type, List.of(name), true).contains(name);
    }

    /**
     * Whether the request may do {@code operation} on the named resource, without auditing a
     * denial: for checks that are one of several ways to be allowed, or where Kafka silently
     * leaves things out.
     */
    public boolean allowedQuietly(
            AuthorizableRequestContext context, AclOperation operation, ResourceType type, String name) {
        return filter(context, operation, type, List.of(name), false).contains(name);
    }

    /**
     * Whether the request may do {@code operation} on at least one resource of the type (Kafka's
     * {@code authorizeByResourceType}: an idempotent producer may write if it may write some
     * topic). Not audited.
     */
    public boolean allowedOnAny(AuthorizableRequestContext context, AclOperation operation, ResourceType type) {
        return authorizer == null
                || authorizer.authorizeByResourceType(context, operation, type) == AuthorizationResult.ALLOWED;
    }

    /** Whether the request may do {@code operation} on the cluster; a denial is audited. */
    public boolean authorizeCluster(AuthorizableRequestContext context, AclOperation operation) {
        return authorize(context, operation, ResourceType.CLUSTER, CLUSTER_NAME);
    }

    /**
     * Requires {@code operation} on the cluster, as Kafka's {@code authorizeClusterOperation}.
     *
     * @throws ClusterAuthorizationException if it is denied
     */
    public void requireCluster(AuthorizableRequestContext context, AclOperation operation) {
        if (!authorizeCluster(context, operation)) {
            throw new ClusterAuthorizationException(
                    "Request " + apiName(context) + " needs " + operation + " on the cluster");
        }
    }

    /**
     * The operations allowed on a resource as Kafka's 32-bit field (bit {@code code} set for each),
     * among those Kafka supports for its type; for the {@code authorizedOperations} fields of
     * DescribeCluster, Metadata and DescribeGroups. Not audited.
     */
    public int authorizedOperations(AuthorizableRequestContext context, ResourceType type, String name) {
        List<AclOperation> supported = SUPPORTED_OPERATIONS.getOrDefault(type, List.of());
        Set<Byte> allowed = new HashSet<>();
        for (AclOperation operation : supported) {
            if (allowedQuietly(context, operation, type, name)) {
                allowed.add(operation.code());
            }
        }
        return org.apache.kafka.common.utils.Utils.to32BitField(allowed);
    }

    /** Kafka's operations per resource type ({@code AclEntry.supportedOperations}). */
    private static final java.util.Map<ResourceType, List<AclOperation>> SUPPORTED_OPERATIONS = java.util.Map.of(
            ResourceType.TOPIC,
            List.of(
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.CREATE,
                    AclOperation.DESCRIBE,
                    AclOperation.DELETE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS),
            ResourceType.GROUP,
            List.of(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE),
            ResourceType.CLUSTER,
            List.of(
                    AclOperation.CREATE,
                    AclOperation.CLUSTER_ACTION,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.ALTER_CONFIGS,
                    AclOperation.IDEMPOTENT_WRITE,
                    AclOperation.ALTER,
                    AclOperation.DESCRIBE),
            ResourceType.TRANSACTIONAL_ID,
            List.of(AclOperation.DESCRIBE, AclOperation.WRITE));

    /**
     * Checks DESCRIBE_CONFIGS or ALTER_CONFIGS on a config resource as Kafka does: a topic's on
     * the topic (TOPIC_AUTHORIZATION_FAILED), a broker's or broker logger's on the cluster
     * (CLUSTER_AUTHORIZATION_FAILED). Other types are not checked here.
     *
     * @return the error to answer, or empty if allowed
     */
    public Optional<Errors> checkConfigs(
            AuthorizableRequestContext context, byte configResourceType, String name, AclOperation operation) {
        ConfigResource.Type type = ConfigResource.Type.forId(configResourceType);
        return switch (type) {
            case TOPIC ->
                authorize(context, operation, ResourceType.TOPIC, name)
                        ? Optional.empty()
                        : Optional.of(Errors.TOPIC_AUTHORIZATION_FAILED);
            case BROKER, BROKER_LOGGER ->
                authorizeCluster(context, operation)
                        ? Optional.empty()
                        : Optional.of(Errors.CLUSTER_AUTHORIZATION_FAILED);
            default -> Optional.empty();
        };
    }

    /**
     * The names among {@code names} on which the request may do {@code operation}, in their
     * order, each asked once however often it is named.
     *
     * @param audit whether denials are audited; false where Kafka silently leaves things out
     */
    public Set<String> filter(
            AuthorizableRequestContext context,
            AclOperation operation,
            ResourceType type,
            Collection<String> names,
            boolean audit) {
        Set<String> distinct = new LinkedHashSet<>(names);
        if (authorizer == null || distinct.isEmpty()) {
            return distinct;
        }
        List<Action> actions = new ArrayList<>(distinct.size());
        for (String name : distinct) {
            actions.add(new Action(operation, new ResourcePattern(type, name, PatternType.LITERAL), 1, true, audit));
        }
        List<AuthorizationResult> results = authorizer.authorize(context, actions);
        Set<String> allowed = new LinkedHashSet<>();
        int i = 0;
        for (String name : distinct) {
            if (results.get(i++) == AuthorizationResult.ALLOWED) {
                allowed.add(name);
            } else if (audit) {
                audit(context, operation, type, name);
            }
        }
        return allowed;
    }

    /** Audits a denial decided by combining checks (see {@link #allowedQuietly}). */
    public static void audit(
            AuthorizableRequestContext context, AclOperation operation, ResourceType type, String name) {
        if (AUDIT.isInfoEnabled()) {
            AUDIT.info(
                    "DENIED principal={} host={} operation={} resource={}:{} api={}",
                    context.principal(),
                    context.clientAddress() == null
                            ? "-"
                            : context.clientAddress().getHostAddress(),
                    operation,
                    type,
                    printable(name),
                    apiName(context));
        }
    }

    private static String apiName(AuthorizableRequestContext context) {
        try {
            return ApiKeys.forId(context.requestType()).name();
        } catch (IllegalArgumentException e) {
            return Integer.toString(context.requestType());
        }
    }

    /** A resource name as one log line: control characters (a forged line break) escaped. */
    static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws java.io.IOException {
        if (authorizer != null) {
            authorizer.close();
        }
    }
}
