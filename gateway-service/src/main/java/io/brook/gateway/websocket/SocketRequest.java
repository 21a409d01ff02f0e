package io.brook.gateway.websocket;

import io.brook.gateway.error.ErrorCode;
import io.brook.gateway.error.GatewayException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.server.PathContainer;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/** The cluster, topic and query parameters of a socket's handshake URL. */
record SocketRequest(String clusterId, String topic, MultiValueMap<String, String> query) {

    static final String PRODUCE_PATH = "/v3/clusters/{cluster_id}/topics/{topic_name}/produce-socket";
    static final String CONSUME_PATH = "/v3/clusters/{cluster_id}/topics/{topic_name}/consume-socket";

    private static final PathPattern PRODUCE = PathPatternParser.defaultInstance.parse(PRODUCE_PATH);
    private static final PathPattern CONSUME = PathPatternParser.defaultInstance.parse(CONSUME_PATH);

    static SocketRequest of(WebSocketSession session) {
        URI uri = session.getHandshakeInfo().getUri();
        PathContainer path = PathContainer.parsePath(uri.getRawPath());
        PathPattern.PathMatchInfo match = PRODUCE.matchAndExtract(path);
        if (match == null) {
            match = CONSUME.matchAndExtract(path);
        }
        Map<String, String> vars = match == null ? Map.of() : match.getUriVariables();
        return new SocketRequest(
                vars.get("cluster_id"),
                vars.get("topic_name"),
                UriComponentsBuilder.fromUri(uri).build().getQueryParams());
    }

    /** A query parameter, URL-decoded; null if absent. */
    String param(String name) {
        String value = query.getFirst(name);
        return value == null ? null : UriUtils.decode(value, StandardCharsets.UTF_8);
    }

    Long longParam(String name) {
        String value = param(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new GatewayException(ErrorCode.INVALID_REQUEST, name + " must be a number, not '" + value + "'.");
        }
    }

    /** {@code partition=0&partition=2} or {@code partition=0,2}. */
    List<Integer> partitions() {
        List<Integer> result = new ArrayList<>();
        for (String value : query.getOrDefault("partition", List.of())) {
            for (String part : UriUtils.decode(value, StandardCharsets.UTF_8).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    result.add(Integer.parseInt(part.trim()));
                } catch (NumberFormatException e) {
                    throw new GatewayException(
                            ErrorCode.INVALID_REQUEST, "partition must be a number, not '" + part + "'.");
                }
            }
        }
        return result;
    }
}
