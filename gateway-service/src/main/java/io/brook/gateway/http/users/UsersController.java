package io.brook.gateway.http.users;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.brook.gateway.http.Resources.Links;
import io.brook.gateway.http.Resources.Metadata;
import io.brook.gateway.http.Resources.ResourceList;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.KafkaFutures;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Users with SCRAM credentials, the ones the brokers' SASL and the gateway's logins check: {@code
 * GET /v3/clusters/{cluster_id}/users} (names and mechanisms), {@code GET .../users/{user_name}},
 * {@code POST .../users} with {@code {"user_name", "password"}} (201), {@code PUT
 * .../users/{user_name}} with {@code {"password"}} (a new password, 204) and {@code DELETE
 * .../users/{user_name}} (204). A password is set as both SCRAM-SHA-256 and SCRAM-SHA-512 with
 * 4096 iterations (optional {@code iterations}) through the gateway's Admin client
 * (AlterUserScramCredentials: the client salts and hashes it, the brokers store the result in
 * ZooKeeper); it is never stored, logged or returned. Authorized by {@code
 * io.brook.gateway.security.AclRules}: cluster DESCRIBE to read, ALTER to change.
 */
@RestController
@RequestMapping("/v3/clusters/{cluster_id}/users")
class UsersController {

    /** Kafka's default, and the least it accepts. */
    static final int DEFAULT_ITERATIONS = 4096;

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KafkaUser(String kind, Metadata metadata, String clusterId, String userName, List<Credential> credentials) {}

    record Credential(String mechanism, int iterations) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateUserRequest(String userName, String password, Integer iterations) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ChangePasswordRequest(String password, Integer iterations) {}

    private final KafkaClients clients;
    private final ClusterMetadata metadata;

    UsersController(KafkaClients clients, ClusterMetadata metadata) {
        this.clients = clients;
        this.metadata = metadata;
    }

    @Operation(operationId = "listUsers", summary = "Users with SCRAM credentials (never a password)")
    @GetMapping
    Mono<ResourceList<KafkaUser>> list(@PathVariable("cluster_id") String clusterId, ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(
                        clients.admin().describeUserScramCredentials().all()))
                .map(users -> links.list(
                        "KafkaUserList",
                        "/users",
                        users.values().stream()
                                .sorted(Comparator.comparing(UserScramCredentialsDescription::name))
                                .map(u -> user(links, u))
                                .toList()));
    }

    @Operation(operationId = "getUser", summary = "A user's SCRAM mechanisms and iterations")
    @GetMapping("/{user_name}")
    Mono<KafkaUser> get(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("user_name") String userName,
            ServerHttpRequest request) {
        Links links = new Links(request, clusterId);
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(clients.admin()
                        .describeUserScramCredentials(List.of(userName))
                        .description(userName)))
                .onErrorMap(ResourceNotFoundException.class, e -> notFound(userName))
                .map(u -> user(links, u));
    }

    @Operation(operationId = "createUser", summary = "Create a user, or set its password: {user_name, password}; 201")
    @PostMapping
    Mono<ResponseEntity<Void>> create(
            @PathVariable("cluster_id") String clusterId, @RequestBody CreateUserRequest body) {
        if (body.userName() == null || body.userName().isBlank()) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, "user_name is required.");
        }
        return metadata.requireCluster(clusterId)
                .then(setPassword(body.userName(), body.password(), body.iterations()))
                .thenReturn(ResponseEntity.status(HttpStatus.CREATED).build());
    }

    @Operation(operationId = "changePassword", summary = "Set a user's password: {password}; 204")
    @PutMapping("/{user_name}")
    Mono<ResponseEntity<Void>> changePassword(
            @PathVariable("cluster_id") String clusterId,
            @PathVariable("user_name") String userName,
            @RequestBody ChangePasswordRequest body) {
        return metadata.requireCluster(clusterId)
                .then(setPassword(userName, body.password(), body.iterations()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    @Operation(operationId = "deleteUser", summary = "Delete a user's SCRAM credentials; 204")
    @DeleteMapping("/{user_name}")
    Mono<ResponseEntity<Void>> delete(
            @PathVariable("cluster_id") String clusterId, @PathVariable("user_name") String userName) {
        return metadata.requireCluster(clusterId)
                .then(KafkaFutures.mono(clients.admin()
                        .describeUserScramCredentials(List.of(userName))
                        .description(userName)))
                .onErrorMap(ResourceNotFoundException.class, e -> notFound(userName))
                .flatMap(existing -> {
                    List<UserScramCredentialAlteration> deletions = new ArrayList<>();
                    for (ScramCredentialInfo info : existing.credentialInfos()) {
                        deletions.add(new UserScramCredentialDeletion(userName, info.mechanism()));
                    }
                    return KafkaFutures.mono(
                            clients.admin().alterUserScramCredentials(deletions).all());
                })
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<Void> setPassword(String user, String password, Integer iterations) {
        if (password == null || password.isEmpty()) {
            return Mono.error(new GatewayException(ErrorCode.INVALID_REQUEST, "password is required."));
        }
        int rounds = iterations == null ? DEFAULT_ITERATIONS : iterations;
        if (rounds < DEFAULT_ITERATIONS) {
            return Mono.error(new GatewayException(
                    ErrorCode.INVALID_REQUEST, "iterations must be at least " + DEFAULT_ITERATIONS + "."));
        }
        List<UserScramCredentialAlteration> upserts = List.of(
                new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, rounds), password),
                new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, rounds), password));
        return KafkaFutures.mono(
                clients.admin().alterUserScramCredentials(upserts).all());
    }

    private static KafkaUser user(Links links, UserScramCredentialsDescription description) {
        return new KafkaUser(
                "KafkaUser",
                links.metadata("/users/" + description.name(), "user=" + description.name()),
                links.clusterId(),
                description.name(),
                description.credentialInfos().stream()
                        .map(c -> new Credential(c.mechanism().mechanismName(), c.iterations()))
                        .sorted(Comparator.comparing(Credential::mechanism))
                        .toList());
    }

    private static GatewayException notFound(String user) {
        return new GatewayException(ErrorCode.NOT_FOUND, "User '" + user + "' has no SCRAM credentials.");
    }
}
