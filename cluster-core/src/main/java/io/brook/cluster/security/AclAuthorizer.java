package io.brook.cluster.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.kafka.common.Endpoint;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.utils.internals.SecurityUtils;
import org.apache.kafka.server.authorizer.AclCreateResult;
import org.apache.kafka.server.authorizer.AclDeleteResult;
import org.apache.kafka.server.authorizer.Action;
import org.apache.kafka.server.authorizer.AuthorizableRequestContext;
import org.apache.kafka.server.authorizer.AuthorizationResult;
import org.apache.kafka.server.authorizer.Authorizer;
import org.apache.kafka.server.authorizer.AuthorizerServerInfo;

/**
 * Kafka's {@link Authorizer} over ACLs in ZooKeeper ({@link io.brook.cluster.zk.AclZNode}), with
 * the semantics of Kafka's own ACL authorizer:
 *
 * <ul>
 *   <li>An entry applies to a request if its principal is the request's ({@code User:alice}) or
 *       {@code User:*}, and its host the client's address or {@code *}.
 *   <li>The entries of a resource are those of the literal pattern of its name, of the literal
 *       wildcard pattern {@code *}, and of every prefixed pattern that is a prefix of its name.
 *   <li>DENY wins: an applicable DENY entry of the operation (or of ALL) refuses, whatever ALLOW
 *       entries say. Otherwise an ALLOW entry of the operation or of one implying it grants:
 *       <table>
 *         <caption>implied operations (ALLOW only; a DENY denies exactly its operation or ALL)</caption>
 *         <tr><th>asked</th><th>granted by ALLOW of</th></tr>
 *         <tr><td>any</td><td>ALL</td></tr>
 *         <tr><td>DESCRIBE</td><td>DESCRIBE, READ, WRITE, DELETE, ALTER</td></tr>
 *         <tr><td>DESCRIBE_CONFIGS</td><td>DESCRIBE_CONFIGS, ALTER_CONFIGS</td></tr>
 *       </table>
 *   <li>{@value #SUPER_USERS_CONFIG} (principals separated by {@code ;}, as Kafka writes it, or a
 *       collection) are allowed everything.
 *   <li>A resource with no entry at all (for anyone) is refused, unless {@value
 *       #ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG} is true.
 * </ul>
 *
 * <p>Decisions read an in-memory mirror of ZooKeeper kept by watches, so {@link #authorize} never
 * blocks; {@link #createAcls} and {@link #deleteAcls} write ZooKeeper with conditional updates
 * (one per resource pattern) and return completed futures. Writes of another authorizer
 * instance (another broker, a gateway) arrive through the watches within ZooKeeper's notification
 * delay; this instance's own writes are visible to it at once.
 *
 * <p>Lifecycle: construct, {@link #configure}, {@link #start(Duration)} (or Kafka's {@link
 * #start(AuthorizerServerInfo)}), {@link #close}. Threading: thread-safe after start.
 */
public final class AclAuthorizer implements Authorizer {

    /** Kafka's name: principals allowed everything, separated by {@code ;}. */
    public static final String SUPER_USERS_CONFIG = "super.users";

    /** Kafka's name: allow a resource without any ACL to everyone (default false). */
    public static final String ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG = "allow.everyone.if.no.acl.found";

    /** An entry's host that matches every client address. */
    public static final String WILDCARD_HOST = "*";

    /** An entry's principal that matches every user. */
    public static final String WILDCARD_PRINCIPAL = "User:*";

    /** How long {@link #start(AuthorizerServerInfo)} waits for the ACLs to load. */
    static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private static final Set<AclOperation> IMPLY_DESCRIBE = Set.of(
            AclOperation.DESCRIBE, AclOperation.READ, AclOperation.WRITE, AclOperation.DELETE, AclOperation.ALTER);
    private static final Set<AclOperation> IMPLY_DESCRIBE_CONFIGS =
            Set.of(AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS);

    private final ZkAclStore store;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Set<String> superUsers = Set.of();
    private volatile boolean allowEveryoneIfNoAclFound;

    public AclAuthorizer(CuratorFramework curator) {
        this.store = new ZkAclStore(curator);
    }

    /**
     * Reads {@value #SUPER_USERS_CONFIG} and {@value #ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG}.
     *
     * @throws IllegalArgumentException if a super user is not a principal ({@code Type:name})
     */
    @Override
    public void configure(Map<String, ?> configs) {
        Object users = configs.get(SUPER_USERS_CONFIG);
        Set<String> parsed = new HashSet<>();
        Collection<?> listed = users instanceof Collection<?> c
                ? c
                : users == null ? List.of() : List.of(users.toString().split(";"));
        for (Object user : listed) {
            String principal = user.toString().trim();
            if (!principal.isEmpty()) {
                parsed.add(SecurityUtils.parseKafkaPrincipal(principal).toString());
            }
        }
        this.superUsers = Set.copyOf(parsed);
        Object allow = configs.get(ALLOW_EVERYONE_IF_NO_ACL_FOUND_CONFIG);
        this.allowEveryoneIfNoAclFound =
                allow != null && Boolean.parseBoolean(allow.toString().trim());
    }

