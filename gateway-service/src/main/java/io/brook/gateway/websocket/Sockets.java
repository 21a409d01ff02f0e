package io.brook.gateway.websocket;

import java.nio.charset.StandardCharsets;
import org.springframework.web.reactive.socket.CloseStatus;

/** Close statuses with their reasons, fitted into a close frame. */
final class Sockets {

    /** RFC 6455 section 5.5: a control frame's payload is at most 125 bytes, 2 of them the code. */
    static final int MAX_REASON_BYTES = 123;

    /**
     * The subprotocol the sockets answer with when a client asks for it ({@code brook}): a browser
     * that sends its bearer token as a second subprotocol ({@code brook.bearer.<token>}, see
     * {@code io.brook.gateway.security}) must be answered with one it asked for, and never with the
     * token. Clients that ask for none get none, as before.
     */
    static final java.util.List<String> SUBPROTOCOLS = java.util.List.of("brook");

    private Sockets() {}

    static CloseStatus status(int code, String reason) {
        String fitted = reason == null ? "" : reason;
        while (fitted.getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            fitted = fitted.substring(0, fitted.length() - 1);
        }
        return new CloseStatus(code, fitted);
    }

    /** 1008: the client broke the socket's rules (bad request, unknown topic, stopped reading). */
    static CloseStatus policyViolation(String reason) {
        return status(CloseStatus.POLICY_VIOLATION.getCode(), reason);
    }

    /** 1013: try again later (the socket's outbound queue is full). */
    static CloseStatus tryAgainLater(String reason) {
        return status(1013, reason);
    }
}
