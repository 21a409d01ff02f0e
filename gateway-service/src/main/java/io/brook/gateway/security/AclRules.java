package io.brook.gateway.security;

import static org.apache.kafka.common.acl.AclOperation.ALTER;
import static org.apache.kafka.common.acl.AclOperation.ALTER_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.DELETE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE;
import static org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS;
import static org.apache.kafka.common.acl.AclOperation.READ;
import static org.apache.kafka.common.acl.AclOperation.WRITE;
import static org.apache.kafka.common.resource.ResourceType.CLUSTER;
import static org.apache.kafka.common.resource.ResourceType.GROUP;
import static org.apache.kafka.common.resource.ResourceType.TOPIC;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authorization.AuthorizationContext;
import reactor.core.publisher.Mono;

/**
 * What each HTTP, SSE and WebSocket operation needs, by the ACLs Kafka checks for the same
 * operation on its protocol; checked in the security filter chain from the request's path, before
 * any controller (and so before any broker call). The resource names come from the path (and the
 * {@code group} query parameter of streams).
 *
 * <table>
 *   <caption>Operations and the ACLs they need (all need an authenticated user)</caption>
 *   <tr><th>request</th><th>needs</th><th>as Kafka's</th></tr>
 *   <tr><td>POST {@code .../topics/{t}/records}, {@code records:batch}, v2 {@code /topics/{t}[/partitions/{p}]},
 *       WebSocket {@code produce-socket}</td><td>topic WRITE</td><td>Produce</td></tr>
 *   <tr><td>GET {@code .../partitions/{p}/records}, SSE {@code records:stream} and {@code records:search},
 *       WebSocket {@code consume-socket}</td>
 *       <td>topic READ; with {@code group=}, also group READ</td><td>Fetch (+ JoinGroup, OffsetCommit)</td></tr>
 *   <tr><td>GET {@code .../topics/{t}}, {@code .../partitions[/...]}</td><td>topic DESCRIBE</td><td>Metadata, ListOffsets</td></tr>
 *   <tr><td>GET {@code .../topics} (list)</td><td>none; the list shows topics with DESCRIBE</td><td>Metadata</td></tr>
 *   <tr><td>POST {@code .../topics} (create)</td><td>cluster CREATE or topic CREATE (checked by the controller,
 *       the name being in the body)</td><td>CreateTopics</td></tr>
 *   <tr><td>DELETE {@code .../topics/{t}}</td><td>topic DELETE</td><td>DeleteTopics</td></tr>
 *   <tr><td>PATCH {@code .../topics/{t}} (partitions)</td><td>topic ALTER</td><td>CreatePartitions</td></tr>
 *   <tr><td>GET {@code .../topics/{t}/configs[/...]}</td><td>topic DESCRIBE_CONFIGS</td><td>DescribeConfigs</td></tr>
 *   <tr><td>PUT, DELETE {@code .../configs/{name}}, POST {@code configs:alter}</td><td>topic ALTER_CONFIGS</td>
 *       <td>IncrementalAlterConfigs</td></tr>
 *   <tr><td>GET {@code .../consumer-groups} (list)</td><td>none; the list shows groups with DESCRIBE</td><td>ListGroups</td></tr>
 *   <tr><td>GET {@code .../consumer-groups/{g}[/...]} (lags, lag-history too)</td><td>group DESCRIBE</td>
 *       <td>DescribeGroups, OffsetFetch</td></tr>
 *   <tr><td>POST {@code .../consumer-groups/{g}/offsets:reset}</td><td>group READ</td><td>OffsetCommit</td></tr>
 *   <tr><td>v2 {@code /consumers/{g}[/instances/...]}</td><td>group READ; subscribing or assigning also topic
 *       READ of each topic (controller)</td><td>JoinGroup, Fetch</td></tr>
 *   <tr><td>GET {@code /v3/clusters}, {@code /v3/clusters/{c}}</td><td>none (the cluster id, as in Metadata)</td><td></td></tr>
 *   <tr><td>GET {@code .../brokers[/{b}]}, {@code .../metrics/throughput}</td><td>cluster DESCRIBE</td>
 *       <td>DescribeCluster, DescribeLogDirs</td></tr>
 *   <tr><td>GET {@code .../brokers/{b}/configs}</td><td>cluster DESCRIBE_CONFIGS</td><td>DescribeConfigs (broker)</td></tr>
 *   <tr><td>GET {@code .../acls}, {@code .../users[/...]}</td><td>cluster DESCRIBE</td>
 *       <td>DescribeAcls, DescribeUserScramCredentials</td></tr>
 *   <tr><td>POST, DELETE {@code .../acls}; POST, PUT, DELETE {@code .../users[/...]}</td><td>cluster ALTER</td>
 *       <td>CreateAcls, DeleteAcls, AlterUserScramCredentials</td></tr>
 *   <tr><td>anything else but the open paths ({@code /v3/auth/me} among them)</td><td>an authenticated user</td>
 *       <td></td></tr>
 * </table>
 *
 * <p>Kafka's implied operations hold because the authorizer applies them: READ, WRITE, DELETE and
 * ALTER imply DESCRIBE, ALTER_CONFIGS implies DESCRIBE_CONFIGS. A denial is 403 whether or not the
 * resource exists, as Kafka answers TOPIC_AUTHORIZATION_FAILED without saying whether it does.
 */
final class AclRules {

    private static final String CLUSTER_PATH = "/v3/clusters/{cluster_id}";
    private static final String TOPIC_PATH = CLUSTER_PATH + "/topics/{topic_name}";
    private static final String GROUP_PATH = CLUSTER_PATH + "/consumer-groups/{consumer_group_id}";

    private final GatewayAuthorization authorization;