    /**
     * Loads the ACLs and starts following them.
     *
     * @throws org.apache.kafka.common.errors.TimeoutException if ZooKeeper did not answer in time
     */
    public void start(Duration timeout) {
        if (started.compareAndSet(false, true)) {
            store.start(timeout);
        }
    }

    /** Loads the ACLs (waiting up to 30 s) and answers every endpoint as ready. */
    @Override
    public Map<Endpoint, ? extends CompletionStage<Void>> start(AuthorizerServerInfo serverInfo) {
        start(START_TIMEOUT);
        Map<Endpoint, CompletableFuture<Void>> ready = new HashMap<>();
        for (Endpoint endpoint : serverInfo.endpoints()) {
            ready.put(endpoint, CompletableFuture.completedFuture(null));
        }
        return ready;
    }

    @Override
    public void close() {
        store.close();
    }

    // ---- decisions -------------------------------------------------------------------------

    @Override
    public List<AuthorizationResult> authorize(AuthorizableRequestContext context, List<Action> actions) {
        List<AuthorizationResult> results = new ArrayList<>(actions.size());
        for (Action action : actions) {
            results.add(authorize(context, action));
        }
        return results;
    }

    private AuthorizationResult authorize(AuthorizableRequestContext context, Action action) {
        KafkaPrincipal principal = context.principal();
        String who = new KafkaPrincipal(principal.getPrincipalType(), principal.getName()).toString();
        if (superUsers.contains(who)) {
            return AuthorizationResult.ALLOWED;
        }
        ResourcePattern resource = action.resourcePattern();
        if (resource.patternType() != PatternType.LITERAL) {
            throw new IllegalArgumentException("only literal resources are authorized: " + resource);
        }
        List<AccessControlEntry> entries = entriesOf(resource);
        if (entries.isEmpty()) {
            return allowEveryoneIfNoAclFound ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
        }
        String host =
                context.clientAddress() == null ? "" : context.clientAddress().getHostAddress();
        AclOperation operation = action.operation();
        boolean allowed = false;
        for (AccessControlEntry entry : entries) {
            if (!appliesTo(entry, who, host)) {
                continue;
            }
            if (entry.permissionType() == AclPermissionType.DENY) {
                if (entry.operation() == operation || entry.operation() == AclOperation.ALL) {
                    return AuthorizationResult.DENIED;
                }
            } else if (entry.permissionType() == AclPermissionType.ALLOW && grants(entry.operation(), operation)) {
                allowed = true;
            }
        }
        return allowed ? AuthorizationResult.ALLOWED : AuthorizationResult.DENIED;
    }

    /** Literal name, literal wildcard, and every prefixed pattern the name starts with. */
    private List<AccessControlEntry> entriesOf(ResourcePattern resource) {
        ResourceType type = resource.resourceType();
        String name = resource.name();
        List<AccessControlEntry> entries = new ArrayList<>(store.get(resource));
        if (!name.equals(ResourcePattern.WILDCARD_RESOURCE)) {
            entries.addAll(
                    store.get(new ResourcePattern(type, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL)));
        }
        for (int end = 1; end <= name.length(); end++) {
            entries.addAll(store.get(new ResourcePattern(type, name.substring(0, end), PatternType.PREFIXED)));
        }
        return entries;
    }

    private static boolean appliesTo(AccessControlEntry entry, String principal, String host) {
        boolean principalMatches =
                entry.principal().equals(principal) || entry.principal().equals(WILDCARD_PRINCIPAL);
        boolean hostMatches = entry.host().equals(host) || entry.host().equals(WILDCARD_HOST);
        return principalMatches && hostMatches;
    }

    /** Whether an ALLOW entry of {@code granted} allows {@code asked} (the table above). */
    static boolean grants(AclOperation granted, AclOperation asked) {
        if (granted == asked || granted == AclOperation.ALL) {
            return true;
        }
        return switch (asked) {
            case DESCRIBE -> IMPLY_DESCRIBE.contains(granted);
            case DESCRIBE_CONFIGS -> IMPLY_DESCRIBE_CONFIGS.contains(granted);
            default -> false;
        };
    }

    // ---- ACL management --------------------------------------------------------------------

