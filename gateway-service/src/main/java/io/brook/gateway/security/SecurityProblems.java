package io.brook.gateway.security;

import io.brook.gateway.error.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The 401 and 403 answers of the security filter chain, in the gateway's problem+json format
 * (as {@link io.brook.gateway.error.ProblemDetailsAdvice} writes for controllers): {@code type},
 * {@code title}, {@code status}, {@code detail}, {@code instance}, {@code error_code} 40101 or
 * 40301. A 401 carries {@code WWW-Authenticate} challenges for Basic and Bearer (realm {@code
 * brook}), but Bearer only to a script that says so with {@code X-Requested-With:
 * XMLHttpRequest} (the dashboard): a browser answers a Basic challenge to its fetch with its own
 * login dialog, over the page's. Each 401 is an audit line (a 403 was audited where it was
 * decided, with the resource) and counts in {@link AuthenticationFailures}.
 *
 * <p>Threading: stateless, thread-safe.
 */
final class SecurityProblems implements ServerAuthenticationEntryPoint, ServerAccessDeniedHandler {

    static final String REALM = "brook";

    private final JsonMapper json;
    private final AuthenticationFailures failures;

    SecurityProblems(JsonMapper json, AuthenticationFailures failures) {
        this.json = json;
        this.failures = failures;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        String reason;
        String detail;
        if (failure instanceof OAuth2AuthenticationException) {
            reason = "invalid-token";
            detail = "The bearer token is invalid or has expired.";
            failures.failed(AuthenticationFailures.INVALID_TOKEN);
        } else if (failure instanceof BadCredentialsException) {
            reason = "bad-credentials";
            detail = "Bad user name or password.";
            failures.failed(AuthenticationFailures.BAD_CREDENTIALS);
        } else {
            reason = "no-credentials";
            detail = "Authentication required: HTTP Basic, or a bearer token from POST /v3/auth/token.";
            failures.failed(AuthenticationFailures.NO_CREDENTIALS);
        }
        AuditLog.authenticationFailed(
                claimedUser(exchange),
                GatewayAuthorization.addressText(exchange),
                exchange.getRequest().getMethod().name(),
                exchange.getRequest().getPath().value(),
                reason);
        ServerHttpResponse response = exchange.getResponse();
        if (!"XMLHttpRequest".equals(exchange.getRequest().getHeaders().getFirst("X-Requested-With"))) {
            response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"" + REALM + "\"");
        return write(exchange, ErrorCode.UNAUTHORIZED, detail);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        String detail = exchange.getAttribute(AclRules.DENIAL);
        return write(exchange, ErrorCode.FORBIDDEN, detail != null ? detail : "Not authorized.");
    }

    Mono<Void> write(ServerWebExchange exchange, ErrorCode code, String detail) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "https://brook.io/errors/" + code.code());
        problem.put("title", code.title());
        problem.put("status", code.status().value());
        problem.put("detail", detail);
        problem.put("instance", exchange.getRequest().getPath().value());
        problem.put("error_code", code.code());
        byte[] body = json.writeValueAsBytes(problem);
        ServerHttpResponse response = exchange.getResponse();
        response.setStatusCode(code.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }

    /** The user name of a Basic header, for the audit line; never the password. */
    private static String claimedUser(ServerWebExchange exchange) {
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        try {
            String decoded = new String(
                    java.util.Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
