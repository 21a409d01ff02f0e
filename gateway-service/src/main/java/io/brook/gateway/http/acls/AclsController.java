package io.brook.gateway.http.acls;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.Resources.Links;
import io.brook.gateway.http.Resources.ListMetadata;
import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.swagger.v3.oas.annotations.Operation;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Confluent REST v3 ACLs: {@code GET}, {@code POST} and {@code DELETE /v3/clusters/{cluster_id}/acls}
 * with Confluent's fields ({@code resource_type}, {@code resource_name}, {@code pattern_type},
 * {@code principal}, {@code host}, {@code operation}, {@code permission}; Kafka's enum names).
 * Reads and writes go to the brokers through the gateway's Admin client (DescribeAcls, CreateAcls,
 * DeleteAcls), so the brokers store them in ZooKeeper and every broker and gateway sees the change
 * through its watches. GET and DELETE take filters as query parameters (absent: any); POST takes
 * one ACL and answers 201; DELETE answers the ACLs it deleted. Authorized by {@code
 * io.brook.gateway.security.AclRules}: cluster DESCRIBE to read, ALTER to change.
 */
@RestController
@RequestMapping("/v3/clusters/{cluster_id}/acls")
class AclsController {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaAcl(
            String kind,
            Metadata metadata,
            String clusterId,
            String resourceType,
            String resourceName,
            String patternType,
            String principal,
            String host,
            String operation,
            String permission) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateAclRequest(
            String resourceType,
            String resourceName,
            String patternType,
            String principal,
            String host,
            String operation,
            String permission) {}

    record KafkaAclDataList(String kind, ListMetadata metadata, List<KafkaAcl> data) {}

    private final KafkaClients clients;
    private final ClusterMetadata metadata;

    AclsController(KafkaClients clients, ClusterMetadata metadata) {
        this.clients = clients;
        this.metadata = metadata;
    }

