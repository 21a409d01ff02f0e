package io.brook.gateway.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.brook.gateway.config.GatewayProperties;
import io.swagger.v3.oas.annotations.Operation;
import java.security.Principal;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code GET /v3/auth/me}: who the caller is and what it may do on the cluster, for a UI to offer
 * only what the user is allowed: {@code user} (null with security off), {@code security_enabled},
 * {@code super_user} (listed in {@code brook.gateway.security.super-users}) and {@code
 * cluster_operations}, the operations on the cluster resource ({@code kafka-cluster}) that the
 * gateway's authorizer allows this user from this address, in Kafka's names (ALTER, DESCRIBE,
 * ...), with Kafka's implications applied (ALTER implies DESCRIBE). With security off: every
 * cluster operation, no user, not a super user (there are no users).
 *
 * <p>Open to any authenticated user; not cached (the answer changes with the ACLs).
 */
@RestController
class MeController {

    /** The operations that apply to the cluster resource (Kafka's {@code ResourceType.CLUSTER}). */
    static final List<AclOperation> CLUSTER_OPERATIONS = List.of(
            AclOperation.ALTER,
            AclOperation.ALTER_CONFIGS,
            AclOperation.CLUSTER_ACTION,
            AclOperation.CREATE,
            AclOperation.DESCRIBE,
            AclOperation.DESCRIBE_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE);

    record Me(
            @JsonProperty("user") String user,
            @JsonProperty("security_enabled") boolean securityEnabled,
            @JsonProperty("super_user") boolean superUser,
            @JsonProperty("cluster_operations") List<String> clusterOperations) {}

    private final GatewayAuthorization authorization;
    private final GatewayProperties.Security security;

    MeController(GatewayAuthorization authorization, GatewayProperties properties) {
        this.authorization = authorization;
        this.security = properties.getSecurity();
    }

    @Operation(
            operationId = "getMe",
            summary = "The logged-in user, whether security is on, and the cluster operations the user may do")
    @GetMapping("/v3/auth/me")
    Mono<ResponseEntity<Me>> me(ServerWebExchange exchange) {
        if (!authorization.enabled()) {
            return Mono.just(answer(new Me(
                    null,
                    false,
                    false,
                    CLUSTER_OPERATIONS.stream().map(AclOperation::name).toList())));
        }
        return exchange.getPrincipal()
                .map(Principal::getName)
                .map(user -> answer(new Me(
                        user,
                        true,
                        security.getSuperUsers()
                                .contains(authorization.principal(user).toString()),
                        CLUSTER_OPERATIONS.stream()
                                .filter(operation -> authorization.allowed(
                                        user,
                                        GatewayAuthorization.address(exchange),
                                        GatewayAuthorization.tls(exchange),
                                        operation,
                                        ResourceType.CLUSTER,
                                        GatewayAuthorization.CLUSTER))
                                .map(AclOperation::name)
                                .toList())));
    }

    private static ResponseEntity<Me> answer(Me me) {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(me);
    }
}
