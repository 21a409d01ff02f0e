package io.brook.gateway.security;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The one place where the gateway asks whether its user may do an operation: Kafka's {@link
 * Authorizer} (the brokers' ACLs, read from ZooKeeper) with principal {@code User:<name>} and host
 * the HTTP client's address, exactly as a broker asks for a Kafka client. Denials are written to
 * the {@link AuditLog} and answered 403.
 *
 * <p>Most operations are checked from the request's path before any controller runs ({@link
 * AclRules}); controllers call this class for what the path does not name (the topic of a create,
 * the topics of a v2 subscription) and to filter lists (topics by DESCRIBE, groups by DESCRIBE).
 *
 * <p>With security off there is no authorizer and everything is allowed.
 *
 * <p>Threading: thread-safe; {@link Authorizer#authorize} is a lookup in the authorizer's cache
 * and does not block.
 */
public class GatewayAuthorization {

    /** The cluster resource's name in Kafka's ACLs. */
    public static final String CLUSTER = "kafka-cluster";

    private final Authorizer authorizer;
    private final String principalType;

    /** {@code authorizer} null: security off, everything allowed. */
    public GatewayAuthorization(Authorizer authorizer, String principalType) {
        this.authorizer = authorizer;
        this.principalType = principalType;
    }

    /** Whether operations are checked at all (security on). */
    public boolean enabled() {
        return authorizer != null;
    }

    /** Whether {@code user}, calling from {@code address}, may do {@code operation} on the resource. */
    public boolean allowed(
            String user, InetAddress address, boolean tls, AclOperation operation, ResourceType type, String name) {
        if (authorizer == null) {
            return true;
        }
        Action action = new Action(operation, new ResourcePattern(type, name, PatternType.LITERAL), 1, true, true);
        List<AuthorizationResult> results =
                authorizer.authorize(new HttpRequestContext(principal(user), address, tls), List.of(action));
        return results.size() == 1 && results.get(0) == AuthorizationResult.ALLOWED;
    }

    KafkaPrincipal principal(String user) {
        return new KafkaPrincipal(principalType, user);
    }

    /**
     * Completes empty when the exchange's user may do the operation; otherwise fails with a 403
     * {@link GatewayException} after an audit line.
     */
    public Mono<Void> require(ServerWebExchange exchange, AclOperation operation, ResourceType type, String name) {
        if (authorizer == null) {
            return Mono.empty();
        }
        return user(exchange).flatMap(user -> {
            if (check(exchange, user, operation, type, name)) {
                return Mono.<Void>empty();
            }
            return Mono.error(denied(user, operation, type, name));
        });
    }

    /** Like {@link #require} for several resources of one type; the first denied one answers. */
    public Mono<Void> requireAll(
            ServerWebExchange exchange, AclOperation operation, ResourceType type, Iterable<String> names) {
        if (authorizer == null) {
            return Mono.empty();
        }
        return user(exchange).flatMap(user -> {
            for (String name : names) {
                if (!check(exchange, user, operation, type, name)) {
                    return Mono.error(denied(user, operation, type, name));
                }
            }
            return Mono.<Void>empty();
        });
    }

    /**
     * Topic creation as Kafka's CreateTopics checks it: CREATE on the cluster, or else CREATE on
     * the topic (only the latter's denial is audited and answered).
     */
    public Mono<Void> requireCreateTopic(ServerWebExchange exchange, String topic) {
        if (authorizer == null) {
            return Mono.empty();
        }
        return user(exchange).flatMap(user -> {
            if (allowed(user, address(exchange), tls(exchange), AclOperation.CREATE, ResourceType.CLUSTER, CLUSTER)
                    || check(exchange, user, AclOperation.CREATE, ResourceType.TOPIC, topic)) {
                return Mono.<Void>empty();
            }
            return Mono.error(denied(user, AclOperation.CREATE, ResourceType.TOPIC, topic));
        });
    }

    /**
     * Which names of a resource type the exchange's user may see with {@code operation}; for lists
     * (Kafka's Metadata hides topics without DESCRIBE the same way). Not audited: hiding is not a
     * denial.
     */
    public Mono<Predicate<String>> visible(ServerWebExchange exchange, AclOperation operation, ResourceType type) {
        if (authorizer == null) {
            return Mono.just(name -> true);
        }
        return user(exchange)
                .map(user -> name -> allowed(user, address(exchange), tls(exchange), operation, type, name));
    }

    /**
     * The check of one operation for a request, audited when denied. Used by {@link AclRules}
     * before the controller, and by {@link #require}.
     */
    boolean check(ServerWebExchange exchange, String user, AclOperation operation, ResourceType type, String name) {
        boolean allowed = allowed(user, address(exchange), tls(exchange), operation, type, name);
        if (!allowed) {
            AuditLog.denied(
                    user,
                    addressText(exchange),
                    operation,
                    type,
                    name,
                    exchange.getRequest().getMethod().name(),
                    exchange.getRequest().getPath().value());
        }
        return allowed;
    }

    static GatewayException denied(String user, AclOperation operation, ResourceType type, String name) {
        return new GatewayException(
                ErrorCode.FORBIDDEN,
                "User " + user + " is not authorized to " + operation + " "
                        + type.name().toLowerCase(java.util.Locale.ROOT) + " '" + name + "'.");
    }

    private static Mono<String> user(ServerWebExchange exchange) {
        return exchange.getPrincipal()
                .map(Principal::getName)
                .switchIfEmpty(
                        Mono.error(() -> new GatewayException(ErrorCode.UNAUTHORIZED, "Authentication required.")));
    }

    static InetAddress address(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }

    static String addressText(ServerWebExchange exchange) {
        InetAddress address = address(exchange);
        return address == null ? "-" : address.getHostAddress();
    }

    static boolean tls(ServerWebExchange exchange) {
        return exchange.getRequest().getSslInfo() != null;
    }
}
