package io.brook.gateway.security;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.server.authentication.ServerAuthenticationConverter;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Where the gateway finds a request's credentials.
 *
 * <ul>
 *   <li>HTTP Basic: {@code Authorization: Basic base64(user:password)} (RFC 7617).
 *   <li>A bearer token: {@code Authorization: Bearer <token>} (RFC 6750), or, for browsers, whose
 *       WebSocket API cannot set headers, in the WebSocket subprotocols: {@code
 *       Sec-WebSocket-Protocol: brook, brook.bearer.<token>} (JavaScript: {@code new WebSocket(url,
 *       ["brook", "brook.bearer." + token])}). A JWT is made of base64url characters and dots, all
 *       allowed in a subprotocol name. The gateway answers with the subprotocol {@code brook}, never
 *       with the token.
 * </ul>
 *
 * <p>Neither converter logs anything; the token is not part of any message.
 */
final class Credentials {

    /** The subprotocol the gateway's sockets speak and answer with. */
    static final String SUBPROTOCOL = "brook";

    /** Prefix of the subprotocol entry that carries a bearer token. */
    static final String TOKEN_SUBPROTOCOL_PREFIX = "brook.bearer.";

    private Credentials() {}

    /** HTTP Basic, with the client's address in the details (for the login throttle). */
    static ServerAuthenticationConverter basic() {
        return exchange -> {
            String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return Mono.empty();
            }
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Mono.just(login(exchange, "", ""));
            }
            int colon = decoded.indexOf(':');
            return Mono.just(
                    colon < 0
                            ? login(exchange, decoded, "")
                            : login(exchange, decoded.substring(0, colon), decoded.substring(colon + 1)));
        };
    }

    static UsernamePasswordAuthenticationToken login(ServerWebExchange exchange, String user, String password) {
        UsernamePasswordAuthenticationToken token = UsernamePasswordAuthenticationToken.unauthenticated(user, password);
        token.setDetails(new ScramAuthenticationManager.ClientAddress(GatewayAuthorization.addressText(exchange)));
        return token;
    }

    /** A bearer token from the Authorization header or the WebSocket subprotocols. */
    static ServerAuthenticationConverter bearer() {
        return exchange -> {
            HttpHeaders headers = exchange.getRequest().getHeaders();
            String header = headers.getFirst(HttpHeaders.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Mono.just(
                        new BearerTokenAuthenticationToken(header.substring(7).trim()));
            }
            String token = subprotocolToken(headers.getOrEmpty("Sec-WebSocket-Protocol"));
            return token == null ? Mono.empty() : Mono.<Authentication>just(new BearerTokenAuthenticationToken(token));
        };
    }

    static String subprotocolToken(List<String> values) {
        for (String value : values) {
            for (String protocol : value.split(",")) {
                String p = protocol.trim();
                if (p.startsWith(TOKEN_SUBPROTOCOL_PREFIX) && p.length() > TOKEN_SUBPROTOCOL_PREFIX.length()) {
                    return p.substring(TOKEN_SUBPROTOCOL_PREFIX.length());
                }
            }
        }
        return null;
    }
}