    @Operation(operationId = "searchAcls", summary = "ACLs matching the filter (query parameters; absent = any)")
    @GetMapping
    Mono<KafkaAclDataList> search(
            @PathVariable("cluster_id") String clusterId,
            @RequestParam(name = "resource_type", required = false) String resourceType,
            @RequestParam(name = "resource_name", required = false) String resourceName,
            @RequestParam(name = "pattern_type", required = false) String patternType,
            @RequestParam(name = "principal", required = false) String principal,
            @RequestParam(name = "host", required = false) String host,
            @RequestParam(name = "operation", required = false) String operation,
            @RequestParam(name = "permission", required = false) String permission,
            ServerHttpRequest request) {
        AclBindingFilter filter =
                filter(resourceType, resourceName, patternType, principal, host, operation, permission);
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(clients.admin().describeAcls(filter).values()))
                .map(acls -> list(links, request, acls));
    }

    @Operation(operationId = "createAcls", summary = "Create an ACL; 201")
    @PostMapping
    Mono<ResponseEntity<Void>> create(
            @PathVariable("cluster_id") String clusterId, @RequestBody CreateAclRequest body) {
        AclBinding binding = new AclBinding(
                new ResourcePattern(
                        required(ResourceType.class, "resource_type", body.resourceType()),
                        requiredText("resource_name", body.resourceName()),
                        body.patternType() == null
                                ? PatternType.LITERAL
                                : required(PatternType.class, "pattern_type", body.patternType())),
                new AccessControlEntry(
                        principal(requiredText("principal", body.principal())),
                        body.host() == null || body.host().isBlank() ? "*" : body.host(),
                        required(AclOperation.class, "operation", body.operation()),
                        required(AclPermissionType.class, "permission", body.permission())));
        if (binding.isUnknown()
                || binding.pattern().patternType() == PatternType.MATCH
                || binding.pattern().patternType() == PatternType.ANY
                || binding.pattern().resourceType() == ResourceType.ANY
                || binding.entry().operation() == AclOperation.ANY
                || binding.entry().permissionType() == AclPermissionType.ANY) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "An ACL to create names one resource type, "
                            + "pattern type (LITERAL or PREFIXED), operation and permission, not ANY or MATCH.");
        }
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(
                        clients.admin().createAcls(List.of(binding)).all()))
                .thenReturn(ResponseEntity.status(HttpStatus.CREATED).build());
    }

    @Operation(operationId = "deleteAcls", summary = "Delete the ACLs matching the filter; answers them")
    @DeleteMapping
    Mono<KafkaAclDataList> delete(
            @PathVariable("cluster_id") String clusterId,
            @RequestParam(name = "resource_type", required = false) String resourceType,
            @RequestParam(name = "resource_name", required = false) String resourceName,
            @RequestParam(name = "pattern_type", required = false) String patternType,
            @RequestParam(name = "principal", required = false) String principal,
            @RequestParam(name = "host", required = false) String host,
            @RequestParam(name = "operation", required = false) String operation,
            @RequestParam(name = "permission", required = false) String permission,
            ServerHttpRequest request) {
        AclBindingFilter filter =
                filter(resourceType, resourceName, patternType, principal, host, operation, permission);
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(
                        clients.admin().deleteAcls(List.of(filter)).all()))
                .map(acls -> list(links, request, acls));
    }

    private static KafkaAclDataList list(Links links, ServerHttpRequest request, Collection<AclBinding> acls) {
        List<KafkaAcl> data = acls.stream()
                .sorted(Comparator.comparing((AclBinding a) -> a.pattern().resourceType())
                        .thenComparing(a -> a.pattern().name())
                        .thenComparing(a -> a.entry().principal())
                        .thenComparing(a -> a.entry().operation()))
                .map(a -> acl(links, a))
                .toList();
        return new KafkaAclDataList(
                "KafkaAclDataList", new ListMetadata(request.getURI().toString(), null), data);
    }

    private static KafkaAcl acl(Links links, AclBinding a) {
        ResourcePattern p = a.pattern();
        AccessControlEntry e = a.entry();
        String query = "?resource_type=" + p.resourceType() + "&resource_name=" + p.name() + "&pattern_type="
                + p.patternType() + "&principal=" + e.principal() + "&host=" + e.host() + "&operation=" + e.operation()
                + "&permission=" + e.permissionType();
        return new KafkaAcl(
                "KafkaAcl",
                new Metadata(links.url("/acls") + query, null),
                links.clusterId(),
                p.resourceType().name(),
                p.name(),
                p.patternType().name(),
                e.principal(),
                e.host(),
                e.operation().name(),
                e.permissionType().name());
    }

    static AclBindingFilter filter(
            String resourceType,
            String resourceName,
            String patternType,
            String principal,
            String host,
            String operation,
            String permission) {
        return new AclBindingFilter(
                new ResourcePatternFilter(
                        optional(ResourceType.class, "resource_type", resourceType, ResourceType.ANY),
                        blankToNull(resourceName),
                        optional(PatternType.class, "pattern_type", patternType, PatternType.ANY)),
                new AccessControlEntryFilter(
                        principal == null || principal.isBlank() ? null : principal(principal),
                        blankToNull(host),
                        optional(AclOperation.class, "operation", operation, AclOperation.ANY),
                        optional(AclPermissionType.class, "permission", permission, AclPermissionType.ANY)));
    }

    /** {@code type:name}, as Kafka writes principals ({@code User:alice}). */
    private static String principal(String principal) {
        int colon = principal.indexOf(':');
        if (colon <= 0 || colon == principal.length() - 1) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST,
                    "principal must be type:name, e.g. User:alice, not '" + principal + "'.");
        }
        return principal;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String requiredText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, field + " is required.");
        }
        return value;
    }

    private static <E extends Enum<E>> E required(Class<E> type, String field, String value) {
        return parse(type, field, requiredText(field, value));
    }

    private static <E extends Enum<E>> E optional(Class<E> type, String field, String value, E absent) {
        return value == null || value.isBlank() ? absent : parse(type, field, value);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            E parsed = Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
            if (parsed.name().equals("UNKNOWN")) {
                throw new IllegalArgumentException(value);
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new GatewayException(
                    ErrorCode.INVALID_REQUEST, field + " '" + value + "' is not one of Kafka's names.");
        }
    }
}
