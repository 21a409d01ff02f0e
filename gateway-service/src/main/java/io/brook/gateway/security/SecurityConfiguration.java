package io.brook.gateway.security;

import io.brook.gateway.config.GatewayProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.common.security.authenticator.CredentialCache;
import org.apache.kafka.server.authorizer.Authorizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsConfigurationSource;
import org.springframework.web.cors.reactive.UrlBasedCorsConfigurationSource;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's one {@link SecurityWebFilterChain}.
 *
 * <p>Security off ({@code brook.gateway.security.enabled=false}, the default): every request is
 * served as before, with no authentication, no CSRF token and no added headers; only CORS applies
 * when configured.
 *
 * <p>Security on:
 *
 * <ol>
 *   <li>CORS (when {@code brook.gateway.cors.allowed-origins} is set), answering preflights before
 *       authentication.
 *   <li>Authentication, stateless (no session): HTTP Basic checked against the SCRAM credentials
 *       ({@link ScramAuthenticationManager}); the token endpoint's JSON body the same way; a bearer
 *       token ({@link TokenService}) in {@code Authorization} or the WebSocket subprotocols ({@link
 *       Credentials}). Password logins are slowed per address after failures ({@link
 *       LoginThrottle}).
 *   <li>Authorization: the open paths for anyone; each operation by the ACLs ({@link AclRules});
 *       the rest for any authenticated user.
 *   <li>401 and 403 as problem+json ({@link SecurityProblems}); Spring Security's default secure
 *       headers (no-cache, nosniff, frame denial, HSTS on TLS). CSRF protection is off: the API is
 *       called with explicit credentials (Basic or bearer headers), never with cookies, so a
 *       cross-site page cannot act with a user's credentials.
 * </ol>
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
public class SecurityConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityConfiguration.class);

    static final String TOKEN_PATH = "/v3/auth/token";

    @Bean
    GatewayAuthorization gatewayAuthorization(GatewayProperties properties, ObjectProvider<Authorizer> authorizer) {
        GatewayProperties.Security security = properties.getSecurity();
        return new GatewayAuthorization(
                security.isEnabled() ? authorizer.getObject() : null, security.getPrincipalType());
    }

    @Bean
    LoginThrottle loginThrottle(GatewayProperties properties) {
        GatewayProperties.Security security = properties.getSecurity();
        return new LoginThrottle(
                security.getLoginFailureDelay(),
                security.getLoginFailureMaxDelay(),
                security.getLoginFailureTrackedAddresses(),
                System::nanoTime);
    }

    /**
     * Password checks against the SCRAM store; with security off, one that refuses everything
     * (never reached, as no filter authenticates then; its presence keeps Spring Boot from
     * creating a default user with a generated password).
     */
    @Bean
    ReactiveAuthenticationManager gatewayAuthenticationManager(
            GatewayProperties properties, ObjectProvider<CredentialCache> credentials, LoginThrottle throttle) {
        GatewayProperties.Security security = properties.getSecurity();
        if (!security.isEnabled()) {
            return login -> Mono.error(new BadCredentialsException("Security is off"));
        }
        return new ScramAuthenticationManager(
                credentials.getObject(), throttle, security.getAuthCacheTtl(), System::nanoTime);
    }

    @Bean
    TokenService tokenService(GatewayProperties properties, Clock clock) {
        GatewayProperties.Security security = properties.getSecurity();
        if (security.isEnabled() && security.getTokenSecret().isEmpty()) {
            LOG.warn("brook.gateway.security.token-secret is not set: bearer tokens are signed with a random key "
                    + "of this start, and are not accepted by other gateways or after a restart");
        }
        return new TokenService(TokenService.secret(security.getTokenSecret()), security.getTokenTtl(), clock);
    }

    @Bean
    SecurityWebFilterChain gatewaySecurityChain(
            ServerHttpSecurity http,
            GatewayProperties properties,
            GatewayAuthorization authorization,
            ReactiveAuthenticationManager passwords,
            TokenService tokens,
            JsonMapper json,
            ObjectProvider<MeterRegistry> meters) {
        http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.disable())
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        CorsConfigurationSource cors = cors(properties.getCors());
        if (cors != null) {
            http.cors(spec -> spec.configurationSource(cors));
        } else {
            http.cors(ServerHttpSecurity.CorsSpec::disable);
        }
        GatewayProperties.Security security = properties.getSecurity();
        if (!security.isEnabled()) {
            return http.headers(ServerHttpSecurity.HeaderSpec::disable)
                    .authorizeExchange(spec -> spec.anyExchange().permitAll())
                    .build();
        }
        // A registry is there in the application; a web-layer test slice may have none.
        SecurityProblems problems =
                new SecurityProblems(json, new AuthenticationFailures(meters.getIfAvailable(SimpleMeterRegistry::new)));
        ServerAuthenticationEntryPointFailureHandler failure =
                new ServerAuthenticationEntryPointFailureHandler(problems);

        AuthenticationWebFilter basic = new AuthenticationWebFilter(passwords);
        basic.setServerAuthenticationConverter(Credentials.basic());
        basic.setAuthenticationFailureHandler(failure);
        http.addFilterAt(basic, SecurityWebFiltersOrder.HTTP_BASIC);

        AuthenticationWebFilter jsonLogin = new AuthenticationWebFilter(passwords);
        jsonLogin.setRequiresAuthenticationMatcher(tokenRequestWithoutHeader());
        jsonLogin.setServerAuthenticationConverter(new LoginBodyConverter(json));
        jsonLogin.setAuthenticationFailureHandler(failure);
        http.addFilterAt(jsonLogin, SecurityWebFiltersOrder.HTTP_BASIC);

        http.oauth2ResourceServer(server -> server.bearerTokenConverter(Credentials.bearer())
                .authenticationEntryPoint(problems)
                .accessDeniedHandler(problems)
                .jwt(jwt -> jwt.jwtDecoder(tokens.decoder())));

        AclRules rules = new AclRules(authorization);
        http.authorizeExchange(spec -> {
                    spec.pathMatchers(security.getOpenPaths().toArray(String[]::new))
                            .permitAll();
                    spec.pathMatchers(HttpMethod.POST, TOKEN_PATH).authenticated();
                    rules.apply(spec);
                    spec.anyExchange().authenticated();
                })
                .exceptionHandling(
                        handling -> handling.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }

    /** The token endpoint called with a JSON body instead of a Basic header. */
    private static ServerWebExchangeMatcher tokenRequestWithoutHeader() {
        ServerWebExchangeMatcher path = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, TOKEN_PATH);
        return exchange -> path.matches(exchange)
                .flatMap(match ->
                        match.isMatch() && !exchange.getRequest().getHeaders().containsHeader("Authorization")
                                ? ServerWebExchangeMatcher.MatchResult.match()
                                : ServerWebExchangeMatcher.MatchResult.notMatch());
    }

    static CorsConfigurationSource cors(GatewayProperties.Cors settings) {
        if (settings.getAllowedOrigins().isEmpty()) {
            return null;
        }
        CorsConfiguration config = new CorsConfiguration();
        settings.getAllowedOrigins().forEach(config::addAllowedOriginPattern);
        config.setAllowedMethods(settings.getAllowedMethods());
        config.setAllowedHeaders(settings.getAllowedHeaders());
        config.setAllowCredentials(settings.isAllowCredentials());
        Duration maxAge = settings.getMaxAge();
        config.setMaxAge(maxAge);
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/**", config);
        return source;
    }
}
