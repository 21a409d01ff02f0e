package io.brook.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.brook.cluster.security.ScramPasswords;
import io.brook.gateway.config.GatewayProperties;
import io.brook.gateway.kafka.ClusterMetadata;
import io.brook.gateway.kafka.ConsumerInstanceRegistry;
import io.brook.gateway.kafka.KafkaClients;
import io.brook.gateway.kafka.LogDirSizes;
import io.brook.gateway.kafka.ReadConsumerPool;
import io.brook.gateway.kafka.RecordMetrics;
import io.brook.gateway.kafka.RecordStreams;
import io.brook.gateway.kafka.StreamMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.server.authorizer.Authorizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The security chain alone: the web layer ({@code WebFluxTest}) with the real controllers and the
 * real {@link SecurityConfiguration}, users in a {@link CredentialCache} filled with {@link
 * ScramPasswords#create} and Kafka's ACL rules in a small {@link TestAuthorizer}; the cluster does
 * not exist (a closed port), so every answer here is given before any broker is asked. That is the
 * point: a 401 or 403 must come before the gateway touches a broker.
 */
@WebFluxTest(properties = "brook.gateway.security.enabled=true")
@Import({SecurityConfiguration.class, TokenController.class})
class SecurityChainTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef-test";
    /**
     * Not the configured cluster id: a request that gets past security is answered 404 (40404) at
     * once, without a broker.
     */
    static final String CLUSTER = "/v3/clusters/other-cluster";

    @TestConfiguration
    @ComponentScan(
            basePackages = "io.brook.gateway.http",
            excludeFilters = @ComponentScan.Filter(type = FilterType.ANNOTATION, classes = TestConfiguration.class))
    static class Services {

        @Bean
        GatewayProperties gatewayProperties() {
            GatewayProperties properties = new GatewayProperties();
            properties.setBootstrapServers("127.0.0.1:1");
            properties.setClusterId("test-cluster");
            properties.getSecurity().setEnabled(true);
            properties.getSecurity().setTokenSecret(SECRET);
            properties.getSecurity().setLoginFailureDelay(Duration.ofMillis(200));
            properties.getCors().setAllowedOrigins(List.of("https://ui.example.com"));
            return properties;
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        CredentialCache credentialCache() {
            CredentialCache cache = ScramPasswords.newCache();
            cache.cache(ScramMechanism.SCRAM_SHA_512.mechanismName(), ScramCredential.class)
                    .put("alice", ScramPasswords.create(ScramMechanism.SCRAM_SHA_512, "alice-secret", 4096));
            cache.cache(ScramMechanism.SCRAM_SHA_256.mechanismName(), ScramCredential.class)
                    .put("bob", ScramPasswords.create(ScramMechanism.SCRAM_SHA_256, "bob-secret", 4096));
            return cache;
        }

        @Bean
        Authorizer authorizer() {
            TestAuthorizer authorizer = new TestAuthorizer(Set.of());
            authorizer.acls.add(allow("User:alice", AclOperation.ALL, ResourceType.TOPIC, "orders"));
            authorizer.acls.add(allow("User:alice", AclOperation.READ, ResourceType.GROUP, "alice-"));
            return authorizer;
        }

        @Bean(destroyMethod = "destroy")
        KafkaClients kafkaClients(GatewayProperties properties) {
            return new KafkaClients(properties);
        }

        @Bean
        ClusterMetadata clusterMetadata(KafkaClients clients, GatewayProperties properties) {
            return new ClusterMetadata(clients, properties, Clock.systemUTC());
        }

        @Bean
        LogDirSizes logDirSizes(KafkaClients clients) {
            return new LogDirSizes(clients);
        }

        @Bean
        ReadConsumerPool readConsumerPool(GatewayProperties properties) {
            return new ReadConsumerPool(properties);
        }

        /** Where the chain counts its 401s (brook_gateway_authentication_failures_total). */
        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RecordMetrics recordMetrics() {
            return new RecordMetrics(new SimpleMeterRegistry());
        }

        @Bean(destroyMethod = "destroy")
        ConsumerInstanceRegistry consumerInstanceRegistry(KafkaClients clients, GatewayProperties properties) {
            return new ConsumerInstanceRegistry(clients, properties, Clock.systemUTC());
        }

        @Bean
        RecordStreams recordStreams(KafkaClients clients, GatewayProperties properties) {
            return new RecordStreams(clients, properties, new SimpleMeterRegistry());
        }

        @Bean
        StreamMetrics streamMetrics() {
            return new StreamMetrics(new SimpleMeterRegistry());
        }
    }

    static AclBinding allow(String principal, AclOperation operation, ResourceType type, String name) {
        return new AclBinding(
                new ResourcePattern(type, name, name.endsWith("-") ? PatternType.PREFIXED : PatternType.LITERAL),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    @Autowired
    WebTestClient http;

    @Autowired
    LoginThrottle throttle;

    @Autowired
    SimpleMeterRegistry meters;

    double failures(String reason) {
        return meters.get("brook.gateway.authentication.failures")
                .tag("reason", reason)
                .counter()
                .count();
    }

    @BeforeEach
    void forgetFailedLogins() {
        throttle.succeeded("-");
    }

    void problem(WebTestClient.ResponseSpec response, int status, int code) {
        response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.error_code")
                .isEqualTo(code)
                .jsonPath("$.status")
                .isEqualTo(status);
    }

    @Test
    void aRequestWithoutCredentialsIs401WithChallenges() {
        WebTestClient.ResponseSpec response =
                http.get().uri(CLUSTER + "/topics/orders").exchange();
        problem(response, 401, 40101);
        response.expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"brook\".*");
        assertThat(response.returnResult(String.class).getResponseHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
                .anyMatch(v -> v.startsWith("Bearer"));
    }

    @Test
    void aScriptMarkedXmlHttpRequestGetsNoBasicChallengeSoTheBrowserShowsNoLoginDialog() {
        WebTestClient.ResponseSpec response = http.get()
                .uri(CLUSTER + "/topics/orders")
                .header("X-Requested-With", "XMLHttpRequest")
                .exchange();
        problem(response, 401, 40101);
        assertThat(response.returnResult(String.class).getResponseHeaders().get(HttpHeaders.WWW_AUTHENTICATE))
                .containsExactly("Bearer realm=\"brook\"");
    }

    @Test
    void aWrongPasswordOrUnknownUserIs401() {
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders")
                        .headers(h -> h.setBasicAuth("alice", "wrong"))
                        .exchange(),
                401,
                40101);
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders")
                        .headers(h -> h.setBasicAuth("mallory", "x"))
                        .exchange(),
                401,
                40101);
    }

    @Test
    void every401CountsByReasonAndA403DoesNot() {
        double none = failures("no_credentials");
        double bad = failures("bad_credentials");
        double token = failures("invalid_token");

        http.get().uri(CLUSTER + "/topics/orders").exchange().expectStatus().isEqualTo(401);
        http.get()
                .uri(CLUSTER + "/topics/orders")
                .headers(h -> h.setBasicAuth("alice", "wrong"))
                .exchange()
                .expectStatus()
                .isEqualTo(401);
        http.get()
                .uri(CLUSTER + "/topics/orders")
                .headers(h -> h.setBearerAuth("not-a-jwt"))
                .exchange()
                .expectStatus()
                .isEqualTo(401);
        http.get()
                .uri(CLUSTER + "/topics/orders")
                .headers(h -> h.setBearerAuth("still-not-a-jwt"))
                .exchange()
                .expectStatus()
                .isEqualTo(401);
        // Authenticated, not authorized: 403, not an authentication failure.
        http.get()
                .uri(CLUSTER + "/topics/secret")
                .headers(h -> h.setBasicAuth("bob", "bob-secret"))
                .exchange()
                .expectStatus()
                .isEqualTo(403);

        assertThat(failures("no_credentials") - none).isEqualTo(1);
        assertThat(failures("bad_credentials") - bad).isEqualTo(1);
        assertThat(failures("invalid_token") - token).isEqualTo(2);
    }

    @Test
    void anAuthenticatedUserWithoutTheAclIs403BeforeAnyBrokerCall() {
        problem(
                http.post()
                        .uri(CLUSTER + "/topics/orders/records")
                        .headers(h -> h.setBasicAuth("bob", "bob-secret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{\"value\": {\"data\": 1}}")
                        .exchange(),
                403,
                40301);
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders/partitions/0/records")
                        .headers(h -> h.setBasicAuth("bob", "bob-secret"))
                        .exchange(),
                403,
                40301);
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders/records:stream")
                        .headers(h -> h.setBasicAuth("bob", "bob-secret"))
                        .exchange(),
                403,
                40301);
        problem(
                http.delete()
                        .uri(CLUSTER + "/topics/orders")
                        .headers(h -> h.setBasicAuth("bob", "bob-secret"))
                        .exchange(),
                403,
                40301);
        problem(
                http.get()
                        .uri(CLUSTER + "/acls")
                        .headers(h -> h.setBasicAuth("alice", "alice-secret"))
                        .exchange(),
                403,
                40301);
        problem(
                http.post()
                        .uri("/consumers/bob-group")
                        .headers(h -> h.setBasicAuth("alice", "alice-secret"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("{}")
                        .exchange(),
                403,
                40301);
        // alice may read orders, but not in a group she has no READ on.
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders/records:stream?group=other")
                        .headers(h -> h.setBasicAuth("alice", "alice-secret"))
                        .exchange(),
                403,
                40301);
    }

    @Test
    void aTokenFromTheLoginEndpointAuthenticatesLaterRequests() {
        String token = login();
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders/partitions/0/records")
                        .headers(h -> h.setBearerAuth(token))
                        .exchange(),
                404 /* no cluster behind this test: the request got past security */,
                40404);
    }

    @Test
    void theLoginEndpointTakesAJsonBodyAndRefusesATokenForAToken() {
        http.post()
                .uri("/v3/auth/token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "bob", "password", "bob-secret"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.token_type")
                .isEqualTo("Bearer");
        problem(
                http.post()
                        .uri("/v3/auth/token")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("username", "bob", "password", "nope"))
                        .exchange(),
                401,
                40101);
        String token = login();
        problem(
                http.post()
                        .uri("/v3/auth/token")
                        .headers(h -> h.setBearerAuth(token))
                        .exchange(),
                403,
                40301);
    }

    @Test
    void expiredAndForgedTokensAre401() {
        String expired =
                sign(SECRET, Instant.now().minusSeconds(120), Instant.now().minusSeconds(1));
        String forged = sign(
                "another-secret-of-at-least-32-bytes!",
                Instant.now(),
                Instant.now().plusSeconds(600));
        String valid = sign(SECRET, Instant.now(), Instant.now().plusSeconds(600));
        for (String token : List.of(expired, forged, "not-a-jwt")) {
            problem(
                    http.get()
                            .uri(CLUSTER + "/topics/orders")
                            .headers(h -> h.setBearerAuth(token))
                            .exchange(),
                    401,
                    40101);
        }
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders")
                        .headers(h -> h.setBearerAuth(valid))
                        .exchange(),
                404,
                40404);
    }

    @Test
    void theTokenIsAcceptedInTheWebSocketSubprotocols() {
        String token = login();
        // Not an upgrade request, so the socket handler answers 400 - but past security, unlike
        // the same request without the token.
        http.get()
                .uri(CLUSTER + "/topics/orders/consume-socket")
                .header("Sec-WebSocket-Protocol", "brook, brook.bearer." + token)
                .exchange()
                .expectStatus()
                .value(status -> assertThat(status).isNotIn(401, 403));
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders/consume-socket")
                        .header("Sec-WebSocket-Protocol", "brook")
                        .exchange(),
                401,
                40101);
    }

    @Test
    void repeatedFailedLoginsFromOneAddressAreSlowedDown() {
        long first = timeOfFailedLogin();
        timeOfFailedLogin();
        timeOfFailedLogin();
        long fourth = timeOfFailedLogin();
        // 200 ms after the first failure, doubling: the fourth attempt's turn comes 800 ms after
        // the third failure (less the few ms it took that answer to come back).
        assertThat(fourth).isGreaterThanOrEqualTo(700);
        assertThat(fourth - first).isGreaterThanOrEqualTo(400);
        login(); // a success forgets the address
        assertThat(throttle.beforeAttempt("-")).isZero();
    }

    /** CORS needs an absolute request URL to compare origins, as a real server has (Host). */
    @Test
    void openPathsNeedNoLoginAndCorsPreflightsAreAnswered() {
        // Not served in this slice (no springdoc): 404, not 401.
        http.get().uri("/v3/api-docs").exchange().expectStatus().isNotFound();
        http.options()
                .uri("http://localhost" + CLUSTER + "/topics")
                .header(HttpHeaders.ORIGIN, "https://ui.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "Authorization")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://ui.example.com");
        http.options()
                .uri("http://localhost" + CLUSTER + "/topics")
                .header(HttpHeaders.ORIGIN, "https://evil.example.com")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void secureHeadersAreOn() {
        http.get()
                .uri(CLUSTER + "/topics/orders")
                .headers(h -> h.setBasicAuth("alice", "alice-secret"))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .valueEquals("X-Frame-Options", "DENY");
    }

    private long timeOfFailedLogin() {
        long start = System.nanoTime();
        problem(
                http.get()
                        .uri(CLUSTER + "/topics/orders")
                        .headers(h -> h.setBasicAuth("alice", "guess"))
                        .exchange(),
                401,
                40101);
        return Duration.ofNanos(System.nanoTime() - start).toMillis();
    }

    private String login() {
        return http.post()
                .uri("/v3/auth/token")
                .headers(h -> h.setBasicAuth("alice", "alice-secret"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueMatches(HttpHeaders.CACHE_CONTROL, ".*no-store.*")
                .expectBody(Map.class)
                .returnResult()
                .getResponseBody()
                .get("access_token")
                .toString();
    }

    static String sign(String secret, Instant issued, Instant expires) {
        NimbusJwtEncoder encoder = NimbusJwtEncoder.withSecretKey(
                        new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                .build();
        return encoder.encode(JwtEncoderParameters.from(
                        JwsHeader.with(MacAlgorithm.HS256).build(),
                        JwtClaimsSet.builder()
                                .issuer(TokenService.ISSUER)
                                .subject("alice")
                                .issuedAt(issued)
                                .expiresAt(expires)
                                .build()))
                .getTokenValue();
    }
}