    /**
     * Adds bindings; one conditional write per resource pattern. A binding is refused with
     * {@link InvalidRequestException} (and the others still added) if it is not concrete (ANY,
     * MATCH or UNKNOWN anywhere), names the cluster other than {@code kafka-cluster}, has an empty
     * resource name, or a principal that is not {@code Type:name}.
     */
    @Override
    public List<? extends CompletionStage<AclCreateResult>> createAcls(
            AuthorizableRequestContext context, List<AclBinding> bindings) {
        List<CompletableFuture<AclCreateResult>> results = new ArrayList<>(bindings.size());
        Map<ResourcePattern, List<Integer>> byPattern = new LinkedHashMap<>();
        for (int i = 0; i < bindings.size(); i++) {
            try {
                validate(bindings.get(i));
                byPattern
                        .computeIfAbsent(bindings.get(i).pattern(), p -> new ArrayList<>())
                        .add(i);
                results.add(null);
            } catch (ApiException e) {
                results.add(CompletableFuture.completedFuture(new AclCreateResult(e)));
            }
        }
        byPattern.forEach((pattern, indexes) -> {
            AclCreateResult result;
            try {
                store.update(pattern, entries -> {
                    indexes.forEach(i -> entries.add(bindings.get(i).entry()));
                    return entries;
                });
                result = AclCreateResult.SUCCESS;
            } catch (RuntimeException e) {
                result = new AclCreateResult(asApiException(e));
            }
            for (int i : indexes) {
                results.set(i, CompletableFuture.completedFuture(result));
            }
        });
        return results;
    }

    private static void validate(AclBinding binding) {
        if (binding.isUnknown()
                || binding.pattern().resourceType() == ResourceType.ANY
                || binding.pattern().patternType() == PatternType.ANY
                || binding.pattern().patternType() == PatternType.MATCH
                || binding.entry().operation() == AclOperation.ANY
                || binding.entry().permissionType() == AclPermissionType.ANY) {
            throw new InvalidRequestException("Invalid ACL creation: " + binding);
        }
        ResourcePattern pattern = binding.pattern();
        if (pattern.resourceType() == ResourceType.CLUSTER && !pattern.name().equals("kafka-cluster")) {
            throw new InvalidRequestException("The only valid name for the CLUSTER resource is kafka-cluster");
        }
        if (pattern.name().isEmpty()) {
            throw new InvalidRequestException("Invalid empty resource name specified");
        }
        try {
            SecurityUtils.parseKafkaPrincipal(binding.entry().principal());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(
                    "Invalid principal: " + binding.entry().principal());
        }
        if (binding.entry().host() == null || binding.entry().host().isEmpty()) {
            throw new InvalidRequestException("Invalid empty host specified");
        }
    }

    /**
     * Deletes the bindings each filter matches at the time of the call (a binding matched by two
     * filters is reported by both); one conditional write per resource pattern.
     */
    @Override
    public List<? extends CompletionStage<AclDeleteResult>> deleteAcls(
            AuthorizableRequestContext context, List<AclBindingFilter> filters) {
        List<AclBinding> existing = bindings();
        List<List<AclBinding>> matched = new ArrayList<>();
        Map<ResourcePattern, Set<AccessControlEntry>> toRemove = new LinkedHashMap<>();
        for (AclBindingFilter filter : filters) {
            List<AclBinding> hits = existing.stream().filter(filter::matches).collect(Collectors.toList());
            matched.add(hits);
            hits.forEach(b ->
                    toRemove.computeIfAbsent(b.pattern(), p -> new HashSet<>()).add(b.entry()));
        }
        Map<ResourcePattern, ApiException> failures = new HashMap<>();
        toRemove.forEach((pattern, entries) -> {
            try {
                store.update(pattern, current -> {
                    current.removeAll(entries);
                    return current;
                });
            } catch (RuntimeException e) {
                failures.put(pattern, asApiException(e));
            }
        });
        List<CompletableFuture<AclDeleteResult>> results = new ArrayList<>(filters.size());
        for (List<AclBinding> hits : matched) {
            List<AclDeleteResult.AclBindingDeleteResult> deleted = new ArrayList<>();
            for (AclBinding binding : hits) {
                ApiException failure = failures.get(binding.pattern());
                deleted.add(
                        failure == null
                                ? new AclDeleteResult.AclBindingDeleteResult(binding)
                                : new AclDeleteResult.AclBindingDeleteResult(binding, failure));
            }
            results.add(CompletableFuture.completedFuture(new AclDeleteResult(deleted)));
        }
        return results;
    }

    @Override
    public Iterable<AclBinding> acls(AclBindingFilter filter) {
        return bindings().stream().filter(filter::matches).collect(Collectors.toList());
    }

    @Override
    public int aclCount() {
        return store.size();
    }

    private List<AclBinding> bindings() {
        List<AclBinding> all = new ArrayList<>();
        store.all().forEach((pattern, entries) -> entries.forEach(e -> all.add(new AclBinding(pattern, e))));
        return all;
    }

    private static ApiException asApiException(RuntimeException e) {
        return e instanceof ApiException api ? api : new UnknownServerException("ACL store failed", e);
    }
}