    AclRules(GatewayAuthorization authorization) {
        this.authorization = authorization;
    }

    /** Adds the rules to the chain's {@code authorizeExchange}; open paths go before, "authenticated" after. */
    void apply(ServerHttpSecurity.AuthorizeExchangeSpec spec) {
        // Produce.
        spec.pathMatchers(
                        HttpMethod.POST,
                        TOPIC_PATH + "/records",
                        TOPIC_PATH + "/records:batch",
                        "/topics/{topic_name}",
                        "/topics/{topic_name}/partitions/{partition_id}")
                .access(need(WRITE, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH + "/produce-socket").access(need(WRITE, TOPIC, var("topic_name")));
        // Reads and streams.
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH + "/partitions/{partition_id}/records")
                .access(need(READ, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH + "/records:search").access(need(READ, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH + "/records:stream", TOPIC_PATH + "/consume-socket")
                .access(need(READ, TOPIC, var("topic_name")).and(READ, GROUP, query("group")));
        // Topic administration.
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH + "/configs", TOPIC_PATH + "/configs/**")
                .access(need(DESCRIBE_CONFIGS, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.PUT, TOPIC_PATH + "/configs/{name}")
                .access(need(ALTER_CONFIGS, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.DELETE, TOPIC_PATH + "/configs/{name}")
                .access(need(ALTER_CONFIGS, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.POST, TOPIC_PATH + "/configs:alter")
                .access(need(ALTER_CONFIGS, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.GET, TOPIC_PATH, TOPIC_PATH + "/partitions", TOPIC_PATH + "/partitions/**")
                .access(need(DESCRIBE, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.DELETE, TOPIC_PATH).access(need(DELETE, TOPIC, var("topic_name")));
        spec.pathMatchers(HttpMethod.PATCH, TOPIC_PATH).access(need(ALTER, TOPIC, var("topic_name")));
        // Consumer groups.
        spec.pathMatchers(HttpMethod.POST, GROUP_PATH + "/offsets:reset")
                .access(need(READ, GROUP, var("consumer_group_id")));
        spec.pathMatchers(HttpMethod.GET, GROUP_PATH, GROUP_PATH + "/**")
                .access(need(DESCRIBE, GROUP, var("consumer_group_id")));
        spec.pathMatchers("/consumers/{group}", "/consumers/{group}/**").access(need(READ, GROUP, var("group")));
        // Cluster.
        spec.pathMatchers(
                        HttpMethod.GET,
                        CLUSTER_PATH + "/brokers/{broker_id}/configs",
                        CLUSTER_PATH + "/brokers/{broker_id}/configs/**")
                .access(need(DESCRIBE_CONFIGS, CLUSTER, fixed(GatewayAuthorization.CLUSTER)));
        spec.pathMatchers(
                        HttpMethod.GET,
                        CLUSTER_PATH + "/brokers",
                        CLUSTER_PATH + "/brokers/**",
                        CLUSTER_PATH + "/metrics/**")
                .access(need(DESCRIBE, CLUSTER, fixed(GatewayAuthorization.CLUSTER)));
        spec.pathMatchers(HttpMethod.GET, CLUSTER_PATH + "/acls", CLUSTER_PATH + "/users", CLUSTER_PATH + "/users/**")
                .access(need(DESCRIBE, CLUSTER, fixed(GatewayAuthorization.CLUSTER)));
        spec.pathMatchers(CLUSTER_PATH + "/acls", CLUSTER_PATH + "/users", CLUSTER_PATH + "/users/**")
                .access(need(ALTER, CLUSTER, fixed(GatewayAuthorization.CLUSTER)));
    }

    private static Function<AuthorizationContext, String> var(String name) {
        return context -> (String) context.getVariables().get(name);
    }

    private static Function<AuthorizationContext, String> query(String name) {
        return context -> context.getExchange().getRequest().getQueryParams().getFirst(name);
    }

    private static Function<AuthorizationContext, String> fixed(String name) {
        return context -> name;
    }

    private Need need(AclOperation operation, ResourceType type, Function<AuthorizationContext, String> name) {
        return new Need(authorization).and(operation, type, name);
    }

    /** Each check must pass; a check whose resource name is absent (an optional parameter) is skipped. */
    static final class Need implements ReactiveAuthorizationManager<AuthorizationContext> {

        private record Check(AclOperation operation, ResourceType type, Function<AuthorizationContext, String> name) {}

        private final GatewayAuthorization authorization;
        private final List<Check> checks = new ArrayList<>();

        Need(GatewayAuthorization authorization) {
            this.authorization = authorization;
        }

        Need and(AclOperation operation, ResourceType type, Function<AuthorizationContext, String> name) {
            checks.add(new Check(operation, type, name));
            return this;
        }

        @Override
        public Mono<AuthorizationResult> authorize(Mono<Authentication> authentication, AuthorizationContext context) {
            return authentication
                    .filter(Authentication::isAuthenticated)
                    .map(user -> (AuthorizationResult) new AuthorizationDecision(allowed(user.getName(), context)))
                    .defaultIfEmpty(new AuthorizationDecision(false));
        }

        private boolean allowed(String user, AuthorizationContext context) {
            for (Check check : checks) {
                String name = check.name().apply(context);
                if (name == null || name.isEmpty()) {
                    continue;
                }
                if (!authorization.check(context.getExchange(), user, check.operation(), check.type(), name)) {
                    context.getExchange()
                            .getAttributes()
                            .put(
                                    DENIAL,
                                    GatewayAuthorization.denied(user, check.operation(), check.type(), name)
                                            .getMessage());
                    return false;
                }
            }
            return true;
        }
    }

    /** Exchange attribute: the sentence of a denial, for the 403's detail. */
    static final String DENIAL = AclRules.class.getName() + ".denial";
}
