package io.brook.gateway.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /v3/auth/token}: a bearer token for a user who logs in with a password, by HTTP
 * Basic or a JSON body {@code {"username", "password"}} (checked by the security chain before this
 * runs). The answer is OAuth 2's token response shape: {@code access_token}, {@code token_type}
 * {@code Bearer}, {@code expires_in} seconds; not cached. A token does not buy another token: the
 * lifetime stays bounded by the last password login. Present only with security on.
 */
@RestController
@ConditionalOnProperty(name = "brook.gateway.security.enabled", havingValue = "true")
class TokenController {

    private final TokenService tokens;

    TokenController(TokenService tokens) {
        this.tokens = tokens;
    }

    record TokenResponse(
            @JsonProperty("access_token") String accessToken,
            @JsonProperty("token_type") String tokenType,
            @JsonProperty("expires_in") long expiresIn) {}

    @Operation(
            operationId = "issueToken",
            summary = "Log in with HTTP Basic or {\"username\", \"password\"}; answers a short-lived bearer token")
    @PostMapping(SecurityConfiguration.TOKEN_PATH)
    Mono<ResponseEntity<TokenResponse>> token(Authentication authentication) {
        if (!(authentication instanceof UsernamePasswordAuthenticationToken)) {
            return Mono.error(new GatewayException(
                    ErrorCode.FORBIDDEN, "A token is issued for a password login, not for another token."));
        }
        TokenService.Issued issued = tokens.issue(authentication.getName());
        return Mono.just(ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new TokenResponse(
                        issued.token(), "Bearer", issued.expiresIn().toSeconds())));
    }
}
