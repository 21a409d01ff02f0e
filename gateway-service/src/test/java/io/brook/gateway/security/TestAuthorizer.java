package io.brook.gateway.security;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;

/**
 * A small in-memory authorizer with Kafka's rules (literal and prefixed patterns, {@code *},
 * deny wins, ALL, implied DESCRIBE and DESCRIBE_CONFIGS, super users), for tests of the gateway's
 * chain alone; the integration tests use cluster-core's ZooKeeper-backed one.
 */
final class TestAuthorizer implements Authorizer {

    final List<AclBinding> acls = new CopyOnWriteArrayList<>();
    final Set<String> superUsers;

    TestAuthorizer(Set<String> superUsers) {
        this.superUsers = superUsers;
    }

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        return actions.stream().map(a -> authorize(context, a)).toList();
    }

    private AuthorizationResult authorize(AuthorizableRequestContext context, Action action) {
        String principal = context.principal().toString();
        if (superUsers.contains(principal)) {
            return AuthorizationResult.ALLOWED;
        }
        String host =
                context.clientAddress() == null ? "" : context.clientAddress().getHostAddress();
        boolean allowed = false;
        for (AclBinding acl : acls) {
            if (!matches(acl.pattern(), action.resourcePattern())
                    || !(acl.entry().principal().equals(principal)
                            || acl.entry().principal().equals("User:*"))
                    || !(acl.entry().host().equals("*") || acl.entry().host().equals(host))) {
                continue;
            }
            if (acl.entry().permissionType() == AclPermissionType.DENY
                    && (acl.entry().operation() == AclOperation.ALL
                            || acl.entry().operation() == action.operation())) {
                return AuthorizationResult.DENIED;
            }
            if (acl.entry().permissionType() == AclPermissionType.ALLOW
                    && implies(acl.entry().operation(), action.operation())) {
                allowed = true;
            }
        }
        return allowed ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    private static boolean matches(ResourcePattern acl, ResourcePattern resource) {
        if (acl.resourceType() != resource.resourceType()) {
            return false;
        }
        if (acl.name().equals("*")) {
            return true;
        }
        return acl.patternType() == PatternType.PREFIXED
                ? resource.name().startsWith(acl.name())
                : acl.name().equals(resource.name());
    }

    private static boolean implies(AclOperation granted, AclOperation wanted) {
        if (granted == AclOperation.ALL || granted == wanted) {
            return true;
        }
        return switch (wanted) {
            case DESCRIBE ->
                Set.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER)
                        .contains(granted);
            case DESCRIBE_CONFIGS -> granted == AclOperation.ALTER_CONFIGS;
            default -> false;
        };
    }

    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        return Map.of();
    }

    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(
            AuthorizableRequestContext context, List<AclBinding> bindings) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(
            AuthorizableRequestContext context, List<AclBindingFilter> filters) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return acls.stream().filter(filter::matches).toList();
    }

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
