package io.brook.gateway.security;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The token endpoint's JSON body, {@code {"username": "...", "password": "..."}}, as a login to
 * check; for browsers that would rather not build a Basic header. Bodies over 16 KiB or not JSON
 * are no credentials (401).
 */
final class LoginBodyConverter implements ServerAuthenticationConverter {

    private static final int MAX_BODY = 16 * 1024;

    private final JsonMapper json;

    LoginBodyConverter(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Authentication> convert(ServerWebExchange exchange) {
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .flatMap(buffer -> {
                    String text = buffer.toString(StandardCharsets.UTF_8);
                    DataBufferUtils.release(buffer);
                    JsonNode body;
                    try {
                        body = json.readTree(text);
                    } catch (JacksonException e) {
                        return Mono.empty();
                    }
                    JsonNode user = body.get("username");
                    JsonNode password = body.get("password");
                    if (user == null || !user.isString() || password == null || !password.isString()) {
                        return Mono.empty();
                    }
                    return Mono.<Authentication>just(Credentials.login(exchange, user.asString(), password.asString()));
                })
                .onErrorResume(e -> Mono.empty());
    }
}
